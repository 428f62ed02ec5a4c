import Foundation
@testable import Inspect
import Parse
import InspectTesting
import XCTest
@testable import Vocabulary

/// Home pages and columns whose lists are filled by script, or print no dates: advice saying
/// they cannot be judged from the static page, never a veto on what cannot be seen; the same
/// pages with static dated items keep their verdict. Fixtures: `scriptfill-district-home.html`
/// is written for these tests (TRS, Hanweb and avalon list forms are filled in by the tests);
/// the real pages are copies from shared/real-pages (`govcn-home-20230927.html` from
/// corpus/www.gov.cn/home-20230927.html, `yichun-home-20231011.html` from more/www.yichun.gov.cn/,
/// `lottery-column-kjlb-scriptfilled.html` from corpus/www.lottery.gov.cn/; bjchy from ParseTests).
final class ScriptFilledPageTests: XCTestCase {
    // MARK: - A district home page written by TRS / Hanweb / avalon templates

    /// The three lists of the fixture home page, as each CMS writes them with script.
    static let scripted = [
        // TRS (拓尔思) list template: one document.write per row, the pager by createPageHTML.
        "yw": """
        <ul class="list" id="ywList"><script>
        var ywData = [["./ywdt/202210/t20221028_5001.html", "区政府召开常务会议", "2022-10-28"],
                      ["./ywdt/202210/t20221027_5000.html", "区长调研重点项目", "2022-10-27"]];
        for (var i = 0; i < ywData.length; i++) {
          document.write('<li><a href="' + ywData[i][0] + '" target="_blank">' + ywData[i][1] + '</a><span>' + ywData[i][2] + '</span></li>');
        }
        </script></ul>
        <div class="page"><script>createPageHTML(20, 0, "index", "html");</script></div>
        """,
        // Hanweb (大汉) jpage fed by dataproxy.jsp after load: an empty datastore in the static page
        // (a datastore holding its records is read as static items: testHanwebRecordsAreJudgedAsStaticItems).
        "tzgg": """
        <div id="8231"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=8231"></a>]]></nextgroup>
        <recordset></recordset></datastore></script></div>
        <script>$('#8231').jpage({ dataStore: $('#8231 script').text(), perPage: 8 });</script>
        """,
        // avalon (ms-repeat) template filled from a JSON request.
        "zwgk": """
        <ul class="list"><li ms-repeat="items"><a ms-attr-href="el.url" target="_blank">{{el.title}}</a><span>{{el.date}}</span></li></ul>
        <script>avalon.define({ $id: "zwgk", items: [] });</script>
        """,
    ]

    /// The same lists written out statically, every row dated `date`.
    static func statics(_ date: String) -> [String: String] {
        func rows(_ dir: String, _ titles: [String]) -> String {
            "<ul class=\"list\">"
                + titles.enumerated().map { i, t in
                    "<li><a href=\"/\(dir)/202210/t20221028_\(i).html\" target=\"_blank\">\(t)</a><span>\(date)</span></li>"
                }.joined() + "</ul>"
        }
        return [
            "yw": rows("ywdt", ["区政府召开常务会议", "区长调研重点项目"]),
            "tzgg": rows("tzgg", ["关于冬季供暖的通知", "关于停水的公告"]),
            "zwgk": rows("zwgk", ["区政府工作报告", "区财政预算公开"]),
        ]
    }

    func districtHome(_ lists: [String: String]) throws -> String {
        var html = try String(contentsOf: RealPage.url("scriptfill-district-home.html"), encoding: .utf8)
        for (key, list) in lists { html = html.replacingOccurrences(of: "<!--LIST:\(key)-->", with: list) }
        return html
    }

    func homeFindings(_ html: String, asOf: String = "2022-11-01") -> [Finding] {
        var s = SiteFixture()
        s.add("/", html)
        return s.inspect(profile: SiteFixture.national(), asOf: Day(iso: asOf)!).filter { $0.indicator == .homepageStale }
    }

    func testScriptFilledHomePageIsAdviceNotAVeto() throws {
        let f = homeFindings(try districtHome(Self.scripted))
        XCTAssertEqual(f.count, 1)
        XCTAssertEqual(f.first?.severity, .advice)
        XCTAssertEqual(f.first?.points, 0)
        XCTAssertTrue(f.first?.message.contains("脚本") == true && f.first?.message.contains("浏览器") == true, f.first?.message ?? "")
        XCTAssertNotNil(f.first?.evidence["scriptFilled"])
        XCTAssertEqual(try Profile.bundled(name: "national-2019").scoring.score(f).vetoes, [], "no veto")
    }

    func testSamePageWithStaticDatedItemsKeepsItsVerdict() throws {
        XCTAssertEqual(homeFindings(try districtHome(Self.statics("2022-10-28"))), [], "fresh: nothing")
        let stale = homeFindings(try districtHome(Self.statics("2022-09-01")))
        XCTAssertEqual(stale.map(\.severity), [.veto], "stale: the veto")
        XCTAssertEqual(stale.first?.evidence["latest"], "2022-09-01")
    }

    func testEachCMSListScriptAloneTurnsAStaleStaticPageIntoAdvice() throws {
        // The other two lists static and stale: the script-filled one may hold today's news.
        for key in ["yw", "tzgg", "zwgk"] {
            var lists = Self.statics("2022-09-01")
            lists[key] = Self.scripted[key]
            let f = homeFindings(try districtHome(lists))
            XCTAssertEqual(f.map(\.severity), [.advice], key)
            XCTAssertTrue(f.first?.message.contains("2022-09-01") == true, "the static latest date is shown: \(f.first?.message ?? "")")
        }
    }

    /// The records a Hanweb datastore carries in the static page are the page's items: judged
    /// as if written out statically (fresh: nothing; stale: the veto), not advice.
    func testHanwebRecordsAreJudgedAsStaticItems() throws {
        func datastore(_ date: String) -> String {
            """
            <div id="8231"><script type="text/xml"><datastore><recordset>
            <record><![CDATA[<li><a href="/art/2022/10/25/art_8231_1.html">关于冬季供暖的通知</a><span>\(date)</span></li>]]></record>
            <record><![CDATA[<li><a href="/art/2022/10/20/art_8231_2.html">关于停水的公告</a><span>\(date)</span></li>]]></record></recordset></datastore></script></div>
            <script>$('#8231').jpage({ dataStore: $('#8231 script').text(), perPage: 8 });</script>
            """
        }
        var lists = Self.statics("2022-09-01")
        lists["tzgg"] = datastore("2022-10-25")
        XCTAssertEqual(homeFindings(try districtHome(lists)), [], "fresh records: nothing")
        lists["tzgg"] = datastore("2022-09-01")
        XCTAssertEqual(homeFindings(try districtHome(lists)).map(\.severity), [.veto], "stale records: the veto")
    }

    func testAnEmptyListContainerAloneDoesNotHideStaleDates() throws {
        // A weak sign (an empty container a script finds by id) with stale static items: still the veto.
        var lists = Self.statics("2022-09-01")
        lists["zwgk"] = "<ul class=\"list\" id=\"zwgkList\"></ul>"
        XCTAssertEqual(homeFindings(try districtHome(lists)).map(\.severity), [.veto])
    }

    // MARK: - A national portal whose lists print no dates (www.gov.cn, 2023-09-27)

    static let govcn = "https://www.gov.cn/"

    func govcnHome() throws -> PageModel {
        PageParser.parse(
            [UInt8](try Data(contentsOf: RealPage.url("govcn-home-20230927.html"))), url: Self.govcn,
            contentType: "text/html; charset=utf-8")
    }

    /// The home page, and the articles of its undated items at `articleDate` (nil: none fetched).
    func govcnFindings(articleDate: String?, articles: Int = 1000) throws -> [Finding] {
        let asOf = Day(iso: "2023-09-28")!
        var site = SiteFixture(host: String(Self.govcn.dropLast()))
        site.add("/", String(decoding: try Data(contentsOf: RealPage.url("govcn-home-20230927.html")), as: UTF8.self))
        if let articleDate {
            let summary = Summarizer.home(try govcnHome(), url: Self.govcn, asOf: asOf)
            for url in summary.undatedLinks.filter({ $0.contains("content_") }).prefix(articles) {
                // An article as gov.cn writes it: PubDate meta, and the date printed above the text.
                XCTAssertTrue(url.hasPrefix(Self.govcn), url)
                site.add(
                    String(url.dropFirst(site.host.count)),
                    examplePage(
                        title: "文章_中国政府网", head: "<meta name=\"PubDate\" content=\"\(articleDate) 17:51\">",
                        "<div class=\"article\"><h1>标题</h1><div class=\"pages-date\">\(articleDate) 17:51 来源：新华社</div><p>正文</p></div>"))
            }
        }
        return site.inspect(profile: SiteFixture.national(), asOf: asOf).filter { $0.indicator == .homepageStale }
    }

    func testGovCnHomePagePrintsNoDatesAndItsLinksAreContentLists() throws {
        let asOf = Day(iso: "2023-09-28")!
        let summary = Summarizer.home(try govcnHome(), url: Self.govcn, asOf: asOf)
        XCTAssertEqual(summary.datedItems, 0, "the news lists print no dates")
        XCTAssertGreaterThan(summary.undatedLinks.filter { $0.contains("/yaowen/liebiao/202309/content_") }.count, 5)
        XCTAssertTrue(summary.undatedLinks.allSatisfy { $0.hasPrefix("http") && !$0.contains("#") })
        XCTAssertLessThanOrEqual(summary.undatedLinks.count, Summarizer.maxUndatedLinks)
    }

    func testGovCnHomePageAloneIsAdviceNotTheFalseVeto() throws {
        // Before: veto "首页没有带日期的信息，视为 14 天内未更新".
        let f = try govcnFindings(articleDate: nil)
        XCTAssertEqual(f.map(\.severity), [.advice])
        XCTAssertTrue(f.first?.message.contains("未标注日期") == true, f.first?.message ?? "")
    }

    func testGovCnUndatedItemsJudgedByTheirArticles() throws {
        XCTAssertEqual(try govcnFindings(articleDate: "2023-09-27"), [], "fresh linked articles: no finding")
        let stale = try govcnFindings(articleDate: "2023-08-01")
        XCTAssertEqual(stale.map(\.severity), [.veto], "stale linked articles: the veto")
        XCTAssertEqual(stale.first?.evidence["latest"], "2023-08-01")
        XCTAssertTrue(stale.first?.message.contains("文章页") == true, stale.first?.message ?? "")
        XCTAssertEqual(try govcnFindings(articleDate: "2023-09-27", articles: 1), [], "one fresh article is enough")
    }

    func testNavigationOnlyHomePageWithStaleSecondLevelPagesIsStillTheVeto() {
        var s = SiteFixture()
        s.add("/", page("<div class=\"nav\"><a href=\"/gzdt/\">工作动态</a></div>"))
        s.add("/gzdt/", columnPage("工作动态", dates: ["2022-09-30", "2022-09-01"]))
        let f = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .homepageStale }
        XCTAssertEqual(f.map(\.severity), [.veto])
        XCTAssertTrue(f.first?.message.contains("二级栏目") == true, f.first?.message ?? "")
    }

    func testArticleDates() {
        let url = "http://www.example.gov.cn/ywdt/202210/t20221028_1.html"
        func published(_ head: String, _ body: String) -> String? {
            Summarizer.published(model(examplePage(head: head, body), url: url), url: url)?.description
        }
        XCTAssertEqual(published("<meta name=\"PubDate\" content=\"2022-10-28 09:00\">", "<p>正文</p>"), "2022-10-28")
        XCTAssertEqual(published("<meta name=\"firstpublishedtime\" content=\"2022-10-27-23:59:59\">", "<p>正文</p>"), "2022-10-27")
        XCTAssertEqual(published("", "<h1>标题</h1><div class=\"info\"><em>发布时间：</em>2022-10-26 来源：区政府办</div><p>2021-01-01 的旧事</p>"), "2022-10-26")
        XCTAssertEqual(published("", "<h1>标题</h1><p class=\"date\">日期：2022年10月25日</p>"), "2022-10-25")
        XCTAssertNil(published("<meta name=\"PubDate\" content=\" \">", "<h1>标题</h1><p>正文</p>"), "no date printed")
        XCTAssertEqual(published("", "<h1>标题</h1><div class=\"pages-date\">2022-10-24 17:35 来源：新华社</div>"), "2022-10-24", "the info line")
        XCTAssertNil(published("", "<h1>成交公告</h1><p>本项目招标公告日期：2021年05月26日</p>"), "a date of the notice's text")
        // Real pages: the PubDate meta, or the printed time when there is none.
        for (name, date) in [
            ("yichun-article-tjgb-2022.html", "2023-05-16"), ("zj-fgw-article-deqing.html", "2016-11-22"),
            ("ccgp-article-zhijiang-cjgg.html", "2021-06-10"), ("govcn-gazette-2007-23.html", "2007-08-20"),
        ] {
            let page = PageParser.parse((try? Data(contentsOf: RealPage.url(name))).map { [UInt8]($0) } ?? [], url: url, contentType: nil)
            XCTAssertEqual(Summarizer.published(page, url: url)?.description, date, name)
        }
        // A column page is not an article: its list's dates are not a publication date.
        let column = "http://www.example.gov.cn/ywdt/"
        XCTAssertNil(Summarizer.published(model(columnPage("工作动态", dates: ["2022-10-28", "2022-10-20"]), url: column), url: column))
    }

    func testPageKeysMatchTheSweepsPageURLs() {
        let base = CrawlURL("http://WWW.Example.gov.cn:80/a/index.html")
        XCTAssertEqual(Summarizer.pageKey("../ywdt/t1.html#top", relativeTo: base), "http://www.example.gov.cn/ywdt/t1.html")
        XCTAssertEqual(Summarizer.pageKey("https://www.gov.cn:443/x/content_1.htm?a=1", relativeTo: base), "https://www.gov.cn/x/content_1.htm?a=1")
        XCTAssertEqual(Summarizer.pageKey("http://h.gov.cn", relativeTo: nil), "http://h.gov.cn/")
        XCTAssertNil(Summarizer.pageKey("mailto:a@b.cn", relativeTo: base))
    }

    // MARK: - Real home pages with static dated items keep their verdict

    func testYichunHomePageWithAnEmptyInterviewListIsJudgedByItsStaticDates() throws {
        let url = "https://www.yichun.gov.cn/"
        let page = PageParser.parse(
            [UInt8](try Data(contentsOf: RealPage.url("yichun-home-20231011.html"))), url: url,
            contentType: "text/html; charset=utf-8")
        XCTAssertEqual(page.scriptFill?.sign, .emptyList, "在线访谈 lists are filled by zxft_data.js")
        func judge(_ asOf: String) -> [Finding] {
            SiteFixture.findings(of: page, url: url, asOf: Day(iso: asOf)!).filter { $0.indicator == .homepageStale }
        }
        XCTAssertEqual(judge("2023-10-11"), [], "the page of 2023-10-11 lists 10-11 news")
        XCTAssertEqual(judge("2023-12-01").map(\.severity), [.veto], "seven weeks later the same page is stale")
    }

    func testChaoyangHomePageWhoseStateCouncilListIsAScript() throws {
        let url = "http://www.bjchy.gov.cn/"
        let page = PageParser.parse(
            [UInt8](try Data(contentsOf: RealPage.url("bjchy-index.html"))), url: url,
            contentType: "text/html; charset=utf-8")
        XCTAssertEqual(page.scriptFill?.detail, "ul#gwyxx", "国务院信息 is written by gwyxx.js")
        func judge(_ asOf: String) -> [Finding] {
            SiteFixture.findings(of: page, url: url, asOf: Day(iso: asOf)!).filter { $0.indicator == .homepageStale }
        }
        XCTAssertEqual(judge("2018-03-20"), [], "news of 2018-03-16")
        // Later the static news is old, but a list the static page cannot show may not be.
        XCTAssertEqual(judge("2018-06-01").map(\.severity), [.advice])
    }

    // MARK: - Columns

    /// A column page whose list TRS writes with document.write.
    func scriptedColumn(_ name: String) -> String {
        page(
            title: "\(name)_示例区人民政府", head: "<meta name=\"ColumnName\" content=\"\(name)\">",
            """
            <div class="header">示例区人民政府</div>
            <div class="main"><ul class="list"><script>
            var d = [["./202210/t20221028_1.html", "\(name)信息", "2022-10-28"]];
            for (var i = 0; i < d.length; i++) { document.write('<li><a href="' + d[i][0] + '">' + d[i][1] + '</a><span>' + d[i][2] + '</span></li>'); }
            </script></ul><div class="page"><script>createPageHTML(5, 0, "index", "html");</script></div></div>
            <div class="footer">主办：示例区人民政府</div>
            """)
    }

    func fixtureSite() -> SiteFixture {
        var s = SiteFixture()
        s.add("/", page("<ul><li><a href=\"/a.html\">要闻</a> 2022-10-30</li></ul>"))
        return s
    }

    func testScriptFilledColumnIsAdviceNotADeduction() {
        var s = fixtureSite()
        s.add("/gzdt/", scriptedColumn("工作动态"))
        let f = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .columnStale || $0.indicator == .columnBlank }
        XCTAssertEqual(f.map(\.rule), ["column.stale.news"])
        XCTAssertEqual(f.first?.severity, .advice)
        XCTAssertEqual(f.first?.subject, "工作动态")
        XCTAssertEqual(f.first?.evidence["scriptSign"], "document.write")
        XCTAssertTrue(f.first?.message.contains("浏览器") == true)
        // The report's timeline does not call it stale or blank either.
        var column = SiteFixture()
        column.add("/gzdt/", scriptedColumn("工作动态"))
        XCTAssertEqual(column.inspector(profile: SiteFixture.national()).columnFacts().map { [$0.stale, $0.blank] }, [[false, false]])
    }

    func testScriptFilledColumnsDoNotCountTowardTheVeto() {
        // Four stale static news columns and three script-filled ones: below the veto of five.
        var s = fixtureSite()
        for (i, name) in ["工作动态", "部门动态", "街道动态", "图片新闻"].enumerated() {
            s.add("/c\(i)/", columnPage(name, dates: ["2022-01-10", "2022-01-01"]))
        }
        for (i, name) in ["区政府要闻", "乡镇动态", "通知公告"].enumerated() { s.add("/s\(i)/", scriptedColumn(name)) }
        let stale = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .columnStale }
        XCTAssertEqual(stale.filter { $0.severity == .deduct }.count, 4)
        XCTAssertEqual(stale.filter { $0.severity == .advice }.count, 3)
        XCTAssertFalse(stale.contains { $0.severity == .veto })
        // A fifth static stale one reaches the veto; the script-filled ones stay advice.
        s.add("/c9/", columnPage("通知公告二", dates: ["2021-01-10", "2021-01-01"]))
        let veto = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .columnStale }
        XCTAssertEqual(veto.filter { $0.severity == .veto }.count, 5)
        XCTAssertEqual(veto.filter { $0.severity == .advice }.count, 3)
    }

    func testScriptFilledBlankLookingColumnsDoNotCountTowardTheBlankVeto() {
        // Four blank columns and two whose 暂无数据 sits beside an ms-repeat template.
        var s = fixtureSite()
        for (i, name) in ["人事信息", "机构职能", "领导信息", "规划计划"].enumerated() {
            s.add("/b\(i)/", page(title: name, head: "<meta name=\"ColumnName\" content=\"\(name)\">", "<div class=\"main\"><p>暂无信息</p></div>"))
        }
        for (i, name) in ["统计数据", "财政信息"].enumerated() {
            s.add(
                "/m\(i)/",
                page(
                    title: name, head: "<meta name=\"ColumnName\" content=\"\(name)\">",
                    "<div class=\"main\"><ul><li ms-repeat=\"list\"><a ms-attr-href=\"el.url\">{{el.title}}</a></li></ul><p ms-visible=\"list.size()==0\">暂无数据</p></div>"
                ))
        }
        let blank = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .columnBlank }
        XCTAssertEqual(blank.filter { $0.severity == .deduct }.count, 4, "\(blank.map(\.message))")
        XCTAssertEqual(Set(blank.filter { $0.severity == .advice }.map(\.subject)), ["统计数据", "财政信息"])
        XCTAssertFalse(blank.contains { $0.severity == .veto })
    }

    func testStaticColumnWithATemplateElsewhereIsJudgedAsItStands() {
        // Pingtan's column page carries 75 static items and an ms-repeat pager template: a static list wins.
        var s = fixtureSite()
        s.add(
            "/gzdt/",
            page(
                title: "工作动态", head: "<meta name=\"ColumnName\" content=\"工作动态\">",
                """
                <div class="main"><ul class="list"><li><a href="a.html">区长调研</a><span>2022-09-01</span></li><li><a href="b.html">会议</a><span>2022-08-01</span></li></ul>
                <div class="pager"><span ms-repeat="pages">{{el}}</span></div></div>
                """))
        let f = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .columnStale }
        XCTAssertEqual(f.map(\.severity), [.deduct])
    }

    func testRealScriptShellColumnPage() throws {
        // www.lottery.gov.cn's 历史开奖 page: empty containers, an iframe with no src, scripts.
        let url = "https://www.lottery.gov.cn/kj/kjlb.html"
        let page = PageParser.parse(
            [UInt8](try Data(contentsOf: RealPage.url("lottery-column-kjlb-scriptfilled.html"))), url: url,
            contentType: "text/html; charset=utf-8")
        XCTAssertEqual(page.scriptFill?.sign, .emptyBody)
    }

    // MARK: - Facts

    func testFactsKeepTheNewFieldsAcrossTheStore() throws {
        let inspector = SiteFixture().inspector(profile: SiteFixture.national())
        let home = inspector.facts(of: model(try districtHome(Self.scripted)), url: SiteFixture.host + "/", depth: 0)
        XCTAssertEqual(home.home?.scriptFill?.sign, .listScript)
        XCTAssertEqual(PageFacts(encoded: home.encoded()), home)
        let column = inspector.facts(of: model(scriptedColumn("工作动态"), url: SiteFixture.host + "/gzdt/"), url: SiteFixture.host + "/gzdt/", depth: 1)
        XCTAssertNotNil(column.column?.scriptFill)
        XCTAssertEqual(PageFacts(encoded: column.encoded()), column)
        let articleURL = SiteFixture.host + "/ywdt/202210/t20221028_1.html"
        let article = inspector.facts(
            of: model(page(head: "<meta name=\"PubDate\" content=\"2022-10-28\">", "<p>正文</p>"), url: articleURL),
            url: articleURL, depth: 1)
        XCTAssertEqual(article.published?.description, "2022-10-28")
        XCTAssertEqual(PageFacts(encoded: article.encoded()), article)
    }
}
