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

/// A hostile or broken site costs bounded time and memory and is reported, not fatal.
final class HostileSiteTests: XCTestCase {
    func testHostileResponsesAreBoundedAndReported() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let site = try LocalServer { req in
            switch req.path {
            case "/":
                return .html(
                    """
                    <html><body>
                    <a href="/loop">循环</a> <a href="/endless/0">无尽重定向</a> <a href="/huge.html">巨大页面</a>
                    <a href="/slow.html">慢</a> <a href="/binary.html">二进制</a> <a href="/gbk.html">错误编码</a>
                    <a href="/reset.html">重置</a> <a href="/trap/a/b/">陷阱</a> <a href="/drip.html">滴漏</a>
                    </body></html>
                    """)
            case "/loop": return .redirect("/loop")
            case let p where p.hasPrefix("/endless/"):
                let n = Int(p.dropFirst(9)) ?? 0
                return .redirect("/endless/\(n + 1)")
            case "/huge.html":
                // 1 GB announced and streamed as text/html.
                let chunk = Array(String(repeating: "<p>政府信息公开</p>\n", count: 2048).utf8)
                return .stream(
                    status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], chunk: chunk,
                    count: (1 << 30) / chunk.count, delay: 0)
            case "/slow.html": return .hang(seconds: 30)
            case "/drip.html":
                return .stream(status: 200, headers: [("Content-Type", "text/html")], chunk: Array("<p>x</p>".utf8), count: 1000, delay: 0.05)
            case "/binary.html":
                var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
                for i in 0..<100_000 { bytes.append(UInt8(truncatingIfNeeded: i &* 7919)) }
                return .full(status: 200, headers: [("Content-Type", "text/html")], body: bytes)
            case "/gbk.html":
                // GBK declared, with invalid byte pairs in the middle, then a link that must still be found.
                var b = Array("<html><head><meta charset=\"gbk\"><title>".utf8)
                b += [0xD5, 0xFE, 0xB8, 0xAE]  // 政府
                b += Array("</title></head><body>".utf8) + [0xFF, 0xFF, 0x81, 0x20] + Array("<a href=\"/after-bad-bytes.html\">x</a></body></html>".utf8)
                return .full(status: 200, headers: [("Content-Type", "text/html")], body: b)
            case "/after-bad-bytes.html": return .html("<html><body>ok</body></html>")
            case "/reset.html": return .reset
            case let p where p.hasPrefix("/trap/"):
                // Every page links one level deeper with the same segments: /trap/a/b/a/b/...
                return .html("<html><body><a href=\"a/b/\">更多</a></body></html>")
            default: return .status(404)
            }
        }
        defer { site.stop() }
        var config = FetchConfiguration()
        config.totalTimeout = 2
        config.connectTimeout = 1
        config.maxBodyBytes = 2 * 1024 * 1024
        let client = try HTTPClient(configuration: config)
        defer { client.shutdown() }
        let store = try SQLiteStore(path: dir.appendingPathComponent("s.sqlite").path)
        let run = try store.createRun(RunRecord(sites: [site.baseURL], asOf: Day(iso: "2022-11-01")!, startedAt: "x"))
        var options = CrawlOptions(startURLs: [CrawlURL(site.baseURL)!], asOfYear: 2022)
        options.useSitemaps = false
        let started = Date()
        let summary = try await Crawler(options: options, client: client, store: store, logger: Logger(label: "t"))
            .run(runID: run, resume: false)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThan(elapsed, 15, "bounded time")

        let pages = Dictionary(try store.pages(run: run).map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        let base = site.baseURL
        XCTAssertEqual(pages[base + "loop"]?.reason, .failure(.redirectLoop))
        XCTAssertEqual(pages[base + "endless/0"]?.reason, .failure(.tooManyRedirects))
        XCTAssertEqual(pages[base + "huge.html"]?.linkClass, .ok)
        XCTAssertTrue(pages[base + "huge.html"]?.reason == .truncated(.status(200)))
        XCTAssertLessThanOrEqual(pages[base + "huge.html"]?.bytes ?? .max, 2 * 1024 * 1024)
        XCTAssertEqual(pages[base + "slow.html"]?.reason, .failure(.timeout))
        XCTAssertEqual(pages[base + "drip.html"]?.reason, .failure(.timeout))
        XCTAssertEqual(pages[base + "reset.html"]?.linkClass, .broken)
        XCTAssertNil(pages[base + "binary.html"]?.title, "binary labelled text/html is not parsed")
        XCTAssertEqual(pages[base + "gbk.html"]?.title, "政府", "GBK decoded around invalid bytes")
        XCTAssertEqual(pages[base + "after-bad-bytes.html"]?.linkClass, .ok, "the page after invalid bytes is still parsed")
        XCTAssertGreaterThan(summary.skippedByReason["trap-repeat"] ?? 0, 0)
        XCTAssertLessThan(site.requests.filter { $0.path.hasPrefix("/trap/") }.count, 5)

        let targets = try store.linkTargets(run: run, scope: [CrawlURL(base)!.authority])
        XCTAssertEqual(Set(targets.map(\.url)), [base + "loop", base + "endless/0", base + "slow.html", base + "drip.html", base + "reset.html"])
    }
}
