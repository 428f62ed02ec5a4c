import Foundation
import XCTest
@testable import Parse

/// CPU time of this thread: the machine may be busy with other builds, so wall-clock
/// time would understate the rate.
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Ad-hoc timing, skipped unless PARSE_BENCH is set (e.g. PARSE_BENCH=2000):
/// `PARSE_BENCH=2000 swift test -c release -Xswiftc -enable-testing --filter ParseSpeedTests`
/// (PARSE_BENCH_SKIP_BASELINE=1 times the full model only, e.g. under perf).
final class ParseSpeedTests: XCTestCase {
    func testPagesPerSecond() throws {
        guard let n = ProcessInfo.processInfo.environment["PARSE_BENCH"].flatMap(Int.init) else {
            throw XCTSkip("set PARSE_BENCH=<iterations> to time the parser")
        }
        for name in ["govcn-gazette-2007-23.html", "bjchy-index.html", "bjchy-index.gbk.html", "pingtan-column-ghxx-gzjzqk.html"] {
            let bytes = try Fixture.bytes(name)
            // The UTF-8 copy of bjchy keeps its stale gb2312 meta: say what it is.
            let contentType = name == "bjchy-index.html" ? "text/html; charset=utf-8" : "text/html"
            var sink = 0
            let t0 = cpuSeconds()
            for _ in 0..<n {
                let page = PageParser.parse(bytes, url: "http://example.gov.cn/", contentType: contentType)
                sink &+= page.blocks.count &+ page.links.count
            }
            let full = cpuSeconds() - t0
            let t1 = cpuSeconds()
            if ProcessInfo.processInfo.environment["PARSE_BENCH_SKIP_BASELINE"] == nil {
                bytes.withUnsafeBytes { raw in
                    for _ in 0..<n { PageParser.baselineSAX(raw) }
                }
            }
            let base = cpuSeconds() - t1
            let line = String(
                format: "%@ (%d bytes): full model %.0f pages/s, libxml2 SAX alone %.0f pages/s (one core, thread CPU time)",
                name, bytes.count, Double(n) / full, Double(n) / base)
            print(line, sink)
            FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
        }
    }
}
