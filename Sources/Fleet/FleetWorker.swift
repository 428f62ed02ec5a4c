#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
public import Foundation
import Inspect
import PGStore
import Report
public import Sweep
import Synchronization
import Vocabulary

/// One attempt at a job, shared by its sweep and the lease keeper: once the lease is lost,
/// the sweep's store is closed (its writes fail from then on) and its task cancelled.
final class Attempt: Sendable {
    private struct State {
        var lost = false
        var store: PGDatabase?
        var cancel: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    var isLost: Bool { state.withLock { $0.lost } }

    /// The lease is lost: no more writes, no more fetches.
    func lose() {
        let (store, cancel) = state.withLock { s in
            s.lost = true
            return (s.store, s.cancel)
        }
        store?.close()
        cancel?()
    }

    /// The sweep is over: `store` is no longer the attempt's to close. False when the lease
    /// was lost (the store is closed, or about to be).
    func keeps(_ store: PGDatabase) -> Bool {
        state.withLock { s in
            guard !s.lost, s.store === store else { return false }
            s.store = nil
            return true
        }
    }

    /// The sweep writes through `store`; false (and nothing to write) when the lease is lost already.
    func writes(through store: PGDatabase) -> Bool {
        state.withLock { s in
            s.store = store
            return !s.lost
        }
    }

    /// How to stop the sweep; run at once when the lease is lost already.
    func cancels(_ cancel: @escaping @Sendable () -> Void) {
        let now = state.withLock { s in
            s.cancel = cancel
            return s.lost
        }
        if now { cancel() }
    }
}

/// `govsweep worker`: claims jobs, sweeps each site with `SweepJob` into the shared store
/// (the same rules and politeness as `govsweep sweep`), keeps the job's lease alive while it
/// sweeps, and marks the job done (with the site's report) or failed, then takes the next.
public final class FleetWorker: Sendable {
    public struct Options: Sendable {
        /// The store every worker shares (a postgres:// URL).
        public var store: String
        /// Sites swept at once.
        public var concurrency = 1
        public var exitWhenIdle = false
        /// How long a claim holds without a heartbeat; a worker beats every third of it.
        public var lease: Duration = .seconds(30)
        /// Pause between claims when the queue has nothing this worker can take.
        public var poll: Duration = .seconds(1)
        /// This worker's name in the jobs table (host:pid by default).
        public var id: String
        /// Where sites' reports are written before they go into the store.
        public var workDir: String
        /// The crawl and fetch limits `govsweep sweep` would take (per-host, rate, pages …).
        public var template: SweepSettings
        public var quiet = false

        public init(store: String, id: String? = nil, workDir: String? = nil, template: SweepSettings? = nil) {
            self.store = store
            self.id = id ?? "\(ProcessInfo.processInfo.hostName):\(getpid())"
            self.workDir = workDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("govsweep-worker-\(getpid())").path
            self.template = template ?? SweepSettings(startURLs: [], asOf: Day(year: 2026, month: 1, day: 1)!)
        }
    }

    public let options: Options
    public let db: FleetDatabase
    /// Jobs being swept now, for the hand-back on SIGTERM.
    private let current = Mutex<[Int64: ClaimedJob]>([:])
    /// Jobs done and failed by this worker.
    private let counts = Mutex<(done: Int, failed: Int)>((0, 0))
    public var finished: (done: Int, failed: Int) { counts.withLock { $0 } }
    /// Attempts after which a job that keeps failing for other reasons than the site's
    /// (a lost database mid-sweep, say) is marked failed.
    static let maxAttempts = 3

    /// The store databases of sweeps that ended with their lease held, each with its open
    /// connections, for the next sweeps: a new one a site cost a server backend a site (its
    /// start and cold catalog caches) and the store's migration check.
    private let spareStores = Mutex<[PGDatabase]>([])
    /// The run locks' connections, likewise (a lock a sweep, each on a session of its own).
    private let lockConnections: LockConnections

    /// Renews the leases of the running jobs, on a thread and connections of its own.
    let keeper: LeaseKeeper
    private let keeperDB: FleetDatabase

    public init(options: Options, db: FleetDatabase) {
        self.options = options
        self.db = db
        keeperDB = FleetDatabase(pg: PGDatabase(location: db.pg.location, logger: db.logger))
        lockConnections = LockConnections(limit: options.concurrency)
        let quiet = options.quiet, id = options.id
        keeper = LeaseKeeper(db: keeperDB, worker: options.id, lease: options.lease) { line in
            if !quiet { FileHandle.standardError.write(Data("govsweep worker \(id): \(line)\n".utf8)) }
        }
    }

    func say(_ line: String) {
        if !options.quiet { FileHandle.standardError.write(Data("govsweep worker \(options.id): \(line)\n".utf8)) }
    }

    /// Claims and sweeps until stopped (or, with `exitWhenIdle`, until no job of any round is
    /// queued or running). Returns the exit code.
    public func run() async throws -> Int32 {
        try FileManager.default.createDirectory(atPath: options.workDir, withIntermediateDirectories: true)
        let signals = stopOnSignals()
        defer {
            for s in signals { s.cancel() }
            for sig in [SIGINT, SIGTERM] { signal(sig, SIG_DFL) }
        }
        say("claiming jobs (concurrency \(options.concurrency), lease \(options.lease))")
        keeper.start()
        defer {
            keeper.stop()
            keeperDB.close()
            for spare in spareStores.withLock({ spares in
                defer { spares = [] }
                return spares
            }) { spare.close() }
            lockConnections.close()
        }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var running = 0
            var timer = false
            while true {
                if running < options.concurrency {
                    let jobs = try await db.claim(worker: options.id, limit: options.concurrency - running, lease: options.lease)
                    for job in jobs {
                        running += 1
                        current.withLock { $0[job.id] = job }
                        group.addTask {
                            await self.sweep(job)
                            self.current.withLock { _ = $0.removeValue(forKey: job.id) }
                            return true
                        }
                    }
                    if !jobs.isEmpty { continue }
                }
                if running == 0, options.exitWhenIdle, try await db.openJobs() == 0 { break }
                // Wait for a sweep to end, or for the poll interval to claim again.
                if !timer {
                    timer = true
                    group.addTask { [poll = options.poll] in
                        try? await Task.sleep(for: poll)
                        return false
                    }
                }
                guard let jobEnded = try await group.next() else { continue }
                if jobEnded { running -= 1 } else { timer = false }
            }
            group.cancelAll()
        }
        let c = counts.withLock { $0 }
        say("idle: \(c.done) done, \(c.failed) failed")
        return 0
    }

    /// SIGINT/SIGTERM: the running jobs go back to the queue (their runs are resumed by the
    /// next claim), then the process exits 128 + the signal.
    private func stopOnSignals() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                let done = DispatchSemaphore(value: 0)
                let box = Mutex(0)
                Task {
                    let n = (try? await db.handBack(worker: options.id)) ?? 0
                    box.withLock { $0 = n }
                    done.signal()
                }
                _ = done.wait(timeout: .now() + 10)
                say("stopped: \(box.withLock { $0 }) running job(s) handed back to the queue")
                exit(128 + sig)
            }
            source.resume()
            return source
        }
    }

    /// Sweeps one claimed job and records how it ended. The lease keeper beats for it
    /// meanwhile; if the beat finds the job taken over (its lease had expired), the attempt's
    /// store is closed at once (nothing more is written for it: a batch in flight fails, and so
    /// does every later write), its sweep is cancelled (the fetches in flight end), and the
    /// worker drops the job and goes on with its others and the next claims.
    func sweep(_ job: ClaimedJob) async {
        let attempt = Attempt()
        keeper.hold(job) { attempt.lose() }
        let work = Task { await self.attemptSweep(job, attempt) }
        attempt.cancels { work.cancel() }
        let ended = await work.value
        keeper.release(job)
        if attempt.isLost {
            say("job \(job.id): lost its lease to another attempt; its sweep stopped, nothing more written for it")
            return
        }
        do {
            switch ended {
            case .swept(let outcome):
                if try await db.finish(job, worker: options.id, outcome: outcome) {
                    counts.withLock { $0.done += 1 }
                    say("job \(job.id) done: \(outcome.pages) pages, verdict \(outcome.verdict ?? "?")")
                } else {
                    say("job \(job.id): lost its lease to another attempt; its results dropped")
                }
            case .gone:
                try await db.fail(job, worker: options.id, reason: "the site is no longer registered")
            case .failed(let failure as UserFailure) where failure.message.hasPrefix("no start URL could be fetched"):
                // The site's own problem (no start URL answered): another attempt would find the same.
                counts.withLock { $0.failed += 1 }
                say("job \(job.id) failed: \(failure.message)")
                try await db.fail(job, worker: options.id, reason: failure.message)
            case .failed(let error):
                // Anything else (the store unavailable mid-sweep, say) may pass: the job goes back
                // to the queue, and fails with its reason after `maxAttempts`.
                let reason = (error as? UserFailure)?.message ?? FleetDatabase.describe(error)
                let retry = job.attempt < Self.maxAttempts
                if !retry { counts.withLock { $0.failed += 1 } }
                say("job \(job.id) \(retry ? "handed back" : "failed"): \(reason)")
                try await db.fail(job, worker: options.id, reason: reason, retry: retry)
            }
        } catch {
            // The job's lease runs out and another claim takes it.
            say("job \(job.id): could not record its end: \(FleetDatabase.describe(error))")
        }
    }

    enum Ended: Sendable {
        case swept(JobOutcome)
        /// The site was removed after the round was made.
        case gone
        case failed(any Error)
    }

    /// The sweep of one attempt, into a store of its own that `attempt` can close.
    func attemptSweep(_ job: ClaimedJob, _ attempt: Attempt) async -> Ended {
        let out = URL(fileURLWithPath: options.workDir).appendingPathComponent("job-\(job.id)-\(job.attempt)")
        defer { try? FileManager.default.removeItem(at: out) }
        do {
            guard let site = try await db.site(id: job.siteID) else { return .gone }
            say("job \(job.id): \(site.name) \(site.key) (attempt \(job.attempt)\(job.attempt > 1 ? ", resuming" : ""))")
            let settings = try settings(for: site, job: job, out: out.path)
            // A store of its own for each sweep (its caches are one run's), on the database an
            // earlier sweep of this worker left (migrated then), else a new one; given back for
            // the next sweep unless the lease was lost (then `attempt` closes it).
            let spare = spareStores.withLock { $0.popLast() }
            let database = try spare ?? PGDatabase(url: options.store)
            defer {
                let kept =
                    attempt.keeps(database)
                    && spareStores.withLock { spares in
                        guard spares.count < options.concurrency else { return false }
                        spares.append(database)
                        return true
                    }
                if !kept { database.close() }
            }
            let store = try PostgresStore(database: database, migrate: spare == nil, lockConnections: lockConnections)
            guard attempt.writes(through: store.database) else { return .failed(CancellationError()) }
            var sweep = SweepJob(settings: settings, store: store, printSummary: false)
            sweep.handlesSignals = false
            sweep.onPages = { [keeper] pages in keeper.progress(job, pages: pages) }
            _ = try await sweep.run()
            return .swept(try Self.outcome(reportAt: out, profile: settings.profile))
        } catch {
            return .failed(error)
        }
    }

    /// The settings `govsweep sweep` would make for the site: the worker's limits, the site's
    /// start URLs, profile and input files, the round's as-of date, the shared store.
    func settings(for site: FleetSite, job: ClaimedJob, out: String) throws -> SweepSettings {
        var s = options.template
        let start = site.urls.compactMap { CrawlURL($0) }
        s.startURLs = start
        s.crawl.startURLs = start
        s.crawl.asOfYear = Int(job.asOf.prefix(4)) ?? s.crawl.asOfYear
        s.asOf = Day(iso: job.asOf) ?? s.asOf  // checked when the round was made
        s.out = out
        s.storePath = options.store
        s.quiet = true
        // A later attempt continues the run the earlier one left unfinished.
        s.resume = job.attempt > 1
        let inputs = URL(fileURLWithPath: options.workDir).appendingPathComponent("site-\(job.siteID)")
        func local(_ input: SiteInput?, _ name: String) throws -> String? {
            guard let input else { return nil }
            // The file where it was added, while it still says the same (the findings name it).
            if let data = FileManager.default.contents(atPath: input.path), String(data: data, encoding: .utf8) == input.text {
                return input.path
            }
            try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
            let path = inputs.appendingPathComponent(name).path
            try Data(input.text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        s.profilePath = try local(site.profileFile, "profile.yaml") ?? site.profileName
        s.departmentsPath = try local(site.departments, "departments.csv")
        s.phonesPath = try local(site.phones, "phones.csv")
        s.accountsPath = try local(site.accounts, "accounts.csv")
        s.wordingPath = try local(site.wording, "wording.csv")
        try s.loadInputs()
        return s
    }

    /// The job's results from the report the sweep wrote: findings.json's run, pages, score,
    /// verdict, vetoes and the points lost per indicator (by the site's profile's caps), and
    /// every file of the folder.
    static func outcome(reportAt out: URL, profile: Profile?) throws -> JobOutcome {
        let doc = try JSONDecoder().decode(FindingsDocument.self, from: Data(contentsOf: out.appendingPathComponent("findings.json")))
        var outcome = JobOutcome(
            runID: doc.runId, pages: doc.pages.fetched, score: doc.score, verdict: doc.verdict.rawValue,
            vetoes: doc.vetoes.map(\.rawValue), findings: doc.findings.count)
        outcome.profile = doc.profile
        if let profile {
            for (indicator, points) in profile.scoring.score(doc.findings).deductions where points != 0 {
                outcome.deductions[indicator.rawValue] = points
            }
        }
        let root = out.standardizedFileURL.path
        if let files = FileManager.default.enumerator(atPath: root) {
            for case let name as String in files {
                let path = root + "/" + name
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                    let data = FileManager.default.contents(atPath: path)
                else { continue }
                outcome.files.append((name, [UInt8](data)))
            }
        }
        outcome.files.sort { $0.path < $1.path }
        return outcome
    }
}
#endif
