import ArgumentParser
import Crawl
import Fetch
import Foundation
import Sweep
import Inspect
import Render
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

    // Each option's name, default and help are its entry in `SweepOption` (the site file and
    // `init` read the same table).
    @Option(name: SweepOption.asOf.long, help: SweepOption.asOf.argumentHelp)
    var asOf: String?

    @Option(name: SweepOption.out.long, help: SweepOption.out.argumentHelp)
    var out: String?

    @Option(name: SweepOption.profile.long, help: SweepOption.profile.argumentHelp)
    var profile: String?

    @Option(name: SweepOption.departments.long, help: SweepOption.departments.argumentHelp)
    var departments: String?

    @Option(name: SweepOption.phones.long, help: SweepOption.phones.argumentHelp)
    var phones: String?

    @Option(name: SweepOption.wording.long, help: SweepOption.wording.argumentHelp)
    var wording: String?

    @Option(name: SweepOption.accounts.long, help: SweepOption.accounts.argumentHelp)
    var accounts: String?

    @Option(name: SweepOption.store.long, help: SweepOption.store.argumentHelp)
    var store: String?

    @OptionGroup var limits: CrawlLimits

    @Option(name: SweepOption.failOn.long, help: SweepOption.failOn.argumentHelp)
    var failOn: String?

    @Option(name: SweepOption.config.long, help: SweepOption.config.argumentHelp)
    var config: String?

    @Option(name: SweepOption.include.long, help: SweepOption.include.argumentHelp)
    var include: [String] = []

    @Option(name: SweepOption.exclude.long, help: SweepOption.exclude.argumentHelp)
    var exclude: [String] = []

    @Flag(name: SweepOption.ignoreRobots.long, help: SweepOption.ignoreRobots.argumentHelp)
    var ignoreRobots = false

    @Flag(name: SweepOption.resume.long, help: SweepOption.resume.argumentHelp)
    var resume = false

    @Flag(name: SweepOption.full.long, help: SweepOption.full.argumentHelp)
    var full = false

    @Option(name: SweepOption.render.long, help: SweepOption.render.argumentHelp)
    var render: String?

    @Option(name: SweepOption.renderTimeout.long, help: SweepOption.renderTimeout.argumentHelp)
    var renderTimeout: Double?

    @Option(name: SweepOption.renderBudget.long, help: SweepOption.renderBudget.argumentHelp)
    var renderBudget: Double?

    @Option(name: SweepOption.renderConcurrency.long, help: SweepOption.renderConcurrency.argumentHelp)
    var renderConcurrency: Int?

    @Flag(name: SweepOption.noExternal.long, help: SweepOption.noExternal.argumentHelp)
    var noExternal = false

    @Flag(name: SweepOption.noSearch.long, help: SweepOption.noSearch.argumentHelp)
    var noSearch = false

    @Option(name: SweepOption.searchURL.long, help: SweepOption.searchURL.argumentHelp)
    var searchURL: String?

    @Flag(name: [.customShort("q"), SweepOption.quiet.longName], help: SweepOption.quiet.argumentHelp)
    var quiet = false

    @Flag(name: [.customShort("v"), SweepOption.verbose.longName], help: SweepOption.verbose.argumentHelp)
    var verbose = false

    mutating func run() async throws {
        let settings = try resolve()
        let code = try await SweepJob(settings: settings).run()
        if code != 0 { throw ExitCode(code) }
    }

    /// Merges the site file under the command line and checks everything before any work starts.
    func resolve() throws -> SweepSettings {
        let cfg = try config.map { try SiteConfig(path: $0) }
        let urlStrings = try urls.isEmpty ? cfg?.list(.urls) ?? [] : urls
        guard !urlStrings.isEmpty else { throw UserFailure.badInput("no start URL given (sweep URL [URL...], or `urls` in --config)") }
        let start = try startURLs(urlStrings)
        let asOf = try validDate(asOf ?? cfg?.string(.asOf) ?? todayInChina(), option: "--as-of")
        var s = SweepSettings(startURLs: start, asOf: asOf)
        s.out = try out ?? cfg?.path(.out) ?? "Reports/\(start[0].host)/\(asOf)"
        s.profilePath = try profile ?? cfg?.profile()
        s.departmentsPath = try departments ?? cfg?.path(.departments)
        s.phonesPath = try phones ?? cfg?.path(.phones)
        s.accountsPath = try accounts ?? cfg?.path(.accounts)
        s.wordingPath = try wording ?? cfg?.path(.wording)
        s.storePath = try storeOption(store, config: cfg)
        if case .sqlite(let path) = StoreLocation(s.storePath) { try checkStoreOutsideOutput(store: path, out: s.out) }
        // The limits through the table's settings (checked there), as `govsweep worker` sets them.
        try SweepOption.maxPages.set(limits.maxPages ?? cfg?.int(.maxPages), in: &s)
        try SweepOption.maxDepth.set(limits.maxDepth ?? cfg?.int(.maxDepth), in: &s)
        try SweepOption.concurrency.set(limits.concurrency ?? cfg?.int(.concurrency), in: &s)
        try SweepOption.perHost.set(limits.perHost ?? cfg?.int(.perHost), in: &s)
        try SweepOption.rate.set(limits.rate ?? cfg?.double(.rate), in: &s)
        try SweepOption.timeout.set(limits.timeout ?? cfg?.double(.timeout), in: &s)
        try SweepOption.noExternal.set(noExternal || cfg?.bool(.noExternal) ?? false, in: &s)
        s.crawl.include = try include.isEmpty ? cfg?.list(.include) ?? [] : include
        s.crawl.exclude = try exclude.isEmpty ? cfg?.list(.exclude) ?? [] : exclude
        s.crawl.ignoreRobots = try ignoreRobots || cfg?.bool(.ignoreRobots) ?? false
        s.resume = try resume || cfg?.bool(.resume) ?? false
        s.full = try full || cfg?.bool(.full) ?? false
        s.search = try !(noSearch || cfg?.bool(.noSearch) ?? false)
        s.searchURL = try searchURL ?? cfg?.string(.searchURL)
        s.quiet = try quiet || cfg?.bool(.quiet) ?? false
        s.verbose = try verbose || cfg?.bool(.verbose) ?? false
        if let f = try failOn ?? cfg?.string(.failOn) {
            guard let sev = Severity(rawValue: f), sev != .advice else {
                throw UserFailure.badInput("--fail-on \(f): expected veto or deduct")
            }
            s.failOn = sev
        }
        if let m = try render ?? cfg?.string(.render) {
            guard let mode = RenderMode(rawValue: m) else { throw UserFailure.badInput("--render \(m): expected never, auto or always") }
            s.render.mode = mode
        }
        s.render.pageSeconds = try renderTimeout ?? cfg?.double(.renderTimeout) ?? s.render.pageSeconds
        s.render.runSeconds = try renderBudget ?? cfg?.double(.renderBudget) ?? s.render.runSeconds
        s.render.concurrency = try renderConcurrency ?? cfg?.int(.renderConcurrency) ?? s.render.concurrency
        if s.render.pageSeconds <= 0 || s.render.runSeconds <= 0 {
            throw UserFailure.badInput("--render-timeout and --render-budget: must be more than 0 seconds")
        }
        if s.render.concurrency < 1 { throw UserFailure.badInput("--render-concurrency \(s.render.concurrency): must be at least 1") }
        try s.loadInputs()
        return s
    }
}
