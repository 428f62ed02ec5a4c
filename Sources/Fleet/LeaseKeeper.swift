#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Dispatch
import Foundation
import PGStore
import Synchronization

/// Keeps the leases of a worker's running jobs alive: a thread of its own, with database
/// connections of its own, renews them all every third of the lease in one transaction, and
/// writes each job's pages so far (for `fleet status`). Why not a task: the sweeps' store
/// calls block their threads on PostgreSQL, and a heartbeat on the cooperative pool waited
/// for a free thread behind them (at load 12 a healthy worker lost a 3 s lease in CI).
/// A job the beat finds no longer this worker's attempt (its lease expired and another
/// claim took it) is reported once through its `lost` handler and beaten no more.
///
/// A lease is renewed only while its sweep shows signs of life: pages (`progress`), store
/// calls answered, or a phase without pages saying it is alive (`alive`). A sweep silent for
/// `stall` (a call that never returns, say) is reported once through its `stalled` handler
/// and beaten no more: its lease runs out and another worker re-claims the job, rather than a
/// fresh lease hiding a hung sweep for good (a worker held a job 180 s after a database
/// restart while its heartbeat kept the lease 0.2 s old).
package final class LeaseKeeper: Sendable {
    struct Held {
        var job: ClaimedJob
        var pages: Int = 0
        /// The last sign of life.
        var lastSign = ContinuousClock.now
        var stalled: (@Sendable () -> Void)?
        var lost: @Sendable () -> Void
    }
    private struct State {
        var jobs: [Int64: Held] = [:]
        var stopped = false
        var started = false
        /// Beats that reached the database, for tests.
        var beats = 0
    }
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let ended = DispatchSemaphore(value: 0)
    private let db: FleetDatabase
    private let worker: String
    private let lease: Duration
    /// How long a sweep may show no sign of life before its lease is let go (nil: never).
    private let stall: Duration?
    private let say: @Sendable (String) -> Void

    /// `db` is the keeper's own (not the sweeps'): a pool of its own, used from its thread only.
    package init(
        db: FleetDatabase, worker: String, lease: Duration, stall: Duration? = nil, say: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.db = db
        self.worker = worker
        self.lease = lease
        self.stall = stall
        self.say = say
    }

    /// Starts the thread (once).
    package func start() {
        guard
            state.withLock({ s in
                defer { s.started = true }; return !s.started
            })
        else { return }
        let thread = Thread { [self] in
            loop()
            ended.signal()
        }
        thread.name = "govsweep.lease"
        thread.start()
    }

    /// Ends the thread and waits for it: no beat runs after this returns.
    package func stop() {
        let running = state.withLock { s in
            defer { s.stopped = true }
            return s.started && !s.stopped
        }
        guard running else { return }
        wake.signal()
        ended.wait()
    }

    /// Beats for `job` from now on; `lost` is called (on the keeper's thread) if another
    /// attempt holds it, `stalled` if its sweep shows no sign of life for the stall window.
    package func hold(_ job: ClaimedJob, stalled: (@Sendable () -> Void)? = nil, lost: @escaping @Sendable () -> Void) {
        state.withLock { $0.jobs[job.id] = Held(job: job, stalled: stalled, lost: lost) }
    }

    /// No more beats for the job (before it is marked done or failed).
    package func release(_ job: ClaimedJob) {
        state.withLock { s in
            if s.jobs[job.id]?.job.attempt == job.attempt { s.jobs[job.id] = nil }
        }
    }

    /// The job's pages so far, written with the next beat (a sign of life: the crawl reports
    /// as pages come in).
    package func progress(_ job: ClaimedJob, pages: Int) {
        let now = ContinuousClock.now
        state.withLock { s in
            guard s.jobs[job.id]?.job.attempt == job.attempt else { return }
            s.jobs[job.id]?.pages = pages
            s.jobs[job.id]?.lastSign = now
        }
    }

    /// The job's sweep is alive (a store call answered, a phase without pages going on).
    package func alive(_ job: ClaimedJob) {
        let now = ContinuousClock.now
        state.withLock { s in
            if s.jobs[job.id]?.job.attempt == job.attempt { s.jobs[job.id]?.lastSign = now }
        }
    }

    package var beats: Int { state.withLock { $0.beats } }

    private func loop() {
        let interval = lease.inSeconds / 3
        while true {
            _ = wake.wait(timeout: .now() + interval)
            // The stalled are let go first: no beat for them.
            let now = ContinuousClock.now
            guard
                let (held, stalled) = state.withLock({ s -> ([Held], [Held])? in
                    guard !s.stopped else { return nil }
                    var stalled: [Held] = []
                    if let stall {
                        for h in s.jobs.values where now - h.lastSign > stall {
                            s.jobs[h.job.id] = nil
                            stalled.append(h)
                        }
                    }
                    return (Array(s.jobs.values), stalled)
                })
            else { return }
            for h in stalled {
                say("job \(h.job.id): no sign of life from its sweep for \(Int(stall?.inSeconds ?? 0)) s (stalled); its lease is left to expire")
                (h.stalled ?? h.lost)()
            }
            if held.isEmpty { continue }
            let kept: Set<Int64>
            do {
                kept = try db.renewLeases(held.map { (job: $0.job, pages: $0.pages) }, worker: worker, lease: lease)
            } catch {
                say("heartbeat failed: \(FleetDatabase.describe(error))")
                continue
            }
            let lost = state.withLock { s -> [Held] in
                s.beats += 1
                var lost: [Held] = []
                for h in held where !kept.contains(h.job.id) {
                    // (Not one released meanwhile: a finished job is not this worker's to lose.)
                    if let now = s.jobs[h.job.id], now.job.attempt == h.job.attempt {
                        s.jobs[h.job.id] = nil
                        lost.append(now)
                    }
                }
                return lost
            }
            for h in lost { h.lost() }
        }
    }
}

extension Duration {
    /// The duration in seconds (for `make_interval(secs => …)` and DispatchTime).
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
#endif
