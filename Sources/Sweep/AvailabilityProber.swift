package import Fetch
package import Foundation
import Store
package import Vocabulary

/// Sends the availability probes `govsweep probe` (and the demo) record and a sweep then
/// judges (`AvailabilityFold`, `site.unavailable`): one GET of the page, no retries, the
/// official timeout.
package final class AvailabilityProber: Sendable {
    let client: HTTPClient

    /// A prober with `fetch`'s timeout (the sweep's `--timeout`: 15 s, the official test's, by
    /// default); retries are off, a probe is one request.
    package init(fetch: FetchConfiguration) throws {
        var config = fetch
        config.connectTimeout = min(config.totalTimeout, config.connectTimeout)
        config.maxRetries = 0
        do { client = try HTTPClient(configuration: config) } catch {
            throw UserFailure(message: "cannot start the HTTP client: \(error)", code: 2)
        }
    }

    /// Fetches `url` now and returns the outcome, stamped `at`.
    package func probe(_ url: String, at: Date) async -> ProbeRecord {
        let r = await client.fetch(FetchRequest(url: url, keepBody: false))
        return ProbeRecord(
            url: url, at: at, status: r.status, seconds: r.seconds,
            linkClass: r.classification, reason: r.reason)
    }

    package func shutdown() { client.shutdown() }
}
