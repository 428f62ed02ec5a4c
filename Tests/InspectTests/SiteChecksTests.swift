import Fetch
import Foundation
@testable import Inspect
import InspectTesting
import LocalServer
@testable import Parse
import Sweep
import XCTest
@testable import Vocabulary

/// Search, mobile adaptation, policy interpretations and suspect dates: the parts their
/// rule examples do not reach (real pages, the parser's new facts, the queries over HTTP).
final class SiteChecksTests: XCTestCase {
    func parse(_ name: String, url: String) throws -> PageModel {
        PageParser.parse([UInt8](try Data(contentsOf: RealPage.url(name))), url: url, contentType: nil)
    }

    // MARK: parser facts

    /// A link to a list page (…/, index…, list…, default…) is navigation, not an interpretation.
    func testListHrefs() {
        for h in ["/zcjd/", "", "?page=2", "index.html", "/a/b/index_2.html?x=1", "list.jsp#top", "../default.htm", "/x/y/"] {
            XCTAssertTrue(PolicyInterpretationRule.isListHref(h), h)
        }
        for h in ["/zcjd/t20230101_1.html", "t1.html?index", "/index/a.html", "/list/", "a.html#list", "/a/xindex.html"] {
            XCTAssertEqual(PolicyInterpretationRule.isListHref(h), h == "/list/", h)
        }
    }

    func testFormsAndWidthMediaQueries() {
        let html = """
            <html><head><style>@media print{.x{display:none}}</style><style>.a{}@media screen and (max-width:768px){.a{float:none}}</style></head>
            <body><form id="searchForm" action="/s" method="GET"><input type="hidden" name="siteCode" value="36"><input name="searchWord"><input type="submit"></form>
            <form action="/login" method="post"><input name="user"><input type="password" name="pw"></form></body></html>
            """
        let page = PageParser.parse(Array(html.utf8), url: "http://a.gov.cn/", contentType: "text/html")
        XCTAssertTrue(page.widthMediaQuery)
        XCTAssertEqual(page.forms.count, 2)
        XCTAssertEqual(page.forms[0].method, "get")
        XCTAssertEqual(page.forms[0].textFields, ["searchWord"])
        XCTAssertEqual(page.forms[0].hiddenFields, [FormValue(name: "siteCode", value: "36")])
        XCTAssertEqual(page.forms[0].label, "searchform")
        XCTAssertEqual(page.forms[1].textFields, ["user"])
        let print = PageParser.parse(Array("<style>@media print{a{b:c}}</style><p>x</p>".utf8), url: "http://a.gov.cn/", contentType: "text/html")
        XCTAssertFalse(print.widthMediaQuery, "a print query is not about width")
        let link = PageParser.parse(
            Array("<link rel=stylesheet href=/m.css media=\"(max-width: 640px)\"><p>x</p>".utf8), url: "http://a.gov.cn/", contentType: "text/html")
        XCTAssertTrue(link.widthMediaQuery)
        let redirect = PageParser.parse(
            Array("<script>if(/Android|iPhone/i.test(navigator.userAgent)){location.href='http://m.a.gov.cn/';}</script><p>x</p>".utf8),
            url: "http://a.gov.cn/", contentType: "text/html")
        XCTAssertTrue(redirect.mobileRedirectScript)
        let analytics = PageParser.parse(
            Array("<script>var ua=navigator.userAgent; _hmt.push(['ua', ua, 'Mobile']);</script><p>x</p>".utf8), url: "http://a.gov.cn/",
            contentType: "text/html")
        XCTAssertFalse(analytics.mobileRedirectScript, "reading the user agent without going elsewhere")
    }

    // MARK: real pages

    func testGovCnHomeSearchIsScriptSubmittedAndHasAViewport() throws {
        let page = try parse("govcn-home-20230927.html", url: "https://www.gov.cn/")
        let form = SiteSearch.form(on: page, base: CrawlURL(page.url))
        XCTAssertEqual(form?.method, "script", "www.gov.cn's search box is submitted by goSearch()")
        XCTAssertEqual(form?.field, "headSearchword")
        XCTAssertEqual(MobileRule.signal(page), "viewport")
    }

    func testYichunHomeSearchFormWithHiddenSiteCode() throws {
        let page = try parse("yichun-home-20231011.html", url: "https://www.yichun.gov.cn/")
        let form = try XCTUnwrap(SiteSearch.form(on: page, base: CrawlURL(page.url)))
        XCTAssertEqual(form.action, "https://www.yichun.gov.cn/search4/s")
        XCTAssertEqual(form.field, "searchWord")
        XCTAssertEqual(form.hidden, "siteCode=3609000002")
        let candidates = SiteSearch.candidates(on: page, base: CrawlURL(page.url))
        XCTAssertFalse(candidates.isEmpty, "the home page lists whole titles to query")
        let plan = SiteSearch.Plan(home: page.url, form: form, template: nil, candidates: candidates)
        let q = try XCTUnwrap(plan.queries().first)
        XCTAssertTrue(q.url.hasPrefix("https://www.yichun.gov.cn/search4/s?searchWord=%"), q.url)
        XCTAssertTrue(q.url.hasSuffix("&siteCode=3609000002"), q.url)
        XCTAssertEqual(MobileRule.signal(page), "viewport")
    }

    func testGBKPageSearchWordsAreSentInGBK() {
        let plan = SiteSearch.Plan(
            home: "http://www.a.gov.cn/", form: .init(action: "http://www.a.gov.cn/s", method: "get", field: "kw", charset: "gb18030"),
            template: nil, candidates: [.init(title: "示范区 2022", url: "http://www.a.gov.cn/1.html")])
        // 示 = CA BE, 范 = B7 B6, 区 = C7 F8 in GB18030.
        XCTAssertEqual(plan.queries().first?.url, "http://www.a.gov.cn/s?kw=%CA%BE%B7%B6%C7%F8%202022")
    }

    func testChaoyang2018HomeHasNoMobileSign() throws {
        let page = try parse("bjchy-index.html", url: "http://www.bjchy.gov.cn/")
        XCTAssertNil(MobileRule.signal(page), "no viewport, no width media query, no 手机版 link (2018)")
    }

    func testRealPolicyAndColumnPagesAreNotInterpretations() throws {
        let rule = PolicyInterpretationRule()
        let profile = try Profile.bundled(name: "national-2019")
        let asOf = Day(iso: "2024-01-01")!
        let policy = try parse("jl-xxgk-article-policy-tonggao.html", url: "http://xxgk.jl.gov.cn/szf/gfxwj/202301/t20230101_1.html")
        XCTAssertTrue(PolicyMetadata.read(policy).isPolicy)
        let notes = rule.notes(in: policy, context: PageContext(profile: profile, asOf: asOf, url: policy.url, depth: 2))
        XCTAssertFalse(notes.contains { $0.key == "interpretation" }, "\(notes)")
        // A column page whose navigation links 政策解读 is neither.
        let column = try parse("gansu-jyt-column-wjtz.html", url: "http://jyt.gansu.gov.cn/jyt/c107273/zwgklist.shtml")
        XCTAssertEqual(rule.notes(in: column, context: PageContext(profile: profile, asOf: asOf, url: column.url, depth: 1)), [])
    }

    func testRealPagesGiveNoSuspectDateOrInterpretationNote() throws {
        let profile = try Profile.bundled(name: "national-2019")
        let asOf = Day(iso: "2024-01-01")!
        // A statistics bulletin reposted: printed 2023-04-18, PubDate 2023-05-16 (older printed date: not faked).
        let bulletin = try parse("yichun-article-tjgb-2022.html", url: "https://www.yichun.gov.cn/ycsrmzf/tjgb/202305/36796cdc.shtml")
        XCTAssertEqual(Summarizer.metaPublished(bulletin), Day(iso: "2023-05-16"))
        XCTAssertEqual(DateSuspectRule.labelledDate(bulletin), Day(iso: "2023-04-18"))
        XCTAssertEqual(DateSuspectRule().notes(in: bulletin, context: PageContext(profile: profile, asOf: asOf, url: bulletin.url, depth: 2)), [])
        // The 政策法规解读 column of a provincial department: a list page, not an interpretation.
        let column = try parse("jiangxi-sthjt-column-zcfgjd-yasf.html", url: "http://sthjt.jiangxi.gov.cn/col/col42117/index.html")
        XCTAssertEqual(
            PolicyInterpretationRule().notes(in: column, context: PageContext(profile: profile, asOf: asOf, url: column.url, depth: 1)), [])
    }

    // MARK: titles and URL dates

    func testInterpretationTitles() {
        XCTAssertEqual(PolicyInterpretationRule.documentTitle(inInterpretation: "关于《示例办法》的解读"), "示例办法")
        XCTAssertEqual(PolicyInterpretationRule.documentTitle(inInterpretation: "图解：示例区优化营商环境措施"), "示例区优化营商环境措施")
        XCTAssertEqual(PolicyInterpretationRule.documentTitle(inInterpretation: "关于示例区停车管理规定的政策解读"), "示例区停车管理规定")
        XCTAssertEqual(PolicyInterpretationRule.documentTitle(inInterpretation: "一图读懂《示例方案》"), "示例方案")
        XCTAssertEqual(PolicyInterpretationRule.outsideBrackets("关于印发《政策解读工作办法》的通知"), "关于印发的通知")
        // On the bytes, as by Character: the first 《 and the first 》 after it.
        for title in ["》先《后》尾", "《》", "无书名号", "《未闭合", "a《b》c《d》e", "《全称》", "关于《示例》", "", "《", "》《》"] {
            let open = title.firstIndex(of: "《"), close = open.flatMap { title[$0...].firstIndex(of: "》") }
            let outside = open.flatMap { o in close.map { String(title[..<o]) + String(title[title.index(after: $0)...]) } } ?? title
            let inner = open.flatMap { o in close.map { String(title[title.index(after: o)..<$0]) } }
            XCTAssertEqual(PolicyInterpretationRule.outsideBrackets(title), outside, title)
            XCTAssertEqual(PolicyInterpretationRule.bracketed(title), inner?.isEmpty == false ? inner : nil, title)
        }
    }

    func testURLDates() {
        XCTAssertEqual(URLDate.day(in: "/xwdt/202305/t20230512_123456.html"), Day(iso: "2023-05-01"))
        XCTAssertEqual(URLDate.day(in: "t20230512_123456.html"), Day(iso: "2023-05-12"))
        XCTAssertEqual(URLDate.day(in: "/art/2023/5/12/art_1_2.html"), nil, "one-digit month: not read")
        XCTAssertEqual(URLDate.day(in: "/art/2023/05/12/art_1_2.html"), Day(iso: "2023-05-12"))
        XCTAssertEqual(URLDate.day(in: "http://127.0.0.1:20230/a/content_12345678.html"), nil, "a port and an id are not dates")
        XCTAssertEqual(URLDate.day(in: "/col/col1229/index.html"), nil)
    }

    // MARK: the queries over HTTP

    func testSearchQueriesThroughTheClient() async throws {
        let server = try LocalServer { req in
            guard req.path == "/search/" else { return .html("<h1>Not Found</h1>", status: 404) }
            // Answers only the second title; the first is "not found".
            let q = req.query?.removingPercentEncoding ?? ""
            if q.contains("秋冬季") {
                return .html("<html><body><div class=\"result\"><ul><li><a href=\"/xwdt/2.html\">示范区启动秋冬季大气污染综合治理攻坚行动</a></li></ul></div></body></html>")
            }
            return .html("<html><body><p>没有找到相关结果</p></body></html>")
        }
        defer { server.stop() }
        let base = server.baseURL
        let plan = SiteSearch.Plan(
            home: base, form: .init(action: base + "search/", method: "get", field: "searchword"), template: nil,
            candidates: [
                .init(title: "区政府召开第十二次常务会议研究部署重点工作", url: base + "xwdt/1.html"),
                .init(title: "示范区启动秋冬季大气污染综合治理攻坚行动", url: base + "xwdt/2.html"),
                .init(title: "第三个标题不会被查询因为最多两次", url: base + "xwdt/3.html"),
            ])
        var config = FetchConfiguration()
        config.maxRetries = 0
        let client = try HTTPClient(configuration: config)
        defer { client.shutdown() }
        let checks = await SearchProbe.check([plan], client: client)
        XCTAssertEqual(checks.map(\.answered), [false, true], "a second query only after the first found nothing")
        XCTAssertEqual(server.requestCount, 2, "never more than two queries a host")
        XCTAssertTrue(server.requests.allSatisfy { $0.path == "/search/" && ($0.query ?? "").hasPrefix("searchword=%") })
    }
}
