import ArgumentParser
import Foundation
import Sweep
import Store
import Vocabulary

struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Probe a site's availability and record the outcomes in the store.",
        discussion: """
            The official test: at least 20 probes a day for a week, 15 s timeout. Each sweep judges \
            the probes of its start URLs recorded in the week before it (site-unavailable). Run it \
            from a timer every 30 minutes (see scripts/systemd/govsweep-probe.timer); with --config \
            it probes every start URL of the site file into the site file's store.
            """
    )

    @Argument(help: "The URLs to probe (usually the home pages); default: `urls` of --config.")
    var urls: [String] = []

    @Option(
        help:
            "SQLite file or postgres:// URL to record the probes in (default: `store` of --config, else $GOVSWEEP_STORE, else $XDG_STATE_HOME/govsweep/govsweep.sqlite)."
    )
    var store: String?

    @Option(help: "YAML site file (as for sweep): its `urls`, `store` and `timeout` are used; the command line wins.")
    var config: String?

    @Option(help: "Number of probes of each URL (default 1).")
    var count: Int = 1

    @Option(help: "Seconds between probes (default 60).")
    var interval: Double = 60

    @Option(
        name: SweepOption.timeout.long,
        help: ArgumentHelp("Seconds before a probe counts as failed (default: \(SweepOption.timeout.defaultText ?? "")).")
    )
    var timeout: Double?

    /// Replays a schedule without waiting: the probes are real requests, sent one after
    /// another at once, but recorded as if sent at this time and every --interval after it.
    /// For tests and demonstrations of the weekly judgement; never for real monitoring.
    @Option(
        help: ArgumentHelp(
            "Record the first probe at this ISO 8601 time and step by --interval without sleeping (testing only).",
            visibility: .hidden))
    var at: String?

    mutating func run() async throws {
        let cfg = try config.map { try SiteConfig(path: $0) }
        let targets = try urls.isEmpty ? cfg?.list(.urls) ?? [] : urls
        guard !targets.isEmpty else { throw UserFailure.badInput("no URL to probe (probe URL [URL...], or `urls` in --config)") }
        // Recorded as the sweep names its start URLs, so the sweep finds them.
        let normalized = try startURLs(targets).map(\.string)
        // The timeout as `sweep` takes it: flag, else the site file, else the settings' default, checked.
        var settings = SweepSettings(startURLs: [], asOf: Day.today())
        try SweepOption.timeout.set(self.timeout ?? cfg?.double(.timeout), in: &settings)
        guard count >= 1 else { throw UserFailure.badInput("--count \(count): must be at least 1") }
        guard interval >= 0 else { throw UserFailure.badInput("--interval \(interval): must not be negative") }
        var start: Date?
        if let at {
            guard let d = parseTimestamp(at) else { throw UserFailure.badInput("--at \(at): expected an ISO 8601 time such as 2026-11-20T08:00:00+08:00") }
            start = d
        }
        let db = try await StoreLocation(try storeOption(store, config: cfg)).open()
        let prober = try AvailabilityProber(fetch: settings.fetch)
        defer { prober.shutdown() }
        var failed = 0
        for i in 0..<count {
            if i > 0, start == nil { try await Task.sleep(nanoseconds: UInt64(interval * 1e9)) }
            for url in normalized {
                let when = start.map { $0.addingTimeInterval(Double(i) * interval) } ?? Date()
                let probe = await prober.probe(url, at: when)
                if probe.linkClass != .ok { failed += 1 }
                _ = try await db.perform { try db.recordProbe(probe) }
                print(
                    "\(isoTimestamp(when)) \(url) \(probe.linkClass.rawValue) \(probe.status) \(String(format: "%.3f", probe.seconds)) s\(probe.linkClass == .ok || probe.reason == .none ? "" : " " + probe.reason.text)"
                )
            }
        }
        let total = count * normalized.count
        print("govsweep probe: \(total - failed) of \(total) probes ok")
    }
}

/// ISO 8601 with an offset or Z ("2026-11-20T08:00:00+08:00").
func parseTimestamp(_ s: String) -> Date? {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.date(from: s)
}
