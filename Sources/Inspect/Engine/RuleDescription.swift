package import Vocabulary
/// What a rule is, where it comes from and how it behaves: documentation for
/// `govsweep rules explain`, and (through the examples) its own test.
package struct RuleDescription: Sendable {
    /// `column.stale`, `a11y.img-alt`, `footer.icp` …
    package var id: RuleID
    package var indicator: Indicator
    /// The subject of the page findings the rule reports: its check's key for the a11y
    /// rules (`img-alt` of `a11y.img-alt`), else its id.
    package var findingSubject: String
    package var nameZh: String
    package var nameEn: String
    /// One or two sentences: what the rule finds and what it deliberately does not.
    package var summary: String
    /// The official text the rule implements.
    package var source: String
    /// H = read in a public copy of the source; L = not confirmed (a profile setting).
    package var confidence: String
    package var severity: Severity
    package var points: Double
    package var parameters: [RuleParameter]
    /// What to do about a finding, in Chinese, as the report prints it; empty: the indicator's
    /// general advice (`FixText.fix(indicator:)` in Report).
    package var fix: String
    /// Sites on which the rule must report nothing.
    package var passing: [RuleExample]
    /// Sites on which the rule must report exactly the expected findings.
    package var failing: [RuleExample]

    package init(
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
package struct RuleParameter: Sendable {
    package var name: String
    package var profileKey: String
    package var defaultValue: String
    package var help: String
    package init(_ name: String, profileKey: String, defaultValue: String, help: String) {
        self.name = name; self.profileKey = profileKey; self.defaultValue = defaultValue; self.help = help
    }
}

/// One page of an example site.
package struct ExamplePage: Sendable {
    /// Path on the example host (`/`, `/tzgg/`, `/tzgg/index_1.html` …).
    package var path: String
    package var html: String
    /// Crawl depth; nil: 0 for `/`, else 1.
    package var depth: Int?
    package init(_ path: String, _ html: String, depth: Int? = nil) { self.path = path; self.html = html; self.depth = depth }
}

/// A filed account of an example, and what its feed answers (status 0: no answer).
package struct ExampleAccount: Sendable {
    package var platform: String
    package var name: String
    package var status: Int
    package var feed: String
    package init(_ platform: String, _ name: String, status: Int = 200, feed: String = "") {
        self.platform = platform; self.name = name; self.status = status; self.feed = feed
    }
}

/// What an example site's search answers to every query (`search`).
package struct ExampleSearch: Sendable {
    package var status: Int
    package var html: String
    package init(_ status: Int, _ html: String) { self.status = status; self.html = html }
}

/// A tiny site and what one rule must report on it. Remembers where it was written,
/// so a failing example points at the rule's file and line.
package struct RuleExample: Sendable {
    package static let host = "http://www.example.gov.cn"
    package var pages: [ExamplePage]
    package var asOf: String
    /// A profile of its own (YAML keys after `id`), for rules whose examples need
    /// particular settings (required columns); nil: the bundled national profile.
    package var profileYAML: String?
    /// Internal paths the link check found broken (linked from `/`): for `link.broken`.
    package var brokenLinks: [String]
    /// `--phones` numbers (filed under 示例部门); nil: no registry.
    package var phones: [String]?
    /// `--wording` entries (`wrong,right[,class]` lines).
    package var wording: [String]
    /// Availability probes of the home page (`site.unavailable`), judged at the end of the as-of day.
    package var probes: [ProbeRecord]
    /// `--accounts` (filed under 示例部门), each with what its feed answers; nil: no registry.
    package var accounts: [ExampleAccount]?
    /// What the site search answers; nil: search not checked (as with `--no-search`).
    package var search: ExampleSearch?
    /// Subjects of the findings this rule must report (empty for passing examples).
    package var subjects: [String]
    /// The severity every expected finding must have (nil: not checked).
    package var severity: Severity?
    package var note: String
    package var file: StaticString
    package var line: UInt

    package init(
        _ note: String, pages: [ExamplePage], asOf: String = "2022-11-01", profileYAML: String? = nil,
        brokenLinks: [String] = [], phones: [String]? = nil, wording: [String] = [], probes: [ProbeRecord] = [],
        accounts: [ExampleAccount]? = nil, search: ExampleSearch? = nil,
        subjects: [String] = [], severity: Severity? = nil, file: StaticString = #filePath, line: UInt = #line
    ) {
        self.note = note; self.pages = pages; self.asOf = asOf; self.profileYAML = profileYAML; self.search = search
        self.phones = phones; self.wording = wording; self.probes = probes; self.accounts = accounts
        self.brokenLinks = brokenLinks; self.subjects = subjects; self.severity = severity
        self.file = file; self.line = line
    }

    /// A one-page example (the home page).
    package init(
        _ note: String, html: String, asOf: String = "2022-11-01", subjects: [String] = [],
        severity: Severity? = nil, file: StaticString = #filePath, line: UInt = #line
    ) {
        self.init(note, pages: [ExamplePage("/", html)], asOf: asOf, subjects: subjects, severity: severity, file: file, line: line)
    }

    /// The profile the example runs under.
    package func profile() throws -> Profile {
        guard let yaml = profileYAML else { return try Profile.bundled(name: "national-2019") }
        return try Profile.load(yaml: "id: example\n" + yaml, file: "\(file):\(line)")
    }
}

/// A minimal well-formed page for examples: `lang`, title and viewport set, so only
/// what the example is about can fire.
package func examplePage(title: String = "示例页面", head: String = "", _ body: String) -> String {
    """
    <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>\(title)</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">\(head)</head>
    <body>\(body)</body></html>
    """
}
