import Foundation
import XCTest
@testable import Fetch

/// Throughput against a real server (e.g. nginx on loopback). Skipped unless
/// GOVSWEEP_BENCH_URL is set; GOVSWEEP_BENCH_N sets the number of requests.
final class FetchBenchmarkTests: XCTestCase {
    func testThroughput() async throws {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["GOVSWEEP_BENCH_URL"] else { throw XCTSkip("GOVSWEEP_BENCH_URL not set") }
        let n = Int(env["GOVSWEEP_BENCH_N"] ?? "") ?? 20_000
        let cookies = env["GOVSWEEP_BENCH_COOKIES"] != "0"
        let client = try makeClient {
            $0.perHostConcurrency = 32; $0.maxConcurrency = 32; $0.cookies = cookies
        }
        defer { client.shutdown() }
        let start = Date()
        let ok = await withTaskGroup(of: Bool.self) { group in
            var inFlight = 0, done = 0, ok = 0
            for i in 0..<n {
                if inFlight >= 256 {
                    if await group.next() == true { ok += 1 }
                    inFlight -= 1; done += 1
                }
                group.addTask { await client.fetch(FetchRequest(url: url + "?i=\(i)")).classification == .ok }
                inFlight += 1
            }
            for await r in group where r { ok += 1 }
            return ok
        }
        let secs = elapsed(start)
        print("bench: \(n) fetches, \(ok) ok, \(String(format: "%.2f", secs)) s, \(Int(Double(n) / secs)) req/s")
        XCTAssertEqual(ok, n)
    }
}
