import Fetch
import Foundation
import Inspect
import LocalServer
import Logging
import Store
import XCTest
@testable import Crawl
@testable import Vocabulary
import Sweep

/// Real-world robots.txt and sitemaps cost time bounded by the page budget, and what is cut
/// is counted; every link found ends fetched, checked or counted with a reason.
final class SitemapSweepTests: XCTestCase {
    /// The issue's hostile site: a 50 MB robots.txt, a sitemap index that lists itself, and a
    /// streamed 1,000,000-URL sitemap (57 MB), swept with a 5,000-page budget. It hung for
    /// more than 13 minutes before; now the robots.txt is read up to 500 KiB, the sitemap up to
    /// 50 MB and 50,000 URLs, and no more than the budget is queued.
    func testHugeRobotsSelfListingIndexAndMillionURLSitemap() async throws {
        let entries = 1_000_000, perChunk = 1000
        let site = try LocalServer { req in
            switch req.path {
            case "/robots.txt":
                // 50 MB of rules in the group that applies: read up to 500 KiB (RFC 9309), compiled
                // once, then checked for each of the sitemap's URLs.
                let head = "User-agent: *\nDisallow: /private/\nSitemap: /sitemap-index.xml\n"
                let line = Array(String(repeating: "Disallow: /archive/2019/12/31/page-000000.html\n", count: 1024).utf8)
                return .generated(status: 200, headers: [("Content-Type", "text/plain")], count: 50 * 1024 * 1024 / line.count + 1) {
                    $0 == 0 ? Array(head.utf8) : line
                }
            case "/sitemap-index.xml":
                return .text(
                    """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                    <sitemap><loc>/sitemap-index.xml</loc></sitemap>
                    <sitemap><loc>\(req.headers["host"].map { "http://\($0)" } ?? "")/sitemap-index.xml</loc></sitemap>
                    <sitemap><loc>\(req.headers["host"].map { "http://\($0)" } ?? "")/sitemap-all.xml</loc></sitemap>
                    </sitemapindex>
                    """, contentType: "application/xml")
            case "/sitemap-all.xml":
                let host = req.headers["host"] ?? ""
                let last = entries / perChunk + 1
                return .generated(status: 200, headers: [("Content-Type", "application/xml")], count: last + 1) { i in
                    if i == 0 {
                        return Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n".utf8)
                    }
                    if i == last { return Array("</urlset>\n".utf8) }
                    var s = ""
                    for n in (i - 1) * perChunk..<i * perChunk {
                        s += "<url><loc>http://\(host)/p/\(n).html</loc></url>\n"
                    }
                    return Array(s.utf8)
                }
            case "/":
                return .html("<html><body><a href=\"/p/0.html\">首页</a></body></html>")
            case let p where p.hasPrefix("/p/"):
                return .html("<html><head><title>\(p)</title></head><body><a href=\"/\">首页</a></body></html>")
            default:
                return .status(404)
            }
        }
        defer { site.stop() }
        let (summary, store, run, dir) = try await sweep(site, maxPages: 5000, useSitemaps: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        XCTAssertLessThanOrEqual(summary.fetched + summary.failed, 5000)
        XCTAssertGreaterThan(summary.fetched, 4000, "the sitemap's pages are swept up to the budget")
        let cut = summary.skippedByReason
        XCTAssertEqual(cut["sitemap-cycle"], 2, "the index listing itself (twice) is read once")
        XCTAssertEqual(cut["sitemap-too-large"], 1, "57 MB: read up to 50 MB")
        XCTAssertEqual(cut["sitemap-max-pages"], 50_000 - 5000 + 1, "entries of the file past the budget (the home page took one)")
        XCTAssertGreaterThan(cut["sitemap-url-limit"] ?? 0, 800_000, "entries past the 50,000 a file may list, up to the cap")
        XCTAssertEqual(site.requests.filter { $0.path == "/sitemap-index.xml" }.count, 1)
        XCTAssertEqual(site.requests.filter { $0.path == "/sitemap-all.xml" }.count, 1)
        XCTAssertEqual(summary.skipped, cut.values.reduce(0, +))
        XCTAssertEqual(try store.pages(run: run).filter { $0.url.hasSuffix("/private/") }.count, 0)
    }

    /// A link of 20,000 characters (in scope and out) is a link-broken advice, not requested; an
    /// ftp: link and an href that is no URL are counted with their reason; javascript:, mailto:
    /// and tel: are not links to count. (The long link vanished before: in scope it was a
    /// trap-length skip that no output showed.)
    func testEveryLinkIsAccountedFor() async throws {
        let long = "/search?q=" + String(repeating: "%E6%94%BF", count: 20_000 / 9)
        let site = try LocalServer { req in
            switch req.path {
            case "/":
                return .html(
                    """
                    <html><body>
                    <a href="\(long)">很长的链接</a> <a href="http://other.example.cn\(long)">外部很长的链接</a>
                    <a href="/mid?q=\(String(repeating: "x", count: 2000))">2 KB</a>
                    <a href="ftp://ftp.example.cn/pub/a.zip">FTP</a> <a href="http://exa mple.cn:99999/">坏地址</a>
                    <a href="javascript:void(0)">脚本</a> <a href="mailto:a@b.cn">邮件</a> <a href="tel:12345">电话</a>
                    <a href="/a.html">正常</a>
                    </body></html>
                    """)
            case "/a.html": return .html("<html><body><a href=\"ftp://ftp.example.cn/pub/a.zip\">FTP again</a></body></html>")
            default: return .status(404)
            }
        }
        defer { site.stop() }
        let (summary, store, run, dir) = try await sweep(site, maxPages: 100, useSitemaps: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(summary.fetched, 2)
        XCTAssertEqual(summary.skippedByReason["trap-length"], 1, "over 1 KiB in scope: taken for a trap, counted")
        XCTAssertEqual(summary.skippedByReason["unsupported-scheme"], 1, "counted once in the sweep")
        XCTAssertEqual(summary.skippedByReason["unparseable-url"], 1)
        XCTAssertEqual(summary.skipped, 3)
        XCTAssertFalse(site.requests.contains { $0.path.hasPrefix("/search") })
        // The two links over 8 KiB are not requested (no DNS lookup of other.example.cn either):
        // each is a link-broken advice naming the page.
        XCTAssertEqual(summary.checked, 2)
        let targets = try store.linkTargets(run: run, scope: [CrawlURL(site.baseURL)!.authority])
        let findings = LinkBrokenRule().findings(targets: targets, homePages: [site.baseURL], departments: DepartmentMap())
        XCTAssertEqual(findings.count, 2)
        for f in findings {
            XCTAssertEqual(f.severity, .advice)
            XCTAssertEqual(f.foundOn, [site.baseURL])
            XCTAssertEqual(f.evidence["reason"], .string("url-too-long"))
            XCTAssertTrue(f.message.hasPrefix("链接地址过长（"), f.message)
        }
    }

    private func sweep(
        _ site: LocalServer, maxPages: Int, useSitemaps: Bool, checkExternal: Bool = true
    ) async throws
        -> (CrawlSummary, SQLiteStore, Int64, URL)
    {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sitemap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let client = try HTTPClient(configuration: FetchConfiguration())
        defer { client.shutdown() }
        let store = try SQLiteStore(path: dir.appendingPathComponent("s.sqlite").path)
        let run = try store.createRun(RunRecord(sites: [site.baseURL], asOf: Day(iso: "2022-11-01")!, startedAt: "x"))
        var options = CrawlOptions(startURLs: [CrawlURL(site.baseURL)!], asOfYear: 2022)
        options.maxPages = maxPages
        options.useSitemaps = useSitemaps
        options.checkExternal = checkExternal
        let summary = try await Crawler(options: options, client: client, store: store, logger: Logger(label: "t"))
            .run(runID: run, resume: false)
        return (summary, store, run, dir)
    }
}
