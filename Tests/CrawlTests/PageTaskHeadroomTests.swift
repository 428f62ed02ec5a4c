import Fetch
import Foundation
import LocalServer
import Logging
import Store
import Vocabulary
import XCTest

@testable import Crawl

/// The crawl keeps more pages in hand than it has requests in flight (`processingHeadroom`),
/// so that pages are parsed while the next ones are fetched; the requests stay within
/// `--concurrency` and `--per-host` all the same.
final class PageTaskHeadroomTests: XCTestCase {
    func testRequestsStayWithinTheLimitsWhileMorePagesAreInHand() async throws {
        let pages = 40
        let site = try LocalServer { req in
            if req.path == "/" {
                return .html("<html><body>" + (1...pages).map { "<a href=\"/p/\($0).html\">\($0)</a>" }.joined() + "</body></html>")
            }
            usleep(20_000)  // slow enough that every request overlaps others
            return .html("<html><body><a href=\"/\">首页</a> <p>\(req.path)</p></body></html>")
        }
        defer { site.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("t.sqlite").path)
        let id = try store.createRun(RunRecord(sites: [site.baseURL], asOf: Day(iso: "2022-11-01")!, startedAt: "2022-11-01T08:00:00+08:00"))

        var options = CrawlOptions(startURLs: [CrawlURL(site.baseURL)!], asOfYear: 2022)
        options.useSitemaps = false
        options.concurrency = 3
        var fetch = FetchConfiguration()
        fetch.maxConcurrency = 3
        fetch.perHostConcurrency = 3
        let client = try HTTPClient(configuration: fetch)
        defer { client.shutdown() }
        let crawler = try Crawler(options: options, client: client, store: store, logger: Logger(label: "test"))
        let summary = try await crawler.run(runID: id, resume: false)

        XCTAssertGreaterThanOrEqual(Crawler.processingHeadroom, 96)
        XCTAssertEqual(summary.fetched, pages + 1)
        XCTAssertEqual(summary.failed, 0)
        XCTAssertLessThanOrEqual(site.maxConcurrentRequests, 3)
        XCTAssertGreaterThanOrEqual(site.maxConcurrentRequests, 2)
    }
}
