package import Foundation
import Synchronization
package import Vocabulary

/// The embedded store: one SQLite file in WAL mode. All access is serialised through
/// one connection behind a mutex; batches are single transactions with cached statements.
package final class SQLiteStore: RunStore {
    /// The database file.
    package let path: String
    /// The one connection; reachable only through `withLock`.
    let connection: Mutex<Connection>
    /// A second connection for the lookups of an incremental sweep (a finished earlier run),
    /// so they do not wait behind the writer's transactions. Opened on first use.
    /// Reader connections not in use: one per thread that reads at once (the crawl's
    /// workers look up an earlier run's pages side by side), kept for the next read.
    let readers = Mutex<[ReaderBox]>([])

    /// The store's own thread for async callers (`perform`): SQLite's calls wait on the disk,
    /// and one connection serves them in turn anyway.
    package let queue = DispatchQueue(label: "govsweep.sqlite")

    package func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await StoreThreads.run(on: queue, body)
    }

    /// `$XDG_STATE_HOME/govsweep/govsweep.sqlite`, or `~/.local/state/govsweep/govsweep.sqlite`
    /// when XDG_STATE_HOME is unset or empty.
    package static var defaultPath: String {
        let env = ProcessInfo.processInfo.environment
        let state: String
        if let xdg = env["XDG_STATE_HOME"], !xdg.isEmpty {
            state = xdg
        } else {
            let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            state = home + "/.local/state"
        }
        return state + "/govsweep/govsweep.sqlite"
    }

    /// Opens or creates the store at `path`, creating its parent directories, and brings
    /// the schema up to date. Errors name the file and the problem in one line.
    package convenience init(path: String) throws {
        try self.init(path: path, migrations: Schema.migrations)
    }

    /// Opens with a given migration list (tests use a prefix to make an older file).
    package init(path: String, migrations: [SQLiteMigration]) throws {
        if path != ":memory:" {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                } catch {
                    throw StoreError(path: path, message: "cannot create directory \(parent)")
                }
            }
        }
        let conn = try Connection(path: path)
        // Before anything is written, for a new file only (an existing one keeps its own).
        try conn.exec("PRAGMA page_size = 16384")
        // The first statement that reads the header: a file that is not SQLite fails here.
        try conn.exec("PRAGMA journal_mode = WAL")
        try conn.exec("PRAGMA synchronous = NORMAL")
        try conn.exec("PRAGMA foreign_keys = ON")
        try conn.exec("PRAGMA temp_store = MEMORY")
        // 8 MB: memory stays bounded on big sites. (It was 16 MB, and the crawl's writes filled
        // it: with 4 MB a 20,000-page sweep's peak RSS was 82 MB against 95. The pages and links
        // are keyed so that a batch touches few b-tree pages; 8 MB swept 100,000 pages as fast.)
        try conn.exec("PRAGMA cache_size = -8192")
        try conn.migrate(migrations)
        self.path = path
        self.connection = Mutex(conn)
    }

    /// Runs `body` on a reader connection (WAL lets readers read while the writer writes,
    /// and each other: two workers never wait on one reader).
    func reading<T: Sendable>(_ body: @Sendable (Connection) throws -> T) throws -> T {
        if path == ":memory:" { return try connection.withLock { try body($0) } }
        let box = try readers.withLock { $0.popLast() } ?? ReaderBox(try makeReader())
        defer { readers.withLock { if $0.count < SQLiteStore.maxIdleReaders { $0.append(box) } } }
        return try body(box.connection)
    }

    static let maxIdleReaders = 4

    private func makeReader() throws -> Connection {
        let c = try Connection(path: path)
        try c.exec("PRAGMA query_only = 1")
        try c.exec("PRAGMA cache_size = -4096")
        // No memory map: with a reader per thread each would map the file again (and remap it as
        // the writer grows it), for no CPU saved over SQLite's own page cache.
        return c
    }

    /// Before a re-sweep that reuses run `run`: its pages' url ids in the writer's cache.
    package func warmURLCache(run: Int64) {
        connection.withLock { c in try? c.warmURLCache(run: run) }
    }

    /// The baseline's pages are read a page at a time with a pooled reader (no round trip
    /// to speak of); only the writer's URL cache is warmed.
    package func prepareBaseline(run: Int64, key: Int64, asOf: Day) throws {
        warmURLCache(run: run)
    }

    /// After the crawl and the scan of its links: the writer's 16 MB page cache (sized for
    /// inserting pages and links quickly) shrinks to 2 MB and gives its memory back, so the
    /// findings and the report are made without a big site's pages in memory.
    package func endBulkWrites() {
        connection.withLock { c in
            try? c.exec("PRAGMA cache_size = -2048")
            try? c.exec("PRAGMA shrink_memory")
        }
    }

    /// `PRAGMA wal_checkpoint(TRUNCATE)`: the log's pages copied into the file and the log
    /// emptied. (Closing the store did this otherwise, after the report: 95 ms of a 20,000-page
    /// sweep's last 0.3 s, one thread copying and syncing while the others had exited.)
    package func foldLog() {
        connection.withLock { c in _ = try? c.exec("PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// The schema version of the file.
    package func schemaVersion() throws -> Int {
        try connection.withLock { try $0.userVersion() }
    }

    /// `PRAGMA integrity_check`: ["ok"] for a sound file, else the problems found.
    package func integrityCheck() throws -> [String] {
        try connection.withLock { try $0.query("PRAGMA integrity_check") { $0.text(0) } }
    }

    package func acquireRunLock() throws -> RunLock {
        try RunLock(lockPath: path + ".lock", storePath: path)
    }

    // MARK: runs

    private static let runColumns = "id, " + Tables.runs.names
    /// What `finishRun` writes.
    private static let finishedRun = Tables.runs.only([
        "finished_at", "status", "pages_fetched", "pages_failed", "pages_skipped", "score", "verdict",
    ])

    package func createRun(_ run: RunRecord) throws -> Int64 {
        try connection.withLock { c in
            try c.transaction {
                try c.run("INSERT INTO runs (\(Tables.runs.names)) VALUES (\(Tables.runs.placeholders(from: 1)))") { s in
                    try columnErrors { try Tables.runs.bind(s, from: 1, run) }
                }
                return c.lastInsertRowID
            }
        }
    }

    package func unfinishedRun(sites: [String]) throws -> RunRecord? {
        let sites = try Self.json(sites)
        // A run left unfinished before a later run of the same sites finished is stale:
        // resuming it would slot an old crawl in behind newer results.
        return try readRuns(
            """
            SELECT \(Self.runColumns) FROM runs
            WHERE sites = ?1 AND status <> 'done'
              AND id > COALESCE((SELECT MAX(id) FROM runs WHERE sites = ?1 AND status = 'done'), 0)
            ORDER BY id DESC LIMIT 1
            """
        ) { try $0.bind(1, sites) }.first
    }

    package func previousRun(sites: [String], before: Int64) throws -> RunRecord? {
        let sites = try Self.json(sites)
        return try readRuns(
            """
            SELECT \(Self.runColumns) FROM runs
            WHERE sites = ?1 AND status = 'done' AND id < ?2 ORDER BY id DESC LIMIT 1
            """
        ) {
            try $0.bind(1, sites); try $0.bind(2, before)
        }.first
    }

    package func run(id: Int64) throws -> RunRecord? {
        try readRuns("SELECT \(Self.runColumns) FROM runs WHERE id = ?1") { try $0.bind(1, id) }.first
    }

    package func runs() throws -> [RunRecord] {
        try readRuns("SELECT \(Self.runColumns) FROM runs ORDER BY id DESC")
    }

    package func finishRun(_ run: RunRecord) throws {
        var run = run
        run.finishedAt = run.finishedAt ?? Self.now()
        try connection.withLock { c in
            try c.transaction {
                try c.run("UPDATE runs SET \(Self.finishedRun.assignments(from: 2)) WHERE id = ?1") { s in
                    try s.bind(1, run.id)
                    try columnErrors { try Self.finishedRun.bind(s, from: 2, run) }
                }
                if c.changes == 0 { throw StoreError(path: path, message: "no run with id \(run.id)") }
            }
        }
    }

    private func readRuns(_ sql: String, bind: @Sendable (Statement) throws -> Void = { _ in }) throws -> [RunRecord] {
        try connection.withLock { c in
            try c.query(sql, bind: bind) { s in
                var blank = Tables.blankRun
                blank.id = s.int64(0)
                return try columnErrors { try Tables.runs.read(s, from: 1, into: blank) }
            }
        }
    }

    /// A value that does not fit its column, as this store's error.
    func columnErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ColumnError { throw StoreError(path: path, message: e.description) }
    }

    // MARK: JSON and time

    static func json<T: Encodable>(_ value: T) throws -> String { try StoreJSON.encode(value) }

    private static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}

/// A reader connection handed from one thread to the next through `SQLiteStore.readers`:
/// only the thread that took it out uses it until it is put back.
final class ReaderBox: @unchecked Sendable {
    let connection: Connection
    init(_ connection: Connection) { self.connection = connection }
}

extension SQLiteStore {
    /// The columns of `table` in the file, in order (tests check them against `Tables`).
    package func columnNames(of table: String) throws -> [String] {
        try connection.withLock { c in
            try c.query("SELECT name FROM pragma_table_info(?1) ORDER BY cid", bind: { try $0.bind(1, table) }) { $0.text(0) }
        }
    }
}
