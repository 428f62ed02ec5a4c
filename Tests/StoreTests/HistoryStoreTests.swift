import Foundation
import XCTest
@testable import Store
@testable import Vocabulary

/// What run history needs from the store: first-seen dates carried across finished runs,
/// counts per severity, and unfinished runs left out.
final class HistoryStoreTests: StoreTestCase {
    func finding(_ subject: String, _ severity: Severity = .deduct) -> Finding {
        Finding(
            rule: "column.stale.news", indicator: .columnStale, severity: severity, points: 1,
            url: "http://h/ywdt/", subject: subject, message: "栏目\(subject)")
    }

    func run(_ store: SQLiteStore, asOf: String, status: RunStatus = .done, findings: [Finding]) throws -> Int64 {
        let id = try store.createRun(RunRecord(sites: ["http://h/"], asOf: Day(iso: asOf)!, startedAt: asOf + "T02:00:00+08:00"))
        try store.saveFindings(run: id, findings)
        var r = try XCTUnwrap(try store.run(id: id))
        r.status = status
        if status == .done { r.score = 99; r.verdict = .pass }
        try store.finishRun(r)
        return id
    }

    func testFirstSeenIsCarriedOverFromThePreviousFinishedRun() throws {
        let store = try makeStore()
        let r1 = try run(store, asOf: "2026-11-01", findings: [finding("要闻"), finding("动态")])
        XCTAssertEqual(try store.firstSeen(run: r1), [finding("要闻").id: "2026-11-01", finding("动态").id: "2026-11-01"])

        // An interrupted run in between is not "the previous run" and records nothing that counts.
        _ = try run(store, asOf: "2026-11-05", status: .interrupted, findings: [finding("快讯")])
        let r2 = try run(store, asOf: "2026-11-08", findings: [finding("要闻"), finding("快讯")])
        XCTAssertEqual(try store.previousRun(sites: ["http://h/"], before: r2)?.id, r1)
        XCTAssertEqual(try store.firstSeen(run: r2), [finding("要闻").id: "2026-11-01", finding("快讯").id: "2026-11-08"])

        // Fixed in r2 and back in r3: seen afresh.
        let r3 = try run(store, asOf: "2026-11-15", findings: [finding("要闻"), finding("动态")])
        XCTAssertEqual(try store.firstSeen(run: r3), [finding("要闻").id: "2026-11-01", finding("动态").id: "2026-11-15"])

        // Saving again (a resumed run) keeps the carried-over dates.
        try store.saveFindings(run: r3, [finding("要闻"), finding("动态"), finding("资讯", .veto)])
        XCTAssertEqual(try store.firstSeen(run: r3)[finding("要闻").id], "2026-11-01")
        XCTAssertEqual(try store.findingCounts(run: r3), [.deduct: 2, .veto: 1])
        XCTAssertEqual(try store.findingCounts(run: 999), [:])
    }

    func testAStaleUnfinishedRunIsNotResumed() throws {
        let store = try makeStore()
        _ = try run(store, asOf: "2026-11-01", findings: [])
        let killed = try run(store, asOf: "2026-11-02", status: .running, findings: [])
        XCTAssertEqual(try store.unfinishedRun(sites: ["http://h/"])?.id, killed, "killed after the last finished run: resumable")
        let clean = try run(store, asOf: "2026-11-03", findings: [finding("要闻")])
        XCTAssertNil(try store.unfinishedRun(sites: ["http://h/"]), "a clean run finished since: nothing to resume")
        XCTAssertEqual(try store.previousRun(sites: ["http://h/"], before: clean + 1)?.id, clean)
        let interrupted = try run(store, asOf: "2026-11-04", status: .interrupted, findings: [])
        XCTAssertEqual(try store.unfinishedRun(sites: ["http://h/"])?.id, interrupted)
    }

    func testOtherSitesDoNotShareHistory() throws {
        let store = try makeStore()
        _ = try run(store, asOf: "2026-11-01", findings: [finding("要闻")])
        let other = try store.createRun(RunRecord(sites: ["http://h/", "http://bm.h/"], asOf: Day(iso: "2026-11-08")!, startedAt: "2026-11-08T02:00:00+08:00"))
        try store.saveFindings(run: other, [finding("要闻")])
        XCTAssertEqual(try store.firstSeen(run: other), [finding("要闻").id: "2026-11-08"])
    }

    func testMigrationBackfillsFirstSeenFromTheRunsAsOf() throws {
        let path = storePath()
        do {
            let old = try SQLiteStore(path: path, migrations: Array(Schema.migrations.prefix(4)))
            let id = try old.createRun(RunRecord(sites: ["http://h/"], asOf: Day(iso: "2022-11-01")!, startedAt: "2022-11-01T08:00:00+08:00"))
            try old.connection.withLock { c in
                try c.exec(
                    "INSERT INTO findings (run, seq, id, rule, indicator, severity, points, url, subject, department, found_on, message, evidence) VALUES (\(id), 0, 'abc', 'r', 'column-stale', 'deduct', 1, 'http://h/', '', '', '[]', 'm', '{}')"
                )
            }
        }
        let upgraded = try SQLiteStore(path: path)
        XCTAssertEqual(try upgraded.firstSeen(run: 1), ["abc": "2022-11-01"])
    }
}
