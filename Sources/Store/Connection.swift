internal import CSQLite
import Vocabulary

/// Turns an SQLite result code into a Swift error. Every C call that returns a
/// result code goes through here; `SQLITE_ROW` and `SQLITE_DONE` count as success.
@discardableResult
func sqliteCheck(
    _ rc: Int32, db: OpaquePointer?, path: String, _ context: @autoclosure () -> String = ""
) throws
    -> Int32
{
    switch rc {
    case SQLITE_OK, SQLITE_ROW, SQLITE_DONE:
        return rc
    default:
        // errmsg describes the most recent failure on the connection; errstr is the fallback.
        let message: String
        if let db, sqlite3_errcode(db) == rc || sqlite3_extended_errcode(db) == rc {
            message = String(cString: sqlite3_errmsg(db))
        } else {
            message = String(cString: sqlite3_errstr(rc))
        }
        let where_ = context()
        throw StoreError(path: path, message: where_.isEmpty ? message : "\(message) (\(where_))", code: rc & 0xff)
    }
}

/// One prepared statement, finalized on deinit. Owned by a `Connection`; never shared across threads.
final class Statement {
    let handle: OpaquePointer
    private let db: OpaquePointer
    private let path: String

    init(db: OpaquePointer, path: String, sql: String) throws {
        var stmt: OpaquePointer?
        try sqliteCheck(
            sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil),
            db: db, path: path, sql)
        guard let stmt else { throw StoreError(path: path, message: "empty statement: \(sql)") }
        self.handle = stmt
        self.db = db
        self.path = path
    }

    deinit { sqlite3_finalize(handle) }

    /// Ready for new bindings. The result code of `sqlite3_reset` repeats the last step's
    /// error, which `step()` has already thrown, so it is not checked again here.
    func reset() {
        sqlite3_reset(handle)
    }

    func bind(_ index: Int32, _ value: Int64) throws {
        try sqliteCheck(sqlite3_bind_int64(handle, index, value), db: db, path: path)
    }

    func bind(_ index: Int32, _ value: Int) throws { try bind(index, Int64(value)) }

    func bind(_ index: Int32, _ value: Bool) throws { try bind(index, Int64(value ? 1 : 0)) }

    func bind(_ index: Int32, _ value: Double?) throws {
        if let value {
            try sqliteCheck(sqlite3_bind_double(handle, index, value), db: db, path: path)
        } else {
            try sqliteCheck(sqlite3_bind_null(handle, index), db: db, path: path)
        }
    }

    func bind(_ index: Int32, _ value: String?) throws {
        guard let value else {
            try sqliteCheck(sqlite3_bind_null(handle, index), db: db, path: path)
            return
        }
        // Native strings are NUL-terminated UTF-8: withCString does not copy, SQLite copies once.
        try value.withCString { cString in
            _ = try sqliteCheck(
                sqlite3_bind_text(
                    handle, index, cString, Int32(value.utf8.count),
                    gs_sqlite_transient()), db: db, path: path)
        }
    }

    func bind(_ index: Int32, blob bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            _ = try sqliteCheck(
                sqlite3_bind_blob(
                    handle, index, raw.baseAddress, Int32(raw.count),
                    gs_sqlite_transient()), db: db, path: path)
        }
    }

    func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        guard let p = sqlite3_column_blob(handle, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// Steps once: true when a row is available, false when done.
    func step() throws -> Bool {
        try sqliteCheck(sqlite3_step(handle), db: db, path: path) == SQLITE_ROW
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}

/// The SQLite connection with its statement cache and URL-id cache. Not thread-safe:
/// `SQLiteStore` keeps it behind a mutex.
final class Connection {
    let path: String
    let db: OpaquePointer
    private var statements: [String: Statement] = [:]
    /// 64-bit hash of the url -> id of the `urls` table, so the cache costs a few bytes per
    /// URL rather than the URL (a collision is about 1 in 10^8 at a million URLs). Ids are
    /// never deleted, so entries stay valid across transactions of other processes; the cache
    /// is dropped on rollback and when it grows too big.
    private var urlIDs = KeyMap(minimumCapacity: 4096)
    /// About 2 MB; past it the cache starts over (a miss costs one index probe).
    static let urlCacheLimit = 65_536

    /// The cache's key of a URL (the same as `wordHash` of its UTF-8, as `urlID(utf8:)` uses).
    @inline(__always) static func urlKey(_ url: String) -> UInt64 { wordHash(url) }

    /// Process-wide SQLite settings, applied once before the first connection.
    private static let configured: Void = {
        // SQLITE_MISUSE means SQLite was already initialised by someone else: keep its settings.
        let rc = gs_sqlite_disable_memstatus()
        assert(rc == SQLITE_OK || rc == SQLITE_MISUSE)
    }()

    init(path: String) throws {
        Self.configured
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard let handle else { throw StoreError(path: path, message: "out of memory opening the database") }
        do {
            try sqliteCheck(rc, db: handle, path: path)
            try sqliteCheck(sqlite3_extended_result_codes(handle, 1), db: handle, path: path)
            try sqliteCheck(sqlite3_busy_timeout(handle, 10_000), db: handle, path: path)
        } catch {
            sqlite3_close_v2(handle)
            throw error
        }
        self.db = handle
        self.path = path
    }

    deinit {
        statements.removeAll()  // finalize before closing
        sqlite3_close_v2(db)
    }

    func check(_ rc: Int32, _ context: @autoclosure () -> String = "") throws {
        try sqliteCheck(rc, db: db, path: path, context())
    }

    /// Runs SQL text (one or more statements) without results.
    func exec(_ sql: String) throws {
        try check(sqlite3_exec(db, sql, nil, nil, nil))
    }

    /// The cached prepared statement for `sql`, reset and ready to bind.
    func statement(_ sql: String) throws -> Statement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        let stmt = try Statement(db: db, path: path, sql: sql)
        statements[sql] = stmt
        return stmt
    }

    /// Prepares (cached), binds, runs to completion; returns the rows mapped by `row`.
    func query<T>(
        _ sql: String, bind: (Statement) throws -> Void = { _ in },
        row: (Statement) throws -> T
    ) throws -> [T] {
        let stmt = try statement(sql)
        defer { stmt.reset() }
        try bind(stmt)
        var out: [T] = []
        while try stmt.step() { out.append(try row(stmt)) }
        return out
    }

    /// Prepares (cached), binds and runs a statement that returns no rows.
    func run(_ sql: String, bind: (Statement) throws -> Void = { _ in }) throws {
        let stmt = try statement(sql)
        defer { stmt.reset() }
        try bind(stmt)
        while try stmt.step() {}
    }

    var changes: Int { Int(sqlite3_changes(db)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(db) }

    /// One write transaction: committed when `body` returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try run("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            // Rolling back can fail only when SQLite already rolled back by itself.
            _ = try? run("ROLLBACK")
            urlIDs.removeAll()  // ids handed out inside the transaction are gone
            throw error
        }
    }

    /// `urls`' columns one at a time, for the statements of one parameter and one result.
    static let urlColumn = Tables.urls.only(["url"]), idColumn = Tables.urls.only(["id"])
    static let runOnly = Tables.runURL.only(["run"])
    static let insertURL = "INSERT OR IGNORE INTO urls (\(urlColumn.names)) VALUES (\(urlColumn.placeholders(from: 1)))"
    static let idOfURL = "SELECT \(idColumn.names) FROM urls WHERE url = \(urlColumn.parameter("url"))"
    static let urlOfID = "SELECT \(urlColumn.names) FROM urls WHERE id = \(idColumn.parameter("id"))"

    /// Fills the url-id cache with the pages of run `run` (up to the cache's size): a re-sweep
    /// writes the same pages again, and each would otherwise cost a failed insert and a
    /// select to find its id.
    func warmURLCache(run: Int64) throws {
        _ = try query(
            """
            SELECT \(Tables.urls.selectList("u")) FROM pages p JOIN urls u ON u.id = p.url_id
            WHERE p.run = \(Self.runOnly.parameter("run")) LIMIT \(Self.urlCacheLimit)
            """,
            bind: { try Self.runOnly.bind($0, from: 1, RunURL(run: run, urlID: 0)) }
        ) { s in
            let id = s.int64(Tables.urls.index("id"))
            urlIDs[wordHash(s.blob(Tables.urls.index("url")))] = id
        }
    }

    /// The same from borrowed UTF-8: the string is made only for a URL not in the cache.
    func urlID(utf8 url: UnsafeRawBufferPointer) throws -> Int64 {
        if let id = urlIDs[wordHash(url)] { return id }
        return try urlID(String(decoding: url, as: UTF8.self))
    }

    /// The id of `url` in the `urls` table, inserting it when new. Call inside a transaction.
    func urlID(_ url: String) throws -> Int64 {
        let key = Self.urlKey(url)
        if let id = urlIDs[key] { return id }
        let insert = try statement(Self.insertURL)
        defer { insert.reset() }
        try Self.urlColumn.bind(insert, from: 1, URLRow(url: url))
        _ = try insert.step()
        let id: Int64
        if changes == 1 {
            id = lastInsertRowID
        } else {
            id =
                try query(Self.idOfURL, bind: { try Self.urlColumn.bind($0, from: 1, URLRow(url: url)) }) { $0.int64(0) }
                .first ?? 0
        }
        if urlIDs.count >= Self.urlCacheLimit { urlIDs.removeAll(keepingCapacity: true) }
        urlIDs[key] = id
        return id
    }

    /// The id of `url` if it was ever interned, without inserting it.
    /// The URLs of these ids.
    func urls(ids: Set<Int64>) throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        guard !ids.isEmpty else { return out }
        let s = try statement(Self.urlOfID)
        defer { s.reset() }
        for id in ids {
            s.reset()
            try Self.idColumn.bind(s, from: 1, URLRow(id: id, url: ""))
            if try s.step() { out[id] = s.text(0) }
        }
        return out
    }

    func existingURLID(_ url: String) throws -> Int64? {
        if let id = urlIDs[Self.urlKey(url)] { return id }
        return try query(Self.idOfURL, bind: { try Self.urlColumn.bind($0, from: 1, URLRow(url: url)) }) { $0.int64(0) }.first
    }
}
