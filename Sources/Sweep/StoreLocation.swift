import Foundation
package import Logging
import PGStore
package import Store

/// Where a sweep's runs go: a SQLite file (the embedded default) or a PostgreSQL database
/// shared by a fleet. `--store` and GOVSWEEP_STORE take either: a `postgres://` URL is a
/// database, anything else a file path. The one place a store is chosen and opened.
package enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// `text` as `--store` reads it.
    package init(_ text: String) {
        self = PGLocation.isPostgresURL(text) ? .postgres(url: text) : .sqlite(path: text)
    }

    /// GOVSWEEP_STORE when set and not empty.
    package static var fromEnvironment: String? {
        ProcessInfo.processInfo.environment[PGLocation.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The path, or the URL without any password.
    package var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): (try? PGLocation(url: url).description) ?? PGLocation.redact(url)
        }
    }

    /// Opens the store (creating a SQLite file, migrating a database's "store" schema).
    /// Errors are a `UserFailure` of one line, exit 2 (`failure`).
    package func open(logger: Logger = Logger(label: "govsweep.store")) throws -> any RunStore {
        do {
            switch self {
            case .sqlite(let path): return try SQLiteStore(path: path)
            case .postgres(let url):
                #if PostgreSQL
                return try PostgresStore(url: url, logger: logger)
                #else
                _ = url
                throw Self.noPostgreSQL
                #endif
            }
        } catch {
            throw Self.failure(error)
        }
    }

    /// The same from async code: opened on a store thread, not on one of the cooperative
    /// pool's (opening a file reads and may migrate it; opening a database connects and
    /// waits on NIO futures).
    package func open(logger: Logger = Logger(label: "govsweep.store")) async throws -> any RunStore {
        try await StoreThreads.run(on: StoreThreads.shared) { try self.open(logger: logger) as any RunStore }
    }

    /// What a build without the PostgreSQL trait says to `--store postgres://`, `govsweep fleet`
    /// and `govsweep worker` (exit 2): the README's first command leaves postgres-nio out.
    package static var noPostgreSQL: UserFailure {
        .badInput("this build has no PostgreSQL support (fleet, worker, --store postgres://); rebuild with it: \(rebuildCommand)")
    }

    /// The command that builds govsweep with PostgreSQL (Package.swift, trait PostgreSQL).
    package static let rebuildCommand = "swift build -c release --traits PostgreSQL"

    /// A store error as `sweep`, `probe`, `history` and `diff` report it: one line (never a
    /// password), exit 2, whatever the database's fault. CONTRACT.md keeps 3 for "no start
    /// URL could be fetched"; an unreachable database or a schema newer than this govsweep
    /// is the store the user named, as a bad file is. (The fleet commands have their own
    /// codes, `PGStoreError.exitCode`: docs/FLEET.md.)
    package static func failure(_ error: any Error) -> UserFailure {
        if let e = error as? PGStoreError { return UserFailure(message: e.description, code: 2) }
        if let e = error as? UserFailure { return e }
        return UserFailure.badInput("\(error)")
    }
}
