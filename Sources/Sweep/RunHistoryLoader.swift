package import Report
package import Store
package import Vocabulary

/// Builds a run's `RunHistory` from the run store. Only finished (`done`) runs of exactly
/// the same start URLs count: interrupted, running and failed runs are neither compared
/// against nor shown in the trend.
package enum RunHistoryLoader {
    /// The history of finished-or-finishing run `run` whose findings are `findings`
    /// (already saved with `saveFindings`, so the store holds their first-seen dates).
    package static func load(store: any RunRecords & FindingStore, run: RunRecord, findings: [Finding]) throws -> RunHistory {
        var previous: RunHistory.Previous?
        if let p = try store.previousRun(sites: run.sites, before: run.id) {
            // Of the previous run's findings only the fixed ones (not in this run) are shown:
            // the others count as still open by their ids alone, and are not decoded.
            let current = Set(findings.map(\.id))
            var ids = Set<String>()
            let fixed = try store.findings(run: p.id) { id in
                ids.insert(id)
                return !current.contains(id)
            }
            previous = RunHistory.Previous(runId: p.id, asOf: p.asOf, ids: ids, fixed: fixed)
        }
        let firstSeen = try store.firstSeen(run: run.id)
        // Trend: every finished run of these sites up to this one, oldest first, ending with this run.
        var trend: [RunHistory.Point] = []
        for r in try store.runs(sites: run.sites).reversed() where r.status == .done && r.id < run.id {
            trend.append(try point(r, counts: store.findingCounts(run: r.id)))
        }
        let own = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        trend.append(point(run, counts: own))
        return RunHistory(findings: findings, asOf: run.asOf, previous: previous, firstSeen: firstSeen, trend: trend)
    }

    static func point(_ r: RunRecord, counts: [Severity: Int]) -> RunHistory.Point {
        RunHistory.Point(
            runId: r.id, asOf: r.asOf, finishedAt: r.finishedAt ?? r.startedAt, score: r.score ?? 0,
            // A done run has its verdict; one without is shown failed, as the report always did.
            verdict: r.verdict ?? .fail, veto: counts[.veto] ?? 0, deduct: counts[.deduct] ?? 0,
            advice: counts[.advice] ?? 0)
    }
}
