import ArgumentParser
import Sweep
import Vocabulary

/// An option of `govsweep sweep`, listed once: its long name (the flag, and the site file's
/// key), its default as `--help` and `init` show it, its help, and its line in the `init`
/// template. The flags take their name and help from here (`Sweep`, `CrawlLimits`),
/// `SiteConfig.keys` and `Init.template` are made from `SweepOption.all`, and `resolve()`
/// reads the site file through the same entries; `SweepOptionTests` checks that the three agree.
///
/// To add an option: an entry here (and in `all`), the flag declared with `name`/`help` from
/// it, and its line in `Sweep.resolve()` that puts the value into `SweepSettings` (for a
/// limit, its `setting`: `govsweep worker` takes the limits it shares with sweep through it).
struct SweepOption: Sendable {
    /// What `init` writes for the option.
    enum Example: Sendable {
        /// `name: default` (the default text is a value the site file takes).
        case setToDefault
        /// `name: value`.
        case set(String)
        /// `# name: value`: shown, not set.
        case commented(String)
        /// Not in the template (the command line's business, or rarely wanted in a timer's file).
        case none
    }

    /// `--name` on the command line, `name:` in the site file.
    let name: String
    /// What `--help` shows after "default" (nil: no default to show).
    let defaultText: String?
    let help: String
    let example: Example
    /// `init`'s comment after the value.
    let note: String
    /// false for `--config` alone: a site file does not name another.
    var inSiteFile = true
    /// For a limit: where its value goes in `SweepSettings`, and the check it passes
    /// (`set(_:in:)`). `Sweep.resolve()` and `govsweep worker` both set limits through it.
    var setting: Setting? = nil

    /// Where a limit's value goes.
    enum Setting: Sendable {
        /// A whole number, at least 1.
        case count(@Sendable (inout SweepSettings, Int) -> Void)
        /// A number more than 0, in `unit` ("seconds").
        case positive(unit: String, @Sendable (inout SweepSettings, Double) -> Void)
        /// A flag that turns something off.
        case off(@Sendable (inout SweepSettings) -> Void)
    }

    var long: NameSpecification { [longName] }
    var longName: NameSpecification.Element { .customLong(name) }

    /// The help with its default: "Output directory (default: Reports/<host>/<as-of>/)."
    var argumentHelp: ArgumentHelp {
        guard let defaultText else { return ArgumentHelp(help) }
        let sentence = help.hasSuffix(".") ? help.dropLast() : help[...]
        return ArgumentHelp("\(sentence) (default: \(defaultText)).")
    }

    /// The option's line in the `init` template, its note aligned at `column`; nil when left out.
    func templateLine(column: Int = 25) -> String? {
        let (prefix, value): (String, String)
        switch example {
        case .setToDefault: (prefix, value) = ("", defaultText ?? "")
        case .set(let v): (prefix, value) = ("", v)
        case .commented(let v): (prefix, value) = ("# ", v)
        case .none: return nil
        }
        let setting = "\(prefix)\(name): \(value)"
        guard !note.isEmpty else { return setting }
        return setting.padding(toLength: max(column, setting.count + 3), withPad: " ", startingAt: 0) + "# " + note
    }
}

extension SweepOption {
    /// Puts a count limit's value (nil: not given) into `s`, checked: "--max-pages 0: must be at least 1".
    func set(_ value: Int?, in s: inout SweepSettings) throws {
        guard let value else { return }
        guard case .count(let put) = setting else { preconditionFailure("--\(name) is not a count") }
        guard value >= 1 else { throw UserFailure.badInput("--\(name) \(value): must be at least 1") }
        put(&s, value)
    }

    /// Puts a positive limit's value (nil: not given) into `s`, checked: "--timeout 0.0: must be more than 0 seconds".
    func set(_ value: Double?, in s: inout SweepSettings) throws {
        guard let value else { return }
        guard case .positive(let unit, let put) = setting else { preconditionFailure("--\(name) is not a positive number") }
        guard value > 0 else { throw UserFailure.badInput("--\(name) \(value): must be more than 0 \(unit)") }
        put(&s, value)
    }

    /// Applies a turning-off flag when it is on.
    func set(_ on: Bool, in s: inout SweepSettings) {
        guard case .off(let put) = setting else { preconditionFailure("--\(name) is not a flag") }
        if on { put(&s) }
    }
}

extension SweepOption {
    /// The defaults are the settings' own: shown here, never written twice.
    private static let defaults = SweepSettings(startURLs: [], asOf: Day(value: 0))
    private static let crawl = defaults.crawl
    private static let fetch = defaults.fetch

    static let asOf = SweepOption(
        name: "as-of", defaultText: "today, China Standard Time",
        help: "Inspection date YYYY-MM-DD; freshness counts back from it.", example: .none, note: "")
    static let out = SweepOption(
        name: "out", defaultText: "Reports/<host>/<as-of>/", help: "Output directory.",
        example: .commented("Reports/latest"), note: "")
    static let profile = SweepOption(
        name: "profile", defaultText: defaults.profileName,
        help: "Rule profile: a YAML file, or a bundled profile name (national-2019, xicheng-2022).",
        example: .setToDefault, note: "")
    static let departments = SweepOption(
        name: "departments", defaultText: nil,
        help: "CSV pattern,department: URL path prefix -> responsible department.",
        example: .commented("departments.csv"), note: "pattern,department: URL path prefix -> responsible department")
    static let phones = SweepOption(
        name: "phones", defaultText: nil, help: "CSV department,number[,label]: the filed phone numbers.",
        example: .commented("phones.csv"), note: "department,number[,label]: the filed phone numbers")
    static let accounts = SweepOption(
        name: "accounts", defaultText: nil, help: "CSV platform,name,department,feed: the filed new-media accounts.",
        example: .commented("accounts.csv"), note: "platform,name,department,feed: the filed new-media accounts")
    static let wording = SweepOption(
        name: "wording", defaultText: nil,
        help: "CSV wrong,right[,class]: wording entries added to the bundled dictionaries (class: serious or common).",
        example: .commented("wording.csv"), note: "wrong,right[,class]: wording entries added to the bundled ones")
    static let store = SweepOption(
        name: "store", defaultText: "$GOVSWEEP_STORE, else $XDG_STATE_HOME/govsweep/govsweep.sqlite",
        help:
            "SQLite file holding runs, pages, findings, probes, or a postgres://user@host[:port]/db URL (password from PGPASSWORD or ~/.pgpass).",
        example: .commented("/var/lib/govsweep/govsweep.sqlite"), note: "")
    static let maxPages = SweepOption(
        name: "max-pages", defaultText: "\(crawl.maxPages)",
        help: "Stop after fetching this many pages of the swept sites.", example: .setToDefault,
        note: "pages of the swept sites", setting: .count { $0.crawl.maxPages = $1 })
    static let maxDepth = SweepOption(
        name: "max-depth", defaultText: "\(crawl.maxDepth)",
        help: "Follow links at most this many steps from a start URL.", example: .setToDefault,
        note: "link steps from a start URL", setting: .count { $0.crawl.maxDepth = $1 })
    static let concurrency = SweepOption(
        name: "concurrency", defaultText: "\(crawl.concurrency)", help: "Requests in flight at once, all hosts together.",
        example: .setToDefault, note: "requests in flight, all hosts",
        setting: .count {
            $0.crawl.concurrency = $1
            $0.fetch.maxConcurrency = $1
        })
    static let perHost = SweepOption(
        name: "per-host", defaultText: "\(fetch.perHostConcurrency)", help: "Requests in flight at once to one host.",
        example: .setToDefault, note: "requests in flight to one host", setting: .count { $0.fetch.perHostConcurrency = $1 })
    static let rate = SweepOption(
        name: "rate", defaultText: "no cap", help: "Requests per second to one host at most.",
        example: .commented("5"), note: "requests per second to one host at most",
        setting: .positive(unit: "requests per second") { $0.fetch.perHostRate = $1 })
    static let timeout = SweepOption(
        name: "timeout", defaultText: "\(Int(fetch.totalTimeout))",
        help: "Seconds before a request is given up (15 in the official availability test).", example: .setToDefault,
        note: "seconds per request (and per probe: the official 15 s)",
        setting: .positive(unit: "seconds") {
            $0.fetch.totalTimeout = $1
            $0.fetch.connectTimeout = min($0.fetch.connectTimeout, $1)
        })
    static let failOn = SweepOption(
        name: "fail-on", defaultText: nil,
        help: "Exit 1 when a finding of this severity or worse exists: veto or deduct.", example: .set("veto"),
        note: "")
    static let config = SweepOption(
        name: "config", defaultText: nil,
        help: "YAML site file holding any of these options (and `urls`); the command line wins.", example: .none,
        note: "", inSiteFile: false)
    static let include = SweepOption(
        name: "include", defaultText: nil, help: "Only crawl URLs matching this regular expression (repeatable).",
        example: .commented(#"['^https://www\.example\.gov\.cn/']"#), note: "only URLs matching (regular expressions)")
    static let exclude = SweepOption(
        name: "exclude", defaultText: nil, help: "Do not crawl URLs matching this regular expression (repeatable).",
        example: .commented("['/search/']"), note: "never URLs matching")
    static let noExternal = SweepOption(
        name: "no-external", defaultText: nil, help: "Do not check links to other hosts.", example: .commented("false"),
        note: "true: do not check links to other hosts", setting: .off { $0.crawl.checkExternal = false })
    static let noSearch = SweepOption(
        name: "no-search", defaultText: nil, help: "Do not query the sites' search after the crawl (the `search` check).",
        example: .commented("false"), note: "true: do not query the site search after the crawl (1-2 queries a start URL)")
    static let searchURL = SweepOption(
        name: "search-url", defaultText: "the home page's search form",
        help: "How to query the site search: a URL with {query}.",
        example: .commented("'https://www.example.gov.cn/search?q={query}'"),
        note: "when the home page's search form is submitted by script")
    static let render = SweepOption(
        name: "render", defaultText: "auto",
        help:
            "Script-filled pages (home page, column lists, reply lists) in headless Chromium: never, auto (when one is installed) or always (exit 2 without one).",
        example: .commented("auto"), note: "never | auto | always (always: exit 2 without a browser)")
    static let renderTimeout = SweepOption(
        name: "render-timeout", defaultText: "\(Int(defaults.render.pageSeconds))",
        help: "Seconds one page's render may take, the browser's start included.", example: .commented("\(Int(defaults.render.pageSeconds))"),
        note: "seconds per page, the browser's start included")
    static let renderBudget = SweepOption(
        name: "render-budget", defaultText: "\(Int(defaults.render.runSeconds))",
        help: "Seconds of rendering one sweep may spend in all.", example: .commented("\(Int(defaults.render.runSeconds))"),
        note: "seconds of rendering per sweep")
    static let renderConcurrency = SweepOption(
        name: "render-concurrency", defaultText: "\(defaults.render.concurrency)",
        help: "Pages rendered at once, at most --per-host.", example: .commented("\(defaults.render.concurrency)"),
        note: "pages rendered at once (at most per-host)")
    static let ignoreRobots = SweepOption(
        name: "ignore-robots", defaultText: nil, help: "Do not honour robots.txt (for an owner's own sweeps).",
        example: .commented("false"), note: "true: for an owner's own sweeps only")
    static let full = SweepOption(
        name: "full", defaultText: nil,
        help:
            "Parse every page again, even those unchanged since the last sweep of these sites (after a govsweep upgrade, a rule change, or to rule out a stale cache).",
        example: .commented("false"), note: "true: parse every page again (default: unchanged pages are reused)")
    static let resume = SweepOption(
        name: "resume", defaultText: nil,
        help: "Continue the last unfinished run of the same sites in --store without refetching what is done.",
        example: .none, note: "")
    static let quiet = SweepOption(
        name: "quiet", defaultText: nil, help: "No live progress; print only the summary.", example: .commented("true"),
        note: "no live progress (a timer has no terminal anyway)")
    static let verbose = SweepOption(
        name: "verbose", defaultText: nil, help: "Log each request and decision to stderr.", example: .none, note: "")

    /// The start URLs: `sweep`'s and `probe`'s arguments, `urls:` in the site file (not a flag,
    /// so not in `all`).
    static let urls = SweepOption(
        name: "urls", defaultText: nil, help: "The start URLs.", example: .none, note: "")

    /// Every option of `govsweep sweep`, in `--help`'s order.
    static let all: [SweepOption] = [
        asOf, out, profile, departments, phones, wording, accounts, store, maxPages, maxDepth, concurrency, perHost,
        rate, timeout, failOn, config, include, exclude, ignoreRobots, resume, full, noExternal, noSearch, searchURL,
        render, renderTimeout, renderBudget, renderConcurrency, quiet, verbose,
    ]
}
