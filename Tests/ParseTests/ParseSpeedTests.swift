import Foundation
import XCTest
@testable import Parse

/// Ad-hoc timing, skipped unless PARSE_BENCH is set (e.g. PARSE_BENCH=2000):
/// `PARSE_BENCH=2000 swift test -c release --filter ParseSpeedTests`.
final class ParseSpeedTests: XCTestCase {
    func testPagesPerSecond() throws {
        guard let n = ProcessInfo.processInfo.environment["PARSE_BENCH"].flatMap(Int.init) else {
            throw XCTSkip("set PARSE_BENCH=<iterations> to time the parser")
        }
        for name in ["govcn-gazette.html", "bjchy-index.html", "bjchy-index.gbk.html", "pingtan-column.html"] {
            let bytes = try Fixture.bytes(name)
            var sink = 0
            let t0 = Date()
            for _ in 0 ..< n {
                let page = PageParser.parse(bytes, url: "http://example.gov.cn/", contentType: "text/html")
                sink &+= page.blocks.count &+ page.links.count
            }
            let full = Date().timeIntervalSince(t0)
            let t1 = Date()
            bytes.withUnsafeBytes { raw in
                for _ in 0 ..< n { PageParser.baselineSAX(raw) }
            }
            let base = Date().timeIntervalSince(t1)
            let line = String(format: "%@ (%d bytes): full model %.0f pages/s, libxml2 SAX alone %.0f pages/s",
                              name, bytes.count, Double(n) / full, Double(n) / base)
            print(line, sink)
            FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
        }
    }
}
