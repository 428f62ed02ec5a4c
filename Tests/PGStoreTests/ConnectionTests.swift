#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import PGStore
import Store
import PostgresNIO
import Sweep
import Synchronization
import Vocabulary
import XCTest

/// Opening a database: the URL, the password sources, and one line for each way it fails.
final class ConnectionTests: XCTestCase {
    func testURLsParseAndPrintWithoutPasswords() throws {
        let a = try PGLocation(url: "postgres://govsweep@127.0.0.1:6543/fleet")
        XCTAssertEqual([a.host, String(a.port), a.user, a.database], ["127.0.0.1", "6543", "govsweep", "fleet"])
        XCTAssertEqual(a.description, "postgres://govsweep@127.0.0.1:6543/fleet")
        let b = try PGLocation(url: "postgresql://ops:s3cret@db.example/govsweep")
        XCTAssertEqual(b.port, 5432)
        XCTAssertEqual(b.description, "postgres://ops@db.example:5432/govsweep")
        XCTAssertFalse(StoreLocation.postgres(url: "postgres://ops:s3cret@db/x").description.contains("s3cret"))
        XCTAssertEqual(PGLocation.redact("postgres://ops:s3cret@db/x"), "postgres://ops:***@db/x")
        XCTAssertEqual(StoreLocation("Reports/x.sqlite"), .sqlite(path: "Reports/x.sqlite"))
        XCTAssertEqual(StoreLocation("postgres://u@h/d"), .postgres(url: "postgres://u@h/d"))
    }

    func testBadURLsAreOneLineErrors() {
        for (url, problem) in [
            ("postgres://user@/db", "no host"),
            ("postgres://user@host", "no database name"),
            ("postgres://user:pw@host/db?sslmode=require", "not supported"),
            ("mysql://user@host/db", "not a PostgreSQL URL"),
        ] {
            let error = catching { _ = try PGLocation(url: url) } as? PGStoreError
            XCTAssertEqual(error?.kind, .badURL, url)
            XCTAssertTrue(error?.description.contains(problem) ?? false, "\(url): \(String(describing: error))")
            XCTAssertFalse(error?.description.contains("pw") ?? true, "the password is never repeated")
            XCTAssertEqual(error?.exitCode, 2)
        }
    }

    func testPasswordFileLinesMatchWithWildcardsAndEscapes() {
        let file = """
            # comment
            otherhost:5432:*:govsweep:nope
            127.0.0.1:*:govsweep:govsweep:pa\\:ss\\\\word
            *:*:*:*:fallback
            """
        XCTAssertEqual(PGLocationTesting.lookup(file, host: "127.0.0.1", port: 6000, database: "govsweep", user: "govsweep"), "pa:ss\\word")
        XCTAssertEqual(PGLocationTesting.lookup(file, host: "otherhost", port: 5432, database: "x", user: "govsweep"), "nope")
        XCTAssertEqual(PGLocationTesting.lookup(file, host: "h", port: 1, database: "d", user: "u"), "fallback")
        XCTAssertNil(PGLocationTesting.lookup("h:1:d:u", host: "h", port: 1, database: "d", user: "u"), "four fields: no password")
    }

    func testPasswordComesFromPGPASSWORDThenThePasswordFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pgpass").path
        try "db:5432:fleet:ops:fromfile\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let loc = try PGLocation(url: "postgres://ops@db/fleet")
        XCTAssertEqual(PGLocationTesting.password(loc, ["PGPASSFILE": file]), "fromfile")
        XCTAssertEqual(PGLocationTesting.password(loc, ["PGPASSFILE": file, "PGPASSWORD": "fromenv"]), "fromenv")
        // As libpq: a file others can read is ignored.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        XCTAssertNil(PGLocationTesting.password(loc, ["PGPASSFILE": file]))
    }

    func testUnreachableServerIsOneLineNamingHostAndPort() throws {
        // A port nothing listens on: bound, then closed.
        let port = try freePort()
        let db = try PGDatabase(url: "postgres://govsweep@127.0.0.1:\(port)/govsweep")
        let started = Date()
        let error = catching { _ = try PostgresStore(database: db) } as? PGStoreError
        XCTAssertEqual(error?.kind, .unreachable)
        XCTAssertEqual(error?.exitCode, 3)
        XCTAssertTrue(error?.description.contains("127.0.0.1:\(port)") ?? false, String(describing: error))
        XCTAssertFalse(error?.description.contains("\n") ?? true)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "a server that never answered is not retried")
        // Through the sweep's opening: a UserFailure with the same line and exit 2 (CONTRACT.md
        // keeps 3 for "no start URL could be fetched"; the fleet commands' 3 is their own).
        let failure = catching { _ = try StoreLocation.postgres(url: "postgres://govsweep@127.0.0.1:\(port)/govsweep").open() } as? UserFailure
        XCTAssertEqual(failure?.code, 2)
        XCTAssertEqual(failure?.message, error?.description)
    }

    func testMissingDatabaseAndWrongPasswordAreOneLineErrors() throws {
        let url = try TestDatabase.requireURL()
        let base = try PGLocation(url: url)
        let missing = try PGDatabase(url: "postgres://\(base.user)@\(base.hostPort)/no_such_db_\(UInt32.random(in: 0...UInt32.max))")
        let noDB = catching { _ = try missing.schemaVersions() } as? PGStoreError
        XCTAssertEqual(noDB?.kind, .noDatabase, String(describing: noDB))
        XCTAssertEqual(noDB?.exitCode, 2)

        // A role with a password (the throwaway cluster asks every role but govsweep for one).
        let admin = try PGDatabase(url: url)
        defer { admin.close() }
        _ = try admin.withConnectionBlocking { c in
            try c.run(
                """
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'govsweep_pwtest') THEN
                    CREATE ROLE govsweep_pwtest LOGIN PASSWORD 'right-password';
                  END IF;
                  -- (The database's own migrations table, when an earlier test migrated it:
                  -- the role must read it for schemaVersions to answer.)
                  IF to_regclass('govsweep_migrations') IS NOT NULL THEN
                    GRANT SELECT ON govsweep_migrations TO govsweep_pwtest;
                  END IF;
                END $$
                """, logger: admin.logger)
        }
        var wrong = try PGLocation(url: "postgres://govsweep_pwtest@\(base.hostPort)/\(base.database)")
        wrong = PGLocationTesting.withPassword(wrong, "wrong-password")
        let refused = catching { _ = try PGDatabase(location: wrong).schemaVersions() } as? PGStoreError
        guard refused?.kind != .query else {
            throw XCTSkip("the server at \(base.hostPort) does not ask govsweep_pwtest for a password (not a pg-throwaway.sh cluster)")
        }
        XCTAssertEqual(refused?.kind, .authentication, String(describing: refused))
        XCTAssertTrue(refused?.description.contains("password authentication failed for user \"govsweep_pwtest\"") ?? false, String(describing: refused))
        XCTAssertFalse(refused?.description.contains("wrong-password") ?? true)
        let right = PGLocationTesting.withPassword(wrong, "right-password")
        let answered = try PGDatabase(location: right).withConnectionBlocking { c in
            try c.run("SELECT 1", logger: admin.logger).rows.first?.decode(Int.self)
        }
        XCTAssertEqual(answered, 1, "the right password is taken")
    }

    /// A server restart mid-run: the next call reconnects (needs the throwaway cluster's folder).
    func testAStoreReconnectsAfterTheServerRestarts() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        guard let dir = ProcessInfo.processInfo.environment["GOVSWEEP_TEST_PG_DIR"] else {
            throw XCTSkip("GOVSWEEP_TEST_PG_DIR is not set (the throwaway cluster's folder, to restart it)")
        }
        let store = try PostgresStore(database: scoped.database)
        let id = try store.createRun(.init(sites: ["http://a/"], asOf: Day(iso: "2026-11-01")!, startedAt: "t"))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/pg-throwaway.sh").standardized.path
        // posix_spawn and waitpid: Foundation's Process did not reap the script here.
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(script), strdup("restart"), strdup(dir), nil]
        defer { for a in argv { free(a) } }
        XCTAssertEqual(posix_spawn(&pid, script, nil, nil, argv, environ), 0)
        var status: Int32 = 0
        XCTAssertEqual(waitpid(pid, &status, 0), pid)
        XCTAssertEqual(status, 0, "scripts/pg-throwaway.sh restart")
        XCTAssertEqual(try store.run(id: id)?.id, id, "read again after the restart")
    }

    /// The run lock is a session advisory lock, which a server restart drops: the store takes it
    /// again before its next write, and when another run took it meanwhile the write fails
    /// (busy) rather than two runs writing the same sites.
    func testTheRunLockIsTakenAgainAfterTheServerRestarts() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        guard ProcessInfo.processInfo.environment["GOVSWEEP_TEST_PG_DIR"] != nil else {
            throw XCTSkip("GOVSWEEP_TEST_PG_DIR is not set (the throwaway cluster's folder, to restart it)")
        }
        let sites = ["http://lock.example/"]
        let store = try PostgresStore(database: scoped.database)
        let other = try PostgresStore(database: PGDatabase(location: scoped.database.location, searchPath: scoped.schema))
        let lock = try store.acquireRunLock(sites: sites)
        let id = try store.createRun(.init(sites: sites, asOf: Day(iso: "2026-11-01")!, startedAt: "t"))
        try restartServer()
        try store.record(run: id, pages: [PageRecord(url: sites[0], finalURL: sites[0], status: 200, linkClass: .ok, reason: .none)], links: [])
        XCTAssertThrowsError(try other.acquireRunLock(sites: sites), "the lock is held again after the restart") { e in
            XCTAssertEqual((e as? PGStoreError)?.kind, .busy, "\(e)")
        }

        // Lost and taken by another run before this one writes again: this run's writes stop.
        try restartServer()
        let taken = try other.acquireRunLock(sites: sites)
        XCTAssertThrowsError(try store.finishRun(.init(id: id, sites: sites, asOf: Day(iso: "2026-11-01")!, startedAt: "t", status: .done))) { e in
            XCTAssertEqual((e as? PGStoreError)?.kind, .busy, "\(e)")
        }
        XCTAssertEqual(try other.run(id: id)?.status, .running, "nothing written without the lock")
        taken.release()
        lock.release()
        other.database.close()
    }

    /// A worker's sweeps share their run locks' connections (`LockConnections`): a released
    /// lock leaves its session, unlocked, to the next sweep's lock, so a site costs the server
    /// no new backend; a kept session the server dropped (a restart) gives way to a new one.
    func testAReleasedRunLockLeavesItsSessionToTheNextLock() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let kept = LockConnections(limit: 1)
        defer { kept.close() }
        let db = scoped.database
        func holder() throws -> Int32? {
            try db.withConnectionBlocking { c in
                try c.run(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                    logger: db.logger
                )
                .rows.first?.decode(Int32.self)
            }
        }
        let first = try PostgresStore(database: db, lockConnections: kept)
        let a = try first.acquireRunLock(sites: ["http://a.example/"])
        let session = try XCTUnwrap(try holder())
        a.release()
        XCTAssertNil(try holder(), "released: the kept session holds nothing")

        let second = try PostgresStore(database: db, migrate: false, lockConnections: kept)
        let b = try second.acquireRunLock(sites: ["http://b.example/"])
        XCTAssertEqual(try holder(), session, "the next sweep's lock on the same session")
        b.release()
        // The lock itself was let go: a store of its own takes it.
        let plain = try PostgresStore(database: db, migrate: false)
        try plain.acquireRunLock(sites: ["http://a.example/"]).release()

        guard ProcessInfo.processInfo.environment["GOVSWEEP_TEST_PG_DIR"] != nil else { return }
        try restartServer()
        let c = try second.acquireRunLock(sites: ["http://c.example/"])
        XCTAssertNotNil(try holder(), "a new session after the restart")
        XCTAssertNotEqual(try holder(), session)
        c.release()
    }

    /// A statement on a connection the server closed (a restart, here a terminated backend)
    /// fails at once, a lost connection in one line: postgres-nio never answers one (the write
    /// to its closed channel fails unheard), and a worker waited on it for good after a restart
    /// (the migrator's unlock on the connection the restart cut).
    func testAStatementOnAConnectionTheServerClosedFailsRatherThanWaitingForever() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let c = try scoped.database.dedicatedConnectionBlocking()
        defer { try? c.close().wait() }
        try Self.terminate(c, scoped)
        // (On a thread of its own and bounded: a hang fails the test.)
        let outcome = Mutex<Result<Int?, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            outcome.withLock { $0 = Result { try c.run("SELECT 1", logger: scoped.database.logger).rows.first?.decode(Int.self) } }
            done.signal()
        }
        guard done.wait(timeout: .now() + 60) == .success else { return XCTFail("a statement on a closed connection waited forever") }
        XCTAssertThrowsError(try outcome.withLock { $0 }?.get()) { e in
            let described = scoped.database.describe(e)
            XCTAssertEqual((described as? PGStoreError)?.kind, .unreachable, "\(described)")
            XCTAssertTrue("\(described)".hasSuffix("the connection to the database server at \(scoped.database.location.hostPort) was lost"), "\(described)")
        }
        // A pooled call whose connection went that way runs again on a new one.
        let pooled = try scoped.database.withConnectionBlocking { $0 }
        try Self.terminate(pooled, scoped)
        XCTAssertEqual(try scoped.database.withConnectionBlocking { try $0.run("SELECT 2", logger: scoped.database.logger).rows.first?.decode(Int.self) }, 2)
    }

    /// An async body whose connection is closed under it, before its next statement (the
    /// statement would never be answered): given up on within seconds, and run again on a new
    /// connection.
    func testAnAsyncBodyWhoseConnectionIsClosedUnderItRunsAgainOnANewOne() async throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let tries = Mutex(0)
        let answer = try await scoped.database.withConnection { c in
            if tries.withLock({
                $0 += 1; return $0
            }) == 1 {
                try Self.terminate(c, scoped)
            }
            return try await c.query("SELECT 3", logger: scoped.database.logger).decode(Int.self).reduce(0, +)
        }
        XCTAssertEqual(answer, 3)
        XCTAssertEqual(tries.withLock { $0 }, 2)
    }

    /// A statement not answered within its deadline fails in one line, and its connection is
    /// closed (the pool never hands it out again).
    func testAStatementPastItsDeadlineFailsAndItsConnectionIsClosed() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let c = try scoped.database.dedicatedConnectionBlocking()
        defer { try? c.close().wait() }
        XCTAssertThrowsError(try c.run("SELECT pg_sleep(30)", logger: scoped.database.logger, deadline: .seconds(1))) { e in
            let described = scoped.database.describe(e)
            XCTAssertEqual((described as? PGStoreError)?.kind, .unreachable, "\(described)")
            XCTAssertTrue("\(described)".hasSuffix("did not answer within 1 s"), "\(described)")
        }
        let until = Date().addingTimeInterval(10)
        while !c.isClosed, Date() < until { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(c.isClosed)
    }

    /// Ends `c`'s session from another connection and waits until the client sees it closed.
    static func terminate(_ c: PostgresConnection, _ scoped: TestDatabase.Scoped) throws {
        let pid = try XCTUnwrap(try c.run("SELECT pg_backend_pid()", logger: scoped.database.logger).rows.first?.decode(Int32.self))
        _ = try scoped.admin.withConnectionBlocking { try $0.run("SELECT pg_terminate_backend(\(pid))", logger: scoped.admin.logger) }
        let until = Date().addingTimeInterval(10)
        while !c.isClosed, Date() < until { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(c.isClosed, "the client did not see its session end")
    }

    func restartServer() throws {
        let dir = ProcessInfo.processInfo.environment["GOVSWEEP_TEST_PG_DIR"]!
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/pg-throwaway.sh").standardized.path
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(script), strdup("restart"), strdup(dir), nil]
        defer { for a in argv { free(a) } }
        XCTAssertEqual(posix_spawn(&pid, script, nil, nil, argv, environ), 0)
        var status: Int32 = 0
        XCTAssertEqual(waitpid(pid, &status, 0), pid)
        XCTAssertEqual(status, 0, "scripts/pg-throwaway.sh restart")
        // The client notices the closed sessions on its event loop.
        Thread.sleep(forTimeInterval: 0.5)
    }

    func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
#endif
