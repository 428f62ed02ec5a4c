import Foundation
import Inspect
import XCTest
import Vocabulary

/// `site.unavailable` over recorded probes: the official week, 20 a day, 5% veto.
final class AvailabilityTests: XCTestCase {
    let home = "http://www.example.gov.cn/"
    /// 2022-11-01 23:59:59 CST.
    let end = AvailabilityWindow.end(asOf: Day(year: 2022, month: 11, day: 1)!, now: .distantFuture)

    func judge(_ probes: [ProbeRecord], profile: Profile? = nil) throws -> [Finding] {
        SiteUnavailableRule.findings(
            probes: probes, homePages: [home], windowEnd: end,
            profile: try profile ?? Profile.bundled(name: "national-2019"), department: { _ in "区政府办公室" })
    }

    func week(failing: Int, count: Int = 140) -> [ProbeRecord] {
        ProbeRecord.schedule(url: home, end: end, count: count, failing: failing)
    }

    func testVetoExactlyFromFivePercent() throws {
        let veto = try judge(week(failing: 7))
        XCTAssertEqual(veto.map(\.subject), ["site"])
        XCTAssertEqual(veto.first?.severity, .veto)
        XCTAssertEqual(veto.first?.indicator, .siteUnavailable)
        XCTAssertEqual(veto.first?.url, home)
        XCTAssertEqual(veto.first?.department, "区政府办公室")
        XCTAssertEqual(veto.first?.evidence["probes"], 140)
        XCTAssertEqual(veto.first?.evidence["failed"], 7)
        XCTAssertEqual(veto.first?.evidence["failedShare"], .double(0.05))

        // 6 of 140 (4.3%) is below the veto: the homepage deduction band (1% up to 5%, L).
        let six = try judge(week(failing: 6))
        XCTAssertEqual(six.map(\.subject), ["homepage"])
        XCTAssertEqual(six.first?.severity, .deduct)
        XCTAssertEqual(six.first?.points, 5)
        XCTAssertEqual(six.first?.rule, "site.unavailable.homepage")

        XCTAssertEqual(try judge(week(failing: 2)).map(\.subject), ["homepage"], "1.4%")
        XCTAssertEqual(try judge(week(failing: 1)), [], "0.7% is below the homepage band")
        XCTAssertEqual(try judge(week(failing: 0)), [])
        // 48 a day (every 30 minutes): 17 of 336 is 5.06%, 16 is 4.76%.
        XCTAssertEqual(try judge(week(failing: 17, count: 336)).map(\.severity), [.veto])
        XCTAssertEqual(try judge(week(failing: 16, count: 336)).map(\.severity), [.deduct])
    }

    func testBlockedAndSlowProbesFail() throws {
        var probes = week(failing: 0)
        for i in [3, 23, 43, 63, 83, 103] { probes[i].linkClass = .blocked; probes[i].status = 429 }
        probes[120].seconds = 16  // recorded with a longer --timeout: over the official 15 s
        let f = try judge(probes)
        XCTAssertEqual(f.map(\.severity), [.veto], "6 blocked + 1 slow = 7 of 140")
        XCTAssertEqual(f.first?.evidence["blocked"], 6)
    }

    func testTooFewProbesGiveAdviceNotAJudgement() throws {
        // A day with 19 probes: not the official 20 a day, whatever the failures.
        var probes = week(failing: 10)
        probes.remove(at: 70)
        let f = try judge(probes)
        XCTAssertEqual(f.map(\.severity), [.advice])
        XCTAssertEqual(f.first?.subject, "site")
        XCTAssertEqual(f.first?.rule, "site.unavailable.probes")
        XCTAssertEqual(f.first?.evidence["fullDays"], 6)
        XCTAssertTrue(f.first?.message.contains("样本不足") == true, f.first?.message ?? "")
        // Three days of probes only.
        let short = ProbeRecord.schedule(url: home, end: end, days: 3, count: 300, failing: 0)
        XCTAssertEqual(try judge(short).map(\.severity), [.advice])
        // No probe at all: not judged, no finding.
        XCTAssertEqual(try judge([]), [])
    }

    func testOnlyTheWeekBeforeTheWindowEndCounts() throws {
        // Failures a day after the window and eight days before it are ignored.
        var probes = week(failing: 0)
        for h in 1...10 { probes.append(ProbeRecord(url: home, at: end.addingTimeInterval(Double(h) * 3600), linkClass: .broken)) }
        for h in 1...10 { probes.append(ProbeRecord(url: home, at: end.addingTimeInterval(-8 * 86_400 - Double(h) * 3600), linkClass: .broken)) }
        // Another URL's probes are not this site's.
        probes += ProbeRecord.schedule(url: "http://other.example.gov.cn/", end: end, count: 140, failing: 140)
        XCTAssertEqual(try judge(probes), [])
    }

    func testWindowEndsAtTheSweepOrTheEndOfAPastAsOfDay() throws {
        let day = Day(year: 2022, month: 11, day: 1)!
        let endOfDay = ISO8601DateFormatter().date(from: "2022-11-01T16:00:00Z")!  // 2022-11-02 00:00 CST
        XCTAssertEqual(AvailabilityWindow.end(asOf: day, now: Date()), endOfDay, "a past as-of: the end of that day")
        let during = ISO8601DateFormatter().date(from: "2022-11-01T03:00:00Z")!
        XCTAssertEqual(AvailabilityWindow.end(asOf: day, now: during), during, "as-of today: the sweep's time")
    }

    func testProfileSettingsApply() throws {
        let strict = try Profile.load(
            yaml: "id: s\nextends: national-2019\navailability: {homepageShare: 0.02, homepagePoints: 2, probesPerDay: 48}\n", file: "s.yaml")
        // 2 of 140 (1.4%) is below a 2% band; 20 a day is too few for 48.
        XCTAssertEqual(try judge(week(failing: 2), profile: strict).map(\.severity), [.advice])
        let f = try judge(week(failing: 7, count: 336), profile: strict)  // 2.1%
        XCTAssertEqual(f.map(\.subject), ["homepage"])
        XCTAssertEqual(f.first?.points, 2)
        let off = try Profile.load(yaml: "id: o\nextends: national-2019\nrules:\n  site.unavailable: {enabled: false}\n", file: "o.yaml")
        XCTAssertEqual(try judge(week(failing: 70), profile: off), [])
    }
}
