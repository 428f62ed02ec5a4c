#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
package import Foundation
import PostgresNIO
import Report
import PGStore
import Sweep
import Vocabulary

/// `govsweep fleet report`: each done site's report as its sweep wrote it (stored with the
/// job), one folder a site under `sites/`, then the round summary over all of them and the
/// previous round of the same sites.
extension FleetDatabase {
    /// The round's sites as the summary wants them; `reportPaths` names the folder of each
    /// site written (by site id).
    func roundSites(round: Int64, reportPaths: [Int64: String] = [:]) async throws -> (asOf: Day, profile: String, sites: [RoundSiteResult])? {
        try await transaction { conn in
            var asOf: Day?
            for try await a in try await conn.query("SELECT as_of::text FROM fleet_rounds WHERE id = \(round)", logger: logger).decode(String.self) {
                guard let day = Day(iso: a) else { throw PGStoreError(.query, "round \(round) has as-of \"\(a)\", not a day") }
                asOf = day
            }
            guard let asOf else { return nil }
            var sites: [RoundSiteResult] = []
            var profiles: [String: Int] = [:]
            let rows = try await conn.query(
                """
                SELECT s.id, s.name, s.urls, s.owner, s.region, j.state, coalesce(j.error, ''), j.score, j.verdict, j.vetoes,
                    j.deductions::text, coalesce(j.findings, 0), j.pages, j.profile
                FROM fleet_jobs j JOIN fleet_sites s ON s.id = j.site_id
                WHERE j.round_id = \(round) ORDER BY s.id
                """, logger: logger)
            for try await (siteID, name, urls, owner, region, state, error, score, verdict, vetoes, deductions, findings, pages, profile) in rows.decode(
                (Int64, String, String, String, String, String, String, Double?, String?, String, String, Int32, Int32, String?).self)
            {
                let status: RoundSiteResult.Status
                switch state {
                case "done": status = .done
                case "running": status = .running
                case "failed": status = .failed(reason: error)
                default: status = .queued
                }
                var lost: [Indicator: Double] = [:]
                if let map = try? JSONDecoder().decode([String: Double].self, from: Data(deductions.utf8)) {
                    for (k, v) in map { if let i = Indicator(rawValue: k) { lost[i] = v } }
                }
                if let profile { profiles[profile, default: 0] += 1 }
                let (code, regionName) = Self.region(region)
                sites.append(
                    RoundSiteResult(
                        name: name, url: String(urls.prefix { $0 != " " }), owner: owner, region: code, regionName: regionName,
                        status: status,
                        score: status == .done ? score : nil, verdict: verdict.flatMap(Verdict.init(rawValue:)),
                        vetoes: vetoes.split(separator: " ").compactMap { Indicator(rawValue: String($0)) }, deductions: lost,
                        findings: Int(findings), pages: Int(pages), reportPath: reportPaths[siteID]))
            }
            // The profile most of the round's sites were judged by.
            let profile = profiles.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? ""
            return (asOf, profile, sites)
        }
    }

    /// A `region` cell of SITES.csv as the summary shows it: "330106 西湖区" is code 330106 and
    /// name 西湖区 (the summary groups by the code and shows 西湖区（330106）); a cell without a
    /// space is the code alone.
    package static func region(_ cell: String) -> (code: String, name: String?) {
        let cell = cell.trimmingCharacters(in: .whitespaces)
        guard let space = cell.firstIndex(where: \.isWhitespace) else { return (cell, nil) }
        let name = cell[space...].trimmingCharacters(in: .whitespaces)
        return (String(cell[..<space]), name.isEmpty ? nil : name)
    }

    /// Writes every done site's report under `dir/sites/NNNN/` and the round summary in `dir`.
    /// Returns how many site reports were written.
    package func writeReport(round: Int64, to dir: URL) async throws -> Int {
        let files = try await transaction { conn in
            var files: [(site: Int64, path: String, body: ByteBuffer)] = []
            for try await (site, path, body) in try await conn.query(
                """
                SELECT j.site_id, f.path, f.body FROM fleet_job_files f JOIN fleet_jobs j ON j.id = f.job_id
                WHERE j.round_id = \(round) AND j.state = 'done' ORDER BY j.site_id, f.path
                """, logger: logger
            ).decode((Int64, String, ByteBuffer).self) { files.append((site, path, body)) }
            return files
        }
        var folders: [Int64: String] = [:]
        for f in files {
            let folder = folders[f.site] ?? "sites/" + String(format: "%04lld", f.site) + "/"
            folders[f.site] = folder
            // (Paths come from the worker's own folder listing; refuse any that climbs out.)
            guard !f.path.split(separator: "/").contains("..") else { continue }
            let url = dir.appendingPathComponent(folder + f.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(f.body.readableBytesView).write(to: url)
        }
        guard let current = try await roundSites(round: round, reportPaths: folders) else {
            throw UserFailure.badInput("--round \(round): no such round")
        }
        var input = RoundSummaryInput(
            roundID: round, asOf: current.asOf, generatedAt: ChinaTime.timestamp(Date()), profile: current.profile, sites: current.sites)
        if let previous = try await previousRound(before: round), let sites = try await roundSites(round: previous) {
            input.previous = .init(roundID: previous, asOf: sites.asOf, sites: sites.sites)
        }
        try RoundSummary.write(input, to: dir)
        return folders.count
    }

    /// The newest round before `round` with at least one done job.
    func previousRound(before round: Int64) async throws -> Int64? {
        try await transaction { conn in
            for try await id in try await conn.query(
                "SELECT max(round_id) FROM fleet_jobs WHERE round_id < \(round) AND state = 'done'", logger: logger
            ).decode(Int64?.self) { return id }
            return nil
        }
    }
}
#endif
