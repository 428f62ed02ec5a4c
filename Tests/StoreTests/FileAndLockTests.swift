import Foundation
import Vocabulary
import XCTest
import Store
import Synchronization

final class FileAndLockTests: StoreTestCase {
    func testRunLockIsExclusiveAcrossHandlesAndReleased() throws {
        let path = storePath()
        let first = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path)

        var lock: RunLock? = try first.acquireRunLock()
        XCTAssertEqual(lock?.isHeld, true)
        XCTAssertEqual(lock?.path, path + ".lock")
        let busy = storeError { _ = try second.acquireRunLock() }
        XCTAssertEqual(
            busy?.description,
            "store \(path) is in use by another govsweep run (pid \(ProcessInfo.processInfo.processIdentifier))")
        XCTAssertEqual(busy?.description.contains("\n"), false)

        // Released on deinit.
        lock = nil
        let secondLock = try second.acquireRunLock()
        XCTAssertNotNil(storeError { _ = try first.acquireRunLock() })

        // Released explicitly, idempotently.
        secondLock.release()
        secondLock.release()
        XCTAssertFalse(secondLock.isHeld)
        let again = try first.acquireRunLock()
        again.release()
    }

    /// `foldLog` empties the write-ahead log while the store stays open (the sweep folds it in
    /// beside the report, not at close), and what was written is in the file: a second
    /// handle reads it, and so does the file opened again after the store is gone.
    func testFoldLogEmptiesTheLogAndKeepsTheRun() throws {
        let path = storePath()
        var store: SQLiteStore? = try SQLiteStore(path: path)
        let run = try makeRun(store!)
        try store!.record(run: run, pages: (0..<200).map { page("http://127.0.0.1:8080/p\($0).html") }, links: [])
        let size = { (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? -1 }
        XCTAssertGreaterThan(size(), 0)
        store!.foldLog()
        XCTAssertEqual(size(), 0)
        XCTAssertEqual(try SQLiteStore(path: path).run(id: run)?.id, run)
        store = nil
        XCTAssertEqual(try SQLiteStore(path: path).run(id: run)?.id, run)
    }

    func testGarbageFileIsAClearOneLineError() throws {
        let path = storePath("garbage.sqlite")
        let garbage = String(repeating: "this is not a database, just a text file. ", count: 200)
        try garbage.write(toFile: path, atomically: true, encoding: .utf8)

        let error = storeError { _ = try SQLiteStore(path: path) }
        XCTAssertEqual(error?.description, "\(path): file is not a database")
        XCTAssertEqual(error?.path, path)
        XCTAssertEqual(error?.localizedDescription, "\(path): file is not a database")
        // The garbage is left as it was.
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), garbage)
    }

    func testUnopenablePathIsAClearError() throws {
        // A directory where the file should be.
        let path = storePath("dir.sqlite")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let error = storeError { _ = try SQLiteStore(path: path) }
        XCTAssertEqual(error?.description.hasPrefix("\(path): "), true, error?.description ?? "")
        XCTAssertEqual(error?.description.contains("\n"), false)
    }

    func testMigratorUpgradesAnOlderFile() throws {
        let path = storePath()
        let oldMigrations = Array(Schema.migrations.prefix(1))
        var run: Int64 = 0
        do {
            let old = try SQLiteStore(path: path, migrations: oldMigrations)
            XCTAssertEqual(try old.schemaVersion(), 1)
            run = try makeRun(old)
            try old.record(run: run, pages: [page("http://h/")], links: [])
            // Version 1 has no probes table.
            XCTAssertNotNil(storeError { _ = try old.probes(url: "http://h/", since: .distantPast) })
        }
        let upgraded = try SQLiteStore(path: path)
        XCTAssertEqual(try upgraded.schemaVersion(), Schema.migrations.last?.version)
        XCTAssertGreaterThanOrEqual(Schema.migrations.count, 2)
        XCTAssertEqual(try upgraded.pages(run: run).map(\.url), ["http://h/"])
        try upgraded.recordProbe(ProbeRecord(url: "http://h/", at: Date(), status: 200, seconds: 0.1, linkClass: .ok))
        XCTAssertEqual(try upgraded.probes(url: "http://h/", since: .distantPast).count, 1)

        // Opening again applies nothing twice.
        XCTAssertEqual(try SQLiteStore(path: path).schemaVersion(), Schema.migrations.last?.version)
    }

    func testNewerSchemaIsRefused() throws {
        let path = storePath()
        let future = Schema.migrations + [SQLiteMigration(version: 99, sql: "CREATE TABLE from_the_future (x)")]
        _ = try SQLiteStore(path: path, migrations: future)
        let error = storeError { _ = try SQLiteStore(path: path) }
        XCTAssertEqual(
            error?.description.hasPrefix("\(path): schema version 99 is newer"), true,
            error?.description ?? "")
    }
}

final class CustomRunLockTests: XCTestCase {
    func testCustomLockReleasesOnce() {
        let count = Counter()
        var lock: RunLock? = RunLock(name: "pg advisory 42") { count.increment() }
        XCTAssertEqual(lock?.isHeld, true)
        lock?.release()
        lock?.release()
        XCTAssertEqual(lock?.isHeld, false)
        lock = nil
        XCTAssertEqual(count.value, 1)

        _ = RunLock(name: "dropped") { count.increment() }
        XCTAssertEqual(count.value, 2)
    }
}

private final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
