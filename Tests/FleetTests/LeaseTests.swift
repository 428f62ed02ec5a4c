#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Fleet
import Foundation
import LocalServer
import Logging
import PGStore
import PostgresNIO
import Store
import Synchronization
import Vocabulary
import XCTest

/// The leases of running jobs: renewed by a thread of the worker's own (a busy cooperative
/// pool cannot starve it), with each job's pages so far for `fleet status`; a job whose lease
/// another attempt took is dropped (its sweep stopped, nothing more written for it), and the
/// worker goes on with the rest.
final class LeaseTests: XCTestCase {
    var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lease-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        FleetTestDB.closeAll()
        try? FileManager.default.removeItem(at: dir)
    }

    /// Every thread of the cooperative pool blocked for 2.5 leases (as sweeps blocked in
    /// PostgreSQL calls block them): the keeper's thread still renews the lease, and writes the
    /// job's pages. (A heartbeat on the pool could not run: the lease would have expired.)
    func testTheHeartbeatKeepsTheLeaseWhileEveryPoolThreadIsBlocked() async throws {
        let (_, db) = try await FleetTestDB.fresh()
        _ = try await db.addSites([FleetSite(urls: ["http://busy.example.gov.cn/"], name: "忙碌区政府", owner: "忙碌区", region: "110102")])
        let round = try await db.createRound(asOf: Day(iso: "2022-11-01")!).round
        let lease: Duration = .seconds(2)
        let claimed = try await db.claim(worker: "busy", limit: 1, lease: lease)
        let job = try XCTUnwrap(claimed.first)
        let keeperDB = FleetDatabase(pg: PGDatabase(location: db.pg.location))
        defer { keeperDB.close() }
        let lost = Mutex(false)
        let keeper = LeaseKeeper(db: keeperDB, worker: "busy", lease: lease)
        keeper.hold(job) { lost.withLock { $0 = true } }
        keeper.progress(job, pages: 42)
        keeper.start()
        defer { keeper.stop() }

        let width = ProcessInfo.processInfo.activeProcessorCount
        // Once every pool thread is held, a task started then runs only when they are let go:
        // the proof that the pool was blocked (where the old heartbeat task would have waited).
        let pool = PoolProbe()
        let checks = await withTaskGroup(of: (beats: Int, leaseHeld: Bool?).self) { group in
            for _ in 0..<width {
                group.addTask {
                    let before = keeper.beats
                    pool.arrive(of: width)
                    blockThisThread(seconds: 5)
                    // Still on the blocked thread: the lease, as the database has it now.
                    let held = try? db.pg.transactionBlocking { c in
                        try c.run("SELECT lease_until > now() FROM fleet_jobs WHERE id = \(job.id)", logger: db.logger).rows.first?.decode(Bool.self)
                    }
                    return (keeper.beats - before, held ?? nil)
                }
            }
            var all: [(beats: Int, leaseHeld: Bool?)] = []
            for await c in group { all.append(c) }
            return all
        }
        let ranAt = await pool.probe.withLock { $0 }?.value
        let blocked = try XCTUnwrap(pool.blockedAt.withLock { $0 }, "the pool has more threads than processors: not every thread was held")
        XCTAssertGreaterThan(try XCTUnwrap(ranAt).timeIntervalSince(blocked), 4.5, "a task ran while the pool was meant to be blocked")
        for c in checks {
            XCTAssertGreaterThanOrEqual(c.beats, 3, "the heartbeat did not run while the pool was blocked")
            XCTAssertEqual(c.leaseHeld, true, "the lease expired while the pool was blocked")
        }
        XCTAssertFalse(lost.withLock { $0 })
        let status = try await XCTUnwrapAsync(try await db.status(round: round))
        XCTAssertEqual(status.runningJobs.map(\.pages), [42])
        XCTAssertEqual(status.runningPages, 42)
        XCTAssertTrue(status.text.contains("job \(job.id) 忙碌区政府 http://busy.example.gov.cn/ on busy: 42 pages in "), status.text)

        // Taken over (its lease stolen in SQL): the next beat reports it lost, once.
        try await db.transaction { conn in
            try await conn.query("UPDATE fleet_jobs SET worker = 'thief', attempt = attempt + 1 WHERE id = \(job.id)", logger: db.logger)
        }
        let deadline = Date().addingTimeInterval(20)
        while !lost.withLock({ $0 }), Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        XCTAssertTrue(lost.withLock { $0 }, "the keeper did not notice the job was taken over")
    }

    /// A healthy worker whose job's lease is taken over mid-site (stolen in SQL) drops that
    /// job alone: one line, its sweep stopped and nothing more stored for it, the other sites
    /// claimed and swept; when the thief lets go the job is claimed again, resumes the run,
    /// and its findings are a single sweep's; the worker exits 0 (--exit-when-idle).
    /// Meanwhile `fleet status` shows the running job's pages so far and elapsed time.
    func testAWorkerThatLosesALeaseDropsThatJobAndGoesOn() async throws {
        let (url, db) = try await FleetTestDB.fresh()
        // Some 300 requests a site at 30 ms each, one at a time: several seconds a site. (150
        // pages, as in FleetRoundTests: with more, a broken link's capped list of the pages it
        // is on differs between a resumed run and a fresh one, which is the store's order, not
        // the lease's.)
        let servers = try (0..<3).map { try FleetFixtureSite.serve(name: "第\($0)镇", pages: 150, delay: 0.03) }
        defer { for s in servers { s.stop() } }
        _ = try await db.addSites(
            servers.enumerated().map { FleetSite(urls: [$1.baseURL], name: "第\($0)镇人民政府", owner: "第\($0)镇", region: "33012\($0)") })
        let round = try await db.createRound(asOf: Day(iso: "2022-11-01")!).round
        let limits = ["--per-host", "1", "--timeout", "5"]
        let log = dir.appendingPathComponent("worker.log")
        let worker = GovsweepBinary.start(["worker", "--store", url, "--exit-when-idle", "--lease", "3", "--name", "w"] + limits, log: log)
        try worker.run()
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        func logText() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        // Mid-site: the heartbeat has written some pages.
        var running: RoundStatus.Running?
        let deadline = Date().addingTimeInterval(90)
        while running == nil, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            running = try await XCTUnwrapAsync(try await db.status(round: round)).runningJobs.first { $0.pages >= 40 }
        }
        let victim = try XCTUnwrap(running, "no job got far enough to steal its lease\n" + logText())
        XCTAssertEqual(victim.attempt, 1)
        XCTAssertGreaterThan(victim.seconds, 0)
        let site = try XCTUnwrap(servers.first { $0.baseURL == victim.url })

        // fleet status, as text and JSON, shows it.
        let text = try GovsweepBinary.run(["fleet", "status", "--once", "--round", "\(round)", "--store", url])
        XCTAssertEqual(text.code, 0, text.stderr)
        XCTAssertNotNil(
            text.stdout.range(of: #"job \d+ \S+ \S+ on w: \d+ pages in \d+ s \(attempt 1, heartbeat \d+ s ago\)"#, options: .regularExpression), text.stdout)
        let json = try GovsweepBinary.run(["fleet", "status", "--json", "--round", "\(round)", "--store", url])
        XCTAssertEqual(json.code, 0, json.stderr)
        let shown = try JSONDecoder().decode(RoundStatus.self, from: Data(json.stdout.utf8))
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(shown.runningJobs.first { $0.job == victim.job }).pages, victim.pages)

        // Stolen: another "worker" holds the job now, for as long as the test says.
        try await db.transaction { conn in
            try await conn.query(
                "UPDATE fleet_jobs SET worker = 'thief', attempt = attempt + 1, lease_until = now() + interval '1 hour' WHERE id = \(victim.job)",
                logger: db.logger)
        }
        let lostLine = "job \(victim.job): lost its lease to another attempt"
        let noticed = Date().addingTimeInterval(30)
        while !logText().contains(lostLine), Date() < noticed { try await Task.sleep(for: .milliseconds(50)) }
        XCTAssertTrue(logText().contains(lostLine), logText())
        XCTAssertTrue(worker.isRunning, "the worker exited\n" + logText())

        // The sweep stopped: nothing more stored for its run, and its run lock is free.
        let store = try PostgresStore(url: url)
        defer { store.database.close() }
        let run = try XCTUnwrap(try store.unfinishedRun(sites: [victim.url]))
        let storedThen = try store.fetchedURLs(run: run.id)
        let requestsThen = site.requestCount
        try await Task.sleep(for: .seconds(2))
        XCTAssertEqual(try store.fetchedURLs(run: run.id), storedThen, "pages stored for a job whose lease was lost")
        XCTAssertEqual(site.requestCount, requestsThen, "the dropped sweep went on fetching")
        XCTAssertNoThrow(try store.acquireRunLock(sites: [victim.url]).release())

        // The worker took the other sites meanwhile.
        let others = Date().addingTimeInterval(90)
        var status = try await XCTUnwrapAsync(try await db.status(round: round))
        while status.done < 2, Date() < others {
            try await Task.sleep(for: .milliseconds(200))
            status = try await XCTUnwrapAsync(try await db.status(round: round))
        }
        XCTAssertEqual(status.done, 2, status.text + "\n" + logText())

        // The thief lets go (its lease ends): the worker claims the job again and resumes the run.
        try await db.transaction { conn in
            try await conn.query("UPDATE fleet_jobs SET lease_until = now() - interval '1 second' WHERE id = \(victim.job)", logger: db.logger)
        }
        let end = Date().addingTimeInterval(120)
        while worker.isRunning, Date() < end { try await Task.sleep(for: .milliseconds(100)) }
        if worker.isRunning { kill(worker.processIdentifier, SIGKILL) }
        worker.waitUntilExit()
        XCTAssertEqual(worker.terminationStatus, 0, logText())
        XCTAssertEqual(logText().components(separatedBy: "lost its lease").count - 1, 1, logText())
        status = try await XCTUnwrapAsync(try await db.status(round: round))
        XCTAssertEqual([status.done, status.failed, status.queued, status.running], [3, 0, 0, 0], status.text + "\n" + logText())
        let attempt = try await db.transaction { conn in
            var attempt: Int32 = 0
            for try await a in try await conn.query("SELECT attempt FROM fleet_jobs WHERE id = \(victim.job)", logger: db.logger).decode(Int32.self) {
                attempt = a
            }
            return attempt
        }
        XCTAssertEqual(attempt, 3, "claimed again after the thief's attempt 2")
        XCTAssertEqual(try store.run(id: run.id)?.status, .done, "the run was resumed")

        // Nothing of the dropped sweep (its cancelled fetches) in the findings: a single sweep's.
        let out = try fleetReport(round: round, store: url, in: dir)
        let single = try singleSweepFindings(victim.url, in: dir, options: limits)
        let siteID = try await db.transaction { conn in
            var siteID: Int64 = 0
            for try await id in try await conn.query("SELECT site_id FROM fleet_jobs WHERE id = \(victim.job)", logger: db.logger).decode(Int64.self) {
                siteID = id
            }
            return siteID
        }
        XCTAssertEqual(
            try comparableFindings(Data(contentsOf: out.appendingPathComponent(String(format: "sites/%04d/findings.json", siteID)))), single)
    }
    /// The keeper renews a lease only while its sweep shows signs of life: of two jobs, the one
    /// whose sweep goes silent for the stall window is reported stalled and beaten no more, so
    /// its lease runs out and another worker claims it; the live one's lease is renewed
    /// throughout.
    func testTheHeartbeatLetsTheLeaseOfAStalledSweepRunOut() async throws {
        let (_, db) = try await FleetTestDB.fresh()
        _ = try await db.addSites([
            FleetSite(urls: ["http://live.example.gov.cn/"], name: "活跃区政府", owner: "活跃区", region: "110102"),
            FleetSite(urls: ["http://silent.example.gov.cn/"], name: "沉默区政府", owner: "沉默区", region: "110105"),
        ])
        _ = try await db.createRound(asOf: Day(iso: "2022-11-01")!)
        let lease: Duration = .seconds(2)
        let claimed = try await db.claim(worker: "w", limit: 2, lease: lease)
        XCTAssertEqual(claimed.count, 2)
        let (live, silent) = (claimed[0], claimed[1])
        let keeperDB = FleetDatabase(pg: PGDatabase(location: db.pg.location))
        defer { keeperDB.close() }
        let keeper = LeaseKeeper(db: keeperDB, worker: "w", lease: lease, stall: .seconds(4))
        let stalled = Mutex<[Int64]>([])
        let lost = Mutex(false)
        for job in claimed { keeper.hold(job, stalled: { stalled.withLock { $0.append(job.id) } }) { lost.withLock { $0 = true } } }
        keeper.start()
        defer { keeper.stop() }

        func leaseHeld(_ job: ClaimedJob) async throws -> Bool {
            try await db.transaction { conn in
                var held = false
                for try await h in try await conn.query("SELECT lease_until > now() FROM fleet_jobs WHERE id = \(job.id)", logger: db.logger)
                    .decode(Bool.self)
                { held = h }
                return held
            }
        }
        // The live job's sweep reports pages, then phases without pages; the silent one nothing.
        var pages = 0
        var expired = false
        let deadline = Date().addingTimeInterval(40)
        while !expired, Date() < deadline {
            pages += 1
            if pages < 20 { keeper.progress(live, pages: pages) } else { keeper.alive(live) }
            try await Task.sleep(for: .milliseconds(200))
            if !stalled.withLock({ $0.isEmpty }) { expired = try await !leaseHeld(silent) }
        }
        XCTAssertEqual(stalled.withLock { $0 }, [silent.id], "the silent job is reported stalled, once; the live one never")
        XCTAssertTrue(expired, "the stalled job's lease did not run out")
        let liveHeld = try await leaseHeld(live)
        XCTAssertTrue(liveHeld, "the live job's lease was not renewed")
        XCTAssertFalse(lost.withLock { $0 })

        // Another worker claims the stalled job (its next attempt), not the live one.
        let taken = try await db.claim(worker: "other", limit: 2, lease: .seconds(30))
        XCTAssertEqual(taken.map(\.id), [silent.id])
        XCTAssertEqual(taken.first?.attempt, 2)
    }

    /// A sweep whose store call never returns (injected: once the sweep has pages, the
    /// attempt's store stops answering): its worker's heartbeat lets the lease run out after
    /// the stall window, the worker drops the job although the call never returns (its store
    /// closed, its run lock gone) and ends (it was to claim one job); another worker re-claims
    /// the job, resumes the run and completes it, with a single sweep's findings.
    func testAStalledSweepLosesItsLeaseAndAnotherWorkerCompletesTheJob() async throws {
        let (url, db) = try await FleetTestDB.fresh()
        let server = try FleetFixtureSite.serve(name: "停滞镇", pages: 150, delay: 0.01)
        defer { server.stop() }
        _ = try await db.addSites([FleetSite(urls: [server.baseURL], name: "停滞镇人民政府", owner: "停滞镇", region: "330130")])
        let round = try await db.createRound(asOf: Day(iso: "2022-11-01")!).round

        let stuck = Mutex(false)
        let released = Mutex(false)
        let blocked = Mutex(0)
        defer { released.withLock { $0 = true } }  // (the blocked calls end, into a closed store)
        var options = FleetWorker.Options(store: url, id: "stuck", workDir: dir.appendingPathComponent("stuck").path)
        options.template.fetch.perHostConcurrency = 1
        options.template.fetch.totalTimeout = 5
        options.lease = .seconds(2)
        options.stall = .seconds(5)
        options.claimLimit = 1
        options.handlesSignals = false
        options.storeOpened = { store in
            store.database.setBeforeCall {
                guard stuck.withLock({ $0 }) else { return }
                blocked.withLock { $0 += 1 }
                while !released.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.05) }
            }
        }
        let worker = FleetWorker(options: options, db: db)
        let ended = Mutex<Int32?>(nil)
        let run = Task {
            let code = try await worker.run()
            ended.withLock { $0 = code }
        }
        defer { run.cancel() }

        // Mid-site, the store stops answering.
        var midSite = false
        let started = Date().addingTimeInterval(90)
        while !midSite, Date() < started {
            try await Task.sleep(for: .milliseconds(100))
            midSite = try await XCTUnwrapAsync(try await db.status(round: round)).runningJobs.contains { $0.worker == "stuck" && $0.pages >= 20 }
        }
        XCTAssertTrue(midSite, "the stuck worker's sweep did not get going")
        stuck.withLock { $0 = true }

        // The stuck worker drops the job and ends (its one claim done), the call still blocked.
        let dropped = Date().addingTimeInterval(60)
        while ended.withLock({ $0 }) == nil, Date() < dropped { try await Task.sleep(for: .milliseconds(100)) }
        XCTAssertEqual(ended.withLock { $0 }, 0, "the worker did not drop its stalled job")
        XCTAssertGreaterThan(blocked.withLock { $0 }, 0, "no store call was held")
        XCTAssertTrue(worker.finished == (0, 0))

        // Another worker takes it over once the lease has run out, and completes it.
        let log = dir.appendingPathComponent("good.log")
        let limits = ["--per-host", "1", "--timeout", "5"]
        let good = GovsweepBinary.start(["worker", "--store", url, "--name", "good", "--exit-when-idle"] + limits, log: log)
        try good.run()
        defer { if good.isRunning { kill(good.processIdentifier, SIGKILL) } }
        let end = Date().addingTimeInterval(120)
        while good.isRunning, Date() < end { try await Task.sleep(for: .milliseconds(100)) }
        if good.isRunning { kill(good.processIdentifier, SIGKILL) }
        good.waitUntilExit()
        let logText = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        XCTAssertEqual(good.terminationStatus, 0, logText)
        let status = try await XCTUnwrapAsync(try await db.status(round: round))
        XCTAssertEqual([status.done, status.failed, status.queued, status.running], [1, 0, 0, 0], status.text + "\n" + logText)
        let (attempt, by) = try await db.transaction { conn in
            var row: (Int32, String?) = (0, nil)
            for try await r in try await conn.query("SELECT attempt, worker FROM fleet_jobs", logger: db.logger).decode((Int32, String?).self) {
                row = r
            }
            return row
        }
        XCTAssertEqual(attempt, 2)
        XCTAssertEqual(by, "good")

        // Nothing of the dropped attempt in the findings: a single sweep's.
        let out = try fleetReport(round: round, store: url, in: dir)
        let single = try singleSweepFindings(server.baseURL, in: dir, options: limits)
        let siteDirs = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("sites").path)
        XCTAssertEqual(siteDirs.count, 1)
        XCTAssertEqual(
            try comparableFindings(Data(contentsOf: out.appendingPathComponent("sites/\(siteDirs[0])/findings.json"))), single)
    }
}

/// Holds the calling thread (a pool thread, as a sweep's blocking PostgreSQL call holds it).
func blockThisThread(seconds: Double) { Thread.sleep(forTimeInterval: seconds) }

/// The blocked-pool test's witness: when the last of `width` blockers arrives, a task is
/// started; it can only run once a pool thread is free again.
final class PoolProbe: Sendable {
    let arrived = Mutex(0)
    let blockedAt = Mutex<Date?>(nil)
    let probe = Mutex<Task<Date, Never>?>(nil)

    func arrive(of width: Int) {
        guard
            arrived.withLock({
                $0 += 1; return $0
            }) == width
        else { return }
        blockedAt.withLock { $0 = Date() }
        // (At the blockers' priority: each priority has a pool of its own, and the old
        // heartbeat task had the sweeps'.)
        let task = Task.detached(priority: Task.currentPriority) { Date() }
        probe.withLock { $0 = task }
    }
}
#endif
