import Foundation
import Inspect
import InspectTesting
import XCTest
import Vocabulary

/// A multi-page site with one planted defect per check and a look-alike trap next to
/// each; the sweep must report exactly the planted defects (recall and precision 1).
final class FixtureSiteTests: XCTestCase {
    static let header = "<div class=\"header\"><img src=\"/banner.jpg\"><img src=\"/line.png\" alt=\"\"><a href=\"/zzms/\">长者模式</a></div>"

    static func fixturePage(_ title: String, head: String = "", _ body: String) -> String {
        page(title: title, head: head, FixtureSiteTests.header + body)
    }

    static func site() -> SiteFixture {
        var s = SiteFixture()
        s.add(
            "/",
            Self.fixturePage(
                "示例区人民政府",
                """
                <div class="top"><p>2022年11月01日 星期二</p></div>
                <div class="nav"><a href="/zwgk/">政务公开</a><a href="/zcwj/">政策文件</a><a href="/zcjd/">政策解读</a><a href="/hdjl/">互动交流</a>
                <a href="/bsfw/">办事服务</a><a href="/ghzl/">规划专栏</a><a href="/yqfk/">疫情防控</a><a href="/czzj/">财政资金直达基层</a>
                <a href="/zdgz/">政务公开重点工作</a><a href="/hqzc/">惠企政策兑现</a><a href="/zwgk/zn/">政府信息公开指南</a><a href="/zwgk/nb/">政府信息公开年报</a>
                <a href="/gzdt/">工作动态</a><a href="/tzgg/">通知公告</a><a href="/bmdt/">部门动态</a><a href="/rsxx/">人事信息</a><a href="/old.html">旧栏目</a>
                <a href="/ldxx/">领导之窗</a><a href="/txl/">通讯录</a></div>
                <form class="search"><input type="text" name="q" aria-label="站内搜索"><button type="submit">搜索</button></form>
                <div class="news"><ul><li><a href="/gzdt/a.html">区政府召开常务会议</a> [10-28]</li><li><a href="/gzdt/b.html">区长调研</a> [10-20]</li></ul></div>
                <div class="footer"><p>主办：示例区人民政府办公室 承办：示例区政务服务管理局</p>
                <p>政府网站标识码：1101020002 京ICP备19014909号-1 京公网安备11010202007633号 邮编：100032</p>
                <script src="https://dcs.conac.cn/js/01/000/0000/60429971/CA010000000604299710002.js"></script>
                <script src="//pucha.kaipuyun.cn/exposure/jiucuo.js"></script></div>
                """))
        s.add(
            "/gzdt/",
            Self.fixturePage(
                "工作动态_示例区人民政府", head: "<meta name=\"ColumnName\" content=\"工作动态\">",
                """
                <div class="main"><ul><li><a href="a.html">区长调研</a><span>2022-10-10</span></li><li><a href="b.html">区委会议</a><span>2022-10-01</span></li></ul></div>
                <div class="right"><ul><li><a href="/x.html">热点</a> 2022-10-31</li><li><a href="/y.html">热点二</a> 2022-10-30</li></ul></div>
                """))
        s.add(
            "/tzgg/",
            Self.fixturePage(
                "通知公告", head: "<meta name=\"ColumnName\" content=\"通知公告\">",
                "<div class=\"main\"><ul><li><a href=\"t1.html\">关于停电的通知</a> 2022-09-20</li><li><a href=\"t2.html\">公告</a> 2022-08-01</li></ul></div>"))
        s.add(
            "/tzgg/index_1.html",
            Self.fixturePage(
                "通知公告", head: "<meta name=\"ColumnName\" content=\"通知公告\">",
                "<div class=\"main\"><ul><li><a href=\"t3.html\">旧通知</a> 2020-01-01</li><li><a href=\"t4.html\">旧公告</a> 2019-12-01</li></ul></div>"))
        s.add(
            "/bmdt/",
            Self.fixturePage(
                "部门动态", head: "<meta name=\"ColumnName\" content=\"部门动态\">",
                "<div class=\"main\"><ul><li><a href=\"d1.html\">部门动态一</a> [10-30]</li><li><a href=\"d2.html\">部门动态二</a> [10-12]</li></ul></div>"))
        s.add("/rsxx/", Self.fixturePage("人事信息", head: "<meta name=\"ColumnName\" content=\"人事信息\">", "<div class=\"main\"><p>暂无信息</p></div>"))
        s.add("/jgzn/", Self.fixturePage("机构职能", head: "<meta name=\"ColumnName\" content=\"机构职能\">", "<div class=\"main\"><p>负责全区政务公开工作。</p></div>"))
        s.add(
            "/tzgg/t1.html",
            Self.fixturePage(
                "关于停电的通知", head: "<meta name=\"ColumnName\" content=\"通知公告\"><meta name=\"PubDate\" content=\"2020-01-01 09:00\">",
                "<div class=\"main\"><h1>关于停电的通知</h1><img src=\"/deco.png\" alt=\"\"><iframe src=\"/map.html\" title=\"停电范围地图\"></iframe></div>"), depth: 2)
        s.add(
            "/hdjl/",
            Self.fixturePage(
                "互动交流",
                "<div class=\"main\"><form><input type=\"text\" name=\"title\"><textarea name=\"body\" aria-label=\"留言内容\"></textarea><button>提交</button></form></div>"
            ))
        s.broken = ["/old.html"]
        return s
    }

    func testExactlyThePlantedDefects() throws {
        let departments = DepartmentMap([.init(pattern: "/gzdt/", department: "区政府办"), .init(pattern: "/rsxx/", department: "区人力社保局")])
        // The district's work points are WorkPointFixtureTests' subject: this site publishes none of them.
        let findings = Self.site().inspect(profile: try Profile.bundled(name: "xicheng-2022"), departments: departments)
            .filter { $0.indicator != .workPoint }
        let got = Set(
            findings.map {
                "\($0.indicator.rawValue)|\($0.subject)|\($0.url.replacingOccurrences(of: SiteFixture.host, with: ""))|\($0.severity.rawValue)|\($0.department)"
            })
        let planted: Set<String> = [
            "column-stale|工作动态|/gzdt/|deduct|区政府办",
            "column-blank|人事信息|/rsxx/|deduct|区人力社保局",
            "column-missing|现行有效规章|/|deduct|区政务服务管理局",
            "footer-marker|contact|/|deduct|",
            "a11y|img-alt|/|advice|",
            "a11y|form-label|/hdjl/|advice|",
            "link-broken||/old.html|deduct|",
        ]
        XCTAssertEqual(got.subtracting(planted), [], "false alarms")
        XCTAssertEqual(planted.subtracting(got), [], "missed defects")
        XCTAssertEqual(findings.count, planted.count)
        XCTAssertEqual(findings.first { $0.subject == "img-alt" }?.evidence["template"], true)

        let result = try Profile.bundled(name: "xicheng-2022").scoring.score(findings)
        XCTAssertEqual(result.score, 100 - 1 - 1 - 2 - 0.5 - 1)
        XCTAssertEqual(result.verdict, .pass)
        XCTAssertEqual(result.vetoes, [])
    }

    func testIDsAreStableAcrossRuns() throws {
        let profile = try Profile.bundled(name: "xicheng-2022")
        let a = Self.site().inspect(profile: profile).map(\.id).sorted()
        var reversed = Self.site()
        reversed.pages.reverse()
        XCTAssertEqual(a, reversed.inspect(profile: profile).map(\.id).sorted())
    }
}

final class ConcurrencyTests: XCTestCase {
    /// The crawl calls `inspect` from many tasks at once: the result must not depend on it.
    func testConcurrentInspectionMatchesSequential() throws {
        let fixture = FixtureSiteTests.site()
        let profile = try Profile.bundled(name: "xicheng-2022")
        let sequential = fixture.inspect(profile: profile).map(\.id).sorted()
        // The fixture's inspector before any page (an empty site), fed here from many threads.
        let inspector = SiteFixture(host: fixture.host).inspector(profile: profile)
        let pages = fixture.pages.map { p in (model(p.html, url: fixture.host + p.path), fixture.host + p.path, p.depth) }
        DispatchQueue.concurrentPerform(iterations: pages.count) { i in
            inspector.inspect(page: pages[i].0, url: pages[i].1, depth: pages[i].2)
        }
        XCTAssertEqual(fixture.finish(inspector).map(\.id).sorted(), sequential)
        XCTAssertEqual(inspector.pageCount, pages.count)
    }
}
