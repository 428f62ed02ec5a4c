import Inspect
public import Vocabulary

/// findings.json, exactly as CONTRACT.md fixes it (fields may be added, never renamed).
public struct FindingsDocument: Sendable, Codable, Equatable {
    public struct Pages: Sendable, Codable, Equatable {
        public var fetched: Int
        public var failed: Int
        public var skipped: Int
        /// Added: links checked without crawling (external links, images, files).
        public var checked: Int?
        public init(fetched: Int, failed: Int, skipped: Int, checked: Int? = nil) {
            self.fetched = fetched; self.failed = failed; self.skipped = skipped; self.checked = checked
        }
    }

    public var tool = "govsweep"
    public var version: String
    public var sites: [String]
    public var asOf: Day
    public var profile: String
    public var startedAt: String
    public var finishedAt: String
    public var pages: Pages
    public var score: Double
    public var verdict: Verdict
    public var vetoes: [Indicator]
    public var findings: [Finding]
    /// Added: the run's id in the store.
    public var runId: Int64?
    /// Added: the run this one was compared with (nil on a first run).
    public var previousRunId: Int64?
    /// Added: findings of the previous run that this run no longer has (present when the
    /// report was written with a run history).
    public var fixed: [Finding]?

    public init(
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
