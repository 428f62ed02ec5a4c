import Foundation
@testable import Inspect
import Parse
import InspectTesting
import XCTest
@testable import Vocabulary

/// The work points of a profile: loading, the topic check's keyword groups, exclusions,
/// scopes, period and minimum, and the bundled xicheng-2022 mapping of all 48 items.
final class WorkPointTests: XCTestCase {
    static let head = "id: t\nworkPointYear: 2022\nworkPoints:\n"

    func profile(_ items: String, file: String = "wp.yaml") throws -> Profile {
        try Profile.load(yaml: Self.head + items, file: file)
    }

    /// The table of a site of (path, html) pages under `items`.
    func rows(
        _ items: String, _ pages: [(String, String)], asOf: String = "2022-11-15",
        departments: DepartmentMap = DepartmentMap()
    ) throws -> (findings: [Finding], rows: [WorkPointRow]) {
        var site = SiteFixture()
        for (path, html) in pages { site.add(path, html) }
        let inspector = site.inspector(profile: try profile(items), asOf: Day(iso: asOf)!, departments: departments)
        let findings = site.finish(inspector)
        return (findings.filter { $0.indicator == .workPoint }, inspector.workPointRows())
    }

    func testLoadsEveryKey() throws {
        let p = try profile(
            """
              - item: 7
                name: 老旧小区改造项目清单
                lead: [区住房城市建设委, 区房管局]
                co: 区政府相关部门
                deadline: 2022-10
                text: 做好老旧小区改造相关政策措施及项目清单公开
                severity: deduct
                points: 0.5
                topic: {all: [[老旧小区], [改造, 改建]], exclude: [培训], columns: [住房], paths: [/zjw/], departmentSites: true, since: 2022-03-01, minItems: 2}
              - {item: 6, rules: [column.missing], deadline: 2022-06-15}
              - {item: 47, manual: 内部培训}
            """)
        XCTAssertEqual(p.workPointYear, 2022)
        XCTAssertEqual(p.workPoints.map(\.item), [6, 7, 47])
        let w = p.workPoints[1]
        XCTAssertEqual(w.lead, ["区住房城市建设委", "区房管局"])
        XCTAssertEqual(w.co, ["区政府相关部门"])
        XCTAssertEqual(w.deadlineText, "2022年10月")
        XCTAssertEqual(w.deadline, Day(iso: "2022-10-31"))
        XCTAssertEqual(w.severity, .deduct)
        var t = WorkPoint.Topic(groups: [["老旧小区"], ["改造", "改建"]])
        t.exclude = ["培训"]; t.columns = ["住房"]; t.paths = ["/zjw/"]; t.departmentSites = true
        t.since = Day(iso: "2022-03-01"); t.minItems = 2
        XCTAssertEqual(w.method, .topic(t))
        XCTAssertEqual(p.workPoints[0].deadline, Day(iso: "2022-06-15"))
        XCTAssertEqual(p.workPoints[0].deadlineText, "2022年6月15日")
        XCTAssertEqual(p.workPoints[2].method, .manual("内部培训"))
    }

    func testBadWorkPointsNameFileAndLine() {
        func problem(_ items: String) -> String {
            do { _ = try profile(items); return "loaded" } catch { return "\(error)" }
        }
        XCTAssertTrue(
            problem("  - {item: 7, topic: {any: [a]}, manual: x}\n").contains("wp.yaml:4: workPoints item 7: give exactly one of topic, rules or manual"))
        XCTAssertTrue(problem("  - {item: 7, deadline: 2022年10月, manual: x}\n").contains("wp.yaml:4: workPoints.deadline: expected YYYY-MM or YYYY-MM-DD"))
        XCTAssertTrue(problem("  - {item: 7, rules: [column.nope]}\n").contains("wp.yaml:4: workPoints.rules: unknown rule id \"column.nope\""))
        XCTAssertTrue(problem("  - {item: 7, topic: {any: [a], where: [b]}}\n").contains("wp.yaml:4: unknown key \"where\" in workPoints.topic"))
        XCTAssertTrue(problem("  - {item: 7, topic: {exclude: [a]}}\n").contains("wp.yaml:4: workPoints.topic: give the keywords"))
        XCTAssertTrue(problem("  - {name: x, manual: y}\n").contains("wp.yaml:4: workPoints: each work point needs its item number"))
        XCTAssertTrue(problem("  - {item: 7, topic: {any: [a], paths: [zjw]}}\n").contains("must be a URL path beginning with /"))
    }

    static func list(_ name: String, _ rows: [(String, String)], extra: String = "") -> String {
        let items = rows.enumerated().map { "<li><a href=\"t\($0.offset).html\">\($0.element.0)</a><span>\($0.element.1)</span></li>" }.joined()
        return page(
            title: "\(name)_示例区", head: "<meta name=\"ColumnName\" content=\"\(name)\">",
            "<div class=\"nav\"><a href=\"/\">首页</a></div><div class=\"main\"><ul>\(items)</ul></div>\(extra)<div class=\"footer\">主办：示例区</div>")
    }

    func testAllOfGroupsAndExclusions() throws {
        let items = """
              - {item: 1, name: 老旧小区改造, deadline: 2022-10, topic: {all: [[老旧小区], [改造, 改建]]}}
              - {item: 2, name: 政府公报, deadline: 2022-10, topic: {any: [公报], exclude: [统计公报]}}
            """
        let site = [
            ("/", page("<p>首页</p>")),
            ("/a/", Self.list("动态", [("老旧小区停车难问题调研", "2022-09-01"), ("2021年统计公报", "2022-03-01")])),
        ]
        var (findings, rows) = try rows(items, site)
        XCTAssertEqual(rows.map(\.status), [.notFound, .notFound])
        XCTAssertEqual(findings.map(\.subject), ["1", "2"])
        (findings, rows) = try self.rows(items, site + [("/b/", Self.list("动态二", [("老旧小区改造进展", "2022-09-02"), ("政府公报2022年第3期", "2022-09-03")]))])
        XCTAssertEqual(rows.map(\.status), [.published, .published])
        XCTAssertEqual(findings, [])
    }

    func testScopesColumnsPathsAndDepartmentSites() throws {
        let pages = [
            ("/", page("<p>首页</p>")),
            ("/zjw/", Self.list("住建动态", [("老旧小区改造进展", "2022-09-01"), ("工作会议", "2022-08-01")])),
            ("/other/", Self.list("综合新闻", [("空气质量通报", "2022-09-01"), ("工作会议", "2022-08-01")])),
        ]
        let departments = DepartmentMap([.init(pattern: "/zjw/", department: "区住房城市建设委")])
        func status(_ topic: String) throws -> WorkPointRow.Status {
            try rows("  - {item: 1, lead: [区住房城市建设委], deadline: 2022-10, topic: \(topic)}\n", pages, departments: departments).rows[0].status
        }
        XCTAssertEqual(try status("{any: [老旧小区]}"), .published)
        XCTAssertEqual(try status("{any: [老旧小区], columns: [住建]}"), .published)
        XCTAssertEqual(try status("{any: [老旧小区], columns: [综合新闻]}"), .notFound)
        XCTAssertEqual(try status("{any: [老旧小区], paths: [/zjw/]}"), .published)
        XCTAssertEqual(try status("{any: [空气质量], paths: [/zjw/]}"), .notFound)
        XCTAssertEqual(try status("{any: [老旧小区], departmentSites: true}"), .published)
        XCTAssertEqual(try status("{any: [空气质量], departmentSites: true}"), .notFound)
    }

    func testPeriodAndMinimum() throws {
        let pages = [
            ("/", page("<p>首页</p>")),
            ("/a/", Self.list("动态", [("空气质量通报一", "2022-09-01"), ("空气质量通报二", "2022-02-01"), ("空气质量通报三", "2021-12-01")])),
        ]
        func row(_ topic: String) throws -> WorkPointRow {
            try rows("  - {item: 1, deadline: 2022-10, topic: \(topic)}\n", pages).rows[0]
        }
        XCTAssertEqual(try row("{any: [空气质量]}").status, .published)
        XCTAssertEqual(try row("{any: [空气质量]}").note, "2022-01-01以来相关信息 2 条")
        XCTAssertEqual(try row("{any: [空气质量], minItems: 3}").status, .notFound)
        XCTAssertEqual(try row("{any: [空气质量], since: 2022-06-01, minItems: 2}").status, .notFound)
        XCTAssertEqual(try row("{any: [空气质量], since: 2022-10-01}").status, .onlyOld)
        XCTAssertEqual(try row("{any: [空气质量], since: 2022-10-01}").evidence.first?.date, "2022-09-01")
    }

    /// Navigation, a sidebar, the footer and the home page's blocks never count; the
    /// column's own list and an article's title and paragraphs do.
    func testOnlyOwnListsAndArticlesCount() throws {
        let item = "  - {item: 11, deadline: 2022-10, topic: {any: [接诉即办]}}\n"
        let menu = "<div class=\"nav\"><a href=\"/jsjb/\">接诉即办</a></div>"
        let side = "<div class=\"side\"><ul><li><a href=\"/x.html\">接诉即办排名</a> 2022-10-01</li><li><a href=\"/y.html\">接诉即办通报</a> 2022-09-01</li></ul></div>"
        let traps = [
            ("/", page("\(menu)<div class=\"news\"><ul><li><a href=\"/jsjb/\">接诉即办月报</a> 2022-11-01</li></ul></div>")),
            ("/a/", Self.list("动态", [("区长调研", "2022-10-01"), ("工作会议", "2022-09-01")], extra: side)),
            (
                "/a/t20221001_1.html",
                page(
                    head: "<meta name=\"PubDate\" content=\"2022-10-01\">",
                    "\(menu)<div class=\"main\"><h1>区长调研</h1><p>区长到街道调研。</p><ul><li><a href=\"/j.html\">接诉即办专题</a></li></ul></div><div class=\"footer\">接诉即办热线12345</div>"
                )
            ),
        ]
        XCTAssertEqual(try rows(item, traps).rows[0].status, .notFound)
        let article = (
            "/a/t20221002_1.html",
            page(
                head: "<meta name=\"PubDate\" content=\"2022-10-02\">",
                "<div class=\"main\"><h1>街道工作会</h1><p>会议听取了接诉即办工作进展情况的汇报。</p></div>")
        )
        let r = try rows(item, traps + [article]).rows[0]
        XCTAssertEqual(r.status, .published)
        XCTAssertEqual(r.evidence, [.init(url: SiteFixture.host + "/a/t20221002_1.html", title: "街道工作会", date: "2022-10-02")])
    }

    /// Items checked by other rules take their status from those rules' findings.
    func testRuleCheckedItems() throws {
        let items = """
              - {item: 44, deadline: 2022-10, rules: [column.missing]}
              - {item: 12, deadline: 2022-10, rules: [column.missing]}
              - {item: 41, deadline: 2022-10, rules: [a11y.elder-entry]}
              - {item: 42, deadline: 2022-10, rules: [phone.unfiled]}
            required:
              - {name: 政府信息公开指南, department: 区政务服务管理局, item: 44}
              - {name: 疫情防控专栏, department: 区卫生健康委, item: 12}
            """
        let home = page("<div class=\"nav\"><a href=\"/zwgk/xxgkzn.html\">政府信息公开指南</a></div><p>首页</p>")
        let (findings, rows) = try rows(items, [("/", home)])
        XCTAssertEqual(findings, [], "the rules report for themselves")
        XCTAssertEqual(rows.map(\.status), [.notFound, .manual, .manual, .published])
        XCTAssertEqual(rows.map(\.item), [12, 41, 42, 44])
        XCTAssertEqual(rows[0].note, "未找到栏目“疫情防控专栏”")
        XCTAssertTrue(rows[1].note.contains("发现 1 项问题"), rows[1].note)
        XCTAssertTrue(rows[2].note.contains("--phones"), rows[2].note)
        XCTAssertEqual(rows[3].evidence, [.init(url: SiteFixture.host + "/zwgk/xxgkzn.html", title: "政府信息公开指南", date: "")])
    }

    func testXichengMapsAll48Items() throws {
        let p = try Profile.bundled(name: "xicheng-2022")
        XCTAssertEqual(p.workPoints.map(\.item), Array(1...48))
        XCTAssertEqual(p.workPointYear, 2022)
        var counts: [String: [Int]] = [:]
        for w in p.workPoints {
            XCTAssertFalse(w.lead.isEmpty, "item \(w.item): lead department")
            XCTAssertNotNil(w.deadline, "item \(w.item): deadline")
            XCTAssertFalse(w.text.isEmpty, "item \(w.item): the seed's text")
            switch w.method {
            case .topic: counts["topic", default: []].append(w.item)
            case .rules(let ids):
                counts["rules", default: []].append(w.item)
                if ids.contains("column.missing") { XCTAssertTrue(p.required.contains { $0.item == w.item }, "item \(w.item): a required column") }
            case .manual(let reason):
                counts["manual", default: []].append(w.item)
                XCTAssertGreaterThan(reason.count, 10, "item \(w.item): say why")
            }
        }
        XCTAssertEqual(counts["rules"], [6, 12, 21, 24, 29, 31, 34, 36, 41, 42, 44, 46, 48])
        XCTAssertEqual(counts["manual"], [22, 25, 26, 28, 35, 38, 39, 40, 45, 47])
        XCTAssertEqual(counts["topic"]?.count, 25)
        XCTAssertEqual(p.workPoints.first { $0.item == 6 }?.deadlineText, "2022年6月")
        XCTAssertEqual(p.workPoints.first { $0.item == 12 }?.co, ["区政府相关部门"])
        XCTAssertEqual(p.workPoints.first { $0.item == 1 }?.lead, ["区商务局", "区科信局", "西城园管委会"])
    }
}
