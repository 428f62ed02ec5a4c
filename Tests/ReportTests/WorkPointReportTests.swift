import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Inspect
@testable import Report
import XCTest
@testable import Vocabulary

/// The work-point table as the output shows it: workpoints.csv, the report's printable
/// section with its evidence linked, and each department's items on its list.
final class WorkPointReportTests: XCTestCase {
    static let site = ReportFixture.site
    static let rows: [WorkPointRow] = [
        WorkPointRow(
            item: 2, name: "疏整促专项行动进展", lead: ["区发展改革委"], co: [], deadline: "2022年10月", status: .published, method: "topic",
            evidence: [
                .init(url: site + "fgw/t1.html", title: "疏解整治促提升专项行动进展", date: "2022-06-15"),
                .init(url: site + "fgw/t0.html", title: "疏整促推进会", date: "2022-03-01"),
            ],
            note: "2022-01-01以来相关信息 2 条"),
        WorkPointRow(
            item: 7, name: "老旧小区改造, \"项目清单\"", lead: ["区住房城市建设委", "区房管局"], co: ["区政府相关部门"], deadline: "2022年10月",
            status: .onlyOld, method: "topic", evidence: [.init(url: site + "lg/t.html", title: "2021年项目清单 <旧>", date: "2021-11-03")],
            note: "2022-01-01以来未见相关信息，最新一条为 2021-11-03"),
        WorkPointRow(
            item: 11, name: "“接诉即办”改革进展", lead: ["区城市管理指挥中心"], co: [], deadline: "2022年10月", status: .notFound, method: "topic",
            note: "2022-01-01以来未见相关信息（关键词：接诉即办）"),
        WorkPointRow(
            item: 23, name: "区政府常务会议信息", lead: ["区政府办公室"], co: [], deadline: "2022年12月", status: .notDue, method: "topic",
            note: "未到完成时限（2022年12月）；"),
        WorkPointRow(
            item: 47, name: "队伍建设与业务培训", lead: ["区政务服务管理局"], co: [], deadline: "2022年10月", status: .manual, method: "manual",
            note: "培训在机关内部进行，网站上看不到"),
    ]

    func testSectionIsAPrintableTableWithLinkedEvidence() throws {
        var context = ReportFixture.context
        context.workPoints = Self.rows
        let html = HTMLReport.render(ReportFixture.document(), history: ReportFixture.history, context: context)
        let page = try ParsedReport(html)
        let rows = try page.rows(table: "workpoint-table")
        XCTAssertEqual(rows.map { $0[0] }, ["2", "7", "11", "23", "47"])
        XCTAssertEqual(rows.map { $0[4] }, ["已公开", "仅见旧信息", "未发现", "未到期", "需人工核查"])
        XCTAssertEqual(rows[1][1], "老旧小区改造, \"项目清单\"")
        XCTAssertEqual(
            try page.nodes("//table[@id='workpoint-table']//a/@href").compactMap(\.stringValue),
            [Self.site + "fgw/t1.html", Self.site + "fgw/t0.html", Self.site + "lg/t.html"])
        XCTAssertTrue(try page.value(id: "workpoint-counts")?.hasPrefix("共 5 项：已公开 1，未发现 1，仅见旧信息 1，未到期 1，需人工核查 1") ?? false)
        for th in try page.nodes("//table[@id='workpoint-table']//th") { XCTAssertNotNil((th as? XMLElement)?.attribute(forName: "scope")) }
        // After the column timeline, before the trend; linked from the contents.
        let at = ["id=\"columns\"", "id=\"workpoints\"", "id=\"trend\""].map { html.range(of: $0)!.lowerBound }
        XCTAssertEqual(at, at.sorted())
        XCTAssertTrue(html.contains("<a href=\"#workpoints\">工作要点落实</a>"))
        XCTAssertTrue(
            Summary.markdown(ReportFixture.document(), context: context)
                .contains("- 工作要点 5 项：已公开 1，未发现 1，仅见旧信息 1，未到期 1，需人工核查 1（workpoints.csv）\n"))
        XCTAssertFalse(Summary.markdown(ReportFixture.document(), context: ReportFixture.context).contains("工作要点"))
        // No work points: no section, no contents entry.
        let plain = HTMLReport.render(ReportFixture.document(), context: ReportFixture.context)
        XCTAssertFalse(plain.contains("workpoints"))
    }

    func testCSVHasTheIssuesColumnsWithABOM() {
        let csv = WorkPointsReport.csv(Self.rows)
        XCTAssertTrue(csv.hasPrefix("\u{FEFF}序号,要点,牵头部门,配合部门,完成时限,状态,依据链接,依据标题,依据日期,说明\r\n"))
        let rows = parseCSV(String(csv.dropFirst()))
        XCTAssertEqual(rows.count, 6)
        XCTAssertEqual(
            rows[1],
            [
                "2", "疏整促专项行动进展", "区发展改革委", "", "2022年10月", "已公开", Self.site + "fgw/t1.html",
                "疏解整治促提升专项行动进展", "2022-06-15", "2022-01-01以来相关信息 2 条；另见：2022-03-01 疏整促推进会 \(Self.site)fgw/t0.html",
            ])
        XCTAssertEqual(rows[2][1], "老旧小区改造, \"项目清单\"")
        XCTAssertEqual(rows[2][2], "区住房城市建设委、区房管局")
        XCTAssertEqual(rows[2][3], "区政府相关部门")
        XCTAssertEqual(rows[5][5], "需人工核查")
    }

    func testDepartmentsListTheirOwnItems() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var context = ReportFixture.context
        context.workPoints = Self.rows
        // Item 11's finding is already on the command centre's list: not repeated there.
        let finding = Finding(
            rule: "work-point", indicator: .workPoint, severity: .advice, url: Self.site, subject: "11",
            department: "区城市管理指挥中心", message: "工作要点第 11 项“接诉即办”未发现公开信息")
        try ReportWriter.write(ReportFixture.document(ReportFixture.findings + [finding]), context: context, to: dir)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("workpoints.csv").path))
        func list(_ d: String) throws -> [[String]] {
            let data = try Data(contentsOf: dir.appendingPathComponent("departments/\(d).csv"))
            XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF], d)
            return parseCSV(String(decoding: data.dropFirst(3), as: UTF8.self))
        }
        // 区发展改革委 has findings: its item is added after them.
        let fgw = try list("区发展改革委")
        XCTAssertEqual(fgw.first?.first, "指标 indicator")
        XCTAssertEqual(fgw.last?[0], "work-point")
        XCTAssertEqual(fgw.last?[3], Self.site + "fgw/t1.html")
        XCTAssertEqual(fgw.last?[4], "2")
        XCTAssertEqual(fgw.last?[7], "已公开")
        // A department with no findings gets a list of its items, lead and co-department alike.
        XCTAssertEqual(try list("区房管局").dropFirst().map { $0[4] }, ["7"])
        XCTAssertTrue(try list("区政府相关部门")[1][5].contains("（配合，完成时限 2022年10月）"))
        XCTAssertEqual(try list("区城市管理指挥中心").filter { $0[0] == "work-point" }.count, 1)
    }
}
