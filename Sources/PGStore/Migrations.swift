#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import Logging
import PostgresNIO
import Vocabulary

/// One step of one component's schema in a PostgreSQL store. Each component (the store's
/// tables are "store"; the fleet's are "fleet") numbers its own steps from 1; append new
/// ones, never edit a shipped one. `sql` may hold several statements.
package struct Migration: Sendable, Equatable {
    package var component: String
    package var version: Int
    package var sql: String
    package init(component: String, version: Int, sql: String) {
        self.component = component; self.version = version; self.sql = sql
    }
}

extension PGDatabase {
    /// The advisory lock key the migrator holds (two workers starting at once migrate one
    /// after the other; the second finds nothing left to do).
    static let migrationLockKey = lockKey("govsweep_migrations")
    /// How long the migrator waits for its lock and for one migration.
    static let migrationDeadline: Duration = .seconds(1800)

    /// A 64-bit advisory lock key for `name` (FNV-1a): `pg_advisory_lock(key)` for anything
    /// the fleet must do one at a time (a host swept by one worker at once, say).
    package static func lockKey(_ name: String) -> Int64 {
        var h = FNV1a()
        h.add(name.utf8)
        return Int64(bitPattern: h.value)
    }

    /// Applies the migrations the database lacks, each in a transaction of its own and
    /// recorded in `govsweep_migrations`, under an advisory lock. Refuses (a `.schemaTooNew`
    /// error, exit 3) when the database holds a version of one of these components newer
    /// than the newest given: an older govsweep must not write into a newer schema.
    /// Components not among `migrations` are left alone. Returns each component's version.
    @discardableResult
    package func migrate(_ migrations: [Migration]) throws -> [String: Int] {
        try withConnectionBlocking { c in
            // (Waits while another worker migrates; a migration may build an index on a big table:
            // a long deadline for these two.)
            try c.run("SELECT pg_advisory_lock(\(Self.migrationLockKey))", logger: logger, deadline: Self.migrationDeadline)
            // (On a connection a restart cut, this fails at once: it used to wait forever.)
            defer { _ = try? c.run("SELECT pg_advisory_unlock(\(Self.migrationLockKey))", logger: logger) }
            try c.run(
                """
                CREATE TABLE IF NOT EXISTS govsweep_migrations (
                    component  text NOT NULL,
                    version    int NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (component, version)
                )
                """, logger: logger)
            var versions = try Self.versions(c, logger: logger)
            let byComponent = Dictionary(grouping: migrations, by: \.component)
            for (component, steps) in byComponent.sorted(by: { $0.key < $1.key }) {
                let known = steps.map(\.version).max() ?? 0
                if let have = versions[component], have > known {
                    throw PGStoreError(
                        .schemaTooNew,
                        "\(location): the database's \"\(component)\" schema is at version \(have), newer than this govsweep knows (\(known)); upgrade govsweep"
                    )
                }
            }
            // In the order given: a component may build on another's tables.
            for m in migrations where m.version > versions[m.component, default: 0] {
                try c.run("BEGIN", logger: logger)
                do {
                    try c.run(PostgresQuery(unsafeSQL: Self.executing(m.sql)), logger: logger, deadline: Self.migrationDeadline)
                    try c.run(
                        "INSERT INTO govsweep_migrations (component, version) VALUES (\(m.component), \(m.version))",
                        logger: logger)
                    try c.run("COMMIT", logger: logger)
                } catch {
                    _ = try? c.run("ROLLBACK", logger: logger)
                    let why = describe(error)
                    throw PGStoreError(.query, "\(location): migration \(m.component) \(m.version) failed: \(why)")
                }
                versions[m.component] = m.version
                logger.debug("applied a migration", metadata: ["component": "\(m.component)", "version": "\(m.version)"])
            }
            return versions
        }
    }

    /// Each component's newest applied version (empty for a database never migrated).
    package func schemaVersions() throws -> [String: Int] {
        try withConnectionBlocking { c in
            let exists = try c.run("SELECT to_regclass('govsweep_migrations') IS NOT NULL", logger: logger)
            guard let row = exists.rows.first, try row.decode(Bool.self) else { return [:] }
            return try Self.versions(c, logger: logger)
        }
    }

    private static func versions(_ c: PostgresConnection, logger: Logger) throws -> [String: Int] {
        let rows = try c.run("SELECT component, max(version) FROM govsweep_migrations GROUP BY component", logger: logger)
        var out: [String: Int] = [:]
        for row in rows.rows {
            let (component, version) = try row.decode((String, Int).self)
            out[component] = version
        }
        return out
    }

    /// One statement that runs `sql`, however many statements it holds: postgres-nio sends
    /// queries through the extended protocol, which takes one statement; PL/pgSQL's EXECUTE
    /// takes several.
    static func executing(_ sql: String) -> String {
        var tag = "govsweep_migration"
        while sql.contains("$\(tag)$") { tag += "_" }
        var outer = "do"
        while sql.contains("$\(outer)$") || outer == tag { outer += "_" }
        return "DO $\(outer)$ BEGIN EXECUTE $\(tag)$\(sql)$\(tag)$; END $\(outer)$"
    }
}
#endif
