#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import Logging
import PGStore
import PostgresNIO
import XCTest

/// The PostgreSQL server the tests use: GOVSWEEP_TEST_PG (`.ci/run` starts one with
/// scripts/pg-throwaway.sh). Without it the tests skip locally, and fail under CI (CI set),
/// so CI never passes by skipping them. Each test works in a schema of its own, dropped
/// at the end.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["GOVSWEEP_TEST_PG"].flatMap { $0.isEmpty ? nil : $0 }

    static func requireURL(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        if let url { return url }
        let why = "GOVSWEEP_TEST_PG is not set (scripts/pg-throwaway.sh start DIR prints a URL for it)"
        if ProcessInfo.processInfo.environment["CI"] != nil {
            XCTFail("CI must run the PostgreSQL tests: \(why)", file: file, line: line)
            throw XCTSkip("failed: \(why)")
        }
        throw XCTSkip(why)
    }

    /// A database whose search path is a fresh schema; `drop()` removes it.
    static func fresh(file: StaticString = #filePath, line: UInt = #line) throws -> Scoped {
        let url = try requireURL(file: file, line: line)
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try PGDatabase(url: url)
        _ = try admin.withConnectionBlocking { c in
            try c.run(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: admin.logger)
        }
        let db = try PGDatabase(location: PGLocation(url: url), searchPath: String(schema))
        return Scoped(database: db, admin: admin, schema: String(schema))
    }

    final class Scoped: @unchecked Sendable {
        let database: PGDatabase
        let admin: PGDatabase
        let schema: String
        init(database: PGDatabase, admin: PGDatabase, schema: String) {
            self.database = database; self.admin = admin; self.schema = schema
        }

        func drop() {
            database.close()
            _ = try? admin.withConnectionBlocking { c in
                try c.run(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: admin.logger)
            }
            admin.close()
        }
    }
}
#endif
