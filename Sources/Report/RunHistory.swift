import Inspect
package import Vocabulary

/// How this run compares with earlier runs of the same sites: what is new, fixed and
/// still open, since when, and the trend of score and findings. Built from the run store
/// by the sweep (see `SweepJob`) and read by report.html, the department lists,
/// summary.md and findings.json. An empty history (`previousRunId == nil`) means this is
/// the first run of these sites: every finding is new.
package struct RunHistory: Sendable, Equatable, Codable {
    /// A finding's state against the previous run.
    package enum Status: String, Sendable, Codable, CaseIterable {
        /// Not in the previous run.
        case new
        /// In the previous run too.
        case open = "still-open"
        /// In the previous run, not in this one (only in `fixed`).
        case fixed
    }

    /// One earlier (or this) run, for the trend chart; oldest first in `trend`.
    package struct Point: Sendable, Equatable, Codable {
        package var runId: Int64
        package var asOf: Day
        /// ISO 8601 with offset.
        package var finishedAt: String
        package var score: Double
        package var verdict: Verdict
        package var veto: Int
        package var deduct: Int
        package var advice: Int
        package init(
            runId: Int64, asOf: Day, finishedAt: String, score: Double, verdict: Verdict,
            veto: Int, deduct: Int, advice: Int
        ) {
            self.runId = runId; self.asOf = asOf; self.finishedAt = finishedAt; self.score = score
            self.verdict = verdict; self.veto = veto; self.deduct = deduct; self.advice = advice
        }
    }

    /// The run compared against; nil on a first run.
    package var previousRunId: Int64?
    package var previousAsOf: Day?
    /// Finding id → status (`new` or `still-open`) for every finding of this run.
    package var status: [String: Status]
    /// Finding id → the as-of date (YYYY-MM-DD) of the first run that had it, for every
    /// finding of this run (this run's as-of for new ones).
    package var firstSeen: [String: String]
    /// Findings of the previous run that this run no longer has.
    package var fixed: [Finding]
    /// Finished runs of the same sites, oldest first, ending with this run.
    package var trend: [Point]

    package init(
        previousRunId: Int64? = nil, previousAsOf: Day? = nil, status: [String: Status] = [:],
        firstSeen: [String: String] = [:], fixed: [Finding] = [], trend: [Point] = []
    ) {
        self.previousRunId = previousRunId; self.previousAsOf = previousAsOf; self.status = status
        self.firstSeen = firstSeen; self.fixed = fixed; self.trend = trend
    }

    /// The status of a finding of this run (new when unknown).
    package func status(of finding: Finding) -> Status { status[finding.id] ?? .new }

    /// When a finding of this run was first seen (`asOf` when unknown).
    package func firstSeen(of finding: Finding, asOf: Day) -> String { firstSeen[finding.id] ?? asOf.description }
}
