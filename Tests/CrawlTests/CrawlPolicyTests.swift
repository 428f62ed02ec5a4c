@testable import Crawl
import Vocabulary
import XCTest

/// The crawl's policy decides about URLs without a request: scope, filters, robots.txt,
/// traps, depth and the page budget, in that order, each skip counted by its reason.
final class CrawlPolicyTests: XCTestCase {
    func policy(maxPages: Int = 2, maxDepth: Int = 3, exclude: [String] = [], checkExternal: Bool = true) throws -> CrawlPolicy {
        var options = CrawlOptions(startURLs: [CrawlURL("http://a.gov.cn/")!], asOfYear: 2026)
        options.maxPages = maxPages
        options.maxDepth = maxDepth
        options.checkExternal = checkExternal
        var p = CrawlPolicy(options: options, include: [], exclude: try exclude.map { try NSRegularExpressionBox($0) })
        p.robots["a.gov.cn"] = Robots(parsing: Array("User-agent: *\nDisallow: /internal/\n".utf8))
        return p
    }

    func testEachReasonIsCountedAndTheBudgetSpentOnCrawledPagesOnly() throws {
        var p = try policy(exclude: ["\\.do$"])
        let u = { (s: String) in CrawlURL("http://a.gov.cn" + s)! }
        XCTAssertEqual(p.admit(u("/internal/x.html"), depth: 1, crawl: true, inScope: true), .skip(.robots))
        XCTAssertEqual(p.admit(u("/q.do"), depth: 1, crawl: true, inScope: true), .skip(.excluded))
        XCTAssertEqual(p.admit(u("/deep/"), depth: 4, crawl: true, inScope: true), .skip(.maxDepth))
        XCTAssertEqual(p.admit(u("/a.pdf"), depth: 4, crawl: false, inScope: true), .check)
        XCTAssertEqual(p.admit(u("/1/"), depth: 1, crawl: true, inScope: true), .crawl)
        XCTAssertEqual(p.admit(u("/2/"), depth: 1, crawl: true, inScope: true), .crawl)
        XCTAssertEqual(p.admit(u("/3/"), depth: 1, crawl: true, inScope: true), .skip(.maxPages))
        XCTAssertEqual(p.budget, 0)
        XCTAssertEqual(p.skipped, ["robots": 1, "excluded": 1, "max-depth": 1, "max-pages": 1])
    }

    func testExternalLinksAreCheckedOrDroppedNeverCounted() throws {
        let far = CrawlURL("http://b.gov.cn/x")!
        var checking = try policy(), dropping = try policy(checkExternal: false)
        XCTAssertEqual(checking.admit(far, depth: 1, crawl: true, inScope: false), .check)
        XCTAssertEqual(dropping.admit(far, depth: 1, crawl: true, inScope: false), .drop)
        let long = CrawlURL("http://a.gov.cn/" + String(repeating: "a", count: 9000))!
        XCTAssertEqual(dropping.admit(long, depth: 1, crawl: true, inScope: true), .check)
        XCTAssertEqual(checking.skipped, [:])
        XCTAssertEqual(dropping.budget, 2)
    }
}
