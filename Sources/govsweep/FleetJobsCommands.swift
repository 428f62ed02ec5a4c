#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import ArgumentParser
import Fleet
import Foundation
import PGStore
import Sweep
import Vocabulary

/// `--store URL` of the fleet commands: the shared PostgreSQL store (also GOVSWEEP_STORE).
struct FleetStoreOption: ParsableArguments {
    @Option(help: "The fleet's PostgreSQL store, postgres://user@host[:port]/db (default: $GOVSWEEP_STORE). The password comes from PGPASSWORD or ~/.pgpass.")
    var store: String?

    /// The URL, checked to be a PostgreSQL one.
    func url() throws -> String { try Fleet.storeURL(store) }

    /// Opens the store and checks its schema; a failure is one line and exit 2 or 3.
    func open() async throws -> FleetDatabase {
        try await fleetCall { try await FleetDatabase.initialise(url: try url()) }
    }
}

/// Runs `body`, turning the store's errors into the one-line user failures of the contract
/// (exit 3 for an unreachable database or a newer schema, 2 for the rest).
func fleetCall<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let e as UserFailure { throw e } catch let e as PGStoreError {
        throw UserFailure(message: e.description, code: e.exitCode)
    } catch {
        throw UserFailure(message: FleetDatabase.describe(error), code: 2)
    }
}

struct FleetAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register the sites of SITES.csv (or update those already registered).",
        discussion: """
            SITES.csv has a header row naming at least url,name,owner,region, and optionally profile, \
            departments, phones, accounts and wording (files relative to the CSV's folder). A url cell may \
            hold several start URLs separated by spaces or |. A site is known by its first URL: adding it \
            again updates it. A bad line stops with SITES.csv:LINE and adds nothing.
            """)

    @Argument(help: "The site list (CSV).")
    var sites: String

    @OptionGroup var store: FleetStoreOption

    func run() async throws {
        let list = try SiteList.read(path: sites)
        let db = try await store.open()
        defer { db.close() }
        let result = try await fleetCall { try await db.addSites(list) }
        print("govsweep: \(result.added) site\(result.added == 1 ? "" : "s") added, \(result.updated) updated (\(sites))")
    }
}

struct FleetRound: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "round",
        abstract: "Create a round: one job per registered site, for the workers to claim. Prints the round's id last.")

    @Option(name: .customLong("as-of"), help: "Inspection date YYYY-MM-DD (default: today, China Standard Time).")
    var asOf: String?

    @Option(help: "Only these sites: comma-separated terms, each a region-code prefix, an owner, or part of a name or URL.")
    var sites: String?

    @OptionGroup var store: FleetStoreOption

    func run() async throws {
        let date = try validDate(asOf ?? todayInChina(), option: "--as-of")
        let db = try await store.open()
        defer { db.close() }
        let made = try await fleetCall { try await db.createRound(asOf: date, filter: sites ?? "") }
        print("govsweep: round \(made.round) as of \(date): \(made.jobs) job\(made.jobs == 1 ? "" : "s") queued")
        print(made.round)
    }
}

struct FleetStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "A round's progress: queued, running (worker, heartbeat age), done, failed with reason, pages/s.",
        discussion: "On a terminal it refreshes every 2 seconds until the round is complete (Ctrl-C stops it).")

    @Option(help: "The round (default: the newest).")
    var round: Int64?

    @Flag(help: "Print the status once as JSON.")
    var json = false

    @Flag(help: "Print once, even on a terminal.")
    var once = false

    @OptionGroup var store: FleetStoreOption

    func run() async throws {
        let db = try await store.open()
        defer { db.close() }
        let id = try await roundOrLatest(round, in: db)
        let refresh = !json && !once && isatty(STDOUT_FILENO) == 1
        while true {
            guard let status = try await fleetCall({ try await db.status(round: id) }) else {
                throw UserFailure.badInput("--round \(id): no such round")
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(status), as: UTF8.self))
                return
            }
            // Home and clear, then the lines: the terminal shows the latest status only.
            print((refresh ? "\u{1B}[H\u{1B}[2J" : "") + status.text)
            if !refresh || status.isComplete { return }
            try await Task.sleep(for: .seconds(2))
        }
    }
}

struct FleetReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write each swept site's report under DIR/sites/ and the round summary DIR/index.html and DIR/sites.csv.")

    @Option(help: "The round (default: the newest).")
    var round: Int64?

    @Option(help: "Output directory.")
    var out: String

    @OptionGroup var store: FleetStoreOption

    func run() async throws {
        let db = try await store.open()
        defer { db.close() }
        let id = try await roundOrLatest(round, in: db)
        let dir = URL(fileURLWithPath: out)
        let written = try await fleetCall { try await db.writeReport(round: id, to: dir) }
        print(
            "govsweep: round \(id): \(written) site report\(written == 1 ? "" : "s") and the round summary in \(dir.appendingPathComponent("index.html").path)")
    }
}

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Claim jobs of the fleet's rounds and sweep their sites, as govsweep sweep would, into the shared store.",
        discussion: """
            A worker holds each job with a lease it renews (heartbeat); a worker killed outright loses its \
            jobs when the lease expires and another resumes them from what was stored. SIGTERM or SIGINT \
            hands the running jobs back at once. Two workers never sweep the same host at once. \
            A job whose lease another worker took over (it expired meanwhile) is dropped: its sweep \
            stops and writes nothing more, and the worker goes on with the next. A job whose sweep \
            shows no sign of life for --stall seconds is dropped the same way, its lease left to \
            expire so that another worker takes it over. \
            Exit codes: 0 idle (--exit-when-idle); 128 + the signal when stopped; 2 bad arguments; \
            3 database unreachable or newer than this govsweep.
            """)

    @OptionGroup var store: FleetStoreOption

    @Option(help: "Sites this worker sweeps at once (default 1). Each sweep's requests are bounded as in govsweep sweep.")
    var concurrency: Int = 1

    @Flag(name: .customLong("exit-when-idle"), help: "Exit 0 once no job of any round is queued or running.")
    var exitWhenIdle = false

    @Option(help: "Seconds a claim holds without a heartbeat (default 30); the worker renews it every third of it.")
    var lease: Double = 30

    @Option(
        help:
            "Seconds a job's sweep may show no sign of life (no page, no store call answered, no phase going on) before its lease is let go for another worker (default six leases, at least 60)."
    )
    var stall: Double?

    @Option(help: "This worker's name in the status (default host:pid).")
    var name: String?

    // The limits a worker shares with `govsweep sweep`: names, help and settings from the
    // option table (`SweepOption`), as the sweep takes them (`template()`).
    @Option(name: SweepOption.maxPages.long, help: SweepOption.maxPages.argumentHelp)
    var maxPages: Int?

    @Option(name: SweepOption.maxDepth.long, help: SweepOption.maxDepth.argumentHelp)
    var maxDepth: Int?

    @Option(name: SweepOption.perHost.long, help: SweepOption.perHost.argumentHelp)
    var perHost: Int?

    @Option(name: SweepOption.rate.long, help: SweepOption.rate.argumentHelp)
    var rate: Double?

    @Option(name: SweepOption.timeout.long, help: SweepOption.timeout.argumentHelp)
    var timeout: Double?

    @Flag(name: SweepOption.noExternal.long, help: SweepOption.noExternal.argumentHelp)
    var noExternal = false

    @Flag(name: .shortAndLong, help: "Only errors on stderr.")
    var quiet = false

    func run() async throws {
        guard concurrency >= 1 else { throw UserFailure.badInput("--concurrency \(concurrency): must be at least 1") }
        guard lease >= 1 else { throw UserFailure.badInput("--lease \(lease): must be at least 1 second") }
        if let stall, stall < lease { throw UserFailure.badInput("--stall \(stall): must be at least the lease (\(lease) s)") }
        let url = try store.url()
        var options = FleetWorker.Options(store: url, id: name, template: try template())
        options.concurrency = concurrency
        options.exitWhenIdle = exitWhenIdle
        options.lease = .milliseconds(Int(lease * 1000))
        options.stall = stall.map { .milliseconds(Int($0 * 1000)) }
        options.quiet = quiet
        let db = try await store.open()
        defer { db.close() }
        let code = try await fleetCall { try await FleetWorker(options: options, db: db).run() }
        if code != 0 { throw ExitCode(code) }
    }
}

extension Worker {
    /// The settings every site's sweep starts from: the limits as `govsweep sweep` sets them
    /// from the same flags (`SweepOption`'s settings, checked there).
    func template() throws -> SweepSettings {
        var t = SweepSettings(startURLs: [], asOf: Day.today())
        try SweepOption.maxPages.set(maxPages, in: &t)
        try SweepOption.maxDepth.set(maxDepth, in: &t)
        try SweepOption.perHost.set(perHost, in: &t)
        try SweepOption.rate.set(rate, in: &t)
        try SweepOption.timeout.set(timeout, in: &t)
        SweepOption.noExternal.set(noExternal, in: &t)
        return t
    }
}

/// The round `--round` names, else the fleet's latest (`fleet status`, `fleet report`).
func roundOrLatest(_ round: Int64?, in db: FleetDatabase) async throws -> Int64 {
    if let round { return round }
    guard let latest = try await fleetCall({ try await db.latestRound() }) else {
        throw UserFailure.badInput("no round yet (govsweep fleet round --as-of DATE)")
    }
    return latest
}
#endif
