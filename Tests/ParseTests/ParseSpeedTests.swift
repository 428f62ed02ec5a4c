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

    /// The pages of a generated site, each parsed once (`PARSE_BENCH_DIR=Benchmarks/work/portal-2000`,
    /// `PARSE_BENCH_PAGES`: at most this many, in path order, default 1,000): under `valgrind
    /// --tool=callgrind` the instruction counts of the page model, whose share of a sweep perf
    /// only samples. The bodies are read before the parse.
    func testSitePages() throws {
        guard let dir = ProcessInfo.processInfo.environment["PARSE_BENCH_DIR"] else {
            throw XCTSkip("set PARSE_BENCH_DIR=<site directory> to parse its pages")
        }
        let limit = ProcessInfo.processInfo.environment["PARSE_BENCH_PAGES"].flatMap(Int.init) ?? 1000
        let root = URL(fileURLWithPath: dir)
        var paths: [String] = []
        let walker = FileManager.default.enumerator(atPath: dir)
        while let p = walker?.nextObject() as? String { if p.hasSuffix(".html") { paths.append(p) } }
        paths.sort()
        let bodies = try paths.prefix(limit).map { [UInt8](try Data(contentsOf: root.appendingPathComponent($0))) }
        var sink = 0, bytes = 0
        let t0 = cpuSeconds()
        for (i, body) in bodies.enumerated() {
            let page = PageParser.parse(body, url: "http://127.0.0.1/" + paths[i], contentType: "text/html")
            sink &+= page.blocks.count &+ page.links.count
            bytes += body.count
        }
        let seconds = cpuSeconds() - t0
        let line = String(
            format: "%d pages (%d bytes): %.1f us a page (one core, thread CPU time)", bodies.count, bytes,
            seconds * 1e6 / Double(max(bodies.count, 1)))
        print(line, sink)
    }
}
