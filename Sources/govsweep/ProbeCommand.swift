import ArgumentParser
import Fetch
import Foundation
import Store

struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Probe a site's availability and record the outcomes in the store.",
        discussion: "The official test: at least 20 probes a day for a week, 15 s timeout."
    )

    @Argument(help: "The URL to probe (usually the home page).")
    var url: String

    @Option(help: "SQLite file to record the probes in.")
    var store: String

    @Option(help: "Number of probes (default 1).")
    var count: Int = 1

    @Option(help: "Seconds between probes (default 60).")
    var interval: Double = 60

    @Option(help: "Seconds before a probe counts as failed (default 15).")
    var timeout: Double = 15

    mutating func run() async throws {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw UserFailure.badInput("\(url): not an http(s) URL") }
        guard count >= 1 else { throw UserFailure.badInput("--count \(count): must be at least 1") }
        guard timeout > 0, interval >= 0 else { throw UserFailure.badInput("--timeout and --interval must be positive") }
        let db: SQLiteStore
        do { db = try SQLiteStore(path: store) } catch { throw UserFailure.badInput("\(error)") }
        var config = FetchConfiguration()
        config.totalTimeout = timeout
        config.connectTimeout = min(timeout, config.connectTimeout)
        config.maxRetries = 0
        let client = try HTTPClient(configuration: config)
        defer { client.shutdown() }
        var failed = 0
        for i in 0..<count {
            if i > 0 { try await Task.sleep(nanoseconds: UInt64(interval * 1e9)) }
            let r = await client.fetch(FetchRequest(url: url, keepBody: false))
            let ok = r.classification == .ok
            if !ok { failed += 1 }
            _ = try db.recordProbe(ProbeRecord(url: url, at: Date(), status: r.status, seconds: r.seconds,
                                           linkClass: r.classification.rawValue, reason: r.reason))
            print("\(isoTimestamp(Date())) \(url) \(r.classification.rawValue) \(r.status) \(String(format: "%.3f", r.seconds)) s")
        }
        print("govsweep probe: \(count - failed) of \(count) probes ok")
    }
}
