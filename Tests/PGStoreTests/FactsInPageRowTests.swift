#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import PGStore
import Store
import Vocabulary
import XCTest

/// A page's facts are columns of its `pages` row (store version 3), with the answers of
/// SQLite's table of their own: facts written with their page, facts of a page of an earlier
/// batch, a page written again without facts (it keeps them), facts written again (replaced),
/// and facts of no page (no read returns them).
final class FactsInPageRowTests: XCTestCase {
    typealias C = StoreConformanceTests

    func testFactsAnswerAsTheirOwnTableDid() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let postgres = try Self.answers(PostgresStore(database: scoped.database))
        let sqlite = try Self.answers(SQLiteStore(path: dir.appendingPathComponent("s.sqlite").path))
        XCTAssertEqual(postgres, sqlite)
        XCTAssertEqual(
            postgres.first,
            [
                "http://www.example.gov.cn/a 1 42 - [1]", "http://www.example.gov.cn/b 1 42 2026-11-01 [2, 2]",
                "http://www.example.gov.cn/c 1 43 - [3]",
            ])
    }

    static func answers(_ store: any RunStore) throws -> [[String]] {
        let run = try store.createRun(RunRecord(sites: C.site, asOf: Day(iso: "2026-11-01")!, startedAt: "2026-11-01T09:00:00+08:00"))
        let (a, b, c) = (C.page("a"), C.page("b"), C.page("c"))
        func facts(_ p: PageRecord, _ data: [UInt8], key: Int64 = C.key, asOf: String? = nil) -> StoredFacts {
            StoredFacts(url: p.url, key: key, asOf: asOf.flatMap(Day.init(iso:)), data: data)
        }
        // a with its facts; b and c without.
        try store.record(run: run, pages: [a, b, c], links: [], facts: [facts(a, [1])])
        // b's facts a batch later; c's too, then again (replaced); an unknown page's.
        try store.record(
            run: run, pages: [], links: [],
            facts: [facts(b, [2, 2], asOf: "2026-11-01"), facts(c, [9]), facts(c, [3], key: 43), facts(C.page("nowhere"), [7])])
        // a written again without facts: it keeps them.
        var again = a
        again.title = "again"
        try store.record(run: run, pages: [again], links: [], facts: [])
        var all: [String] = []
        try store.forEachPageFacts(run: run) { url, depth, f in all.append("\(url) \(depth) \(f.key) \(f.asOf?.description ?? "-") \(f.data)") }
        let day = Day(iso: "2026-11-01")!
        let baseline = try [a, b, c, C.page("nowhere")].map { p in
            "\(p.url) \(try store.baselinePage(run: run, url: p.url, key: C.key, asOf: day)?.facts?.data.description ?? "nil")"
        }
        return [all.sorted(), baseline, try store.pages(run: run).map(\.title!).sorted()]
    }
}
#endif
