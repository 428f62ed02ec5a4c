#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
package import Logging
package import PGStore
package import PostgresNIO

/// The fleet's tables in the shared PostgreSQL store: every change is one short transaction
/// through `PGDatabase`, which runs it again on a new connection when the old one is lost
/// (a database restart mid-round), so the workers ride it out and the round completes.
package struct FleetDatabase: Sendable {
    package let pg: PGDatabase
    package var logger: Logger { pg.logger }

    package init(pg: PGDatabase) { self.pg = pg }

    /// Closes the connections (before the last reference goes: postgres-nio wants every
    /// connection closed before it is freed).
    package func close() { pg.close() }

    /// Opens the store at `url` and brings its schema (the store's and the fleet's) up to
    /// date, as `govsweep fleet init` does: workers started at once migrate one after the
    /// other. A database newer than this binary, an unreachable server or refused
    /// credentials throw a `PGStoreError` (one line, exit 3 or 2).
    package static func initialise(url: String) async throws -> FleetDatabase {
        let pg = try PGDatabase(url: url)
        try pg.migrate(FleetSchema.all)
        return FleetDatabase(pg: pg)
    }

    /// Runs `body` in one transaction (again, from the start, after a lost connection).
    @discardableResult
    package func transaction<R: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> R) async throws -> R {
        try await pg.transaction(body)
    }

    /// One line for a database error: the store's own, the server's message, or the connection problem.
    package static func describe(_ error: any Error) -> String {
        if let e = error as? PGStoreError { return e.description }
        if let t = error as? PostgresTransactionError, let inner = t.closureError ?? t.beginError ?? t.commitError {
            return describe(inner)
        }
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] { return message }
            if let underlying = e.underlying { return "\(e.code): \(underlying)" }
            return "\(e.code)"
        }
        return "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
    }
}
#endif
