#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import ArgumentParser
import Foundation
import Logging
import PGStore
import Sweep
import Fleet

/// `govsweep fleet …`: many workers sweeping into one PostgreSQL database. Each subcommand
/// is a type of its own; add it to `subcommands`.
struct Fleet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fleet mode: sites, rounds and workers sharing one PostgreSQL store.",
        subcommands: [FleetInit.self, FleetAdd.self, FleetRound.self, FleetStatusCommand.self, FleetReportCommand.self]
    )

    /// The migrations every fleet command applies before it starts, in order ("store" first:
    /// the fleet's tables refer to runs). Fleet components append theirs here.
    static var migrations: [Migration] { FleetSchema.all }

    /// `--store`, else GOVSWEEP_STORE: a postgres:// URL (the fleet has no SQLite mode).
    static func storeURL(_ option: String?) throws -> String {
        guard let url = option ?? StoreLocation.fromEnvironment else {
            throw UserFailure.badInput("no store: give --store postgres://user@host[:port]/db or set GOVSWEEP_STORE")
        }
        guard PGLocation.isPostgresURL(url) else {
            throw UserFailure.badInput("--store \(PGLocation.redact(url)): fleet mode needs a postgres:// URL")
        }
        return url
    }

    /// Opens the database and applies `migrations`; errors are one line with the store's exit code.
    static func openDatabase(_ option: String?, logger: Logger = Logger(label: "govsweep.fleet")) throws -> (PGDatabase, [String: Int]) {
        do {
            let db = try PGDatabase(url: storeURL(option), logger: logger)
            return (db, try db.migrate(migrations))
        } catch let e as PGStoreError {
            // The fleet's codes (docs/FLEET.md): 3 unreachable or newer, 2 the rest.
            throw UserFailure(message: e.description, code: e.exitCode)
        } catch {
            throw StoreLocation.failure(error)
        }
    }
}

struct FleetInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or upgrade the fleet's tables in a PostgreSQL database and print the schema versions.",
        discussion: """
            The database and its role must exist (createdb); the password comes from PGPASSWORD or \
            ~/.pgpass, never from the command line. Safe to run again: only missing migrations are \
            applied, under an advisory lock. Exit 3 when the database cannot be reached or holds a \
            schema newer than this govsweep.
            """
    )

    @Option(help: "postgres://user@host[:port]/db (default: $GOVSWEEP_STORE).")
    var store: String?

    func run() throws {
        let (db, versions) = try Fleet.openDatabase(store)
        defer { db.close() }
        print("govsweep: \(db.location) is ready")
        for (component, version) in versions.sorted(by: { $0.key < $1.key }) {
            print("  schema \(component): version \(version)")
        }
    }
}
#endif
