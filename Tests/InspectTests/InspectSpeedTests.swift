import Foundation
import Inspect
import Parse
import XCTest

/// The inspector's cost per page next to the parser's, on real pages (the budget:
/// the full profile may cost at most 25% of the crawl engine's pages per second).
/// Prints the numbers; run with `swift test -c release -Xswiftc -enable-testing --filter InspectSpeedTests`.
final class InspectSpeedTests: XCTestCase {
    func testInspectorCostNextToParsing() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let pages = try ["pingtan-column-ghxx-gzjzqk.html", "bjchy-index.html"].map { [UInt8](try Data(contentsOf: dir.appendingPathComponent($0))) }
        let profile = try Profile.bundled(name: "xicheng-2022")
        let inspector = Inspector(profile: profile, asOf: Day(iso: "2025-12-01")!)
        let rounds = 50
        var models: [PageModel] = []
        var start = Date()
        for r in 0..<rounds { for (i, p) in pages.enumerated() { let m = PageParser.parse(p, url: "http://h/c\(i)/p\(r).html", contentType: nil); if r == 0 { models.append(m) } } }
        let parse = Date().timeIntervalSince(start) / Double(rounds * pages.count)
        start = Date()
        for r in 0..<rounds { for (i, m) in models.enumerated() { inspector.inspect(page: m, url: "http://h/c\(i)/p\(r).html", depth: 1) } }
        let inspect = Date().timeIntervalSince(start) / Double(rounds * pages.count)
        start = Date()
        _ = inspector.finish(linkTargets: [], homePages: ["http://h/"])
        let finish = Date().timeIntervalSince(start)
        print(String(format: "InspectSpeed: parse %.2f ms/page, inspect %.2f ms/page (%.0f%% of parse), finish %.1f ms for %d pages",
                     parse * 1000, inspect * 1000, inspect / parse * 100, finish * 1000, rounds * pages.count))
        XCTAssertEqual(inspector.pageCount, rounds * pages.count)
    }
}
