import Inspect
import InspectTesting
import XCTest
import Vocabulary

/// `Inspector.columnFacts()`: the report's timeline sees the columns as the column rules do.
final class ColumnFactTests: XCTestCase {
    func testColumnFactsMatchTheColumnRules() throws {
        var site = SiteFixture()
        site.add("/", page("<ul><li><a href=\"/tzgg/\">通知公告</a></li><li><a href=\"/gzdt/\">工作动态</a></li></ul>"))
        site.add("/tzgg/", columnPage("通知公告", dates: ["2022-03-02", "2022-01-05"]))
        site.add("/gzdt/", columnPage("工作动态", dates: ["2022-10-30"]))
        site.add("/jgzn/", columnPage("机构职能", dates: ["2019-01-05"]))
        site.add(
            "/rsxx/",
            page(
                title: "人事信息_示例区", head: "<meta name=\"ColumnName\" content=\"人事信息\">",
                "<div class=\"main\"><ul></ul><p>暂无信息</p></div>"))
        let profile = SiteFixture.national()
        let inspector = site.inspector(profile: profile)
        let facts = Dictionary(uniqueKeysWithValues: inspector.columnFacts().map { ($0.name, $0) })
        XCTAssertEqual(
            facts["通知公告"],
            ColumnFact(
                name: "通知公告", url: SiteFixture.host + "/tzgg/", category: "notice",
                categoryName: "通知公告、政策文件类", latest: "2022-03-02", windowDays: 183,
                stale: true, blank: false))
        XCTAssertEqual(facts["工作动态"]?.stale, false)
        XCTAssertEqual(facts["工作动态"]?.windowDays, 14)
        XCTAssertEqual(facts["机构职能"]?.windowDays, nil, "no category, no window")
        XCTAssertEqual(facts["机构职能"]?.stale, false)
        XCTAssertEqual(facts["人事信息"]?.blank, true)
        // The same columns the rules report as stale and blank.
        let findings = inspector.finish(linkTargets: [], homePages: [SiteFixture.host + "/"])
        let staleSubjects = Set(findings.filter { $0.indicator == .columnStale }.map(\.subject))
        XCTAssertEqual(Set(facts.values.filter(\.stale).map(\.name)), staleSubjects)
        let blankSubjects = Set(findings.filter { $0.indicator == .columnBlank }.map(\.subject))
        XCTAssertEqual(Set(facts.values.filter(\.blank).map(\.name)), blankSubjects)
    }
}
