import Inspect
package import Vocabulary

/// findings.json, exactly as CONTRACT.md fixes it (fields may be added, never renamed).
package struct FindingsDocument: Sendable, Codable, Equatable {
    package struct Pages: Sendable, Codable, Equatable {
        package var fetched: Int
        package var failed: Int
        package var skipped: Int
        /// Added: links checked without crawling (external links, images, files).
        package var checked: Int?
        package init(fetched: Int, failed: Int, skipped: Int, checked: Int? = nil) {
            self.fetched = fetched; self.failed = failed; self.skipped = skipped; self.checked = checked
        }
    }

    package var tool = "govsweep"
    package var version: String
    package var sites: [String]
    package var asOf: Day
    package var profile: String
    package var startedAt: String
    package var finishedAt: String
    package var pages: Pages
    package var score: Double
    package var verdict: Verdict
    package var vetoes: [Indicator]
    package var findings: [Finding]
    /// Added: the run's id in the store.
    package var runId: Int64?
    /// Added: the run this one was compared with (nil on a first run).
    package var previousRunId: Int64?
    /// Added: findings of the previous run that this run no longer has (present when the
    /// report was written with a run history).
    package var fixed: [Finding]?

    package init(
        version: String, sites: [String], asOf: Day, profile: String, startedAt: String, finishedAt: String,
        pages: Pages, score: Double, verdict: Verdict, vetoes: [Indicator], findings: [Finding], runId: Int64? = nil,
        previousRunId: Int64? = nil, fixed: [Finding]? = nil
    ) {
        self.version = version; self.sites = sites; self.asOf = asOf; self.profile = profile
        self.startedAt = startedAt; self.finishedAt = finishedAt; self.pages = pages; self.score = score
        self.verdict = verdict; self.vetoes = vetoes; self.findings = findings; self.runId = runId
        self.previousRunId = previousRunId; self.fixed = fixed
    }
}
