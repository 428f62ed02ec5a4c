import ArgumentParser
import Crawl
import Fetch
import Foundation
import Sweep
import Inspect
import Store
import Vocabulary

struct Sweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sweep portals: crawl, check every link, inspect, score and report.",
        discussion: """
            Exit codes: 0 the sweep completed; 1 --fail-on tripped; 2 bad arguments or input file; \
            3 no start URL could be fetched.
            """
    )

    @Argument(help: "Start URLs (http or https). Their hosts are the scope of the crawl.")
    var urls: [String] = []

    @Option(name: .customLong("as-of"), help: "Inspection date YYYY-MM-DD; freshness counts back from it (default: today, China Standard Time).")
    var asOf: String?

    @Option(help: "Output directory (default: Reports/<host>/<as-of>/).")
    var out: String?

    @Option(help: "Rule profile: a YAML file, or a bundled profile name (national-2019, xicheng-2022). Default national-2019.")
    var profile: String?

    @Option(help: "CSV pattern,department: URL path prefix -> responsible department.")
    var departments: String?

    @Option(help: "CSV department,number[,label]: the filed phone numbers.")
    var phones: String?

    @Option(help: "CSV wrong,right[,class]: wording entries added to the bundled dictionaries (class: serious or common).")
    var wording: String?

    @Option(help: "CSV platform,name,department,feed: the filed new-media accounts.")
    var accounts: String?

    @Option(
        help:
            "SQLite file holding runs, pages, findings, probes, or a postgres://user@host[:port]/db URL (password from PGPASSWORD or ~/.pgpass) (default: $GOVSWEEP_STORE, else $XDG_STATE_HOME/govsweep/govsweep.sqlite)."
    )
    var store: String?

    @OptionGroup var limits: CrawlLimits

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding of this severity or worse exists: veto or deduct.")
    var failOn: String?

    @Option(help: "YAML site file holding any of these options (and `urls`); the command line wins.")
    var config: String?

    @Option(help: "Only crawl URLs matching this regular expression (repeatable).")
    var include: [String] = []

    @Option(help: "Do not crawl URLs matching this regular expression (repeatable).")
    var exclude: [String] = []

    @Flag(name: .customLong("ignore-robots"), help: "Do not honour robots.txt (for an owner's own sweeps).")
    var ignoreRobots = false

    @Flag(help: "Continue the last unfinished run of the same sites in --store without refetching what is done.")
    var resume = false

    @Flag(
        help:
            "Parse every page again, even those unchanged since the last sweep of these sites (after a govsweep upgrade, a rule change, or to rule out a stale cache)."
    )
    var full = false

    @Flag(name: .customLong("no-external"), help: "Do not check links to other hosts.")
    var noExternal = false

    @Flag(name: .shortAndLong, help: "No live progress; print only the summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log each request and decision to stderr.")
    var verbose = false

    mutating func run() async throws {
        let settings = try resolve()
        let code = try await SweepJob(settings: settings).run()
        if code != 0 { throw ExitCode(code) }
    }

    /// Merges the site file under the command line and checks everything before any work starts.
    func resolve() throws -> SweepSettings {
        let cfg = try config.map { try SiteConfig(path: $0) }
        let urlStrings = try urls.isEmpty ? cfg?.list("urls") ?? [] : urls
        guard !urlStrings.isEmpty else { throw UserFailure.badInput("no start URL given (sweep URL [URL...], or `urls` in --config)") }
        let start = try startURLs(urlStrings)
        let asOf = try validDate(asOf ?? cfg?.string("as-of") ?? todayInChina(), option: "--as-of")
        var s = SweepSettings(startURLs: start, asOf: asOf)
        s.out = try out ?? cfg?.path("out") ?? "Reports/\(start[0].host)/\(asOf)"
        s.profilePath = try profile ?? cfg?.profile()
        s.departmentsPath = try departments ?? cfg?.path("departments")
        s.phonesPath = try phones ?? cfg?.path("phones")
        s.accountsPath = try accounts ?? cfg?.path("accounts")
        s.wordingPath = try wording ?? cfg?.path("wording")
        s.storePath = try storeOption(store, config: cfg)
        if case .sqlite(let path) = StoreLocation(s.storePath) { try checkStoreOutsideOutput(store: path, out: s.out) }
        s.crawl.maxPages = try limits.maxPages ?? cfg?.int("max-pages") ?? s.crawl.maxPages
        s.crawl.maxDepth = try limits.maxDepth ?? cfg?.int("max-depth") ?? s.crawl.maxDepth
        s.crawl.concurrency = try limits.concurrency ?? cfg?.int("concurrency") ?? s.crawl.concurrency
        s.fetch.maxConcurrency = s.crawl.concurrency
        s.fetch.perHostConcurrency = try limits.perHost ?? cfg?.int("per-host") ?? s.fetch.perHostConcurrency
        s.fetch.perHostRate = try limits.rate ?? cfg?.double("rate")
        s.fetch.totalTimeout = try limits.timeout ?? cfg?.double("timeout") ?? s.fetch.totalTimeout
        s.crawl.include = try include.isEmpty ? cfg?.list("include") ?? [] : include
        s.crawl.exclude = try exclude.isEmpty ? cfg?.list("exclude") ?? [] : exclude
        s.crawl.ignoreRobots = try ignoreRobots || cfg?.bool("ignore-robots") ?? false
        s.crawl.checkExternal = try !(noExternal || cfg?.bool("no-external") ?? false)
        s.resume = try resume || cfg?.bool("resume") ?? false
        s.full = try full || cfg?.bool("full") ?? false
        s.quiet = try quiet || cfg?.bool("quiet") ?? false
        s.verbose = try verbose || cfg?.bool("verbose") ?? false
        if let f = try failOn ?? cfg?.string("fail-on") {
            guard let sev = Severity(rawValue: f), sev != .advice else {
                throw UserFailure.badInput("--fail-on \(f): expected veto or deduct")
            }
            s.failOn = sev
        }
        for (name, v) in [
            ("--max-pages", s.crawl.maxPages), ("--concurrency", s.crawl.concurrency), ("--per-host", s.fetch.perHostConcurrency),
            ("--max-depth", s.crawl.maxDepth),
        ] where v < 1 {
            throw UserFailure.badInput("\(name) \(v): must be at least 1")
        }
        if s.fetch.totalTimeout <= 0 { throw UserFailure.badInput("--timeout \(s.fetch.totalTimeout): must be more than 0 seconds") }
        if let r = s.fetch.perHostRate, r <= 0 { throw UserFailure.badInput("--rate \(r): must be more than 0 requests per second") }
        s.fetch.connectTimeout = min(s.fetch.connectTimeout, s.fetch.totalTimeout)
        try s.loadInputs()
        return s
    }
}
