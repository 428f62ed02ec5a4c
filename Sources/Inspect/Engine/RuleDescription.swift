public import Vocabulary
/// What a rule is, where it comes from and how it behaves: documentation for
/// `govsweep rules explain`, and (through the examples) its own test.
public struct RuleDescription: Sendable {
    /// `column.stale`, `a11y.img-alt`, `footer.icp` …
    public var id: RuleID
    public var indicator: Indicator
    /// The subject of the page findings the rule reports: its check's key for the a11y
    /// rules (`img-alt` of `a11y.img-alt`), else its id.
    public var findingSubject: String
    public var nameZh: String
    public var nameEn: String
    /// One or two sentences: what the rule finds and what it deliberately does not.
    public var summary: String
    /// The official text the rule implements.
    public var source: String
    /// H = read in a public copy of the source; L = not confirmed (a profile setting).
    public var confidence: String
    public var severity: Severity
    public var points: Double
    public var parameters: [RuleParameter]
    /// What to do about a finding, in Chinese, as the report prints it; empty: the indicator's
    /// general advice (`FixText.fix(indicator:)` in Report).
    public var fix: String
    /// Sites on which the rule must report nothing.
    public var passing: [RuleExample]
    /// Sites on which the rule must report exactly the expected findings.
    public var failing: [RuleExample]

    public init(
        id: RuleID, indicator: Indicator, nameZh: String, nameEn: String, summary: String, source: String,
        confidence: String, severity: Severity, points: Double, parameters: [RuleParameter] = [],
        fix: String = "", findingSubject: String? = nil, passing: [RuleExample], failing: [RuleExample]
    ) {
        self.id = id; self.indicator = indicator; self.findingSubject = findingSubject ?? id.rawValue; self.nameZh = nameZh; self.nameEn = nameEn;
        self.summary = summary
        self.source = source; self.confidence = confidence; self.severity = severity; self.points = points
        self.parameters = parameters; self.fix = fix; self.passing = passing; self.failing = failing
    }
}

/// A parameter a profile sets, with where in the profile and its default.
public struct RuleParameter: Sendable {
    public var name: String
    public var profileKey: String
    public var defaultValue: String
    public var help: String
    public init(_ name: String, profileKey: String, defaultValue: String, help: String) {
        self.name = name; self.profileKey = profileKey; self.defaultValue = defaultValue; self.help = help
    }
}

/// One page of an example site.
public struct ExamplePage: Sendable {
    /// Path on the example host (`/`, `/tzgg/`, `/tzgg/index_1.html` …).
    public var path: String
    public var html: String
    /// Crawl depth; nil: 0 for `/`, else 1.
    public var depth: Int?
    public init(_ path: String, _ html: String, depth: Int? = nil) { self.path = path; self.html = html; self.depth = depth }
}

/// A filed account of an example, and what its feed answers (status 0: no answer).
public struct ExampleAccount: Sendable {
    public var platform: String
    public var name: String
    public var status: Int
    public var feed: String
    public init(_ platform: String, _ name: String, status: Int = 200, feed: String = "") {
        self.platform = platform; self.name = name; self.status = status; self.feed = feed
    }
}

/// What an example site's search answers to every query (`search`).
public struct ExampleSearch: Sendable {
    public var status: Int
    public var html: String
    public init(_ status: Int, _ html: String) { self.status = status; self.html = html }
}

/// A tiny site and what one rule must report on it. Remembers where it was written,
/// so a failing example points at the rule's file and line.
public struct RuleExample: Sendable {
    public static let host = "http://www.example.gov.cn"
    public var pages: [ExamplePage]
    public var asOf: String
    /// A profile of its own (YAML keys after `id`), for rules whose examples need
    /// particular settings (required columns); nil: the bundled national profile.
    public var profileYAML: String?
    /// Internal paths the link check found broken (linked from `/`): for `link.broken`.
    public var brokenLinks: [String]
    /// `--phones` numbers (filed under 示例部门); nil: no registry.
    public var phones: [String]?
    /// `--wording` entries (`wrong,right[,class]` lines).
    public var wording: [String]
    /// Availability probes of the home page (`site.unavailable`), judged at the end of the as-of day.
    public var probes: [ProbeSample]
    /// `--accounts` (filed under 示例部门), each with what its feed answers; nil: no registry.
    public var accounts: [ExampleAccount]?
    /// What the site search answers; nil: search not checked (as with `--no-search`).
    public var search: ExampleSearch?
    /// Subjects of the findings this rule must report (empty for passing examples).
    public var subjects: [String]
    /// The severity every expected finding must have (nil: not checked).
    public var severity: Severity?
    public var note: String
    public var file: StaticString
    public var line: UInt

    public init(
        _ note: String, pages: [ExamplePage], asOf: String = "2022-11-01", profileYAML: String? = nil,
        brokenLinks: [String] = [], phones: [String]? = nil, wording: [String] = [], probes: [ProbeSample] = [],
        accounts: [ExampleAccount]? = nil, search: ExampleSearch? = nil,
        subjects: [String] = [], severity: Severity? = nil, file: StaticString = #filePath, line: UInt = #line
    ) {
        self.note = note; self.pages = pages; self.asOf = asOf; self.profileYAML = profileYAML; self.search = search
        self.phones = phones; self.wording = wording; self.probes = probes; self.accounts = accounts
        self.brokenLinks = brokenLinks; self.subjects = subjects; self.severity = severity
        self.file = file; self.line = line
    }

    /// A one-page example (the home page).
    public init(
        _ note: String, html: String, asOf: String = "2022-11-01", subjects: [String] = [],
        severity: Severity? = nil, file: StaticString = #filePath, line: UInt = #line
    ) {
        self.init(note, pages: [ExamplePage("/", html)], asOf: asOf, subjects: subjects, severity: severity, file: file, line: line)
    }

    /// The profile the example runs under.
    public func profile() throws -> Profile {
        guard let yaml = profileYAML else { return try Profile.bundled(name: "national-2019") }
        return try Profile.load(yaml: "id: example\n" + yaml, file: "\(file):\(line)")
    }
}

/// A minimal well-formed page for examples: `lang`, title and viewport set, so only
/// what the example is about can fire.
public func examplePage(title: String = "示例页面", head: String = "", _ body: String) -> String {
    """
    <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>\(title)</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">\(head)</head>
    <body>\(body)</body></html>
    """
}
