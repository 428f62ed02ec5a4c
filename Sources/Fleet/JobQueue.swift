#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import PGStore
import PostgresNIO
package import Vocabulary

/// A job a worker has claimed: the site to sweep, the round's as-of date, and what an
/// earlier attempt left (its run, to resume).
package struct ClaimedJob: Sendable, Equatable {
    package var id: Int64
    package var round: Int64
    package var siteID: Int64
    package var asOf: Day
    /// 1 for the first claim, 2 when a worker re-claims it after a lease expired or a hand-back.
    package var attempt: Int
    /// The run an earlier attempt started (it resumes), nil on a first attempt.
    package var runID: Int64?
    package var hosts: [String]
}

/// What a finished sweep hands back to its job.
package struct JobOutcome: Sendable {
    package var runID: Int64?
    package var pages: Int
    package var score: Double?
    package var verdict: Verdict?
    package var vetoes: [Indicator]
    /// Points lost per indicator key, after the profile's caps.
    package var deductions: [String: Double] = [:]
    package var profile: String?
    package var findings: Int?
    /// The site's report: path relative to the report folder → bytes.
    package var files: [(path: String, body: [UInt8])]
    package init(
        runID: Int64?, pages: Int, score: Double? = nil, verdict: Verdict? = nil, vetoes: [Indicator] = [], findings: Int? = nil,
        files: [(path: String, body: [UInt8])] = []
    ) {
        self.runID = runID; self.pages = pages; self.score = score; self.verdict = verdict; self.vetoes = vetoes
        self.findings = findings; self.files = files
    }
}

/// A claim's statements and a job end's freeing of its hosts, prepared once a connection
/// (`StoreStatement`): a worker runs them a few times a site, and their parsing and planning
/// were about 4% of the server's CPU in a round (`fleet.sh --pg-stats`: the candidates' query
/// alone 0.4 ms of planning a claim).
enum ClaimSQL {
    /// Rows: id, round, site, attempt, run, as-of (Int64, Int64, Int64, Int32, Int64?, String).
    enum Candidates: StoreSQL {
        static let sql = """
            SELECT j.id, j.round_id, j.site_id, j.attempt, j.run_id, r.as_of::text
            FROM fleet_jobs j JOIN fleet_rounds r ON r.id = j.round_id
            WHERE j.state = 'queued' OR (j.state = 'running' AND j.lease_until < now())
            ORDER BY j.round_id, j.id
            LIMIT $1
            FOR UPDATE OF j SKIP LOCKED
            """
    }

    /// The site's hosts this claim could lock (another claim taking one right now skips it),
    /// each with the count of all the site's hosts: the claim takes the site only with all.
    /// Rows: host, holding job, lease live, the site's host count (String, Int64?, Bool, Int64).
    enum Hosts: StoreSQL {
        static let sql = """
            SELECT h.host, h.job_id, coalesce(h.lease_until > now(), false),
                (SELECT count(*) FROM fleet_site_hosts WHERE site_id = $1)
            FROM fleet_hosts h JOIN fleet_site_hosts s ON s.host = h.host
            WHERE s.site_id = $1 ORDER BY h.host
            FOR UPDATE OF h SKIP LOCKED
            """
    }

    enum HostCount: StoreSQL { static let sql = "SELECT count(*) FROM fleet_site_hosts WHERE site_id = $1" }

    /// Binds: job, lease seconds, hosts.
    enum TakeHosts: StoreSQL {
        static let sql = "UPDATE fleet_hosts SET job_id = $1, lease_until = now() + make_interval(secs => $2) WHERE host = ANY($3::text[])"
    }

    /// Binds: job, worker, lease seconds.
    enum Take: StoreSQL {
        static let sql = """
            UPDATE fleet_jobs SET state = 'running', attempt = attempt + 1, worker = $2,
                lease_until = now() + make_interval(secs => $3), heartbeat_at = now(),
                started_at = coalesce(started_at, now()), claimed_at = now(), pages = 0, error = NULL
            WHERE id = $1
            """
    }

    /// The job done with its results, if it is still this attempt's (a row back).
    enum Finish: StoreSQL {
        static let sql = """
            UPDATE fleet_jobs SET state = 'done', finished_at = now(), lease_until = NULL, run_id = coalesce($1, run_id),
                pages = $2, score = $3, verdict = $4, vetoes = $5, deductions = $6::jsonb, profile = $7, findings = $8, error = NULL
            WHERE id = $9 AND worker = $10 AND attempt = $11 AND state = 'running'
            RETURNING id
            """
        static func statement(_ job: ClaimedJob, worker: String, outcome: JobOutcome) -> StoreStatement<Finish> {
            var b = PostgresBindings()
            b.append(outcome.runID)
            b.append(Int64(outcome.pages))
            b.append(outcome.score)
            b.append(outcome.verdict?.rawValue)
            b.append(outcome.vetoes.map(\.rawValue).joined(separator: " "))
            b.append(FleetDatabase.json(outcome.deductions))
            b.append(outcome.profile)
            b.append(outcome.findings.map(Int64.init))
            b.append(job.id)
            b.append(worker)
            b.append(Int32(job.attempt))
            return StoreStatement(bindings: b)
        }
    }

    enum DeleteFiles: StoreSQL { static let sql = "DELETE FROM fleet_job_files WHERE job_id = $1" }

    /// Binds: job, paths, bodies.
    enum InsertFiles: StoreSQL {
        static let sql = """
            INSERT INTO fleet_job_files (job_id, path, body)
            SELECT $1, t.path, t.body FROM unnest($2::text[], $3::bytea[]) AS t(path, body)
            """
    }

    enum FreeHosts: StoreSQL { static let sql = "UPDATE fleet_hosts SET job_id = NULL, lease_until = NULL WHERE job_id = $1" }
}

/// The job states of the fleet, and the short transactions that move a job between them.
/// A claim takes queued jobs (and running ones whose lease expired: their worker died)
/// with `FOR UPDATE SKIP LOCKED`, so concurrent workers pass over each other's candidates,
/// and takes the site's host rows with it: a job whose host another live job holds waits.
/// Every later change names the worker and the attempt, so a worker that lost its lease
/// changes nothing.
extension FleetDatabase {
    /// Claims up to `limit` jobs for `worker`, each holding its lease for `lease`.
    package func claim(worker: String, limit: Int, lease: Duration) async throws -> [ClaimedJob] {
        let seconds = lease.inSeconds
        return try await transaction { conn in
            var candidates: [(id: Int64, round: Int64, site: Int64, attempt: Int, run: Int64?, asOf: Day)] = []
            // A few more candidates than wanted: some may wait on a busy host.
            let rows = try await conn.execute(StoreStatement<ClaimSQL.Candidates>(Int64(limit * 4 + 4)), logger: logger)
            for try await row in rows {
                let (id, round, site, attempt, run, asOf) = try row.decode((Int64, Int64, Int64, Int32, Int64?, String).self)
                // (The column is a `date`: always a day.)
                guard let day = Day(iso: asOf) else { throw PGStoreError(.query, "job \(id) has as-of \"\(asOf)\", not a day") }
                candidates.append((id, round, site, Int(attempt), run, day))
            }
            var claimed: [ClaimedJob] = []
            var taken = Set<String>()
            for c in candidates where claimed.count < limit {
                // The site's hosts, locked for this transaction; one that another claim is
                // taking right now is skipped, and then the job waits for a later claim.
                var hosts: [String] = []
                var free = true
                var total = -1  // the site's hosts, locked by this claim or not
                for try await row in try await conn.execute(StoreStatement<ClaimSQL.Hosts>(c.site), logger: logger) {
                    let (host, holder, live, expected) = try row.decode((String, Int64?, Bool, Int64).self)
                    hosts.append(host)
                    if let holder, holder != c.id, live { free = false }
                    total = Int(expected)
                }
                if total < 0 {  // none it could lock: has the site any?
                    for try await row in try await conn.execute(StoreStatement<ClaimSQL.HostCount>(c.site), logger: logger) {
                        total = Int(try row.decode(Int64.self))
                    }
                }
                guard free, hosts.count == total, taken.isDisjoint(with: hosts) else { continue }
                taken.formUnion(hosts)
                _ = try await conn.execute(StoreStatement<ClaimSQL.TakeHosts>(c.id, seconds, hosts), logger: logger)
                _ = try await conn.execute(StoreStatement<ClaimSQL.Take>(c.id, worker, seconds), logger: logger)
                claimed.append(
                    ClaimedJob(id: c.id, round: c.round, siteID: c.site, asOf: c.asOf, attempt: c.attempt + 1, runID: c.run, hosts: hosts))
            }
            return claimed
        }
    }

    /// Extends the job's lease (and its hosts'); `pages` so far for the status. False when the
    /// job is no longer this worker's attempt (its lease expired and another worker took it).
    package func heartbeat(_ job: ClaimedJob, worker: String, lease: Duration, pages: Int? = nil) async throws -> Bool {
        let seconds = lease.inSeconds
        return try await transaction { conn in
            var held = false
            for try await _ in try await conn.query(
                """
                UPDATE fleet_jobs SET lease_until = now() + make_interval(secs => \(seconds)), heartbeat_at = now(),
                    pages = coalesce(\(pages.map(Int64.init)), pages)
                WHERE id = \(job.id) AND worker = \(worker) AND attempt = \(Int32(job.attempt)) AND state = 'running'
                RETURNING id
                """, logger: logger
            ).decode(Int64.self) { held = true }
            if held {
                try await conn.query(
                    "UPDATE fleet_hosts SET lease_until = now() + make_interval(secs => \(seconds)) WHERE job_id = \(job.id)", logger: logger)
            }
            return held
        }
    }

    /// The lease keeper's beat (`LeaseKeeper`, on a thread of its own, so blocking): extends
    /// the leases of `jobs` and their hosts' in one transaction and records each job's pages
    /// so far. Returns the jobs still this worker's attempt; any other was taken over.
    package func renewLeases(_ jobs: [(job: ClaimedJob, pages: Int)], worker: String, lease: Duration) throws -> Set<Int64> {
        let seconds = lease.inSeconds
        let ids = jobs.map { $0.job.id }, attempts = jobs.map { Int32($0.job.attempt) }, pages = jobs.map { Int32(clamping: $0.pages) }
        return try pg.transactionBlocking { c in
            var held: [Int64] = []
            for row in try c.run(
                """
                UPDATE fleet_jobs j SET lease_until = now() + make_interval(secs => \(seconds)), heartbeat_at = now(),
                    pages = greatest(b.pages, j.pages)
                FROM unnest(\(ids)::int8[], \(attempts)::int4[], \(pages)::int4[]) AS b(id, attempt, pages)
                WHERE j.id = b.id AND j.attempt = b.attempt AND j.worker = \(worker) AND j.state = 'running'
                RETURNING j.id
                """, logger: logger
            ).rows {
                held.append(try row.decode(Int64.self))
            }
            if !held.isEmpty {
                try c.run(
                    "UPDATE fleet_hosts SET lease_until = now() + make_interval(secs => \(seconds)) WHERE job_id = ANY(\(held)::int8[])",
                    logger: logger)
            }
            return Set(held)
        }
    }

    /// Records the run the attempt sweeps into, so a later attempt resumes it.
    package func recordRun(_ job: ClaimedJob, worker: String, run: Int64) async throws {
        try await transaction { conn in
            try await conn.query(
                "UPDATE fleet_jobs SET run_id = \(run) WHERE id = \(job.id) AND worker = \(worker) AND attempt = \(Int32(job.attempt))",
                logger: logger)
        }
    }

    /// Marks the job done with its results and report, and frees its hosts, in one transaction.
    /// False when the job was no longer this worker's.
    @discardableResult
    package func finish(_ job: ClaimedJob, worker: String, outcome: JobOutcome) async throws -> Bool {
        try await transaction { conn in
            var held = false
            for try await _ in try await conn.execute(ClaimSQL.Finish.statement(job, worker: worker, outcome: outcome), logger: logger) { held = true }
            guard held else { return false }
            _ = try await conn.execute(StoreStatement<ClaimSQL.DeleteFiles>(job.id), logger: logger)
            // The report's files in one statement, not one a file.
            if !outcome.files.isEmpty {
                let paths = outcome.files.map(\.path), bodies = outcome.files.map { ByteBuffer(bytes: $0.body) }
                _ = try await conn.execute(StoreStatement<ClaimSQL.InsertFiles>(job.id, paths, bodies), logger: logger)
            }
            _ = try await conn.execute(StoreStatement<ClaimSQL.FreeHosts>(job.id), logger: logger)
            return true
        }
    }

    /// Marks the job failed with `reason` (the site could not be swept: no start URL answered,
    /// a bad input file), or, with `retry`, hands it back to the queue for another attempt.
    package func fail(_ job: ClaimedJob, worker: String, reason: String, retry: Bool = false) async throws {
        try await transaction { conn in
            var held = false
            for try await _ in try await conn.query(
                """
                UPDATE fleet_jobs SET state = \(retry ? "queued" : "failed"), finished_at = CASE WHEN \(retry) THEN NULL ELSE now() END,
                    lease_until = NULL, worker = \(retry ? nil : worker), error = \(reason)
                WHERE id = \(job.id) AND worker = \(worker) AND attempt = \(Int32(job.attempt)) AND state = 'running'
                RETURNING id
                """, logger: logger
            ).decode(Int64.self) { held = true }
            if held {
                try await conn.query("UPDATE fleet_hosts SET job_id = NULL, lease_until = NULL WHERE job_id = \(job.id)", logger: logger)
            }
        }
    }

    /// Puts the worker's running jobs back in the queue (SIGTERM): the next claim resumes their runs.
    package func handBack(worker: String) async throws -> Int {
        try await transaction { conn in
            var ids: [Int64] = []
            for try await id in try await conn.query(
                """
                UPDATE fleet_jobs SET state = 'queued', worker = NULL, lease_until = NULL, error = 'handed back by a stopping worker'
                WHERE worker = \(worker) AND state = 'running' RETURNING id
                """, logger: logger
            ).decode(Int64.self) { ids.append(id) }
            try await conn.query("UPDATE fleet_hosts SET job_id = NULL, lease_until = NULL WHERE job_id = ANY(\(ids)::int8[])", logger: logger)
            return ids.count
        }
    }

    /// `handBack` for a signal handler's thread: blocking, each statement with its deadline.
    package func handBackBlocking(worker: String) throws -> Int {
        try pg.transactionBlocking { c in
            var ids: [Int64] = []
            for row in try c.run(
                """
                UPDATE fleet_jobs SET state = 'queued', worker = NULL, lease_until = NULL, error = 'handed back by a stopping worker'
                WHERE worker = \(worker) AND state = 'running' RETURNING id
                """, logger: logger
            ).rows {
                ids.append(try row.decode(Int64.self))
            }
            try c.run("UPDATE fleet_hosts SET job_id = NULL, lease_until = NULL WHERE job_id = ANY(\(ids)::int8[])", logger: logger)
            return ids.count
        }
    }

    static func json(_ map: [String: Double]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(map)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Jobs of any round still queued or running (a running one whose lease expired counts:
    /// it is waiting to be re-claimed).
    package func openJobs() async throws -> Int {
        try await transaction { conn in
            var n = 0
            for try await c in try await conn.query("SELECT count(*) FROM fleet_jobs WHERE state IN ('queued', 'running')", logger: logger)
                .decode(Int64.self)
            { n = Int(c) }
            return n
        }
    }
}
#endif
