#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Demo
import Foundation
import PGStore
import Store
import Sweep
import Vocabulary
import XCTest

/// Whole sweeps of the demo portal through `SweepJob`, into SQLite and into PostgreSQL:
/// the same findings.json (run ids and timestamps aside), and an incremental re-sweep
/// from PostgreSQL that reuses the first run's pages and carries its history.
final class PostgresSweepTests: XCTestCase {
    func testSweepIntoPostgresWritesWhatASweepIntoSQLiteWrites() async throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pgsweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let servers = try DemoPortal.serve(asOf: Day(year: 2026, month: 11, day: 20)!)
        defer { servers.stop() }
        let inputs = try DemoPortal.contentInputs(servers: servers, directory: dir.appendingPathComponent("inputs"))
        var settings = SweepSettings(startURLs: [CrawlURL(servers.portal.baseURL)!], asOf: Day(iso: "2026-11-20")!)
        settings.departmentsPath = DemoPortal.departmentsCSVPath
        (settings.phonesPath, settings.wordingPath, settings.accountsPath) = (inputs.phones, inputs.wording, inputs.accounts)
        settings.fetch.totalTimeout = 5
        settings.quiet = true
        try settings.loadInputs()

        func sweep(_ name: String, store: (any RunStore)?, storePath: String = "") async throws -> [String: Any] {
            var s = settings
            s.out = dir.appendingPathComponent(name).path
            s.storePath = storePath
            _ = try await SweepJob(settings: s, store: store, printSummary: false).run()
            let data = try Data(contentsOf: dir.appendingPathComponent("\(name)/findings.json"))
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        let sqlitePath = dir.appendingPathComponent("s.sqlite").path
        let postgres = try PostgresStore(database: scoped.database)

        let liteFirst = try await sweep("lite1", store: nil, storePath: sqlitePath)
        let pgFirst = try await sweep("pg1", store: postgres)
        XCTAssertEqual(try Self.normalised(pgFirst), try Self.normalised(liteFirst))
        XCTAssertGreaterThan((pgFirst["findings"] as? [Any])?.count ?? 0, 10, "the demo's planted defects are found")

        // Again: incremental (unchanged pages reused from the stored facts), with history.
        let liteSecond = try await sweep("lite2", store: nil, storePath: sqlitePath)
        let pgSecond = try await sweep("pg2", store: postgres)
        XCTAssertEqual(try Self.normalised(pgSecond), try Self.normalised(liteSecond))
        XCTAssertEqual(pgSecond["previousRunId"] as? Int, pgFirst["runId"] as? Int)
        XCTAssertGreaterThan(postgres.baselinePagesHandedOut, 10, "the re-sweep read the first run's pages from memory")
        let runs = try postgres.runs()
        XCTAssertEqual(runs.map(\.status), [.done, .done])
        XCTAssertEqual(try postgres.firstSeen(run: runs[0].id).values.filter { $0 != "2026-11-20" }, [], "first seen on the first run's day")
    }

    /// findings.json without what differs between any two runs (ids, times).
    static func normalised(_ doc: [String: Any]) throws -> String {
        var doc = doc
        for key in ["startedAt", "finishedAt", "runId", "previousRunId"] { doc.removeValue(forKey: key) }
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }
}
#endif
