import Fetch
import Foundation
import LocalServer
import Logging
import Store
import Synchronization
import XCTest
@testable import Crawl
@testable import Vocabulary

/// robots.txt in a crawl: sitemaps are not exempt, and a huge file is read up to 500 KiB.
final class RobotsCrawlTests: XCTestCase {
    var dir: URL!

    override func setUp() async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("robotscrawl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// A site whose robots.txt is `robots`, with a home page linking /a.html, /private/x.html and /privacy.html.
    func site(robots: @escaping @Sendable (ServerRequest) -> ServerResponse) throws -> LocalServer {
        try LocalServer { req in
            switch req.path {
            case "/robots.txt": return robots(req)
            case "/":
                return .html("<html><body><a href=\"/a.html\">a</a> <a href=\"/private/x.html\">x</a> <a href=\"/privacy.html\">隐私</a></body></html>")
            case "/a.html", "/private/x.html", "/privacy.html", "/orphan.html": return .html("<html><body>page</body></html>")
            case "/sitemap.xml", "/maps/index.xml":
                let host = req.headers["host"].map { "http://\($0)" } ?? ""
                return .full(
                    status: 200, headers: [("Content-Type", "application/xml")],
                    body: Array(
                        """
                        <?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                        <url><loc>\(host)/orphan.html</loc></url></urlset>
                        """.utf8))
            default: return .status(404)
            }
        }
    }

    func crawl(_ server: LocalServer, logger: Logger = Logger(label: "t")) async throws -> CrawlSummary {
        let store = try SQLiteStore(path: dir.appendingPathComponent("\(UUID().uuidString).sqlite").path)
        let options = CrawlOptions(startURLs: [CrawlURL(server.baseURL)!], asOfYear: 2022)
        let client = try HTTPClient()
        defer { client.shutdown() }
        let run = try store.createRun(RunRecord(sites: [server.baseURL], asOf: Day(iso: "2022-11-01")!, startedAt: "x"))
        return try await Crawler(options: options, client: client, store: store, logger: logger).run(runID: run, resume: false)
    }

    /// RFC 9309 exempts /robots.txt alone: a disallowed /sitemap.xml, or a disallowed sitemap
    /// that robots.txt names, is never requested.
    func testDisallowedSitemapIsNotRequested() async throws {
        let plain = try site { _ in .text("User-agent: *\nDisallow: /sitemap.xml\nDisallow: /private/\n") }
        defer { plain.stop() }
        _ = try await crawl(plain)
        var paths = plain.requests.map(\.path)
        XCTAssertTrue(paths.contains("/robots.txt"))
        XCTAssertTrue(paths.contains("/a.html"))
        XCTAssertFalse(paths.contains("/sitemap.xml"), "a disallowed /sitemap.xml must not be requested")
        XCTAssertFalse(paths.contains("/orphan.html"))

        let named = try site { _ in .text("User-agent: *\nDisallow: /maps/\nSitemap: /maps/index.xml\n") }
        defer { named.stop() }
        _ = try await crawl(named)
        paths = named.requests.map(\.path)
        XCTAssertFalse(paths.contains("/maps/index.xml"), "a disallowed sitemap named in robots.txt must not be requested")
        XCTAssertFalse(paths.contains("/sitemap.xml"))

        // Allowed, the same sitemap seeds the crawl (the check is the robots rule, not the name).
        let open = try site { _ in .text("User-agent: *\nDisallow: /maps/private/\nSitemap: /maps/index.xml\n") }
        defer { open.stop() }
        _ = try await crawl(open)
        XCTAssertTrue(open.requests.map(\.path).contains("/orphan.html"))
    }

    /// A 50 MB robots.txt (a CRLF file) is read up to 500 KiB: the rules there apply, the cut
    /// last line ("Disallow: /pri") is not a rule, and one warning says the rest was ignored.
    func testHugeRobotsTxtIsReadUpTo500KiB() async throws {
        // 47 bytes a group; 512,000 = 10,893 groups and 29 bytes: the cut is after "Disallow: /pri".
        let group = "User-agent: *\r\nDisallow: /private/\r\n# padding\r\n"
        XCTAssertEqual(Robots.maxBytes % group.utf8.count, 29)
        let chunk = Array(String(repeating: group, count: 100).utf8)
        let server = try site { _ in
            .stream(status: 200, headers: [("Content-Type", "text/plain")], chunk: chunk, count: 50_000_000 / chunk.count, delay: 0)
        }
        defer { server.stop() }
        let log = LogCapture()
        let started = Date()
        let summary = try await crawl(server, logger: Logger(label: "t") { _ in log })
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "the rest of the 50 MB is not read")
        let paths = server.requests.map(\.path)
        XCTAssertFalse(paths.contains("/private/x.html"))
        XCTAssertTrue(paths.contains("/privacy.html"), "the cut last line \"Disallow: /pri\" must not count")
        XCTAssertEqual(summary.skippedByReason["robots"], 1)
        let warnings = log.messages.filter { $0.contains("500 KiB") }
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
    }
}

/// Keeps what is logged, for tests that check a warning.
struct LogCapture: LogHandler {
    final class Lines: Sendable { let lines = Mutex<[String]>([]) }
    let kept = Lines()
    var messages: [String] { kept.lines.withLock { $0 } }
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        kept.lines.withLock { $0.append("\(event.level): \(event.message)") }
    }
}
