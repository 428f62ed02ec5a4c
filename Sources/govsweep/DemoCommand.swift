import ArgumentParser
import Crawl
import Demo
import Fetch
import Foundation
import Sweep
import Inspect
import Render
import Report
import Store
import Vocabulary

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the bundled demo portal on 127.0.0.1 and sweep it twice, a week apart.",
        discussion: """
            The demo starts a fresh store, records a simulated fortnight of availability probes \
            (real requests to the portal, stamped 72 minutes apart), sweeps the portal as it was \
            a week before --as-of, changes it (two defects fixed, one introduced) and sweeps it again \
            at --as-of. The second report goes to Reports/demo/ under the current directory (or --out) \
            and shows what is new, fixed and still open; the first run's report goes beside it \
            (Reports/demo-earlier/); the store keeps both runs (govsweep history --store Reports/demo.sqlite).
            """
    )

    @Option(name: .customLong("as-of"), help: "Inspection date YYYY-MM-DD (default: today, China Standard Time).")
    var asOf: String?

    @Option(help: "Output directory (default: Reports/demo).")
    var out: String = "Reports/demo"

    @Option(help: "SQLite store for the demo's runs, started afresh each time (default: Reports/demo.sqlite).")
    var store: String = "Reports/demo.sqlite"

    @Option(help: "Rule profile: a YAML file, or a bundled profile name (national-2019, xicheng-2022).")
    var profile: String?

    @Flag(name: .shortAndLong, help: "No live progress.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log each request to stderr.")
    var verbose = false

    @Flag(
        help: """
            Serve a fleet of demo portals instead (variants under other names, owners and regions, \
            half of them failing), write SITES.csv for `govsweep fleet add` into --out (default \
            Reports/demo-fleet) and serve until stopped, as the sites are a fortnight before --as-of; \
            SIGUSR1 serves every site as it is on --as-of (some fixed, some worse), for a second round. \
            scripts/demo-fleet.sh runs the two rounds.
            """)
    var fleet = false

    @Option(name: .customLong("fleet-sites"), help: "How many sites --fleet serves (default 30).")
    var fleetSites = 30

    mutating func run() async throws {
        let date = try validDate(asOf ?? todayInChina(), option: "--as-of")
        if fleet { return try await serveFleet(asOf: date) }
        let now = DemoDate(date)
        guard let runs = DemoPortal.expected.runs,
            let then = now.adding(days: -runs.earlierDays)
        else {
            throw UserFailure.badInput("--as-of \(date): not a date the demo can use")
        }
        // Both runs' folders are replaced whole: a store in either would be deleted.
        for folder in [Self.earlierOut(out), out] { try checkStoreOutsideOutput(store: store, out: folder) }
        try await Self.resetStore(store)
        let live = try LiveDemo(asOf: then, revision: .earlier)
        defer { live.stop() }
        let start = live.portal.baseURL
        print("govsweep demo: serving the demo portal at \(start) (external sites at \(live.external.baseURL))")

        var settings = SweepSettings(startURLs: [CrawlURL(start)!], asOf: then.calendarDay)
        settings.storePath = store
        // The demo's findings are pinned: judged from the static pages, with or without a browser.
        settings.render.mode = .never
        settings.quiet = quiet
        settings.verbose = verbose
        settings.profilePath = profile
        if let departments = DemoPortal.departmentsCSVPath {
            settings.departmentsPath = departments
        }
        // The demo's phones.csv, wording.csv and accounts.csv (feeds on the demo's servers).
        let inputsDir = FileManager.default.temporaryDirectory.appendingPathComponent("govsweep-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: inputsDir) }
        let inputs = try DemoPortal.contentInputs(
            portalBase: live.portal.baseURL, externalBase: live.external.baseURL,
            directory: inputsDir)
        (settings.phonesPath, settings.wordingPath, settings.accountsPath) = (inputs.phones, inputs.wording, inputs.accounts)
        try settings.loadInputs()

        // Probes first: a fortnight of them covers the weeks both sweeps judge.
        let probes = try await Self.recordProbes(
            live: live, url: settings.startURLs[0].string, store: store,
            earlier: then, later: now, runs: runs, fetch: settings.fetch)
        print(
            "govsweep demo: recorded \(probes.count) availability probes of \(start), 72 minutes apart up to now (simulated times, real requests); \(probes.failed) answered 503"
        )

        // Run 1: the portal a week earlier, reported beside the main report (Reports/demo-earlier).
        settings.out = Self.earlierOut(out)
        print("\ngovsweep demo: run 1, the portal as it was on \(then.iso)")
        var code = try await SweepJob(settings: settings).run()
        if code != 0 { throw ExitCode(code) }

        // The portal changes: two defects fixed, one introduced; a week passes.
        live.set(asOf: now, revision: .current)
        settings.asOf = now.calendarDay
        settings.out = out
        print("\ngovsweep demo: run 2, the portal on \(now.iso) (changed since run 1)")
        code = try await SweepJob(settings: settings).run()
        if code != 0 { throw ExitCode(code) }

        try await Self.printChanges(store: store)
    }

    /// `--fleet`: serves the variants and writes SITES.csv; runs until the process is stopped
    /// (SIGINT or SIGTERM end it: the servers are in-process). SIGUSR1 advances the sites.
    func serveFleet(asOf date: Day) async throws {
        let day = DemoDate(date)
        guard (1...500).contains(fleetSites) else { throw UserFailure.badInput("--fleet-sites \(fleetSites): give 1 to 500") }
        let dir = URL(fileURLWithPath: out == "Reports/demo" ? "Reports/demo-fleet" : out)
        let demoFleet = try DemoFleet(asOf: day, count: fleetSites)
        defer { demoFleet.stop() }
        let csv = try demoFleet.writeSitesCSV(to: dir)
        let failing = demoFleet.sites.filter { !$0.first.expectedVetoes.isEmpty || !$0.reachable }.count
        // Written unbuffered: the script waiting for the ready line reads a file.
        func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        say(
            "govsweep demo --fleet: serving \(demoFleet.sites.count) variants of the demo portal on 127.0.0.1 at \(demoFleet.firstAsOf.iso) (\(failing) built to fail or be unreachable); external sites at \(demoFleet.external.baseURL)"
        )
        // The script reads the rounds' dates here: the first a fortnight before --as-of.
        say("govsweep demo --fleet: first round as of \(demoFleet.firstAsOf.iso), second round as of \(date)")
        signal(SIGUSR1, SIG_IGN)
        let advance = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        advance.setEventHandler {
            demoFleet.advance()
            say("govsweep demo --fleet: now serving the sites as they are on \(date) (second round)")
        }
        advance.resume()
        defer { advance.cancel() }
        say("govsweep demo --fleet: ready: \(csv.path)")
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
    }

    /// Where the first run's report goes: `DIR-earlier` beside `DIR`.
    static func earlierOut(_ out: String) -> String {
        var trimmed = out
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed + "-earlier"
    }

    /// The demo starts from an empty store each time, so repeated demos are identical. A file
    /// holding runs of anything but the demo's 127.0.0.1 portal is not the demo's: refused.
    static func resetStore(_ path: String) async throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: path) else { return }
        do {
            let old = try await StoreLocation.sqlite(path: path).open()
            let runs = try await old.perform { try old.runs() }
            if let foreign = runs.first(where: { !$0.sites.allSatisfy { $0.hasPrefix("http://127.0.0.1:") } }) {
                throw UserFailure.badInput("\(path): holds runs of \(foreign.sites.joined(separator: " ")), not a demo store; give the demo another --store")
            }
        } catch let e as UserFailure {
            throw e
        } catch {
            throw UserFailure.badInput("\(error)")
        }
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
    }

    /// Real probes of the portal, stamped every `probeEveryMinutes` back from the later
    /// sweep's window end over both sweeps' weeks; `probeFailures` of them, within the two
    /// days before that end (so only the later week has them), are sent while the portal is down.
    static func recordProbes(
        live: LiveDemo, url: String, store path: String, earlier: DemoDate, later: DemoDate,
        runs: DemoManifest.Runs, fetch: FetchConfiguration
    ) async throws -> (count: Int, failed: Int) {
        let (earlyDay, lateDay) = (earlier.calendarDay, later.calendarDay)
        let now = Date()
        let lateEnd = AvailabilityWindow.end(asOf: lateDay, now: now)
        let earlyEnd = AvailabilityWindow.end(asOf: earlyDay, now: now)
        let step = Double(runs.probeEveryMinutes) * 60
        let oldest = min(earlyEnd, lateEnd).addingTimeInterval(-7 * 86_400)
        // k counts back from the newest probe, half a step before the window's end.
        var stamps: [(k: Int, at: Date)] = []
        var k = 0
        while true {
            let at = lateEnd.addingTimeInterval(-step * (Double(k) + 0.5))
            if at <= oldest { break }
            stamps.append((k, at))
            k += 1
        }
        let failing = Set((0..<runs.probeFailures).map { 9 + 20 * $0 })  // 11 h and 35 h before the end …
        let db = try await StoreLocation.sqlite(path: path).open()
        let prober = try AvailabilityProber(fetch: fetch)
        defer { prober.shutdown() }
        var probes: [ProbeRecord] = []
        for (k, at) in stamps.reversed() {
            live.setDown(failing.contains(k))
            probes.append(await prober.probe(url, at: at))
            live.setDown(false)
        }
        // Recorded in one hop to the store's thread.
        try await db.perform { [probes] in for probe in probes { try db.recordProbe(probe) } }
        return (probes.count, probes.filter { $0.linkClass != .ok }.count)
    }

    /// What changed between the demo's two runs, as `govsweep diff 1 2` shows it.
    static func printChanges(store path: String) async throws {
        let db = try await StoreLocation.sqlite(path: path).open()
        let compared = try await db.perform { () -> (RunRecord, RunRecord, [Finding], [Finding])? in
            let runs = try db.runs().filter { $0.status == .done }
            guard runs.count >= 2 else { return nil }
            let (a, b) = (runs[1], runs[0])
            return (a, b, try db.findings(run: a.id), try db.findings(run: b.id))
        }
        guard let (a, b, earlier, later) = compared else { return }
        let cmp = FindingComparison(earlier: earlier, later: later)
        print(
            "\ngovsweep demo: between run \(a.id) (\(a.asOf), score \(a.score.map(formatScore) ?? "?")) and run \(b.id) (\(b.asOf), score \(b.score.map(formatScore) ?? "?")): "
                + "\(cmp.fixed.count) fixed, \(cmp.new.count) new, \(cmp.stillOpen.count) still open")
        for f in cmp.fixed { print("  fixed  \(f.indicator.rawValue) \(f.url)\(f.subject.isEmpty ? "" : " \"\(f.subject)\""): \(f.message)") }
        for f in cmp.new { print("  new    \(f.indicator.rawValue) \(f.url)\(f.subject.isEmpty ? "" : " \"\(f.subject)\""): \(f.message)") }
        print("  (govsweep history --store \(path); govsweep diff \(a.id) \(b.id) --store \(path))")
    }
}
