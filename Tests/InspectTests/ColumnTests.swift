@testable import Inspect
import InspectTesting
import XCTest
@testable import Vocabulary

/// Columns: planted defects and look-alike traps on a multi-page fixture site.
final class ColumnTests: XCTestCase {
    func site() -> SiteFixture {
        var s = SiteFixture()
        s.add(
            "/",
            page(
                title: "示例区人民政府",
                """
                <div class="header"><p>2022年11月01日 星期二</p></div>
                <div class="nav"><a href="/gzdt/">工作动态</a><a href="/tzgg/">通知公告</a><a href="/zcwj/">政策文件</a><a href="/rsxx/">人事信息</a><a href="/bmdt/">部门动态</a></div>
                <div class="main"><ul><li><a href="/gzdt/a.html">区政府常务会议</a> [10-28]</li><li><a href="/gzdt/b.html">区长调研</a> [10-20]</li></ul></div>
                """))
        // Planted: stale news column (3 weeks) whose page has a fresh sidebar.
        s.add("/gzdt/", columnPage("工作动态", dates: ["2022-10-10", "2022-10-01"], sidebar: ["2022-10-31", "2022-10-30"]))
        // Trap: fresh notice column whose page 2 lists old items.
        s.add("/tzgg/", columnPage("通知公告", dates: ["2022-09-20", "2022-08-01"]))
        s.add("/tzgg/index_1.html", columnPage("通知公告", dates: ["2020-01-01", "2019-12-01"]))
        s.add("/tzgg/index_2.html", columnPage("通知公告", dates: ["2019-01-01", "2018-12-01"]))
        // Trap: year-less dates, fresh.
        s.add("/bmdt/", columnPage("部门动态", dates: ["[10-30]", "[10-12]"]))
        // Planted: blank column.
        s.add("/rsxx/", page(title: "人事信息_示例区人民政府", head: "<meta name=\"ColumnName\" content=\"人事信息\">", "<div class=\"main\"><p>暂无信息</p></div>"))
        // Trap: a plain-text page (机构职能) is neither a list nor blank.
        s.add("/jgzn/", page(title: "机构职能", head: "<meta name=\"ColumnName\" content=\"机构职能\">", "<div class=\"main\"><p>负责全区政务公开工作。</p></div>"))
        // Trap: an article page of a stale-looking date is not a column.
        s.add(
            "/tzgg/t1.html",
            page(
                title: "关于停电的通知", head: "<meta name=\"ColumnName\" content=\"通知公告\"><meta name=\"PubDate\" content=\"2020-01-01 09:00\">",
                "<div class=\"main\"><h1>关于停电的通知</h1><p>2020-01-01</p><ul><li><a href=\"/x.html\">相关</a> 2019-01-01</li><li><a href=\"/y.html\">相关</a> 2019-01-02</li></ul></div>"
            ))
        return s
    }

    func testPlantedDefectsFoundAndTrapsNot() {
        let findings = site().inspect(profile: SiteFixture.national())
        let stale = findings.filter { $0.indicator == .columnStale }
        XCTAssertEqual(stale.map(\.subject), ["工作动态"], "\(stale.map(\.message))")
        XCTAssertEqual(stale.first?.rule, "column.stale.news")
        XCTAssertEqual(stale.first?.url, SiteFixture.host + "/gzdt/")
        XCTAssertEqual(stale.first?.evidence["latest"], "2022-10-10")
        XCTAssertEqual(stale.first?.severity, .deduct)
        let blank = findings.filter { $0.indicator == .columnBlank }
        XCTAssertEqual(blank.map(\.subject), ["人事信息"])
        XCTAssertTrue(
            findings.filter { $0.indicator == .homepageStale }.isEmpty, "year-less [10-28] on the home page is fresh; the header's date is not an item")
    }

    func testStaleColumnsAggregateIntoAVeto() {
        var s = SiteFixture()
        s.add("/", page("<ul><li><a href=\"/a.html\">要闻</a> 2022-10-30</li></ul>"))
        for (i, name) in ["工作动态", "部门动态", "街道动态", "图片新闻", "通知公告"].enumerated() {
            s.add("/c\(i)/", columnPage(name, dates: ["2022-01-10", "2022-01-01"]))
        }
        let stale = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .columnStale }
        XCTAssertEqual(stale.count, 5)
        XCTAssertTrue(stale.allSatisfy { $0.severity == .veto && $0.points == 0 })
        // Four are below the threshold: each a deduction.
        s.pages.removeLast()
        let four = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .columnStale }
        XCTAssertEqual(four.count, 4)
        XCTAssertTrue(four.allSatisfy { $0.severity == .deduct && $0.points == 1 })
    }

    func testRowsAsSiblingDivsFormAList() {
        var s = SiteFixture()
        s.add("/", page("<ul><li><a href=\"/a.html\">要闻</a> 2022-10-30</li></ul>"))
        s.add(
            "/tzgg/",
            page(
                title: "通知公告_示例区", head: "<meta name=\"ColumnName\" content=\"通知公告\">",
                """
                <div class="main"><div class="row"><a href="a.html">关于停电的通知</a><span>2022-03-01</span></div>
                <div class="row"><a href="b.html">关于开展检查的通知</a><span>2022-02-01</span></div>
                <div class="row"><a href="c.html">公告</a><span>2022-01-01</span></div></div>
                """))
        let stale = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .columnStale }
        XCTAssertEqual(stale.map(\.subject), ["通知公告"])
        XCTAssertEqual(stale.first?.evidence["latest"], "2022-03-01")
    }

    func testPaginationKeys() {
        for (url, key, paged) in [
            ("http://h/tzgg/index_1.html", "http://h/tzgg/", true),
            ("http://h/tzgg/index.html", "http://h/tzgg/", false),
            ("http://h/tzgg/", "http://h/tzgg/", false),
            ("http://h/list.jsp?cat=5&page=3", "http://h/?cat=5", true),
            ("http://h/tzgg/t20221028_1.html", "http://h/tzgg/t20221028_1.html", false),
        ] {
            let got = Summarizer.columnKey(url)
            XCTAssertEqual(got.key, key, url)
            XCTAssertEqual(got.isPagination, paged, url)
        }
    }

    func testHomePageStaleIsAVeto() {
        var s = SiteFixture()
        s.add("/", page("<div class=\"header\">2022年11月01日</div><ul><li><a href=\"/a.html\">旧闻</a> 2022-09-01</li><li><a href=\"/b.html\">无日期</a></li></ul>"))
        let f = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .homepageStale }
        XCTAssertEqual(f.count, 1)
        XCTAssertEqual(f.first?.severity, .veto)
    }

    func testNavigationOnlyHomePageIsJudgedBySecondLevelPages() {
        var s = SiteFixture()
        s.add("/", page("<div class=\"nav\"><a href=\"/gzdt/\">工作动态</a></div>"))
        s.add("/gzdt/", columnPage("工作动态", dates: ["2022-10-30", "2022-10-01"]))
        XCTAssertTrue(s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .homepageStale }.isEmpty)
    }

    func testColumnNamedFromBreadcrumbWithoutMeta() {
        var s = SiteFixture()
        s.add("/", page("<ul><li><a href=\"/a.html\">要闻</a> 2022-10-30</li></ul>"))
        s.add(
            "/xwzx/",
            page(
                title: "示例区",
                """
                <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a></div>
                <div class="main"><ul><li><a href="a.html">新闻一</a> 2022-06-01</li><li><a href="b.html">新闻二</a> 2022-05-01</li></ul></div>
                """))
        let stale = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .columnStale }
        XCTAssertEqual(stale.map(\.subject), ["新闻中心"])
    }

    func testDepartmentsLongestPrefixThenProfile() throws {
        var s = SiteFixture()
        s.add("/", page("<ul><li><a href=\"/a.html\">要闻</a> 2022-10-30</li></ul>"))
        s.add("/bm/jw/gzdt/", columnPage("工作动态", dates: ["2022-01-10", "2022-01-01"]))
        s.add("/czzj/", columnPage("财政资金直达基层动态", dates: ["2022-01-10", "2022-01-01"]))
        let departments = DepartmentMap([.init(pattern: "/bm/", department: "区政府办"), .init(pattern: "/bm/jw/", department: "区教委")])
        let profile = try Profile.bundled(name: "xicheng-2022")
        let stale = s.inspect(profile: profile, departments: departments).filter { $0.indicator == .columnStale }
        XCTAssertEqual(
            Dictionary(uniqueKeysWithValues: stale.map { ($0.subject, $0.department) }),
            ["工作动态": "区教委", "财政资金直达基层动态": "区财政局"])
    }

    func testRequiredColumnsOfTheSeedDistrict() throws {
        var s = SiteFixture()
        s.add(
            "/",
            page(
                title: "西城区人民政府",
                """
                <div class="nav"><a href="/zwgk/">政务公开</a><a href="/zcwj/">政策文件</a><a href="/zcjd/">政策解读</a><a href="/hdjl/">互动交流</a><a href="/bsfw/">办事服务</a>
                <a href="/ghjh/">“规划专栏”</a><a href="/yqfk/">疫情防控</a><a href="/zwgk/zn/">政府信息公开指南</a><a href="/zwgk/nb/">政府信息公开年报</a>
                <a href="/jgzn/">机构职能</a><a href="/ldxx/">领导信息</a><a href="/lxwm/">联系我们</a></div>
                <ul><li><a href="/a.html">要闻</a> 2022-10-30</li></ul>
                """))
        let missing = s.inspect(profile: try Profile.bundled(name: "xicheng-2022")).filter { $0.indicator == .columnMissing }
        XCTAssertEqual(Set(missing.map(\.subject)), ["财政资金直达基层", "政务公开重点工作", "惠企政策兑现", "现行有效规章"])
        let fiscal = missing.first { $0.subject == "财政资金直达基层" }
        XCTAssertEqual(fiscal?.department, "区财政局")
        XCTAssertEqual(fiscal?.evidence["item"], 21)
        XCTAssertEqual(fiscal?.url, SiteFixture.host + "/")
        // The national profile requires none of the district's columns.
        XCTAssertTrue(s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .columnMissing }.isEmpty)
    }
}

final class ArticleTrapTests: XCTestCase {
    /// An article page without article metas, with a breadcrumb naming its column and an
    /// old related-links list, is not a stale column.
    func testArticlesWithOldRelatedLinksAreNotColumns() {
        let body = String(repeating: "为深入贯彻落实政务公开工作要点，现将有关事项通知如下。", count: 12)
        var s = SiteFixture()
        s.add("/", page("<ul><li><a href=\"/a.html\">要闻</a> 2022-10-30</li></ul>"))
        let crumb = "<div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/tzgg/\">通知公告</a></div>"
        let related = "<ul><li><a href=\"/r1.html\">相关一</a> 2019-01-01</li><li><a href=\"/r2.html\">相关二</a> 2019-02-01</li></ul>"
        s.add("/tzgg/202210/abc123.shtml", page(crumb + "<div class=\"main\"><h1>通知</h1><p>正文</p>" + related + "</div>"), depth: 2)
        s.add("/tzgg/t20221028_5.html", page(crumb + "<div class=\"main\"><h1>通知</h1><p>正文</p>" + related + "</div>"), depth: 2)
        s.add("/tzgg/show.jsp?id=5", page(crumb + "<div class=\"main\"><h1>通知</h1><p>\(body)</p>" + related + "</div>"), depth: 2)
        XCTAssertEqual(s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .columnStale }.map(\.url), [])
    }

    func testArticleURLs() {
        XCTAssertTrue(Summarizer.isArticleURL("http://h/tzgg/202210/t20221028_123.html"))
        XCTAssertTrue(Summarizer.isArticleURL("http://h/ycsrmzf/tjgb/202305/36796cdc82d0.shtml"))
        XCTAssertTrue(Summarizer.isArticleURL("http://h/art/2022/10/28/art_1229_5.html"))
        XCTAssertFalse(Summarizer.isArticleURL("http://h/tzgg/index_1.html"))
        XCTAssertFalse(Summarizer.isArticleURL("http://h/tzgg/"))
        XCTAssertFalse(Summarizer.isArticleURL("http://h/zwgk/tzgg/list.shtml"))
    }
}
