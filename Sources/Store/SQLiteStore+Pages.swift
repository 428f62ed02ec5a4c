import Foundation
package import Vocabulary

extension SQLiteStore {
    /// Columns of `pages` joined with `urls u`, in the order `pageRecord(_:from:)` reads.
    static let pageColumns = Tables.pageSelect()
    /// How many result columns `pageColumns` is.
    static let pageColumnCount = Int32(1 + Tables.pages.columns.count)

    static func pageRecord(_ s: Statement, from c: Int32 = 0) throws -> PageRecord {
        try Tables.pages.read(s, from: c + 1, into: Tables.blankPage(s.text(c)))
    }

    /// Where a row's listed columns start in a statement that binds its key (`Tables.runURL`) first.
    static let afterKey = Int32(1 + Tables.runURL.columns.count)

    static let insertPage = """
        INSERT OR REPLACE INTO pages (\(Tables.runURL.names), \(Tables.pages.names))
        VALUES (\(Tables.runURL.placeholders(from: 1)), \(Tables.pages.placeholders(from: Int(afterKey))))
        """
    static let insertFacts = """
        INSERT OR REPLACE INTO page_facts (\(Tables.runURL.names), \(Tables.facts.names))
        VALUES (\(Tables.runURL.placeholders(from: 1)), \(Tables.facts.placeholders(from: Int(afterKey))))
        """
    static let insertLinks = "INSERT OR REPLACE INTO page_links (\(Tables.links.names)) VALUES (\(Tables.links.placeholders(from: 1)))"

    /// What `baselinePage` asks: the page of `url` in `run`, with its facts under `key` valid on `asOf`.
    struct BaselineAsk: Sendable {
        var run: Int64
        var url: String
        var key: Int64
        var asOf: Day
    }
    static let baselineAsk = Table<BaselineAsk>(
        "", [.int64("run", \.run), .text("url", \.url), .int64("key", \.key), .day("as_of", \.asOf)])
    /// What a baseline page reads after its page and facts columns: its links row and URL id.
    static let baselineRest = Table<BaselinePage>(
        "",
        [
            Column(
                "links", .blob, nullable: true, select: "l.data", get: { .blob($0.links.storedRow ?? []) },
                set: { $0.links = PageLinks(from: $0.record.url, storedRow: $1.blob ?? []) }),
            Column("url_id", .int, select: "u.id", get: { .int($0.urlID) }, set: { $0.urlID = $1.int ?? 0 }),
        ])
    static let baselineSQL = """
        SELECT \(pageColumns), \(Tables.facts.selectList("f")), \(baselineRest.selectList("")) FROM urls u
        JOIN pages p ON p.run = \(baselineAsk.parameter("run")) AND p.url_id = u.id
        LEFT JOIN page_facts f ON f.run = p.run AND f.url_id = p.url_id AND f.key = \(baselineAsk.parameter("key"))
            AND (f.as_of IS NULL OR f.as_of = \(baselineAsk.parameter("as_of")))
        LEFT JOIN page_links l ON l.run = p.run AND l.from_id = p.url_id
        WHERE u.url = \(baselineAsk.parameter("url"))
        """

    /// A page's stored facts with where it is: its URL's id, the URL and its depth, then `Tables.facts`.
    struct FactsAt: Sendable {
        var urlID: Int64 = 0
        var url = ""
        var depth = 0
    }
    static let factsAt = Table<FactsAt>(
        "",
        [
            Column("url_id", .int, select: "f.url_id", get: { .int($0.urlID) }, set: { $0.urlID = $1.int ?? 0 }),
            Column("url", .text, select: "u.url", get: { .text($0.url) }, set: { $0.url = $1.text ?? "" }),
            Column("depth", .int, select: "p.depth", get: { .int(Int64($0.depth)) }, set: { $0.depth = Int($1.int ?? 0) }),
        ])

    /// One transaction per batch. A page recorded again (after a resume) replaces its row;
    /// a link already recorded (same source, target and kind) is kept as it was.
    package func record(run: Int64, pages: [PageRecord], links: [PageLinks], facts: [StoredFacts]) throws {
        try connection.withLock { c in
            try c.transaction {
                if !pages.isEmpty {
                    let insert = try c.statement(Self.insertPage)
                    defer { insert.reset() }
                    for page in pages {
                        insert.reset()
                        try Tables.runURL.bind(insert, from: 1, RunURL(run: run, urlID: try c.urlID(page.url)))
                        try Tables.pages.bind(insert, from: Self.afterKey, page)
                        _ = try insert.step()
                    }
                }
                if !links.isEmpty {
                    // One packed row per source page; a page recorded again replaces its links.
                    let insert = try c.statement(Self.insertLinks)
                    defer { insert.reset() }
                    var data: [UInt8] = []
                    // (target, kind) once per page, keeping the first text.
                    struct Key: Hashable { let to: Int64; let kind: UInt64 }
                    var seen: Set<Key> = []
                    for group in links {
                        if let row = group.storedRow {
                            // A reused page: the earlier run's row as it is (its ids are this store's).
                            insert.reset()
                            try Tables.links.bind(insert, from: 1, LinksRow(run: run, fromID: try c.urlID(group.from), data: row))
                            _ = try insert.step()
                            continue
                        }
                        data.removeAll(keepingCapacity: true)
                        seen.removeAll(keepingCapacity: true)
                        try group.forEach { to, kind, text in
                            let id = try c.urlID(utf8: to)
                            guard seen.insert(Key(to: id, kind: wordHash(kind))).inserted else { return }
                            LinkPack.append(to: id, kind: kind, text: text, to: &data)
                        }
                        insert.reset()
                        try Tables.links.bind(insert, from: 1, LinksRow(run: run, fromID: try c.urlID(group.from), data: data))
                        _ = try insert.step()
                    }
                }
                if !facts.isEmpty {
                    let insert = try c.statement(Self.insertFacts)
                    defer { insert.reset() }
                    for f in facts {
                        insert.reset()
                        try Tables.runURL.bind(insert, from: 1, RunURL(run: run, urlID: try c.urlID(f.url)))
                        try Tables.facts.bind(insert, from: Self.afterKey, f)
                        _ = try insert.step()
                    }
                }
            }
        }
    }

    package func baselinePage(run: Int64, url: String, key: Int64, asOf: Day) throws -> BaselinePage? {
        // One statement for the page, its facts and its links row (a re-sweep asks once a page).
        try reading { c in
            try c.query(Self.baselineSQL, bind: { try Self.baselineAsk.bind($0, from: 1, BaselineAsk(run: run, url: url, key: key, asOf: asOf)) }) {
                let record = try Self.pageRecord($0)
                let factsAt = Self.pageColumnCount, restAt = factsAt + Int32(Tables.facts.columns.count)
                // (No facts row: its columns are NULL, the key first.)
                let facts =
                    $0.isNull(factsAt) ? nil : try Tables.facts.read($0, from: factsAt, into: StoredFacts(url: record.url, key: 0, asOf: nil, data: []))
                return try Self.baselineRest.read($0, from: restAt, into: BaselinePage(record: record, facts: facts, links: PageLinks(from: record.url)))
            }.first
        }
    }

    package func forEachPageFacts(run: Int64, _ body: (_ url: String, _ depth: Int, _ facts: StoredFacts) throws -> Void) throws {
        // In chunks, so a big run's facts are never all in memory and the lock is not held
        // while `body` runs.
        var after: Int64 = -1
        while true {
            let from = after
            let chunk = try connection.withLock { c in
                try c.query(
                    """
                    SELECT \(Self.factsAt.selectList("")), \(Tables.facts.selectList("f")) FROM page_facts f
                    JOIN urls u ON u.id = f.url_id JOIN pages p ON p.run = f.run AND p.url_id = f.url_id
                    WHERE f.run = \(Tables.runURL.parameter("run")) AND f.url_id > \(Tables.runURL.parameter("url_id"))
                    ORDER BY f.url_id LIMIT 512
                    """,
                    bind: { try Tables.runURL.bind($0, from: 1, RunURL(run: run, urlID: from)) }
                ) { s in
                    let at = try Self.factsAt.read(s, from: 0, into: FactsAt())
                    let facts = try Tables.facts.read(
                        s, from: Int32(Self.factsAt.columns.count), into: StoredFacts(url: at.url, key: 0, asOf: nil, data: []))
                    return (at.urlID, at.depth, facts)
                }
            }
            guard let last = chunk.last else { return }
            for (_, depth, facts) in chunk { try body(facts.url, depth, facts) }
            after = last.0
        }
    }

    package func urls(ids: [Int64]) throws -> [Int64: String] {
        try reading { try $0.urls(ids: Set(ids)) }
    }

    package func pages(run: Int64) throws -> [PageRecord] {
        try connection.withLock { c in
            try c.query(
                """
                SELECT \(Self.pageColumns) FROM pages p JOIN urls u ON u.id = p.url_id
                WHERE p.run = ?1 ORDER BY p.url_id
                """, bind: { try $0.bind(1, run) }
            ) { try Self.pageRecord($0) }
        }
    }

    /// The page of `url` in the run, if any.
    package func page(run: Int64, url: String) throws -> PageRecord? {
        try connection.withLock { c in
            guard let id = try c.existingURLID(url) else { return nil }
            return try c.query(
                """
                SELECT \(Self.pageColumns) FROM pages p JOIN urls u ON u.id = p.url_id
                WHERE p.run = \(Tables.runURL.parameter("run")) AND p.url_id = \(Tables.runURL.parameter("url_id"))
                """,
                bind: { try Tables.runURL.bind($0, from: 1, RunURL(run: run, urlID: id)) }
            ) { try Self.pageRecord($0) }.first
        }
    }

    package func links(run: Int64) throws -> [LinkRecord] {
        try connection.withLock { c in
            var raw: [(from: String, to: Int64, kind: String, text: String)] = []
            _ = try c.query(
                """
                SELECT f.url, l.data FROM page_links l JOIN urls f ON f.id = l.from_id WHERE l.run = ?1
                """, bind: { try $0.bind(1, run) }
            ) { s in
                let from = s.text(0)
                LinkPack.forEach(s.blob(1)) { to, rest in
                    let (kind, text) = rest()
                    raw.append((from, to, kind, text))
                }
            }
            let urls = try c.urls(ids: Set(raw.map(\.to)))
            return raw.map { LinkRecord(from: $0.from, to: urls[$0.to] ?? "", kind: LinkPack.kind($0.kind), text: $0.text) }
        }
    }

    package func fetchedURLs(run: Int64) throws -> Set<String> {
        try connection.withLock { c in
            let urls = try c.query(
                """
                SELECT u.url FROM pages p JOIN urls u ON u.id = p.url_id WHERE p.run = ?1
                """, bind: { try $0.bind(1, run) }
            ) { $0.text(0) }
            return Set(urls)
        }
    }

    package func pendingTargets(run: Int64) throws -> [PendingTarget] {
        try connection.withLock { c in
            let fetched = Set(try c.query("SELECT url_id FROM pages WHERE run = ?1", bind: { try $0.bind(1, run) }) { $0.int64(0) })
            // A source without a page of its own counts as depth 0.
            var depth: [Int64: Int] = [:]
            _ = try c.query(
                """
                SELECT COALESCE(src.depth, 0), l.data FROM page_links l
                LEFT JOIN pages src ON src.run = l.run AND src.url_id = l.from_id
                WHERE l.run = ?1
                """, bind: { try $0.bind(1, run) }
            ) { s in
                let d = s.int(0) + 1
                LinkPack.forEach(s.blob(1)) { to, _ in
                    guard !fetched.contains(to) else { return }
                    if let old = depth[to], old <= d { return }
                    depth[to] = d
                }
            }
            let urls = try c.urls(ids: Set(depth.keys))
            return depth.compactMap { id, d in urls[id].map { PendingTarget(url: $0, depth: d) } }
                .sorted { ($0.depth, $0.url) < ($1.depth, $1.url) }
        }
    }

    package func brokenLinkSources(run: Int64) throws -> [LinkTarget] {
        try connection.withLock { c in
            let targets = try c.query(
                """
                SELECT p.url_id, \(Self.pageColumns) FROM pages p JOIN urls u ON u.id = p.url_id
                WHERE p.run = ?1 AND p.class <> 'ok' ORDER BY u.url
                """, bind: { try $0.bind(1, run) }
            ) { ($0.int64(0), try Self.pageRecord($0, from: 1)) }
            guard !targets.isEmpty else { return [] }
            let wanted = Set(targets.map(\.0))
            // One pass over the run's packed links, keeping those that point at a target.
            // A target linked from thousands of pages keeps a sample of them and the count,
            // so memory does not grow with the site's size.
            var sample = SourceSample()
            var pageCounts: [Int64: Int] = [:]
            _ = try c.query(
                """
                SELECT f.url, l.data FROM page_links l JOIN urls f ON f.id = l.from_id WHERE l.run = ?1
                """, bind: { try $0.bind(1, run) }
            ) { s in
                var from: String? = nil
                var counted: Set<Int64> = []
                LinkPack.forEach(s.blob(1)) { to, rest in
                    guard wanted.contains(to) else { return }
                    if counted.insert(to).inserted { pageCounts[to, default: 0] += 1 }
                    if from == nil { from = s.text(0) }
                    sample.offer(to, from: from!) {
                        let (kind, text) = rest()
                        return (LinkPack.kind(kind), text)
                    }
                }
            }
            return targets.map { id, target in
                LinkTarget(page: target, sources: sample.sources(of: id), pageCount: pageCounts[id] ?? 0)
            }
        }
    }
}
