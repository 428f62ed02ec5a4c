#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import PGStore
import PostgresNIO
import Store
import Vocabulary
import XCTest

/// The store's batch writes (`record`: the URL ids' insert and the pages, links and facts
/// statement) are prepared once a connection and run by name after, with the same rows
/// stored as before; a connection lost, or one whose statements the server forgot (what a
/// pooler's reset does), prepares them again.
final class PreparedStatementTests: XCTestCase {
    func testBatchWritesArePreparedOnceAConnectionAndStoreEveryRow() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let store = try PostgresStore(database: scoped.database)
        let run = try store.createRun(.init(sites: ["http://p.example/"], asOf: Day(iso: "2026-11-01")!, startedAt: "t"))
        let before = PreparedStatements.shared.prepared
        for batch in 0..<5 { try store.record(run: run, pages: Self.pages(batch), links: Self.links(batch), facts: Self.facts(batch)) }
        // (One connection serves the writes one after another: the insert of URL ids and the batch.)
        XCTAssertEqual(PreparedStatements.shared.prepared - before, 2, "prepared once, run five times")
        try Self.assertStored(store, run: run, batches: 5)

        // The server forgot the connection's statements (DEALLOCATE ALL, as a pooler's reset):
        // prepared again, once. (The pool hands out its one idle connection: the store's.)
        _ = try scoped.database.withConnectionBlocking { try $0.run("DEALLOCATE ALL", logger: scoped.database.logger) }
        try store.record(run: run, pages: Self.pages(5), links: Self.links(5), facts: Self.facts(5))
        XCTAssertEqual(PreparedStatements.shared.prepared - before, 4)

        // The connection lost: the next batch runs on a new one, prepared there.
        try ConnectionTests.terminate(try scoped.database.withConnectionBlocking { $0 }, scoped)
        try store.record(run: run, pages: Self.pages(6), links: Self.links(6), facts: Self.facts(6))
        XCTAssertEqual(PreparedStatements.shared.prepared - before, 6)
        try Self.assertStored(store, run: run, batches: 7)

        // Pages this store wrote already (a resumed crawl's): the upserting form of the batch,
        // prepared once too, replacing the rows; the batches before were plain inserts.
        try store.record(run: run, pages: Self.pages(2), links: Self.links(2), facts: Self.facts(2))
        try store.record(run: run, pages: Self.pages(3), links: Self.links(3), facts: Self.facts(3))
        XCTAssertEqual(PreparedStatements.shared.prepared - before, 7)
        try Self.assertStored(store, run: run, batches: 7)
    }

    /// URL ids come back from their insert in the batch's order; URLs another store inserted
    /// (another worker's: not in this store's cache) are read back by a second statement, in
    /// the same batch as new ones, and each row names the same URLs either way.
    func testURLsAnotherStoreInsertedKeepTheirIds() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let first = try PostgresStore(database: scoped.database)
        let firstRun = try first.createRun(.init(sites: ["http://p.example/"], asOf: Day(iso: "2026-11-01")!, startedAt: "t"))
        for batch in 0..<3 { try first.record(run: firstRun, pages: Self.pages(batch), links: Self.links(batch), facts: Self.facts(batch)) }
        let other = try PostgresStore(database: scoped.database, migrate: false)
        let otherRun = try other.createRun(.init(sites: ["http://q.example/"], asOf: Day(iso: "2026-11-01")!, startedAt: "t"))
        // Batches 0-2: every URL known to the database only; batch 3: its pages known, some of
        // its links' targets (batch 4's pages) new.
        for batch in 0..<4 { try other.record(run: otherRun, pages: Self.pages(batch), links: Self.links(batch), facts: Self.facts(batch)) }
        try Self.assertStored(first, run: firstRun, batches: 3)
        try Self.assertStored(other, run: otherRun, batches: 4)
        try Self.assertStored(first, run: otherRun, batches: 4)
    }

    /// Batch `b`: 3 pages (one with NULLs), each linking to the next batch's pages and to one
    /// shared target, and their facts.
    static func pages(_ b: Int) -> [PageRecord] {
        (0..<3).map { i in
            var p = StoreConformanceTests.page("b\(b)/p\(i).html")
            if i == 2 { p.title = nil; p.contentHash = nil }
            return p
        }
    }

    static func links(_ b: Int) -> [PageLinks] {
        pages(b).map { p in
            var l = PageLinks(from: p.url)
            for i in 0..<3 { l.append(to: "http://www.example.gov.cn/b\(b + 1)/p\(i).html", kind: .a, text: "下一批 \(i)") }
            l.append(to: "http://www.example.gov.cn/shared.html", kind: .a, text: "共用")
            return l
        }
    }

    static func facts(_ b: Int) -> [StoredFacts] {
        pages(b).map { StoredFacts(url: $0.url, key: 7, asOf: nil, data: Array($0.url.utf8)) }
    }

    static func assertStored(_ store: PostgresStore, run: Int64, batches: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = (0..<batches).flatMap { pages($0) }
        XCTAssertEqual(try store.pages(run: run).sorted { $0.url < $1.url }, expected.sorted { $0.url < $1.url }, file: file, line: line)
        let stored = try store.links(run: run).map { "\($0.from) \($0.to) \($0.text)" }.sorted()
        let wanted = (0..<batches).flatMap { links($0) }.flatMap(\.records).map { "\($0.from) \($0.to) \($0.text)" }.sorted()
        XCTAssertEqual(stored, wanted, file: file, line: line)
        var facts: [String: [UInt8]] = [:]
        try store.forEachPageFacts(run: run) { url, _, f in facts[url] = f.data }
        XCTAssertEqual(facts, Dictionary(uniqueKeysWithValues: expected.map { ($0.url, Array($0.url.utf8)) }), file: file, line: line)
    }
}
#endif
