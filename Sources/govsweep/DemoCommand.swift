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

    @Option(help: "Rule profile: a YAML file, or a bundled profile name (national-2019, xicheng-2022).")
    var profile: String?

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
        if let departments = DemoPortal.departmentsCSVPath {
            settings.departmentsPath = departments
        }
        // The demo's phones.csv, wording.csv and accounts.csv (feeds on the demo's servers).
        let inputsDir = FileManager.default.temporaryDirectory.appendingPathComponent("govsweep-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: inputsDir) }
        let inputs = try DemoPortal.contentInputs(servers: servers, directory: inputsDir)
        (settings.phonesPath, settings.wordingPath, settings.accountsPath) = (inputs.phones, inputs.wording, inputs.accounts)
        try settings.loadInputs()
        let code = try await SweepJob(settings: settings).run()
        if code != 0 { throw ExitCode(code) }
    }
}
