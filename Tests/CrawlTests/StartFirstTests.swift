import Fetch
import Foundation
import LocalServer
import Logging
import Store
import Synchronization
import XCTest
@testable import Crawl
@testable import Vocabulary

/// The start pages are crawled before the sitemap's URLs, so what a start page links to is
/// depth 1 however slowly the start page arrives (the home-page rule dates undated items by
/// their depth-1 articles: a depth that depends on which fetch ends first changed its verdict).
final class StartFirstTests: XCTestCase {
    func testPagesLinkedFromASlowHomePageAreDepthOne() async throws {
        let page: @Sendable (String) -> ServerResponse = { .html("<html><body>\($0)</body></html>") }
        let site = try LocalServer { req in
            switch req.path {
            case "/":
                // The home page takes 0.3 s (written twice, 0.3 s apart); the sitemap's pages,
                // which also link to the article, arrive at once.
                let html = Array("<html><body><ul><li><a href=\"/art.html\">区政府召开常务会议</a></li></ul></body></html>".utf8)
                return .stream(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], chunk: html, count: 2, delay: 0.3)
            case "/robots.txt": return .text("User-agent: *\nSitemap: /sitemap.xml\n")
            case "/sitemap.xml":
                let locs = (1...8).map { "<url><loc>/s\($0).html</loc></url>" }.joined()
                return .full(
                    status: 200, headers: [("Content-Type", "application/xml")],
                    body: Array("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\(locs)</urlset>".utf8))
            case "/art.html": return page("文章")
            default:
                return req.path.hasPrefix("/s") ? .html("<html><body><a href=\"/art.html\">文章</a></body></html>") : .status(404)
            }
        }
        defer { site.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("startfirst-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("t.sqlite").path)
        let client = try HTTPClient()
        defer { client.shutdown() }
        let depths = Mutex<[String: Int]>([:])
        let crawler = try Crawler(
            options: CrawlOptions(startURLs: [CrawlURL(site.baseURL)!], asOfYear: 2022), client: client,
            store: store, logger: Logger(label: "test"),
            onPage: { p in depths.withLock { $0[p.url.string] = p.depth } })
        let run = try store.createRun(RunRecord(sites: [site.baseURL], asOf: Day(iso: "2022-11-01")!, startedAt: "2022-11-01T08:00:00+08:00"))
        let summary = try await crawler.run(runID: run, resume: false)
        XCTAssertEqual(summary.fetched, 10)  // the home page, eight sitemap pages, the article
        let seen = depths.withLock { $0 }
        XCTAssertEqual(seen[site.baseURL + "art.html"], 1, "linked from the home page: depth 1 (\(seen))")
        XCTAssertEqual(seen[site.baseURL + "s1.html"], 1)
    }
}
