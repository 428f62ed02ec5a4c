import Foundation
@testable import Inspect
import InspectTesting
import Parse
import XCTest
@testable import Vocabulary

/// The work-point fixture site (GovsweepTests/Fixtures/workpoint-site) under the bundled
/// xicheng-2022 profile: every topic item gets the status planted in expected.txt, and no
/// trap (menu, sidebar, footer, another sense, an excluded title, last year's items)
/// turns an absence into a publication. Prints recall and precision.
final class WorkPointFixtureTests: XCTestCase {
    static let host = "http://www.example.gov.cn"
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../GovsweepTests/Fixtures/workpoint-site").standardized

    static func pages() -> [(String, String)] {
        let site = root.appendingPathComponent("site")
        let files = FileManager.default.enumerator(atPath: site.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".html") }.sorted()
        return files.map { f in
            let path = "/" + (f.hasSuffix("index.html") ? String(f.dropLast("index.html".count)) : f)
            return (path, try! String(contentsOf: site.appendingPathComponent(f), encoding: .utf8))
        }
    }

    /// item → status, from expected.txt.
    static var expected: [Int: String] {
        let text = try! String(contentsOf: root.appendingPathComponent("expected.txt"), encoding: .utf8)
        var out: [Int: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "|")
            out[Int(parts[0])!] = String(parts[1])
        }
        return out
    }

    static func run(asOf: String = "2022-11-15") throws -> (findings: [Finding], rows: [WorkPointRow]) {
        var site = SiteFixture(host: host)
        for (path, html) in pages() { site.add(path, html) }
        let inspector = site.inspector(
            profile: try Profile.bundled(name: "xicheng-2022"), asOf: Day(iso: asOf)!,
            departments: DepartmentMap([
                .init(pattern: "/bm/fgw/", department: "区发展改革委"),
                .init(pattern: "/bm/sfj/", department: "区司法局"),
            ]))
        let findings = site.finish(inspector)
        return (findings, inspector.workPointRows())
    }

    func testEveryTopicItemHasItsPlantedStatus() throws {
        let (findings, rows) = try Self.run()
        XCTAssertEqual(rows.map(\.item), Array(1...48))
        let expected = Self.expected
        let got = Dictionary(uniqueKeysWithValues: rows.filter { $0.method == "topic" }.map { ($0.item, $0.status.rawValue) })
        XCTAssertEqual(Set(got.keys), Set(expected.keys), "the topic items of xicheng-2022")
        for (item, status) in expected.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(got[item], status, "item \(item): \(rows.first { $0.item == item }?.note ?? "")")
        }
        // Findings: exactly the items past their deadline that are absent or stale.
        let planted = Set(expected.filter { $0.value == "未发现" || $0.value == "仅见旧信息" }.keys)
        let reported = Set(findings.filter { $0.indicator == .workPoint }.map { Int($0.subject)! })
        let hit = planted.intersection(reported).count
        let published = Set(expected.filter { $0.value == "已公开" }.keys)
        let seen = Set(got.filter { $0.value == "已公开" }.keys)
        print(
            "work-point fixture: absent/stale recall \(hit)/\(planted.count), precision \(hit)/\(reported.count); published recall \(published.intersection(seen).count)/\(published.count), precision \(published.intersection(seen).count)/\(seen.count)"
        )
        XCTAssertEqual(reported, planted, "missed: \(planted.subtracting(reported).sorted()); traps reported: \(reported.subtracting(planted).sorted())")
    }

    func testEvidenceAndFindingDetails() throws {
        let (findings, rows) = try Self.run()
        let air = rows.first { $0.item == 10 }!
        XCTAssertEqual(air.evidence.first, .init(url: Self.host + "/sthj/t20221008_1.html", title: "2022年9月西城区空气质量状况", date: "2022-10-08"))
        // The article listed in its column and opened is one item, found through its body.
        let sz = rows.first { $0.item == 2 }!
        XCTAssertEqual(sz.evidence.map(\.url), [Self.host + "/bm/fgw/t20220615_1.html"])
        XCTAssertEqual(rows.first { $0.item == 7 }?.evidence.first?.date, "2021-11-03")
        // Not yet due: the evidence is shown, no finding.
        let meeting = rows.first { $0.item == 23 }!
        XCTAssertEqual(meeting.evidence.first?.title, "区政府召开第十二次常务会议")
        XCTAssertTrue(meeting.note.hasPrefix("未到完成时限（2022年12月）"), meeting.note)
        let old = findings.first { $0.indicator == .workPoint && $0.subject == "7" }!
        XCTAssertEqual(old.department, "区住房城市建设委")
        XCTAssertEqual(old.severity, .advice)
        XCTAssertEqual(old.url, Self.host + "/")
        XCTAssertTrue(old.message.contains("仅见旧信息"), old.message)
        XCTAssertEqual(old.evidence["status"], "仅见旧信息")
        // Items checked by hand say why.
        XCTAssertEqual(rows.first { $0.item == 47 }?.status, .manual)
        XCTAssertFalse(rows.first { $0.item == 47 }!.note.isEmpty)
        // Rule-checked: 规划专栏 (item 6) is missing on this site, 年度报告 (48) is not yet due.
        XCTAssertEqual(rows.first { $0.item == 6 }?.status, .notFound)
        XCTAssertEqual(rows.first { $0.item == 48 }?.status, .notDue)
        XCTAssertEqual(rows.first { $0.item == 42 }?.status, .manual, "no --phones: the filing cannot be checked")
    }

    func testBeforeTheDeadlinesNothingIsReported() throws {
        let (findings, rows) = try Self.run(asOf: "2022-08-31")
        XCTAssertEqual(findings.filter { $0.indicator == .workPoint }, [])
        XCTAssertEqual(rows.filter { $0.method == "topic" }.map(\.status), Array(repeating: .notDue, count: 25))
    }
}
