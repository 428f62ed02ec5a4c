import Foundation
import XCTest

/// What `govsweep demo` writes for people: the report's column timeline comes from the
/// sweep's columns, every output carries the comparison with the demo's first run (a week
/// earlier, before two defects were fixed and two appeared), and summary.md stays short.
final class ReportOutputTests: XCTestCase {
    func testDemoReportShowsColumnsAndHistoryEverywhere() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = ["demo", "--as-of", "2026-11-20", "--out", out.path, "--store", dir.appendingPathComponent("demo.sqlite").path, "--quiet"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, log)

        let html = String(decoding: try Data(contentsOf: out.appendingPathComponent("report.html")), as: UTF8.self)
        // The timeline lists the demo's stale column (政府采购公告, planted 8 months old) as overdue.
        let timeline = try XCTUnwrap(html.range(of: "id=\"column-table\"").map { String(html[$0.lowerBound...]) })
        let row = try XCTUnwrap(timeline.components(separatedBy: "</tr>").first { $0.contains(">政府采购公告</a>") })
        XCTAssertTrue(row.contains("超期"), row)
        XCTAssertTrue(html.contains("<section id=\"trend\">"), "the trend of the two runs")

        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as? [String: Any])
        let findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        XCTAssertFalse(findings.isEmpty)
        // New since the first run (2026-11-13): first seen on this run's day; the rest still open since then.
        for f in findings {
            let status = f["status"] as? String, seen = f["firstSeen"] as? String
            XCTAssertTrue((status == "new" && seen == "2026-11-20") || (status == "still-open" && seen == "2026-11-13"), "\(f)")
        }
        XCTAssertEqual(findings.filter { $0["status"] as? String == "new" }.count, 2)
        XCTAssertEqual((json["fixed"] as? [Any])?.count, 3)
        // Every finding is in the table (the demo is far below the 1000-row cap).
        XCTAssertEqual(html.components(separatedBy: "<tr data-dept=").count - 1, findings.count)

        let summary = String(decoding: try Data(contentsOf: out.appendingPathComponent("summary.md")), as: UTF8.self)
        XCTAssertLessThanOrEqual(summary.split(separator: "\n", omittingEmptySubsequences: false).count, 26, summary)
        XCTAssertTrue(summary.contains(out.path + "/report.html"), summary)

        let departments = Set(findings.map { $0["department"] as? String ?? "" })
        for d in departments {
            let name = d.isEmpty ? "未归属" : d
            let csv = String(decoding: try Data(contentsOf: out.appendingPathComponent("departments/\(name).csv")).dropFirst(3), as: UTF8.self)
            let rows = csv.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            let own = findings.filter { $0["department"] as? String == d }
            let fixed = ((json["fixed"] as? [[String: Any]]) ?? []).filter { $0["department"] as? String == d }
            XCTAssertEqual(rows.count, own.count + fixed.count, name)
            XCTAssertTrue(rows.allSatisfy { $0.contains(",2026-11-20,新发现,") || $0.contains(",2026-11-13,仍存在,") || $0.contains(",已修复,") }, name)
        }
    }
}
