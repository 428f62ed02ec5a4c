import Foundation
import Store
import Vocabulary
import XCTest

/// Each table's columns are listed once (`Tables`), and the SQL text, the binds and the reads
/// of both stores come from that list. These tests hold the list to the schema: a column added
/// to a migration and not to the list (or the other way) fails here, not as a shifted read.
final class ColumnListTests: StoreTestCase {
    /// The key columns written before the listed ones: SQLite's from their own list (`Tables.runURL`).
    static let keys: [String: [String]] = [
        "pages": Tables.runURL.columns.map(\.name), "runs": ["id"], "findings": Tables.findingKey.columns.map(\.name),
        "page_facts": Tables.runURL.columns.map(\.name), "probes": ["id"],
    ]
    /// Columns the store writes beside the list (first-seen is worked out by the store).
    static let besides: [String: [String]] = ["findings": Tables.findingSeen.columns.map(\.name)]

    func testEveryTableColumnIsListedOnceAndInTheSchemaOrder() throws {
        let store = try makeStore()
        let lists: [(String, [String])] = [
            (Tables.pages.name, Tables.pages.columns.map(\.name)), (Tables.runs.name, Tables.runs.columns.map(\.name)),
            (Tables.findings.name, Tables.findings.columns.map(\.name)), (Tables.facts.name, Tables.facts.columns.map(\.name)),
            (Tables.probes.name, Tables.probes.columns.map(\.name)), (Tables.links.name, Tables.links.columns.map(\.name)),
            (Tables.urls.name, Tables.urls.columns.map(\.name)),
        ]
        for (table, listed) in lists {
            let schema = try store.columnNames(of: table)
            XCTAssertEqual(Set(listed).count, listed.count, "\(table): a column listed twice")
            XCTAssertEqual(
                Set(schema), Set(Self.keys[table, default: []] + listed + Self.besides[table, default: []]),
                "\(table): the schema's columns and the list differ")
        }
    }

    /// Every field of a page, a run, a finding and a probe comes back as written, nulls and all:
    /// the binds and the reads follow the same list.
    func testRowsRoundTripThroughTheListedColumns() throws {
        let store = try makeStore()
        var run = RunRecord(sites: ["http://a.example/", "http://b.example/"], asOf: Day(iso: "2026-11-01")!, options: #"{"x":1}"#, startedAt: "s")
        run.id = try store.createRun(run)
        XCTAssertEqual(try store.run(id: run.id), run)
        run.status = .done; run.finishedAt = "f"; run.pagesFetched = 3; run.pagesFailed = 2; run.pagesSkipped = 1
        run.score = 81.5; run.verdict = .pass
        try store.finishRun(run)
        XCTAssertEqual(try store.run(id: run.id), run)

        let full = PageRecord(
            url: "http://a.example/x", finalURL: "http://a.example/y", status: 301, linkClass: .blocked, reason: .truncated(.curl(56)),
            contentType: "text/html", charset: "gbk", bytes: 12, seconds: 0.5, title: "标题", contentHash: "h", depth: 4,
            crawled: false, etag: "e", lastModified: "m")
        let bare = PageRecord(url: "http://a.example/z", finalURL: "http://a.example/z", status: 200, linkClass: .ok, reason: .none)
        try store.record(run: run.id, pages: [full, bare], links: [], facts: [StoredFacts(url: bare.url, key: -7, asOf: nil, data: [1, 2])])
        XCTAssertEqual(Set(try store.pages(run: run.id).map { "\($0)" }), Set([full, bare].map { "\($0)" }))
        var facts: [StoredFacts] = []
        try store.forEachPageFacts(run: run.id) { _, _, f in facts.append(f) }
        XCTAssertEqual(facts, [StoredFacts(url: bare.url, key: -7, asOf: nil, data: [1, 2])])

        var finding = Finding(
            rule: "r.x", indicator: .columnStale, severity: .veto, points: 1.5, url: "u", subject: "s", department: "d",
            foundOn: ["a", "b"], message: "m", evidence: ["n": .int(1), "t": .string("引号\"")])
        finding.id = "fixed-id"
        try store.saveFindings(run: run.id, [finding])
        XCTAssertEqual(try store.findings(run: run.id), [finding])

        let probe = ProbeRecord(
            url: "http://a.example/", at: Date(timeIntervalSince1970: 1_700_000_000.25), status: 503, seconds: 2, linkClass: .broken, reason: .status(503))
        var stored = probe
        stored.id = try store.recordProbe(probe)
        XCTAssertEqual(try store.probes(url: probe.url, since: Date(timeIntervalSince1970: 0)), [stored])
    }
}
