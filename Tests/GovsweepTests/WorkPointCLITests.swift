import Foundation
import LocalServer
import XCTest

/// Issue 19's done-when: `govsweep sweep … --profile Rules/profiles/xicheng-2022.yaml` on
/// the work-point fixture site (served on 127.0.0.1) writes workpoints.csv with all 48
/// items, the report's section and each department's items; every planted absence and
/// stale topic is a finding and no trap is.
extension CLITests {
    static let workPointSite = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/workpoint-site")
    static let xichengProfile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Rules/profiles/xicheng-2022.yaml").standardized

    func testWorkPointFixtureSiteWritesTheTable() throws {
        let root = Self.workPointSite
        let server = try LocalServer(handler: LocalServer.directoryHandler(root: root.appendingPathComponent("site").path))
        defer { server.stop() }
        let out = dir.appendingPathComponent("out")
        let r = try govsweep([
            "sweep", server.baseURL, "--as-of", "2022-11-15", "--profile", Self.xichengProfile.path, "--out", out.path,
            "--departments", root.appendingPathComponent("departments.csv").path, "--timeout", "5", "--quiet",
        ])
        XCTAssertEqual(r.code, 0, r.stderr)

        // workpoints.csv: BOM, the issue's columns, all 48 items.
        let data = try Data(contentsOf: out.appendingPathComponent("workpoints.csv"))
        XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF])
        let lines = String(decoding: data.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.first, "序号,要点,牵头部门,配合部门,完成时限,状态,依据链接,依据标题,依据日期,说明")
        XCTAssertEqual(lines.count, 49)
        let expected = try String(contentsOf: root.appendingPathComponent("expected.txt"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: "|").map(String.init) }
        var statuses: [String: String] = [:]
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            statuses[cells[0]] = cells[5]
        }
        for e in expected { XCTAssertEqual(statuses[e[0]], e[1], "item \(e[0])") }
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("10,污染防治进展与空气质量,区生态环境局,,2022年10月,已公开,\(server.baseURL)sthj/t20221008_1.html,2022年9月西城区空气质量状况,2022-10-08,") },
            lines.joined(separator: "\n"))
        XCTAssertEqual(statuses["47"], "需人工核查")

        // findings.json: exactly the absent and stale topics past their deadline.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as! [String: Any]
        let findings = (json["findings"] as! [[String: Any]]).filter { $0["indicator"] as? String == "work-point" }
        let planted = Set(expected.filter { $0[1] == "未发现" || $0[1] == "仅见旧信息" }.map { $0[0] })
        let got = Set(findings.map { $0["subject"] as! String })
        let hit = planted.intersection(got).count
        print("work-point fixture site (govsweep sweep): recall \(hit)/\(planted.count), precision \(hit)/\(got.count)")
        XCTAssertEqual(got, planted, "missed: \(planted.subtracting(got)); traps reported: \(got.subtracting(planted))")

        // The report's printable section, with the evidence linked.
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<section id=\"workpoints\">\n<h2>工作要点落实情况</h2>"))
        XCTAssertTrue(html.contains("<a href=\"\(server.baseURL)sthj/t20221008_1.html\">2022年9月西城区空气质量状况</a>"))

        // Each department's list holds its own items: the environment bureau's item 10 (published),
        // the justice bureau's item 19, the housing commission's finding for item 7.
        let env = try String(contentsOf: out.appendingPathComponent("departments/区生态环境局.csv"), encoding: .utf8)
        XCTAssertTrue(env.contains("work-point,,,\(server.baseURL)sthj/t20221008_1.html,10,工作要点第 10 项“污染防治进展与空气质量”（牵头，完成时限 2022年10月）"), env)
        XCTAssertTrue(env.contains(",已公开,work-point,"), env)
        let housing = try String(contentsOf: out.appendingPathComponent("departments/区住房城市建设委.csv"), encoding: .utf8)
        XCTAssertEqual(housing.components(separatedBy: "\r\n").filter { $0.hasPrefix("work-point,") && $0.contains(",7,") }.count, 1, housing)
    }

    func testRulesExplainWorkPointListsTheItems() throws {
        let r = try govsweep(["rules", "explain", "work-point", "--bundled", "xicheng-2022"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("work-point — 工作要点未落实"), r.stdout)
        XCTAssertTrue(r.stdout.contains("work points in xicheng-2022 (2022):"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  47 政务公开队伍建设与业务培训 → 区政务服务管理局，2022年10月: manual: "), r.stdout)
        XCTAssertTrue(r.stdout.contains("  43 政府公报刊登规章和规范性文件 → 区政务服务管理局，2022年10月: topic 公报；排除：统计公报、统计年鉴"), r.stdout)
        XCTAssertEqual(r.stdout.components(separatedBy: "\n").filter { $0.range(of: #"^  \d+ "#, options: .regularExpression) != nil }.count, 48)
    }
}
