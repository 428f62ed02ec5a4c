import Foundation
import LocalServer
import Sweep
import Vocabulary
import XCTest

/// The site-search check in a whole sweep: the query goes out after the crawl through the
/// sweep's client, keeps to robots.txt, and `--no-search` sends none.
final class SearchSweepTests: XCTestCase {
    static let home = """
        <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>示例区人民政府</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
        <div class="header"><form class="search" action="/search/" method="get"><label for="q">站内搜索</label><input id="q" type="text" name="q"></form></div>
        <div class="news"><ul><li><a href="/xwdt/202211/t20221101_1.html">区政府召开第十二次常务会议研究部署重点工作</a> 2022-11-01</li></ul></div>
        </body></html>
        """
    static let article = """
        <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>区政府召开第十二次常务会议研究部署重点工作</title></head>
        <body><h1>区政府召开第十二次常务会议研究部署重点工作</h1><p>发布时间：2022-11-01</p><p>会议研究部署了近期重点工作。</p></body></html>
        """

    func sweep(robots: String = "", search: Bool = true, searchURL: String? = nil) async throws -> (findings: [[String: Any]], queries: Int, paths: [String]) {
        let server = try LocalServer { req in
            switch req.path {
            case "/": .html(Self.home)
            case "/robots.txt": .text(robots)
            case "/xwdt/202211/t20221101_1.html": .html(Self.article)
            case "/search/", "/jsearch/":
                .html("<html><body><ul class=\"result\"><li><a href=\"/xwdt/202211/t20221101_1.html\">区政府召开第十二次常务会议研究部署重点工作</a></li></ul></body></html>")
            default: .html("<h1>Not Found</h1>", status: 404)
            }
        }
        defer { server.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var settings = SweepSettings(startURLs: [CrawlURL(server.baseURL)!], asOf: Day(iso: "2022-11-02")!)
        settings.out = dir.appendingPathComponent("out").path
        settings.storePath = dir.appendingPathComponent("s.sqlite").path
        settings.search = search
        settings.searchURL = searchURL?.replacingOccurrences(of: "{base}", with: server.baseURL)
        settings.quiet = true
        try settings.loadInputs()
        _ = try await SweepJob(settings: settings, printSummary: false).run()
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/findings.json"))) as? [String: Any])
        let findings = (json["findings"] as? [[String: Any]] ?? []).filter { $0["indicator"] as? String == "search" }
        let queries = server.requests.filter { $0.path.hasSuffix("search/") }
        return (findings, queries.count, queries.map(\.target))
    }

    func testTheQueryFindsThePage() async throws {
        let r = try await sweep()
        XCTAssertEqual(r.queries, 1, "one query; the second only when the first finds nothing")
        XCTAssertEqual(r.findings.count, 0, "\(r.findings)")
    }

    func testRobotsDisallowingSearchIsKept() async throws {
        let r = try await sweep(robots: "User-agent: *\nDisallow: /search/\n")
        XCTAssertEqual(r.queries, 0)
        XCTAssertEqual(r.findings.map { $0["subject"] as? String }, ["unchecked"])
        XCTAssertEqual(r.findings.first?["severity"] as? String, "advice")
    }

    func testSearchURLFromTheSiteFileWinsOverTheForm() async throws {
        let r = try await sweep(searchURL: "{base}jsearch/?w={query}&site=1")
        XCTAssertEqual(r.queries, 1)
        XCTAssertTrue(r.paths[0].hasPrefix("/jsearch/?w=%E5%8C%BA") && r.paths[0].hasSuffix("&site=1"), "\(r.paths)")
        XCTAssertEqual(r.findings.count, 0, "\(r.findings)")
    }

    func testBadSearchURLIsABadInput() throws {
        var settings = SweepSettings(startURLs: [CrawlURL("http://127.0.0.1:1/")!], asOf: Day(iso: "2022-11-02")!)
        settings.searchURL = "http://127.0.0.1:1/s?q="
        XCTAssertThrowsError(try settings.loadInputs()) { e in
            XCTAssertTrue("\(e)".contains("--search-url"), "\(e)")
        }
    }

    func testNoSearchSendsNothing() async throws {
        let r = try await sweep(search: false)
        XCTAssertEqual(r.queries, 0)
        XCTAssertEqual(r.findings.count, 0)
    }
}
