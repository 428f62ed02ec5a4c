#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import PGStore
import PostgresNIO
import Vocabulary
import XCTest

/// The migrator: components versioned side by side, applied once, refused when newer.
final class MigratorTests: XCTestCase {
    func testFreshApplyThenIdempotentReapply() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let db = scoped.database
        XCTAssertEqual(try db.schemaVersions(), [:], "a database never migrated")
        let store = PGSchema.migrations.count
        let fleet = [
            // Several statements in one step, and a second step building on the first.
            Migration(component: "fleet-test", version: 1, sql: "CREATE TABLE a (x int); CREATE TABLE b (y text);\nINSERT INTO a VALUES (1);"),
            Migration(component: "fleet-test", version: 2, sql: "ALTER TABLE b ADD COLUMN z int; INSERT INTO a VALUES (2)"),
        ]
        XCTAssertEqual(try db.migrate(PGSchema.migrations + fleet), ["store": store, "fleet-test": 2])
        XCTAssertEqual(try db.schemaVersions(), ["store": store, "fleet-test": 2])
        // Again: nothing applied twice (the inserts would double the rows).
        XCTAssertEqual(try db.migrate(PGSchema.migrations + fleet), ["store": store, "fleet-test": 2])
        let rows = try db.withConnectionBlocking { c in
            try c.run("SELECT count(*) FROM a", logger: db.logger).rows.first?.decode(Int.self)
        }
        XCTAssertEqual(rows, 2)
        let recorded = try db.withConnectionBlocking { c in
            try c.run("SELECT count(*) FROM govsweep_migrations", logger: db.logger).rows.first?.decode(Int.self)
        }
        XCTAssertEqual(recorded, store + 2)
        // A caller that knows only "store" leaves "fleet-test" alone.
        XCTAssertEqual(try db.migrate(PGSchema.migrations)["fleet-test"], 2)
    }

    /// Store version 2 (the write path's server CPU): no foreign key a row on the bulk tables,
    /// no unused findings index, and the packed blobs compressed with lz4 (Debian's server has it).
    func testStoreVersionTwoDropsTheRowTriggersAndUsesLZ4() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let db = scoped.database
        try db.migrate(PGSchema.migrations)
        let (keys, indexes, compression) = try db.withConnectionBlocking { c in
            let keys = try c.run(
                """
                SELECT count(*) FROM pg_constraint WHERE contype = 'f'
                  AND conrelid IN ('pages'::regclass, 'page_links'::regclass, 'findings'::regclass)
                """, logger: db.logger
            ).rows.first?.decode(Int.self)
            let indexes = try c.run("SELECT count(*) FROM pg_index WHERE indrelid = 'findings'::regclass", logger: db.logger)
                .rows.first?.decode(Int.self)
            let compression = try c.run(
                """
                SELECT string_agg(attcompression::text, '' ORDER BY attrelid::regclass::text) FROM pg_attribute
                WHERE (attrelid, attname) IN (('page_links'::regclass, 'data'), ('pages'::regclass, 'facts'), ('findings'::regclass, 'evidence'))
                """, logger: db.logger
            ).rows.first?.decode(String.self)
            return (keys, indexes, compression)
        }
        XCTAssertEqual(keys, 0)
        XCTAssertEqual(indexes, 1, "the primary key only")
        XCTAssertEqual(compression, "lll")
    }

    /// Store version 3: a database at version 2 (a page's facts in a table of their own)
    /// upgrades as `govsweep fleet init` (or a worker's start) migrates it: each page's facts
    /// move into its row and read back as before (the re-sweep's baseline, a run's facts),
    /// facts of no page go; the bulk tables have no vacuum for inserts alone.
    func testAStoreAtVersionTwoUpgradesWithItsFacts() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let db = scoped.database
        XCTAssertEqual(try db.migrate(Array(PGSchema.migrations.prefix(2))), ["store": 2])
        // What a version 2 store held: a finished run of two pages, one with facts, and facts of no page.
        for sql in [
            """
            INSERT INTO runs (id, sites, as_of, started_at, status) VALUES (1, '["http://v2.example/"]', '2026-11-01', '2026-11-01T09:00:00+08:00', 'done')
            """,
            "INSERT INTO urls (id, url) VALUES (1, 'http://v2.example/'), (2, 'http://v2.example/a'), (3, 'http://v2.example/orphan')",
            """
            INSERT INTO pages (run, url_id, status, class, reason, bytes, seconds, depth, crawled)
            VALUES (1, 1, 200, 'ok', '', 10, 0.1, 0, true), (1, 2, 200, 'ok', '', 20, 0.1, 1, true)
            """,
            "INSERT INTO page_facts (run, url_id, key, as_of, data) VALUES (1, 1, 42, NULL, '\\x010203'), (1, 3, 42, '2026-11-01', '\\x09')",
            "INSERT INTO page_links (run, from_id, data) VALUES (1, 1, '')",
        ] {
            _ = try db.withConnectionBlocking { try $0.run(PostgresQuery(unsafeSQL: sql), logger: db.logger) }
        }
        XCTAssertEqual(try db.migrate(PGSchema.migrations), ["store": PGSchema.migrations.count])

        let store = try PostgresStore(database: db, migrate: false)
        var facts: [String] = []
        try store.forEachPageFacts(run: 1) { url, depth, f in facts.append("\(url) \(depth) \(f.key) \(f.asOf?.description ?? "-") \(f.data)") }
        XCTAssertEqual(facts, ["http://v2.example/ 0 42 - [1, 2, 3]"])
        let day = Day(iso: "2026-11-08")!
        XCTAssertEqual(try store.baselinePage(run: 1, url: "http://v2.example/", key: 42, asOf: day)?.facts?.data, [1, 2, 3])
        XCTAssertNil(try store.baselinePage(run: 1, url: "http://v2.example/", key: 43, asOf: day)?.facts, "made under another key")
        XCTAssertNotNil(try store.baselinePage(run: 1, url: "http://v2.example/a", key: 42, asOf: day))
        XCTAssertNil(try store.baselinePage(run: 1, url: "http://v2.example/a", key: 42, asOf: day)?.facts)
        let (gone, options) = try db.withConnectionBlocking { c in
            (
                try c.run("SELECT to_regclass('page_facts') IS NULL", logger: db.logger).rows.first?.decode(Bool.self),
                try c.run(
                    "SELECT string_agg(relname || ' ' || array_to_string(reloptions, ','), '; ' ORDER BY relname) FROM pg_class WHERE reloptions IS NOT NULL AND relkind = 'r' AND relnamespace = current_schema()::regnamespace",
                    logger: db.logger
                ).rows.first?.decode(String?.self)
            )
        }
        XCTAssertEqual(gone, true)
        XCTAssertEqual(
            options,
            "page_links autovacuum_vacuum_insert_threshold=-1,toast_tuple_target=8160; pages autovacuum_vacuum_insert_threshold=-1; urls autovacuum_vacuum_insert_threshold=-1"
        )
    }

    /// Store version 4: a links row up to a heap page long is stored as it is (no lz4, no
    /// TOAST), and reads back the same; a longer one is still compressed.
    func testLinksRowsUpToAPageAreStoredUncompressed() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let db = scoped.database
        try db.migrate(PGSchema.migrations)
        let sizes = try db.withConnectionBlocking { c -> [String] in
            // Compressible bytes: lz4 would shrink both rows to a fraction.
            _ = try c.run(
                """
                INSERT INTO page_links (run, from_id, data) VALUES
                    (1, 1, convert_to(repeat('/news/2026/item.html 新闻 ', 160), 'UTF8')),
                    (1, 2, convert_to(repeat('/news/2026/item.html 新闻 ', 800), 'UTF8'))
                """, logger: db.logger)
            return try c.run(
                """
                SELECT from_id || ' ' || octet_length(data) || ' ' || (pg_column_size(data) >= octet_length(data))
                    || ' ' || (data = convert_to(repeat('/news/2026/item.html 新闻 ', CASE from_id WHEN 1 THEN 160 ELSE 800 END), 'UTF8'))
                FROM page_links ORDER BY from_id
                """, logger: db.logger
            ).rows.map { try $0.decode(String.self) }
        }
        XCTAssertEqual(sizes, ["1 4480 true true", "2 22400 false true"])
    }

    func testAFailingStepAppliesNothingOfItself() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let db = scoped.database
        let steps = [
            Migration(component: "broken", version: 1, sql: "CREATE TABLE good (x int)"),
            Migration(component: "broken", version: 2, sql: "CREATE TABLE half (x int); SELECT no_such_function()"),
        ]
        let error = try XCTUnwrap(catching { try db.migrate(steps) } as? PGStoreError)
        XCTAssertTrue(error.description.contains("migration broken 2 failed"), error.description)
        XCTAssertFalse(error.description.contains("\n"))
        XCTAssertEqual(try db.schemaVersions(), ["broken": 1])
        let half = try db.withConnectionBlocking { c in
            try c.run("SELECT to_regclass('half') IS NULL", logger: db.logger).rows.first?.decode(Bool.self)
        }
        XCTAssertEqual(half, true, "the failed step's first statement was rolled back with it")
    }

    func testANewerSchemaIsRefusedWithExitThree() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let db = scoped.database
        try db.migrate(PGSchema.migrations)
        // A later govsweep has been here.
        _ = try db.withConnectionBlocking { c in
            try c.run("INSERT INTO govsweep_migrations (component, version) VALUES ('store', 99)", logger: db.logger)
        }
        let error = try XCTUnwrap(catching { try db.migrate(PGSchema.migrations) } as? PGStoreError)
        XCTAssertEqual(error.kind, .schemaTooNew)
        XCTAssertEqual(error.exitCode, 3)
        XCTAssertTrue(
            error.description.contains("\"store\" schema is at version 99, newer than this govsweep knows (\(PGSchema.migrations.count))"), error.description)
        XCTAssertThrowsError(try PostgresStore(database: db))
    }

    func testTwoMigratorsAtOnceBothSucceed() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let url = try TestDatabase.requireURL()
        let results = Mutex2<[Result<[String: Int], any Error>]>([])
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            let db = PGDatabase(location: try! PGLocation(url: url), searchPath: scoped.schema)
            defer { db.close() }
            let r = Result { try db.migrate(PGSchema.migrations) }
            results.withLock { $0.append(r) }
        }
        for r in results.withLock({ $0 }) { XCTAssertEqual(try r.get(), ["store": PGSchema.migrations.count]) }
    }
}

func catching(_ body: () throws -> Void) -> (any Error)? {
    do { try body() } catch { return error }
    return nil
}

/// A lock around a value, for the tests' threads.
final class Mutex2<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
#endif
