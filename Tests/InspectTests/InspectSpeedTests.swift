import Foundation
import Inspect
import Parse
import InspectTesting
import XCTest
import Vocabulary

/// The inspector's cost per page next to the parser's, on real pages (the budget:
/// the full profile may cost at most 25% of the crawl engine's pages per second).
/// Prints the numbers; run with `swift test -c release -Xswiftc -enable-testing --filter InspectSpeedTests`.
final class InspectSpeedTests: XCTestCase {
    func testInspectorCostNextToParsing() throws {
        let pages = try ["pingtan-column-ghxx-gzjzqk.html", "bjchy-index.html"].map { [UInt8](try Data(contentsOf: RealPage.url($0))) }
        let profile = try Profile.bundled(name: "xicheng-2022")
        let inspector = SiteFixture().inspector(profile: profile, asOf: Day(iso: "2025-12-01")!)  // fed below, timed
        let rounds = 50
        var models: [PageModel] = []
        var start = Date()
        for r in 0..<rounds {
            for (i, p) in pages.enumerated() { let m = PageParser.parse(p, url: "http://h/c\(i)/p\(r).html", contentType: nil); if r == 0 { models.append(m) } }
        }
        let parse = Date().timeIntervalSince(start) / Double(rounds * pages.count)
        start = Date()
        for r in 0..<rounds { for (i, m) in models.enumerated() { inspector.inspect(page: m, url: "http://h/c\(i)/p\(r).html", depth: 1) } }
        let inspect = Date().timeIntervalSince(start) / Double(rounds * pages.count)
        start = Date()
        _ = inspector.finish(linkTargets: [], homePages: ["http://h/"])
        let finish = Date().timeIntervalSince(start)
        print(
            String(
                format: "InspectSpeed: parse %.2f ms/page, inspect %.2f ms/page (%.0f%% of parse), finish %.1f ms for %d pages",
                parse * 1000, inspect * 1000, inspect / parse * 100, finish * 1000, rounds * pages.count))
        XCTAssertEqual(inspector.pageCount, rounds * pages.count)
    }
}

/// The wording matcher's cost (issue 4: with a 10,000-entry dictionary, scanning adds under
/// 10% to a sweep's CPU time). Prints the per-page cost of the dictionary pass next to parsing;
/// run in release as above.
final class WordingSpeedTests: XCTestCase {
    func testTenThousandEntryDictionary() throws {
        let pages = try ["pingtan-column-ghxx-gzjzqk.html", "bjchy-index.html", "ccgp-article-zhijiang-cjgg.html", "yichun-article-tjgb-2022.html"]
            .map { [UInt8](try Data(contentsOf: RealPage.url($0))) }
        // 10,000 distinct four-character entries that real text does not contain.
        var lines: [String] = []
        var rng = SystemRandomNumberGenerator()
        var seen = Set<String>()
        while lines.count < 10_000 {
            let w = String(String.UnicodeScalarView((0..<4).map { _ in Unicode.Scalar(UInt32.random(in: 0x4E00...0x9FA5, using: &rng))! }))
            if seen.insert(w).inserted { lines.append("\(w),正确\(lines.count),common") }
        }
        let dict = try WordingDictionary(entries: []).adding(lines: lines, file: "bench")
        XCTAssertEqual(dict.entries.count, 10_000)
        let rounds = 20
        var start = Date()
        var models: [PageModel] = []
        for r in 0..<rounds { for p in pages { let m = PageParser.parse(p, url: "http://h/p.html", contentType: nil); if r == 0 { models.append(m) } } }
        let parse = Date().timeIntervalSince(start) / Double(rounds * pages.count)
        let rule = WordingRule()
        var context = PageContext(profile: try Profile.bundled(name: "national-2019"), asOf: Day(iso: "2022-11-01")!, url: "http://h/", depth: 1)
        context.content = ContentData(wording: dict)
        start = Date()
        var hits = 0
        for _ in 0..<rounds { for m in models { hits += rule.notes(in: m, context: context).count } }
        let scan = Date().timeIntervalSince(start) / Double(rounds * pages.count)
        print(
            String(
                format: "WordingSpeed: 10000 entries, parse %.2f ms/page, dictionary pass %.3f ms/page (%.1f%% of parse), %d hits",
                parse * 1000, scan * 1000, scan / parse * 100, hits))
    }
}
