import Inspect
package import Vocabulary

/// Two runs' findings side by side, matched by their stable id: what `govsweep diff`
/// prints and what a run's `RunHistory` holds against the previous run.
package struct FindingComparison: Sendable, Equatable {
    /// In the later run only, in the later run's order.
    package var new: [Finding]
    /// In the earlier run only, in the earlier run's order.
    package var fixed: [Finding]
    /// In both (as the later run reports them), in the later run's order.
    package var stillOpen: [Finding]

    package init(earlier: [Finding], later: [Finding]) {
        let before = Set(earlier.map(\.id))
        let after = Set(later.map(\.id))
        new = later.filter { !before.contains($0.id) }
        stillOpen = later.filter { before.contains($0.id) }
        fixed = earlier.filter { !after.contains($0.id) }
    }
}

extension RunHistory {
    /// What a history needs of the previous run: its findings' ids, and in full only the
    /// findings this run no longer has.
    package struct Previous: Sendable {
        package var runId: Int64
        package var asOf: Day
        package var ids: Set<String>
        /// In the previous run's order.
        package var fixed: [Finding]
        package init(runId: Int64, asOf: Day, ids: Set<String>, fixed: [Finding]) {
            self.runId = runId; self.asOf = asOf; self.ids = ids; self.fixed = fixed
        }
    }

    /// The same history from the previous run's ids and fixed findings only.
    package init(findings: [Finding], asOf: Day, previous: Previous?, firstSeen: [String: String], trend: [Point]) {
        var status: [String: Status] = [:]
        for f in findings { status[f.id] = (previous?.ids.contains(f.id) ?? false) ? .open : .new }
        var seen: [String: String] = [:]
        let today = asOf.description  // (once, not for every finding seen first today)
        for f in findings { seen[f.id] = firstSeen[f.id] ?? today }
        let current = Set(findings.map(\.id))
        self.init(
            previousRunId: previous?.runId, previousAsOf: previous?.asOf, status: status,
            firstSeen: seen, fixed: (previous?.fixed ?? []).filter { !current.contains($0.id) }, trend: trend)
    }

    /// The history of a run from what the store holds (see `RunHistoryLoader` in the
    /// command line): the previous finished run of the same sites and its findings (nil on
    /// a first run), the first-seen dates the store recorded, and the trend points.
    package init(
        findings: [Finding], asOf: Day, previous: (runId: Int64, asOf: Day, findings: [Finding])?,
        firstSeen: [String: String], trend: [Point]
    ) {
        let comparison = FindingComparison(earlier: previous?.findings ?? [], later: findings)
        var status: [String: Status] = [:]
        for f in comparison.new { status[f.id] = .new }
        for f in comparison.stillOpen { status[f.id] = .open }
        var seen: [String: String] = [:]
        let today = asOf.description  // (once, not for every finding seen first today)
        for f in findings { seen[f.id] = firstSeen[f.id] ?? today }
        self.init(
            previousRunId: previous?.runId, previousAsOf: previous?.asOf, status: status,
            firstSeen: seen, fixed: comparison.fixed, trend: trend)
    }

    /// Counts for a summary line: new, still open, fixed.
    package var counts: (new: Int, open: Int, fixed: Int) {
        (status.values.filter { $0 == .new }.count, status.values.filter { $0 == .open }.count, fixed.count)
    }
}
