package import Foundation
import Synchronization

/// Rendered pages kept by the static page they were rendered from (its URL and content
/// hash), so a re-sweep does not start a browser for an unchanged page. A capability of its
/// own, beside the run store's: a store that does not keep renders needs none of it.
package protocol RenderCache: Sendable {
    /// The rendered markup of `url` whose static body hashed to `contentHash`, when rendered
    /// at or after `since`.
    func rendered(url: String, contentHash: UInt64, since: Date) -> [UInt8]?
    func save(url: String, contentHash: UInt64, markup: [UInt8], at: Date)
}

/// The cache in memory (tests, and a sweep whose store cannot keep one).
package final class MemoryRenderCache: RenderCache {
    private struct Key: Hashable {
        var url: String
        var hash: UInt64
    }
    private let entries = Mutex<[Key: (markup: [UInt8], at: Date)]>([:])

    package init() {}

    package func rendered(url: String, contentHash: UInt64, since: Date) -> [UInt8]? {
        entries.withLock { e in e[Key(url: url, hash: contentHash)].flatMap { $0.at >= since ? $0.markup : nil } }
    }

    package func save(url: String, contentHash: UInt64, markup: [UInt8], at: Date) {
        entries.withLock { $0[Key(url: url, hash: contentHash)] = (markup, at) }
    }
}

/// The cache in an SQLite file of its own (beside the run store: a render is written while
/// the store writer holds its transaction). A read or write error is a miss, never a failure
/// of the sweep.
package final class SQLiteRenderCache: RenderCache {
    private let connection: Mutex<Connection>

    package init(path: String) throws {
        let c = try Connection(path: path)
        try c.exec(
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS renders (
              url TEXT NOT NULL, content_hash INTEGER NOT NULL, rendered_at REAL NOT NULL, markup BLOB NOT NULL,
              PRIMARY KEY (url, content_hash));
            """)
        connection = Mutex(c)
    }

    /// The statements, their parameters and result named through `Tables.renders` (a lookup
    /// binds a row whose `rendered_at` is the oldest render wanted).
    static let ask = Tables.renders.only(["url", "content_hash", "rendered_at"])
    static let select = """
        SELECT markup FROM renders WHERE url = \(ask.parameter("url"))
        AND content_hash = \(ask.parameter("content_hash")) AND rendered_at >= \(ask.parameter("rendered_at"))
        """
    static let urlOnly = Tables.renders.only(["url"])
    static let delete = "DELETE FROM renders WHERE url = \(urlOnly.parameter("url"))"
    static let insert = "INSERT INTO renders (\(Tables.renders.names)) VALUES (\(Tables.renders.placeholders(from: 1)))"

    package func rendered(url: String, contentHash: UInt64, since: Date) -> [UInt8]? {
        connection.withLock { c in
            try? c.query(
                Self.select,
                bind: { try Self.ask.bind($0, from: 1, RenderRow(url: url, contentHash: contentHash, renderedAt: since.timeIntervalSince1970)) },
                row: { s in [UInt8](s.blob(0).bindMemory(to: UInt8.self)) }
            ).first
        }
    }

    package func save(url: String, contentHash: UInt64, markup: [UInt8], at: Date) {
        connection.withLock { c in
            // (One row a page: an older render of another content is replaced.)
            try? c.transaction {
                let row = RenderRow(url: url, contentHash: contentHash, renderedAt: at.timeIntervalSince1970, markup: markup)
                try c.run(Self.delete, bind: { try Self.urlOnly.bind($0, from: 1, row) })
                try c.run(Self.insert, bind: { try Tables.renders.bind($0, from: 1, row) })
            }
        }
    }
}
