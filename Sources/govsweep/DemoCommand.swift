import ArgumentParser
import Crawl
import Demo
import Foundation

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the bundled demo portal on 127.0.0.1 and sweep it.",
        discussion: "The report goes to Reports/demo/ under the current directory (or --out)."
    )

    @Option(name: .customLong("as-of"), help: "Inspection date YYYY-MM-DD (default: today, China Standard Time).")
    var asOf: String?

    @Option(help: "Output directory (default: Reports/demo).")
    var out: String = "Reports/demo"

    @Option(help: "SQLite store for the demo's runs (default: Reports/demo.sqlite).")
    var store: String = "Reports/demo.sqlite"

    @Option(help: "Rule profile YAML (default: the bundled national profile).")
    var profile: String?

    @Option(name: .customLong("bundled"), help: "A bundled profile by name (national-2019, xicheng-2022).")
    var bundledName: String?

    @Flag(name: .shortAndLong, help: "No live progress.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log each request to stderr.")
    var verbose = false

    mutating func run() async throws {
        let date = try validDate(asOf ?? todayInChina(), option: "--as-of")
        let servers = try DemoPortal.serve(asOf: date)
        defer { servers.stop() }
        let start = servers.portal.baseURL
        print("govsweep demo: serving the demo portal at \(start) (external sites at \(servers.external.baseURL))")
        var settings = SweepSettings(startURLs: [CrawlURL(start)!], asOf: date)
        settings.out = out
        settings.storePath = store
        settings.quiet = quiet
        settings.verbose = verbose
        settings.profilePath = profile
        if let bundledName { settings.profileName = bundledName }
        if let departments = DemoPortal.departmentsCSVPath {
            settings.departmentsPath = departments
        }
        try settings.loadInputs()
        let code = try await SweepJob(settings: settings).run()
        if code != 0 { throw ExitCode(code) }
    }
}
