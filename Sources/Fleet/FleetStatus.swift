#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import PGStore
import PostgresNIO
package import Vocabulary

/// A round's progress, as `govsweep fleet status` prints it (and `--json` writes it).
package struct RoundStatus: Sendable, Codable, Equatable {
    package struct Running: Sendable, Codable, Equatable {
        package var job: Int64
        package var site: String
        package var url: String
        package var worker: String
        package var attempt: Int
        /// Seconds since the worker's last heartbeat.
        package var leaseAge: Double
        /// Seconds since the attempt was claimed.
        package var seconds: Double
        /// Pages the attempt's sweep has fetched so far (its worker's heartbeat writes them).
        package var pages: Int
    }
    package struct Failed: Sendable, Codable, Equatable {
        package var job: Int64
        package var site: String
        package var url: String
        package var reason: String
    }

    package var round: Int64
    package var asOf: Day
    package var jobs: Int
    package var queued: Int
    package var running: Int
    package var done: Int
    package var failed: Int
    /// Pages fetched by the round's finished sweeps.
    package var pages: Int
    /// Pages fetched so far by its running sweeps (as of their last heartbeat).
    package var runningPages: Int
    /// Pages of the finished and running sweeps over the time since the round's first claim
    /// (fleet-wide).
    package var pagesPerSecond: Double
    package var runningJobs: [Running]
    package var failedJobs: [Failed]

    /// True once no job is queued or running.
    package var isComplete: Bool { queued == 0 && running == 0 }
}

extension FleetDatabase {
    /// The newest round, or nil when there is none.
    package func latestRound() async throws -> Int64? {
        try await transaction { conn in
            for try await id in try await conn.query("SELECT max(id) FROM fleet_rounds", logger: logger).decode(Int64?.self) { return id }
            return nil
        }
    }

    /// The round's progress; nil when there is no such round.
    package func status(round: Int64) async throws -> RoundStatus? {
        try await transaction { conn in
            var status: RoundStatus?
            for try await (asOf, jobs, queued, running, done, failed, pages, runningPages, seconds) in try await conn.query(
                """
                SELECT r.as_of::text, count(j.id),
                    count(*) FILTER (WHERE j.state = 'queued'), count(*) FILTER (WHERE j.state = 'running'),
                    count(*) FILTER (WHERE j.state = 'done'), count(*) FILTER (WHERE j.state = 'failed'),
                    coalesce(sum(j.pages) FILTER (WHERE j.state = 'done'), 0),
                    coalesce(sum(j.pages) FILTER (WHERE j.state = 'running'), 0),
                    coalesce(extract(epoch FROM (CASE WHEN bool_or(j.state IN ('queued', 'running')) THEN now()
                        ELSE max(j.finished_at) END) - min(j.started_at))::float8, 0)
                FROM fleet_rounds r LEFT JOIN fleet_jobs j ON j.round_id = r.id
                WHERE r.id = \(round) GROUP BY r.id
                """, logger: logger
            ).decode((String, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Double).self) {
                guard let day = Day(iso: asOf) else { throw PGStoreError(.query, "round \(round) has as-of \"\(asOf)\", not a day") }
                status = RoundStatus(
                    round: round, asOf: day, jobs: Int(jobs), queued: Int(queued), running: Int(running), done: Int(done),
                    failed: Int(failed), pages: Int(pages), runningPages: Int(runningPages),
                    pagesPerSecond: seconds > 0 ? Double(pages + runningPages) / seconds : 0, runningJobs: [], failedJobs: [])
            }
            guard var status else { return nil }
            for try await (job, name, urls, worker, attempt, age, seconds, pages) in try await conn.query(
                """
                SELECT j.id, s.name, s.urls, coalesce(j.worker, ''), j.attempt,
                    extract(epoch FROM now() - j.heartbeat_at)::float8,
                    extract(epoch FROM now() - coalesce(j.claimed_at, j.started_at))::float8, j.pages
                FROM fleet_jobs j JOIN fleet_sites s ON s.id = j.site_id
                WHERE j.round_id = \(round) AND j.state = 'running' ORDER BY j.id
                """, logger: logger
            ).decode((Int64, String, String, String, Int32, Double, Double, Int32).self) {
                status.runningJobs.append(
                    .init(
                        job: job, site: name, url: String(urls.prefix { $0 != " " }), worker: worker, attempt: Int(attempt), leaseAge: age,
                        seconds: seconds, pages: Int(pages)))
            }
            for try await (job, name, urls, reason) in try await conn.query(
                """
                SELECT j.id, s.name, s.urls, coalesce(j.error, '')
                FROM fleet_jobs j JOIN fleet_sites s ON s.id = j.site_id
                WHERE j.round_id = \(round) AND j.state = 'failed' ORDER BY j.id
                """, logger: logger
            ).decode((Int64, String, String, String).self) {
                status.failedJobs.append(.init(job: job, site: name, url: String(urls.prefix { $0 != " " }), reason: reason))
            }
            return status
        }
    }
}

extension RoundStatus {
    /// The status as lines for a terminal.
    package var text: String {
        var lines = [
            "round \(round) as of \(asOf): \(jobs) site\(jobs == 1 ? "" : "s") — \(queued) queued, \(running) running, \(done) done, \(failed) failed",
            "  pages: \(pages) fetched by finished sweeps, \(runningPages) so far by running ones, \(String(format: "%.1f", pagesPerSecond)) pages/s fleet-wide",
        ]
        if !runningJobs.isEmpty { lines.append("running:") }
        for r in runningJobs {
            lines.append(
                "  job \(r.job) \(r.site) \(r.url) on \(r.worker): \(r.pages) pages in \(Int(r.seconds)) s (attempt \(r.attempt), heartbeat \(String(format: "%.0f", r.leaseAge)) s ago)"
            )
        }
        if !failedJobs.isEmpty { lines.append("failed:") }
        for f in failedJobs { lines.append("  job \(f.job) \(f.site) \(f.url): \(f.reason)") }
        return lines.joined(separator: "\n")
    }
}
#endif
