import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Inspect
import Report
import XCTest
import Vocabulary

/// One fixed, several still open and new findings show up right in every output.
final class RunHistoryOutputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try ReportFixture.write() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }

    func read(_ name: String) throws -> String { String(decoding: try Data(contentsOf: dir.appendingPathComponent(name)), as: UTF8.self) }

    func testFindingsJSONCarriesStatusFirstSeenAndFixed() throws {
        let data = try Data(contentsOf: dir.appendingPathComponent("findings.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(json["previousRunId"] as? Int, 3)
        let findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.count, ReportFixture.findings.count)
        for f in findings {
            let id = f["id"] as? String
            let old = id == ReportFixture.veto.id || ReportFixture.broken.contains { $0.id == id }
            XCTAssertEqual(f["status"] as? String, old ? "still-open" : "new")
            XCTAssertEqual(f["firstSeen"] as? String, old ? "2022-10-01" : "2022-11-01")
        }
        let fixed = try XCTUnwrap(json["fixed"] as? [[String: Any]])
        XCTAssertEqual(fixed.map { $0["id"] as? String }, [ReportFixture.fixed.id])
        // Still one finding per line, and the typed document decodes (extra fields ignored).
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.hasPrefix("    {\"department\"") }.count, findings.count)
        let back = try JSONDecoder().decode(FindingsDocument.self, from: data)
        XCTAssertEqual(back.findings, ReportFixture.findings)
        XCTAssertEqual(back.fixed, [ReportFixture.fixed])
    }

    func testHTMLShowsNewOpenAndFixed() throws {
        let page = try ParsedReport(try read("report.html"))
        XCTAssertEqual(try page.value(id: "changes-new"), "2")
        XCTAssertEqual(try page.value(id: "changes-open"), "5")
        XCTAssertEqual(try page.value(id: "changes-fixed"), "1")
        XCTAssertEqual(try page.value(id: "count-fixed"), "1")
        XCTAssertEqual(try page.nodes("//table[@id='fixed-table']/tbody/tr/@data-id").compactMap(\.stringValue), [ReportFixture.fixed.id])
        let rows = try page.nodes("//table[@id='findings-table']/tbody/tr")
        for (row, f) in zip(rows, ReportFixture.findings) {
            let text = row.stringValue ?? ""
            let old = f.id == ReportFixture.veto.id || ReportFixture.broken.contains { $0.id == f.id }
            XCTAssertTrue(text.hasPrefix(old ? "仍存在首次 2022-10-01" : "新发现首次 2022-11-01"), text)
        }
        // Two runs: a trend, not the one-run note.
        XCTAssertNil(try page.value(id: "trend-note"))
        XCTAssertEqual(try page.rows(table: "trend-table").map { $0[0] }, ["3", "4"])
    }

    func testDepartmentCSVs() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("departments").path).sorted()
        XCTAssertEqual(files, ["区发展改革委.csv", "区政务服务管理局.csv", "区财政局.csv", "未归属.csv"].sorted())
        for file in files {
            let data = try Data(contentsOf: dir.appendingPathComponent("departments/\(file)"))
            XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF], "\(file): UTF-8 BOM")
        }
        func rows(_ file: String) throws -> [[String]] {
            let text = String(decoding: try Data(contentsOf: dir.appendingPathComponent("departments/\(file)")).dropFirst(3), as: UTF8.self)
            return parseCSV(text)
        }
        let header = try rows("区发展改革委.csv")[0]
        XCTAssertEqual(header.count, DepartmentCSV.header.count)
        XCTAssertEqual(header[6], "首次发现 first seen")
        XCTAssertEqual(header[7], "状态 status")
        // Real status and first-seen values.
        let dev = try rows("区发展改革委.csv").dropFirst()
        XCTAssertEqual(dev.count, 5)
        XCTAssertEqual(dev.filter { $0[7] == "新发现" }.map { $0[4] }, ["规划专栏"])
        XCTAssertEqual(dev.filter { $0[7] == "仍存在" }.count, 4)
        XCTAssertTrue(dev.filter { $0[7] == "仍存在" }.allSatisfy { $0[6] == "2022-10-01" })
        // The department with nothing open still gets its list, with the fixed finding.
        let finance = try rows("区财政局.csv").dropFirst()
        XCTAssertEqual(finance.map { $0[7] }, ["已修复"])
        XCTAssertEqual(finance.first?[5], ReportFixture.fixed.message)
        // Quotes, commas and line breaks survive; a formula is defused.
        let other = try rows("未归属.csv").dropFirst()
        XCTAssertEqual(other.count, 1)
        XCTAssertEqual(other.first?.count, DepartmentCSV.header.count)
        XCTAssertEqual(other.first?[5], ReportFixture.awkward.message)
        XCTAssertEqual(other.first?[4], "'" + ReportFixture.awkward.subject)
    }

    func testSummaryIsShortAndComplete() throws {
        let md = try read("summary.md")
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertLessThanOrEqual(lines.count, 26, md)
        XCTAssertTrue(md.contains("**不合格**"), md)
        XCTAssertTrue(md.contains("得分 \(ReportFixture.document().score.formatted(.number.grouping(.never)))"), md)
        XCTAssertTrue(md.contains("单项否决 1 处：栏目不更新 1 处"), md)
        XCTAssertTrue(md.contains(ReportFixture.veto.message), md)
        XCTAssertTrue(md.contains("新发现 2，仍存在 5，已修复 1"), md)
        XCTAssertTrue(md.contains("1. 区政务服务管理局"), md)
        XCTAssertTrue(md.contains(dir.path + "/report.html"), md)
    }

    func testFirstRunEverythingNew() throws {
        let first = try ReportFixture.write(history: RunHistory())
        defer { try? FileManager.default.removeItem(at: first.deletingLastPathComponent()) }
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: first.appendingPathComponent("findings.json"))) as? [String: Any])
        XCTAssertNil(json["previousRunId"])
        XCTAssertEqual((json["fixed"] as? [Any])?.count, 0)
        XCTAssertTrue(
            (json["findings"] as? [[String: Any]] ?? []).allSatisfy { $0["status"] as? String == "new" && $0["firstSeen"] as? String == "2022-11-01" })
        let md = String(decoding: try Data(contentsOf: first.appendingPathComponent("summary.md")), as: UTF8.self)
        XCTAssertTrue(md.contains("首次检查：新发现 7"), md)
    }
}

/// The loader builds a history from the previous run's ids and fixed findings only; it must
/// equal the one built from all the previous run's findings.
final class RunHistoryFromIDsTests: XCTestCase {
    func testIdsAndFixedGiveTheSameHistory() {
        let earlier = [ReportFixture.fixed, ReportFixture.veto] + ReportFixture.broken
        let later = ReportFixture.findings
        let firstSeen = [ReportFixture.veto.id: "2022-10-01"]
        let point = RunHistory.Point(runId: 4, asOf: Day(iso: "2022-11-01")!, finishedAt: "x", score: 50, verdict: .fail, veto: 1, deduct: 2, advice: 0)
        let full = RunHistory(
            findings: later, asOf: Day(iso: "2022-11-01")!, previous: (runId: 3, asOf: Day(iso: "2022-10-01")!, findings: earlier),
            firstSeen: firstSeen, trend: [point])
        let laterIDs = Set(later.map(\.id))
        let lean = RunHistory(
            findings: later, asOf: Day(iso: "2022-11-01")!,
            previous: RunHistory.Previous(
                runId: 3, asOf: Day(iso: "2022-10-01")!, ids: Set(earlier.map(\.id)),
                fixed: earlier.filter { !laterIDs.contains($0.id) }),
            firstSeen: firstSeen, trend: [point])
        XCTAssertEqual(lean, full)
        XCTAssertEqual(lean.fixed.map(\.id), [ReportFixture.fixed.id])
        XCTAssertEqual(lean.counts.fixed, 1)
        let first = RunHistory(findings: later, asOf: Day(iso: "2022-11-01")!, previous: nil as RunHistory.Previous?, firstSeen: [:], trend: [])
        XCTAssertEqual(
            first,
            RunHistory(
                findings: later, asOf: Day(iso: "2022-11-01")!, previous: nil as (runId: Int64, asOf: Day, findings: [Finding])?,
                firstSeen: [:], trend: []))
        XCTAssertTrue(first.status.values.allSatisfy { $0 == .new })
    }
}
