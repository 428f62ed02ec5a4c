#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import Inspect
package import PGStore
import Report
import Store
package import Sweep
import Synchronization
import Vocabulary

/// The job a kept database's answers count for (a worker's databases serve one sweep after another).
final class ActivityTarget: Sendable {
    let job = Mutex<ClaimedJob?>(nil)
}

/// One attempt at a job, shared by its sweep and the lease keeper: once the lease is lost
/// (taken over, or let go because the sweep stalled), the sweep's store is closed (its writes
/// fail from then on, its run lock goes) and its task cancelled; the worker waits a little for
/// the task to end, then drops the job whether it ended or not (a call that never returns
/// must not hold the worker).
final class Attempt: Sendable {
    enum Loss: Sendable {
        /// Another attempt holds the job.
        case takenOver
        /// The sweep showed no sign of life for the stall window.
        case stalled
    }
    private struct State {
        var loss: Loss?
        var store: PostgresStore?
        var cancel: (@Sendable () -> Void)?
        var ended: FleetWorker.Ended?
        /// The grace after the loss is over: the job is dropped without its task's end.
        var givenUp = false
        var waiter: CheckedContinuation<FleetWorker.Ended?, Never>?
    }
    private let state = Mutex(State())
    /// How long a lost attempt's task has to end before the job is dropped without it.
    static let grace: Double = 10

    var loss: Loss? { state.withLock { $0.loss } }
    var isLost: Bool { loss != nil }

    /// The lease is lost: no more writes, no more fetches.
    func lose(_ loss: Loss) {
        let (first, store, cancel) = state.withLock { s in
            defer { if s.loss == nil { s.loss = loss } }
            return (s.loss == nil, s.store, s.cancel)
        }
        guard first else { return }
        // (Closing waits a moment for idle connections: not on the keeper's thread.)
        if let store { DispatchQueue.global().async { store.close() } }
        cancel?()
        // (On a queue of its own, not the cooperative pool: a stalled sweep may be what holds it.)
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.grace) {
            self.state.withLock { $0.givenUp = true }
            self.resume(with: nil)
        }
    }

    /// The sweep is over: `store` is no longer the attempt's to close. False when the lease
    /// was lost (the store is closed, or about to be).
    func keeps(_ store: PostgresStore) -> Bool {
        state.withLock { s in
            guard s.loss == nil, s.store === store else { return false }
            s.store = nil
            return true
        }
    }

    /// The sweep writes through `store`; false (and nothing to write) when the lease is lost already.
    func writes(through store: PostgresStore) -> Bool {
        state.withLock { s in
            s.store = store
            return s.loss == nil
        }
    }

    /// How to stop the sweep; run at once when the lease is lost already.
    func cancels(_ cancel: @escaping @Sendable () -> Void) {
        let now = state.withLock { s in
            s.cancel = cancel
            return s.loss != nil
        }
        if now { cancel() }
    }

    /// The sweep's task ended.
    func end(_ ended: FleetWorker.Ended) {
        state.withLock { $0.ended = ended }
        resume(with: ended)
    }

    private func resume(with ended: FleetWorker.Ended?) {
        state.withLock { s in
            defer { s.waiter = nil }
            return s.waiter
        }?.resume(returning: ended)
    }

    /// How the sweep ended; nil when the job was dropped without it (lost, and its task did
    /// not end within the grace).
    func outcome() async -> FleetWorker.Ended? {
        await withCheckedContinuation { (c: CheckedContinuation<FleetWorker.Ended?, Never>) in
            let now = state.withLock { s -> FleetWorker.Ended?? in
                if let ended = s.ended { return .some(ended) }
                if s.givenUp { return .some(nil) }
                s.waiter = c
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }
}

/// `govsweep worker`: claims jobs, sweeps each site with `SweepJob` into the shared store
/// (the same rules and politeness as `govsweep sweep`), keeps the job's lease alive while it
/// sweeps, and marks the job done (with the site's report) or failed, then takes the next.
package final class FleetWorker: Sendable {
    package struct Options: Sendable {
        /// The store every worker shares (a postgres:// URL).
        package var store: String
        /// Sites swept at once.
        package var concurrency = 1
        package var exitWhenIdle = false
        /// How long a claim holds without a heartbeat; a worker beats every third of it.
        package var lease: Duration = .seconds(30)
        /// How long a sweep may show no sign of life (no page, no store call answered, no phase
        /// saying it is alive) before its lease is let go; nil: six leases, at least a minute.
        package var stall: Duration?
        /// The stall window in force.
        package var stallWindow: Duration { stall ?? max(lease * 6, .seconds(60)) }
        /// Tests: the jobs this worker claims in all (then it ends once they have).
        package var claimLimit: Int?
        /// Tests: SIGINT and SIGTERM left alone (a worker run inside a test process).
        package var handlesSignals = true
        /// Tests: each attempt's store, once opened.
        package var storeOpened: (@Sendable (PostgresStore) -> Void)?
        /// Pause between claims when the queue has nothing this worker can take.
        package var poll: Duration = .seconds(1)
        /// This worker's name in the jobs table (host:pid by default).
        package var id: String
        /// Where sites' reports are written before they go into the store.
        package var workDir: String
        /// The crawl and fetch limits `govsweep sweep` would take (per-host, rate, pages …).
        package var template: SweepSettings
        package var quiet = false

        package init(store: String, id: String? = nil, workDir: String? = nil, template: SweepSettings? = nil) {
            self.store = store
            self.id = id ?? "\(ProcessInfo.processInfo.hostName):\(getpid())"
            self.workDir = workDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("govsweep-worker-\(getpid())").path
            self.template = template ?? SweepSettings(startURLs: [], asOf: Day(year: 2026, month: 1, day: 1)!)
        }
    }

    package let options: Options
    package let db: FleetDatabase
    /// Jobs being swept now, for the hand-back on SIGTERM.
    private let current = Mutex<[Int64: ClaimedJob]>([:])
    /// Jobs done and failed by this worker.
    private let counts = Mutex<(done: Int, failed: Int)>((0, 0))
    package var finished: (done: Int, failed: Int) { counts.withLock { $0 } }
    /// Attempts after which a job that keeps failing for other reasons than the site's
    /// (a lost database mid-sweep, say) is marked failed.
    static let maxAttempts = 3

    /// The store databases of sweeps that ended with their lease held, each with its open
    /// connections, for the next sweeps: a new one a site cost a server backend a site (its
    /// start and cold catalog caches) and the store's migration check.
    private let spareStores = Mutex<[(database: PGDatabase, target: ActivityTarget)]>([])
    /// The run locks' connections, likewise (a lock a sweep, each on a session of its own).
    private let lockConnections: LockConnections

    /// Renews the leases of the running jobs, on a thread and connections of its own.
    let keeper: LeaseKeeper
    private let keeperDB: FleetDatabase

    package init(options: Options, db: FleetDatabase) {
        self.options = options
        self.db = db
        keeperDB = FleetDatabase(pg: PGDatabase(location: db.pg.location, logger: db.logger))
        lockConnections = LockConnections(limit: options.concurrency)
        let quiet = options.quiet, id = options.id
        keeper = LeaseKeeper(db: keeperDB, worker: options.id, lease: options.lease, stall: options.stallWindow) { line in
            if !quiet { FileHandle.standardError.write(Data("govsweep worker \(id): \(line)\n".utf8)) }
        }
    }

    func say(_ line: String) {
        if !options.quiet { FileHandle.standardError.write(Data("govsweep worker \(options.id): \(line)\n".utf8)) }
    }

    /// Claims and sweeps until stopped (or, with `exitWhenIdle`, until no job of any round is
    /// queued or running). Returns the exit code.
    package func run() async throws -> Int32 {
        try FileManager.default.createDirectory(atPath: options.workDir, withIntermediateDirectories: true)
        let signals = options.handlesSignals ? stopOnSignals() : []
        defer {
            for s in signals { s.cancel() }
            if options.handlesSignals { for sig in [SIGINT, SIGTERM] { signal(sig, SIG_DFL) } }
        }
        say("claiming jobs (concurrency \(options.concurrency), lease \(options.lease))")
        keeper.start()
        defer {
            keeper.stop()
            keeperDB.close()
            for spare in spareStores.withLock({ spares in
                defer { spares = [] }
                return spares
            }) { spare.database.close() }
            lockConnections.close()
        }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var running = 0
            var timer = false
            var claimed = 0
            while true {
                let claimable = min(options.concurrency - running, (options.claimLimit ?? .max) - claimed)
                if running == 0, claimable == 0 { break }
                if claimable > 0 {
                    let jobs = try await db.claim(worker: options.id, limit: claimable, lease: options.lease)
                    for job in jobs {
                        running += 1
                        claimed += 1
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
                // Blocking, on a dispatch thread (each statement with its deadline): not a task,
                // which a cooperative pool held by blocked sweeps could start late. At most 10 s:
                // a job not handed back is re-claimed when its lease runs out.
                let done = DispatchSemaphore(value: 0)
                let handed = Mutex(0)
                DispatchQueue.global().async {
                    let n = (try? self.db.handBackBlocking(worker: self.options.id)) ?? 0
                    handed.withLock { $0 = n }
                    done.signal()
                }
                _ = done.wait(timeout: .now() + 10)
                say("stopped: \(handed.withLock { $0 }) running job(s) handed back to the queue")
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
    ///
    /// A sweep that shows no sign of life for the stall window (`Options.stallWindow`) is
    /// treated the same way, except that the keeper stops renewing its lease rather than
    /// finding it taken: the lease runs out and another worker re-claims the job (resuming the
    /// run), while this worker drops it, even if its task never ends.
    func sweep(_ job: ClaimedJob) async {
        let attempt = Attempt()
        keeper.hold(job, stalled: { attempt.lose(.stalled) }) { attempt.lose(.takenOver) }
        let work = Task { attempt.end(await self.attemptSweep(job, attempt)) }
        attempt.cancels { work.cancel() }
        let ended = await attempt.outcome()
        keeper.release(job)
        switch attempt.loss {
        case .takenOver:
            say("job \(job.id): lost its lease to another attempt; its sweep stopped, nothing more written for it")
            return
        case .stalled:
            say("job \(job.id): dropped, its sweep stalled; its store closed, nothing more written for it (another worker takes it over)")
            return
        case nil: break
        }
        guard let ended else { return }
        do {
            switch ended {
            case .swept(let outcome):
                if try await db.finish(job, worker: options.id, outcome: outcome) {
                    counts.withLock { $0.done += 1 }
                    say("job \(job.id) done: \(outcome.pages) pages, verdict \(outcome.verdict?.rawValue ?? "?")")
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
            // earlier sweep of this worker left (migrated then), else a new one, opened (connect,
            // migrations) off the cooperative pool; given back for the next sweep unless the lease
            // was lost (then `attempt` closes it). Each call the database answers is a sign of life
            // for the heartbeat, credited to the job sweeping on it now.
            let spare = spareStores.withLock { $0.popLast() }
            let (store, target) = try await StoreThreads.run(on: StoreThreads.shared) {
                [url = options.store, keeper, lockConnections] () -> (PostgresStore, ActivityTarget) in
                let target = spare?.target ?? ActivityTarget()
                target.job.withLock { $0 = job }
                let database =
                    try spare?.database
                    ?? PGDatabase(url: url, activity: { [keeper] in if let j = target.job.withLock({ $0 }) { keeper.alive(j) } })
                return (try PostgresStore(database: database, migrate: spare == nil, lockConnections: lockConnections), target)
            }
            defer {
                target.job.withLock { $0 = nil }
                let kept =
                    attempt.keeps(store)
                    && spareStores.withLock { spares in
                        guard spares.count < options.concurrency else { return false }
                        spares.append((store.database, target))
                        return true
                    }
                if !kept { store.close() }
            }
            options.storeOpened?(store)
            guard attempt.writes(through: store) else { return .failed(CancellationError()) }
            var sweep = SweepJob(settings: settings, store: store, printSummary: false)
            sweep.handlesSignals = false
            sweep.onPages = { [keeper] pages in keeper.progress(job, pages: pages) }
            sweep.onAlive = { [keeper] in keeper.alive(job) }
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
        s.crawl.asOfYear = job.asOf.year
        s.asOf = job.asOf
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
            runID: doc.runId, pages: doc.pages.fetched, score: doc.score, verdict: doc.verdict,
            vetoes: doc.vetoes, findings: doc.findings.count)
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
