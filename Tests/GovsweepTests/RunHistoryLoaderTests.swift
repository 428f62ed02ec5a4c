import Foundation
import Inspect
import Report
import Store
import XCTest
@testable import govsweep
import Vocabulary
import Sweep

/// The history a sweep hands to the report writer, from the store: previous finished run,
/// status, first seen, fixed, and the trend (finished runs only, oldest first, this run last).
final class RunHistoryLoaderTests: XCTestCase {
    var dir: URL!
    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func finding(_ subject: String, _ severity: Severity = .deduct) -> Finding {
        Finding(
            rule: "column.stale.news", indicator: .columnStale, severity: severity, points: 1,
            url: "http://h/ywdt/", subject: subject, message: subject)
    }

    /// A run as SweepJob stores it: created, findings saved, finished, then the history loaded.
    func sweep(
        _ store: SQLiteStore, asOf: String, status: RunStatus = .done, score: Double = 90,
        sites: [String] = ["http://h/"], _ findings: [Finding]
    ) throws -> (RunRecord, RunHistory?) {
        let id = try store.createRun(RunRecord(sites: sites, asOf: Day(iso: asOf)!, startedAt: asOf + "T02:00:00+08:00"))
        try store.saveFindings(run: id, findings)
        var run = try XCTUnwrap(try store.run(id: id))
        run.status = status
        run.finishedAt = asOf + "T03:00:00+08:00"
        run.score = score
        run.verdict = .pass
        try store.finishRun(run)
        guard status == .done else { return (run, nil) }
        return (run, try RunHistoryLoader.load(store: store, run: run, findings: findings))
    }

    func testHistoryAcrossRunsIgnoresUnfinishedAndOtherSites() throws {
        let store = try SQLiteStore(path: dir.appendingPathComponent("s.sqlite").path)
        let (r1, h1) = try sweep(store, asOf: "2026-11-01", score: 95, [finding("要闻"), finding("动态")])
        let first = try XCTUnwrap(h1)
        XCTAssertNil(first.previousRunId)
        XCTAssertEqual(first.counts.new, 2)
        XCTAssertEqual(first.trend.map(\.runId), [r1.id])

        _ = try sweep(store, asOf: "2026-11-04", status: .interrupted, [finding("快讯")])
        _ = try sweep(store, asOf: "2026-11-05", sites: ["http://other/"], [finding("要闻")])
        let (r2, h2) = try sweep(store, asOf: "2026-11-08", score: 88, [finding("要闻"), finding("快讯", .veto)])
        let h = try XCTUnwrap(h2)
        XCTAssertEqual(h.previousRunId, r1.id)
        XCTAssertEqual(h.previousAsOf, Day(iso: "2026-11-01"))
        XCTAssertEqual(h.status, [finding("要闻").id: .open, finding("快讯").id: .new])
        XCTAssertEqual(h.firstSeen, [finding("要闻").id: "2026-11-01", finding("快讯").id: "2026-11-08"])
        XCTAssertEqual(h.fixed.map(\.subject), ["动态"])
        XCTAssertEqual(h.trend.map(\.runId), [r1.id, r2.id], "finished runs of these sites only, oldest first")
        XCTAssertEqual(h.trend.map(\.score), [95, 88])
        XCTAssertEqual(h.trend.last.map { [$0.veto, $0.deduct, $0.advice] }, [1, 1, 0])
        XCTAssertEqual(h.trend.first.map { [$0.veto, $0.deduct, $0.advice] }, [0, 2, 0])
        XCTAssertEqual(h.trend.first?.asOf, Day(iso: "2026-11-01"))
        XCTAssertEqual(SweepJob.historyLine(h), "history: 1 new, 1 still open, 1 fixed since run 1 (2026-11-01)")
    }
}
