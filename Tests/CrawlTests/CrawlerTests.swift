import Fetch
import Foundation
import Inspect
import LocalServer
import Logging
import Store
import Synchronization
import XCTest
@testable import Crawl
@testable import Vocabulary
import Sweep

/// A small site with one defect and one look-alike of each kind the crawl engine must tell apart.
final class CrawlerTests: XCTestCase {
    var site: LocalServer!
    var external: LocalServer!
    var dir: URL!

    override func setUp() async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crawltests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        external = try LocalServer { req in
            switch req.path {
            case "/ok.html": return .html("<html><body><a href=\"/deeper.html\">deeper</a></body></html>")
            case "/forbidden": return .status(403)
            case "/slowdown": return .full(status: 429, headers: [("Retry-After", "3600")], body: [])
            default: return .status(404)
            }
        }
        let ext = external.baseURL
        site = try LocalServer { req in
            switch req.path {
            case "/":
                return .html(
                    """
                    <html lang="zh-CN"><head><title>首页</title></head><body>
                    <a href="/a.html">要闻</a> <a href="b.html">通知</a> <a href="/missing.html">坏链</a>
                    <a href="/old">旧地址</a> <a href="/bm/招生公告.html">招生公告</a>
                    <img src="/img/logo.png" alt="标志"> <img src="/img/gone.png" alt="">
                    <a href="/private/secret.html">内部</a>
                    <a href="\(ext)ok.html">外链</a> <a href="\(ext)gone.html">外部坏链</a>
                    <a href="\(ext)forbidden">禁止</a> <a href="\(ext)slowdown">限流</a>
                    <a href="/cal?year=2022">日历</a>
                    <a href="/files/report.pdf">附件</a>
                    </body></html>
                    """)
            case "/a.html": return .html("<html><body><a href=\"/\">首页</a><a href=\"/missing.html\">坏链</a><a href=\"/a.html#top\">顶部</a></body></html>")
            case "/b.html": return .html("<html><body><a href=\"/a.html\">要闻</a></body></html>")
            case "/old": return .redirect("/a.html", status: 301)
            case "/bm/招生公告.html": return .html("<html><body>招生</body></html>")
            case "/img/logo.png": return .full(status: 200, headers: [("Content-Type", "image/png")], body: [0x89, 0x50, 0x4E, 0x47])
            case "/files/report.pdf":
                return .full(status: req.method == "HEAD" ? 405 : 200, headers: [("Content-Type", "application/pdf")], body: Array("%PDF-1.4".utf8))
            case "/private/secret.html": return .html("<html><body>secret</body></html>")
            case "/orphan.html": return .html("<html><body>only in the sitemap</body></html>")
            case "/robots.txt": return .text("User-agent: *\nDisallow: /private/\nSitemap: /sitemap.xml\n")
            case "/sitemap.xml":
                return .full(
                    status: 200, headers: [("Content-Type", "application/xml")],
                    body: Array(
                        """
                        <?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                        <url><loc>\(req.headers["host"].map { "http://\($0)" } ?? "")/orphan.html</loc></url></urlset>
                        """.utf8))
            case "/cal":
                // An endless calendar: every page links to the next year.
                let year = Int(req.query?.split(separator: "=").last ?? "2022") ?? 2022
                return .html("<html><body><a href=\"/cal?year=\(year + 1)\">下一年</a></body></html>")
            default: return .status(404)
            }
        }
    }

    override func tearDown() async throws {
        site.stop()
        external.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    func makeStore() throws -> SQLiteStore { try SQLiteStore(path: dir.appendingPathComponent("t.sqlite").path) }

    final class Parsed: Sendable {
        let urls = Mutex<[String]>([])
    }
    let parsed = Parsed()

    func crawl(
        maxPages: Int = 1000, store: any RunStore, resume: Bool = false, runID: Int64? = nil,
        ignoreRobots: Bool = false
    ) async throws -> (CrawlSummary, Int64) {
        var options = CrawlOptions(startURLs: [CrawlURL(site.baseURL)!], asOfYear: 2022)
        options.maxPages = maxPages
        options.ignoreRobots = ignoreRobots
        let client = try HTTPClient()
        defer { client.shutdown() }
        let id = try runID ?? store.createRun(RunRecord(sites: [site.baseURL], asOf: Day(iso: "2022-11-01")!, startedAt: "2022-11-01T08:00:00+08:00"))
        let parsed = self.parsed
        let crawler = try Crawler(
            options: options, client: client, store: store, logger: Logger(label: "test"),
            onPage: { page in parsed.urls.withLock { $0.append(page.url.string) } })
        return (try await crawler.run(runID: id, resume: resume), id)
    }

    /// Log records as a `--verbose` sweep writes them, kept for the test.
    final class LogRecords: Sendable {
        let records = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
        struct Handler: LogHandler {
            let box: LogRecords
            var logLevel: Logger.Level = .debug
            var metadata: Logger.Metadata = [:]
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                box.records.withLock { $0.append(("\(event.message)", event.metadata ?? [:])) }
            }
        }
    }

    /// The crawl's debug log carries its facts as swift-log metadata: each fetch and check its
    /// url, status, class and reason; each skip its url and reason.
    func testVerboseLogCarriesURLStatusAndReasonAsMetadata() async throws {
        let box = LogRecords()
        var options = CrawlOptions(startURLs: [CrawlURL(site.baseURL)!], asOfYear: 2022)
        options.useSitemaps = false
        let client = try HTTPClient()
        defer { client.shutdown() }
        let store = MemoryStore()
        let id = try store.createRun(RunRecord(sites: [site.baseURL], asOf: Day(iso: "2022-11-01")!, startedAt: "x"))
        let crawler = try Crawler(
            options: options, client: client, store: store,
            logger: Logger(label: "test", factory: { _ in LogRecords.Handler(box: box) }))
        _ = try await crawler.run(runID: id, resume: false)
        let records = box.records.withLock { $0 }
        func first(_ message: String, url: String) -> Logger.Metadata? {
            records.first { $0.message == message && $0.metadata["url"] == "\(url)" }?.metadata
        }
        let missing = try XCTUnwrap(first("fetch", url: site.baseURL + "missing.html"), "\(records.map(\.message))")
        XCTAssertEqual(missing["status"], "404")
        XCTAssertEqual(missing["class"], "broken")
        XCTAssertNotNil(missing["reason"])
        XCTAssertNotNil(missing["ms"])
        let forbidden = try XCTUnwrap(first("check", url: external.baseURL + "forbidden"))
        XCTAssertEqual(forbidden["status"], "403")
        XCTAssertEqual(forbidden["class"], "blocked")
        let secret = try XCTUnwrap(first("skip", url: site.baseURL + "private/secret.html"))
        XCTAssertEqual(secret["reason"], "robots")
    }

    /// The in-memory store answers as SQLite does: one crawl of the site into each, every
    /// read of the run compared (pages, links, resume frontier, broken-link sources, facts-free
    /// baseline pages), and a second run's first-seen dates after findings are saved.
    func testMemoryStoreAnswersAsSQLiteDoes() async throws {
        let sqlite = try makeStore(), memory = MemoryStore()
        let (_, a) = try await crawl(store: sqlite)
        let (_, b) = try await crawl(store: memory)
        func sorted(_ p: [PageRecord]) -> [PageRecord] {
            p.map {
                var r = $0; r.seconds = 0; return r
            }.sorted { $0.url < $1.url }
        }
        XCTAssertEqual(sorted(try sqlite.pages(run: a)), sorted(try memory.pages(run: b)))
        func key(_ l: LinkRecord) -> String { "\(l.from) \(l.to) \(l.kind) \(l.text)" }
        XCTAssertEqual(try sqlite.links(run: a).map(key).sorted(), try memory.links(run: b).map(key).sorted())
        XCTAssertEqual(try sqlite.pendingTargets(run: a), try memory.pendingTargets(run: b))
        XCTAssertEqual(try sqlite.fetchedURLs(run: a), try memory.fetchedURLs(run: b))
        XCTAssertEqual(try sqlite.brokenLinkSources(run: a), try memory.brokenLinkSources(run: b))
        XCTAssertFalse(try memory.brokenLinkSources(run: b).isEmpty)
        let sqliteBaseline = try sqlite.baselinePage(run: a, url: site.baseURL, key: 1, asOf: Day(iso: "2022-11-01")!)
        let memoryBaseline = try memory.baselinePage(run: b, url: site.baseURL, key: 1, asOf: Day(iso: "2022-11-01")!)
        XCTAssertEqual(sqliteBaseline?.links.storedTargets.count, memoryBaseline?.links.storedTargets.count)
        XCTAssertEqual(sqliteBaseline?.record.url, memoryBaseline?.record.url)
        for store in [sqlite, memory] as [any RunStore] {
            let first = try XCTUnwrap(try store.runs().first)
            var done = first
            done.status = .done
            try store.finishRun(done)
            let f = Finding(rule: "link.broken", indicator: .linkBroken, severity: .deduct, url: site.baseURL + "missing.html", message: "x")
            try store.saveFindings(run: first.id, [f])
            let next = try store.createRun(RunRecord(sites: first.sites, asOf: Day(iso: "2022-11-08")!, startedAt: "x"))
            try store.saveFindings(run: next, [f, Finding(rule: "r", indicator: .wording, severity: .advice, url: "u", message: "m")])
            XCTAssertEqual(try store.firstSeen(run: next).values.sorted(), ["2022-11-01", "2022-11-08"])
            XCTAssertEqual(try store.findingCounts(run: next), [.deduct: 1, .advice: 1])
            XCTAssertEqual(try store.unfinishedRun(sites: first.sites)?.id, next)
            XCTAssertEqual(try store.previousRun(sites: first.sites, before: next)?.id, first.id)
        }
    }

    func testCrawlFindsBrokenAndBlockedLinksAndNothingElse() async throws {
        let store = try makeStore()
        let (summary, run) = try await crawl(store: store)
        let scope: Set<String> = [CrawlURL(site.baseURL)!.authority]
        let targets = try store.linkTargets(run: run, scope: scope)
        let byURL = Dictionary(uniqueKeysWithValues: targets.map { ($0.url, $0) })
        let base = site.baseURL, ext = external.baseURL

        XCTAssertEqual(Set(byURL.keys), [base + "missing.html", base + "img/gone.png", ext + "gone.html", ext + "forbidden", ext + "slowdown"])
        XCTAssertEqual(byURL[base + "missing.html"]?.linkClass, .broken)
        XCTAssertEqual(Set(byURL[base + "missing.html"]!.sources.map(\.from)), [base, base + "a.html"])
        XCTAssertEqual(byURL[ext + "forbidden"]?.linkClass, .blocked)
        XCTAssertEqual(byURL[ext + "slowdown"]?.linkClass, .blocked)
        XCTAssertEqual(byURL[ext + "gone.html"]?.isInternal, false)

        let findings = LinkBrokenRule().findings(targets: targets, homePages: [base], departments: DepartmentMap())
        XCTAssertEqual(findings.filter { $0.severity == .deduct }.map(\.url).sorted(), [base + "img/gone.png", base + "missing.html"])
        XCTAssertEqual(findings.filter { $0.severity == .advice }.count, 3)

        // Pages: /, a, b, old (-> a), bm, orphan (from the sitemap), cal 2022 and 2023 (2024 is past as-of + 1).
        XCTAssertEqual(summary.failed, 1)  // /missing.html
        XCTAssertGreaterThanOrEqual(summary.skippedByReason["robots"] ?? 0, 1)
        XCTAssertGreaterThanOrEqual(summary.skippedByReason["trap-calendar"] ?? 0, 1)
        XCTAssertFalse(summary.noStartFetched)

        let paths = site.requests.map(\.path)
        XCTAssertFalse(paths.contains("/private/secret.html"), "robots.txt must be honoured")
        XCTAssertTrue(paths.contains("/orphan.html"), "sitemap URLs must seed the frontier")
        XCTAssertTrue(paths.contains("/bm/招生公告.html"), "Chinese file names must resolve")
        XCTAssertLessThanOrEqual(paths.filter { $0 == "/a.html" }.count, 2, "a page reached by a redirect and a link")
        XCTAssertEqual(parsed.urls.withLock { $0.filter { $0 == base + "a.html" }.count }, 1, "is parsed and inspected once")
        XCTAssertEqual(paths.filter { $0 == "/missing.html" }.count, 1, "a target is requested once per run")
        XCTAssertTrue(site.requests.contains { $0.path == "/files/report.pdf" && $0.method == "GET" }, "HEAD refused, GET fallback")
        XCTAssertFalse(external.requests.contains { $0.path == "/deeper.html" }, "external pages are checked, never crawled")
        XCTAssertFalse(external.requests.contains { $0.method == "GET" && $0.path == "/ok.html" && false })
    }

    func testIgnoreRobots() async throws {
        let store = try makeStore()
        _ = try await crawl(store: store, ignoreRobots: true)
        XCTAssertTrue(site.requests.map(\.path).contains("/private/secret.html"))
    }

    func testMaxPagesThenResumeDoesNotRefetch() async throws {
        let store = try makeStore()
        let (first, run) = try await crawl(maxPages: 2, store: store)
        XCTAssertEqual(first.fetched + first.failed, 2)
        XCTAssertGreaterThan(first.skippedByReason["max-pages"] ?? 0, 0)
        let before = site.requests.filter { $0.method == "GET" && $0.path == "/" }.count
        let (second, _) = try await crawl(store: store, resume: true, runID: run)
        XCTAssertTrue(second.resumed)
        XCTAssertEqual(site.requests.filter { $0.method == "GET" && $0.path == "/" }.count, before, "the home page was done: not refetched")
        XCTAssertTrue(site.requests.map(\.path).contains("/b.html"))
        let targets = try store.linkTargets(run: run, scope: [CrawlURL(site.baseURL)!.authority])
        XCTAssertTrue(targets.contains { $0.url == site.baseURL + "missing.html" })
    }

    func testUnreachableStart() async throws {
        let store = try makeStore()
        let dead = try LocalServer { _ in .status(200) }
        let url = dead.baseURL
        dead.stop()
        var options = CrawlOptions(startURLs: [CrawlURL(url)!], asOfYear: 2022)
        options.useSitemaps = false
        let client = try HTTPClient()
        defer { client.shutdown() }
        let run = try store.createRun(RunRecord(sites: [url], asOf: Day(iso: "2022-11-01")!, startedAt: "x"))
        let summary = try await Crawler(options: options, client: client, store: store, logger: Logger(label: "t")).run(runID: run, resume: false)
        XCTAssertTrue(summary.noStartFetched)
        XCTAssertEqual(summary.startFailures.count, 1)
    }

    /// robots.txt's Crawl-delay spaces the requests to its host (and --ignore-robots does not).
    func testCrawlDelayIsHonoured() async throws {
        let times = Mutex<[Double]>([])
        let delayed = try LocalServer { req in
            switch req.path {
            case "/robots.txt": return .text("User-agent: *\nCrawl-delay: 0.25\n")
            case "/":
                times.withLock { $0.append(Date().timeIntervalSince1970) }
                return .html("<html><body>" + (1...5).map { "<a href=\"/p\($0).html\">p</a>" }.joined() + "</body></html>")
            default:
                times.withLock { $0.append(Date().timeIntervalSince1970) }
                return .html("<html><body>page</body></html>")
            }
        }
        defer { delayed.stop() }
        for ignore in [false, true] {
            times.withLock { $0 = [] }
            let store = try makeStore()
            var options = CrawlOptions(startURLs: [CrawlURL(delayed.baseURL)!], asOfYear: 2022)
            options.useSitemaps = false
            options.ignoreRobots = ignore
            let client = try HTTPClient()
            defer { client.shutdown() }
            let run = try store.createRun(RunRecord(sites: [delayed.baseURL], asOf: Day(iso: "2022-11-01")!, startedAt: "x"))
            let summary = try await Crawler(options: options, client: client, store: store, logger: Logger(label: "t")).run(runID: run, resume: false)
            XCTAssertEqual(summary.fetched, 6)
            let t = times.withLock { $0 }.sorted()
            let gaps = zip(t.dropFirst(), t).map { $0 - $1 }
            if ignore {
                XCTAssertLessThan(t.last! - t.first!, 0.6, "no delay with --ignore-robots: \(gaps)")
            } else {
                XCTAssertEqual(gaps.count, 5)
                XCTAssertTrue(gaps.allSatisfy { $0 >= 0.2 }, "requests 0.25 s apart: \(gaps)")
            }
        }
    }

    /// An inspection that keeps [1, 2, 3] for every page and takes those back when `accept`.
    struct FixedFacts: PageInspection {
        let accept: Bool
        let parsed: Parsed, reused: Parsed
        func facts(of page: CrawledPage, storing settings: FactsSettings?) -> StoredFacts? {
            parsed.urls.withLock { $0.append(page.url.string) }
            return settings.map { StoredFacts(url: page.url.string, key: $0.key, asOf: nil, data: [1, 2, 3]) }
        }
        func reuse(url: String, facts: [UInt8]) -> Bool {
            guard accept, facts == [1, 2, 3] else { return false }
            reused.urls.withLock { $0.append(url) }
            return true
        }
    }

    /// One crawl of `site` into `store` that keeps facts ([1, 2, 3] for every page) and, with a
    /// baseline run, offers each unchanged page's facts for reuse (taken when `accept`). The
    /// run is marked done, so the next crawl can use it as its baseline.
    func reuseCrawl(
        site: String, store: SQLiteStore, baseline: Int64?, accept: Bool, sitemaps: Bool = true
    )
        async throws -> (CrawlSummary, parsed: [String], reused: [String])
    {
        var options = CrawlOptions(startURLs: [CrawlURL(site)!], asOfYear: 2022)
        options.useSitemaps = sitemaps
        options.facts = FactsSettings(key: 7, asOf: Day(year: 2022, month: 11, day: 1)!, baselineRun: baseline)
        let client = try HTTPClient()
        defer { client.shutdown() }
        let id = try store.createRun(RunRecord(sites: [site], asOf: Day(iso: "2022-11-01")!, startedAt: "x"))
        let parsed = Parsed(), reused = Parsed()
        let crawler = try Crawler(
            options: options, client: client, store: store, logger: Logger(label: "t"),
            inspection: FixedFacts(accept: accept, parsed: parsed, reused: reused))
        let summary = try await crawler.run(runID: id, resume: false)
        var run = try XCTUnwrap(try store.run(id: id))
        run.status = .done
        try store.finishRun(run)
        return (summary, parsed.urls.withLock { $0 }.sorted(), reused.urls.withLock { $0 }.sorted())
    }

    /// A re-crawl reuses the stored facts of unchanged pages instead of parsing them; when the
    /// facts cannot be taken in, the page is parsed after all (never left out).
    func testUnchangedPagesAreReusedAndUnreadableFactsAreParsed() async throws {
        let store = try makeStore()
        func crawl(baseline: Int64?, accept: Bool) async throws -> (CrawlSummary, parsed: [String], reused: [String]) {
            try await reuseCrawl(site: site.baseURL, store: store, baseline: baseline, accept: accept)
        }
        let first = try await crawl(baseline: nil, accept: true)
        XCTAssertFalse(first.parsed.isEmpty)
        XCTAssertTrue(first.reused.isEmpty)
        let second = try await crawl(baseline: 1, accept: true)
        XCTAssertEqual(second.reused, first.parsed, "every unchanged page reused")
        XCTAssertTrue(second.parsed.isEmpty, "\(second.parsed)")
        XCTAssertEqual(second.0.reused, first.parsed.count)
        XCTAssertEqual(second.0.fetched, first.0.fetched, "links of reused pages are followed")
        let third = try await crawl(baseline: 2, accept: false)
        XCTAssertEqual(third.parsed, first.parsed, "facts that cannot be taken in: every page parsed")
        XCTAssertEqual(third.0.reused, 0)
    }

    /// A page reached only through a redirect is reused too when it has not changed (it was
    /// parsed again whenever the redirect, not a link, reached it first).
    func testUnchangedPageBehindARedirectIsReused() async throws {
        let server = try LocalServer { req in
            switch req.path {
            case "/": return .html("<html><body><a href=\"/old\">旧地址</a><a href=\"/b.html\">通知</a></body></html>")
            case "/old": return .redirect("/new.html", status: 301)
            case "/new.html": return .html("<html><body><p>迁移后的页面</p></body></html>")
            case "/b.html": return .html("<html><body><p>通知</p></body></html>")
            default: return .status(404)
            }
        }
        defer { server.stop() }
        let store = try makeStore()
        func crawl(baseline: Int64?) async throws -> (parsed: [String], reused: [String]) {
            let r = try await reuseCrawl(site: server.baseURL, store: store, baseline: baseline, accept: true, sitemaps: false)
            return (r.parsed, r.reused)
        }
        let first = try await crawl(baseline: nil)
        XCTAssertTrue(first.parsed.contains(server.baseURL + "new.html"), "\(first.parsed)")
        let second = try await crawl(baseline: 1)
        XCTAssertEqual(second.reused, first.parsed, "the page behind the redirect reused with the rest")
        XCTAssertEqual(second.parsed, [])
    }
}
