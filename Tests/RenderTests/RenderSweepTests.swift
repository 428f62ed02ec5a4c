import Foundation
import Inspect
import InspectTesting
import LocalServer
import Parse
import Render
import Store
@testable import Sweep
import Vocabulary
import XCTest

/// Issue 17's done-when: the script-filled portal gives the same verdict and findings with
/// `--render auto` as its static twin, and advice, not vetoes, with `--render never`.
final class RenderSweepTests: XCTestCase {
    struct Outcome {
        var verdict: String
        var vetoes: [String]
        /// rule | severity | url (the server's address cut) | subject
        var findings: [String]
        var evidence: [String: [String: Any]]
        var tally: PageRendering.Tally?
        /// findings.json's pages: fetched, failed, skipped, checked.
        var pages: [String: Int] = [:]
    }

    func sweep(
        scripted: Bool, mode: RenderMode, slowAPI: Double? = nil, pageSeconds: Double = 40, browser: String? = nil,
        store: URL? = nil, server given: LocalServer? = nil
    ) async throws -> Outcome {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try given ?? LocalServer(handler: RenderPortal.handler(scripted: scripted, slowAPI: slowAPI))
        defer { if given == nil { server.stop() } }
        var settings = SweepSettings(startURLs: [CrawlURL(server.baseURL)!], asOf: Day(iso: "2022-11-01")!)
        settings.out = dir.appendingPathComponent("out").path
        settings.storePath = (store ?? dir.appendingPathComponent("s.sqlite")).path
        settings.fetch.totalTimeout = 5
        settings.quiet = true
        settings.render.mode = mode
        settings.render.pageSeconds = pageSeconds
        settings.render.browserPath = browser
        try settings.loadInputs()
        let code = try await SweepJob(settings: settings, printSummary: false).run()
        XCTAssertEqual(code, 0)
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/findings.json"))) as? [String: Any])
        let base = server.baseURL
        var evidence: [String: [String: Any]] = [:]
        let findings = (json["findings"] as? [[String: Any]] ?? []).map { f -> String in
            let url = (f["url"] as? String ?? "").replacingOccurrences(of: base, with: "/")
            let key = "\(f["rule"] ?? "") | \(f["severity"] ?? "") | \(url) | \(f["subject"] ?? "")"
            evidence[key] = f["evidence"] as? [String: Any]
            return key
        }.sorted()
        let report = try String(contentsOf: dir.appendingPathComponent("out/report.html"), encoding: .utf8)
        if mode != .never && scripted && slowAPI == nil && browser == nil {
            XCTAssertTrue(report.contains("已渲染"), "the timeline marks rendered columns")
        }
        return Outcome(
            verdict: json["verdict"] as? String ?? "", vetoes: json["vetoes"] as? [String] ?? [], findings: findings,
            evidence: evidence, tally: nil, pages: json["pages"] as? [String: Int] ?? [:])
    }

    /// The vetoes rendering decides. The fixture portal has no consultation channel and no
    /// services at all (consult-channel, service-guide vetoes on its static twin, advice on its
    /// script-drawn home page); those are not what these tests are about.
    func listVetoes(_ o: Outcome) -> [String] {
        o.vetoes.filter { $0 != "consult-channel" && $0 != "service-guide" }
    }

    func columnAndHome(_ o: Outcome) -> [String] {
        o.findings.filter { $0.hasPrefix("column.stale") || $0.hasPrefix("column.blank") || $0.hasPrefix("homepage.") }
    }

    func testScriptFilledPortalRendersToItsStaticTwinsVerdict() async throws {
        _ = try browserOrSkip()
        let twin = try await sweep(scripted: false, mode: .auto)
        XCTAssertEqual(listVetoes(twin), ["homepage-stale"], "the twin: \(twin.findings)")
        XCTAssertEqual(
            columnAndHome(twin),
            [
                "column.stale.news | deduct | /gzdt/ | 工作动态", "column.stale.notice | deduct | /tzgg/ | 通知公告",
                "homepage.stale | veto | / | ",
            ])
        let rendered = try await sweep(scripted: true, mode: .auto)
        XCTAssertEqual(rendered.verdict, twin.verdict)
        XCTAssertEqual(rendered.vetoes, twin.vetoes)
        XCTAssertEqual(rendered.findings, twin.findings)
        // Judged from the rendered page: said in the evidence (the data island is read statically).
        XCTAssertEqual(rendered.evidence["homepage.stale | veto | / | "]?["rendered"] as? Bool, true)
        XCTAssertEqual(rendered.evidence["column.stale.news | deduct | /gzdt/ | 工作动态"]?["rendered"] as? Bool, true)
        XCTAssertNil(rendered.evidence["column.stale.notice | deduct | /tzgg/ | 通知公告"]?["rendered"])
        // Every finding on a rendered page, not only the column and home-page rules'.
        XCTAssertEqual(rendered.evidence["footer.contact | deduct | / | contact"]?["rendered"] as? Bool, true)
        XCTAssertEqual(rendered.evidence["column.stale.news | deduct | /gzdt/ | 工作动态"]?["latest"] as? String, "2022-09-15")
    }

    func testWithoutRenderingTheScriptFilledPortalIsAdviceNotVetoes() async throws {
        let never = try await sweep(scripted: true, mode: .never)
        XCTAssertEqual(never.vetoes, [])
        XCTAssertEqual(
            columnAndHome(never),
            [
                "column.stale.news | advice | /gzdt/ | 工作动态",
                // The jpage datastore's records are read without a browser: judged as its twin.
                "column.stale.notice | deduct | /tzgg/ | 通知公告",
                "homepage.stale | advice | / | ",
            ])
        XCTAssertEqual(never.evidence["homepage.stale | advice | / | "]?["scriptFilled"] as? String, "listScript")
        // Auto without a browser: the same static result and advice.
        let noBrowser = try await sweep(scripted: true, mode: .auto, browser: "/nonexistent/chromium")
        XCTAssertEqual(noBrowser.findings, never.findings)
    }

    /// Links that only the rendered page has are crawled as any link: the 工作动态 articles are
    /// linked only from the list an XMLHttpRequest fills, and the home page's only from the one
    /// fetch fills. One of them links a page that is gone (a finding on the article: it was
    /// judged); the rendered home list also links a page robots.txt disallows (counted as
    /// skipped, not fetched).
    func testLinksOnlyTheRenderedPageHasAreCrawled() async throws {
        _ = try browserOrSkip()
        let portal = RenderPortal.handler(scripted: true)
        let article = RenderPortal.gzdt[0]
        let handler: @Sendable (ServerRequest) -> ServerResponse = { request in
            switch request.path {
            case "/robots.txt": return .text("User-agent: *\nDisallow: /private/\n")
            case "/api/home.json":
                let disallowed = RenderPortal.Item(title: "内部资料", url: "/private/plan.html", date: "2022-08-01")
                return .text(RenderPortal.json(RenderPortal.home + [disallowed]), contentType: "application/json; charset=utf-8")
            case article.url:
                return .html(
                    RenderPortal.page(
                        title: "\(article.title)_江临区人民政府",
                        "<h1>\(article.title)</h1><p>发布日期：\(article.date)</p><p>正文。</p><p><a href=\"/gone/\">附件说明</a></p>"))
            default: return portal(request)
            }
        }
        let server = try LocalServer(handler: handler)
        defer { server.stop() }
        let gone = "link.broken | "
        func fetched(_ path: String) -> Bool { server.requests.contains { $0.path == path } }

        let never = try await sweep(scripted: true, mode: .never, server: server)
        XCTAssertFalse(fetched(article.url), "the static pages do not link it")
        XCTAssertFalse(never.findings.contains { $0.hasPrefix(gone) }, "\(never.findings)")

        let rendered = try await sweep(scripted: true, mode: .auto, server: server)
        for item in RenderPortal.gzdt + RenderPortal.home {
            XCTAssertTrue(fetched(item.url), "\(item.url), linked from a rendered list, is crawled")
        }
        XCTAssertTrue(fetched("/gone/"), "the article's own links are followed")
        XCTAssertFalse(fetched("/private/plan.html"), "robots.txt holds for a rendered page's links")
        let broken = rendered.findings.filter { $0.hasPrefix(gone) }
        XCTAssertEqual(broken.count, 1, "\(rendered.findings)")
        // Linked from the article alone (its text is the article's).
        let evidence = rendered.evidence[broken.first ?? ""] ?? [:]
        XCTAssertEqual(evidence["linkText"] as? String, "附件说明", "\(evidence)")
        XCTAssertEqual(evidence["linkingPages"] as? Int, 1)
        XCTAssertEqual(rendered.pages["fetched"], (never.pages["fetched"] ?? 0) + RenderPortal.gzdt.count + RenderPortal.home.count)
        XCTAssertEqual(rendered.pages["skipped"], (never.pages["skipped"] ?? 0) + 1, "the disallowed page, counted")
    }

    func testAPageThatFailsToRenderIsAdviceWithTheReason() async throws {
        _ = try browserOrSkip()
        let slow = try await sweep(scripted: true, mode: .auto, slowAPI: 90, pageSeconds: 20)
        XCTAssertEqual(listVetoes(slow), ["homepage-stale"], "the home page rendered: \(slow.evidence)")
        let gzdt = try XCTUnwrap(slow.evidence["column.stale.news | advice | /gzdt/ | 工作动态"], "\(slow.evidence)")
        XCTAssertEqual(gzdt["renderFailed"] as? String, RenderFailure.timeout(seconds: 20).description)
    }

    func testWithoutABrowserTheSweepSaysSoOnceWithTheInstallHint() {
        var t = PageRendering.Tally()
        XCTAssertNil(PageRendering.line(t, settings: RenderSettings()), "nothing to say")
        t.skipped = 3
        let line = PageRendering.line(t, settings: RenderSettings()) ?? ""
        XCTAssertTrue(line.contains("3 script-filled pages judged from the static page only"), line)
        XCTAssertTrue(line.contains("scripts/setup.sh --with-chromium"), line)
        XCTAssertFalse(line.contains("\n"), "one line")
    }

    func testAlwaysWithoutABrowserStopsBeforeTheRun() throws {
        var settings = SweepSettings(startURLs: [CrawlURL("http://127.0.0.1:9/")!], asOf: Day(iso: "2022-11-01")!)
        settings.render.mode = .always
        settings.render.browserPath = "/nonexistent/chromium"
        XCTAssertThrowsError(try settings.loadInputs()) { e in
            XCTAssertEqual((e as? UserFailure)?.code, 2)
            XCTAssertEqual((e as? UserFailure)?.message.contains("\n"), false, "one line")
            XCTAssertEqual((e as? UserFailure)?.message.hasPrefix("--render always: no browser found"), true)
        }
    }

    func testAnUnchangedPageComesFromTheRenderCache() async throws {
        _ = try browserOrSkip()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("render-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("s.sqlite")
        let server = try LocalServer(handler: RenderPortal.handler(scripted: true))
        defer { server.stop() }
        func apiCalls() -> Int { server.requests.filter { $0.path.hasPrefix("/api/") }.count }
        let first = try await sweep(scripted: true, mode: .auto, store: store, server: server)
        XCTAssertEqual(apiCalls(), 2, "the home page and 工作动态 rendered")
        // A re-sweep of the unchanged site: the pages are parsed again (their stored facts are
        // the static ones) and their renders come from the cache, by the static page's hash.
        let second = try await sweep(scripted: true, mode: .auto, store: store, server: server)
        XCTAssertEqual(apiCalls(), 2, "no browser started again")
        XCTAssertEqual(second.findings, first.findings)
        XCTAssertEqual(second.evidence["homepage.stale | veto | / | "]?["rendered"] as? Bool, true)
    }
}

/// Which pages are worth a render: those whose static facts leave a rule unable to judge.
final class RenderWantedTests: XCTestCase {
    func testPagesARuleNeeds() throws {
        let inspector = SiteFixture().inspector(profile: SiteFixture.national())
        func wanted(_ html: String, url: String = "http://a.gov.cn/col/", depth: Int) -> Bool {
            let model = PageParser.parse(Array(html.utf8), url: url, contentType: "text/html; charset=utf-8")
            let facts = inspector.facts(of: model, url: url, depth: depth)
            return PageRendering.wanted(facts, scriptFilled: model.scriptFilled, title: model.title)
        }
        let xhr = RenderPortal.xhrList(id: "l", endpoint: "/api/l.json", xhr: true)
        // A column list page, a home page, a reply list (留言) filled by script.
        XCTAssertTrue(wanted(RenderPortal.page(title: "工作动态", column: "工作动态", xhr), depth: 1))
        XCTAssertTrue(wanted(RenderPortal.page(title: "江临区人民政府", xhr), url: "http://a.gov.cn/", depth: 0))
        XCTAssertTrue(wanted(RenderPortal.page(title: "网上留言_江临区", "<div class=\"main\">\(xhr)</div>"), depth: 2))
        // Not: the same lists written statically, a data island read without a browser, an
        // article page.
        XCTAssertFalse(wanted(RenderPortal.page(title: "工作动态", column: "工作动态", RenderPortal.staticList(RenderPortal.gzdt)), depth: 1))
        XCTAssertFalse(wanted(RenderPortal.page(title: "通知公告", column: "通知公告", RenderPortal.jpage(RenderPortal.tzgg)), depth: 1))
        XCTAssertFalse(wanted(RenderPortal.article(RenderPortal.gzdt[0]), url: "http://a.gov.cn/art/2022/9/15/art_2_1.html", depth: 2))
    }
}
