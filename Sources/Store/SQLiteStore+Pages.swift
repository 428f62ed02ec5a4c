import Foundation

extension SQLiteStore {
    /// Columns of `pages` joined with `urls u`, in the order `pageRecord(_:from:)` reads.
    static let pageColumns = """
        u.url, COALESCE(p.final_url, u.url), p.status, p.class, p.reason, p.content_type, p.charset,
        p.bytes, p.seconds, p.title, p.content_hash, p.depth, p.crawled, p.etag, p.last_modified
        """

    static func pageRecord(_ s: Statement, from c: Int32 = 0) -> PageRecord {
        PageRecord(url: s.text(c), finalURL: s.text(c + 1), status: s.int(c + 2), linkClass: s.text(c + 3),
                   reason: s.text(c + 4), contentType: s.optionalText(c + 5), charset: s.optionalText(c + 6),
                   bytes: s.int(c + 7), seconds: s.double(c + 8), title: s.optionalText(c + 9),
                   contentHash: s.optionalText(c + 10), depth: s.int(c + 11), crawled: s.int(c + 12) != 0,
                   etag: s.optionalText(c + 13), lastModified: s.optionalText(c + 14))
    }

    /// One transaction per batch. A page recorded again (after a resume) replaces its row;
    /// a link already recorded (same source, target and kind) is kept as it was.
    public func record(run: Int64, pages: [PageRecord], links: [LinkRecord]) throws {
        try connection.withLock { c in
            try c.transaction {
                if !pages.isEmpty {
                    let insert = try c.statement("""
                        INSERT OR REPLACE INTO pages (run, url_id, final_url, status, class, reason, content_type,
                            charset, bytes, seconds, title, content_hash, depth, crawled, etag, last_modified)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                        """)
                    defer { insert.reset() }
                    for page in pages {
                        insert.reset()
                        try insert.bind(1, run)
                        try insert.bind(2, try c.urlID(page.url))
                        try insert.bind(3, page.finalURL == page.url ? nil : page.finalURL)
                        try insert.bind(4, page.status)
                        try insert.bind(5, page.linkClass)
                        try insert.bind(6, page.reason)
                        try insert.bind(7, page.contentType)
                        try insert.bind(8, page.charset)
                        try insert.bind(9, page.bytes)
                        try insert.bind(10, page.seconds)
                        try insert.bind(11, page.title)
                        try insert.bind(12, page.contentHash)
                        try insert.bind(13, page.depth)
                        try insert.bind(14, page.crawled)
                        try insert.bind(15, page.etag)
                        try insert.bind(16, page.lastModified)
                        _ = try insert.step()
                    }
                }
                if !links.isEmpty {
                    // Intern first, then insert in key order so that the batch touches as few
                    // b-tree pages as possible.
                    var rows: [(from: Int64, to: Int64, index: Int)] = []
                    rows.reserveCapacity(links.count)
                    // Consecutive links mostly share their source page: skip the hash lookup.
                    var lastFrom = "", lastFromID: Int64 = 0
                    try links.withUnsafeBufferPointer { links in
                        for index in links.indices {
                            if index == 0 || links[index].from != lastFrom {
                                lastFrom = links[index].from
                                lastFromID = try c.urlID(lastFrom)
                            }
                            rows.append((lastFromID, try c.urlID(links[index].to), index))
                        }
                    }
                    rows.sort { ($0.from, $0.to, $0.index) < ($1.from, $1.to, $1.index) }
                    let insert = try c.statement("""
                        INSERT OR IGNORE INTO links (run, from_id, to_id, kind, text) VALUES (?1, ?2, ?3, ?4, ?5)
                        """)
                    defer {
                        // Drop the lent pointers, also when a step threw. Binding an empty
                        // string to a reset statement cannot fail.
                        insert.reset()
                        try? insert.bind(4, "")
                        try? insert.bind(5, "")
                    }
                    try insert.bind(1, run)
                    try links.withUnsafeBufferPointer { links in
                        for row in rows {
                            insert.reset()  // bindings survive a reset: run stays bound
                            try insert.bind(2, row.from)
                            try insert.bind(3, row.to)
                            // kind and text are lent, not copied: the step runs while they live.
                            try links[row.index].kind.withCString { kind in
                                try insert.bindBorrowed(4, kind, count: links[row.index].kind.utf8.count)
                                try links[row.index].text.withCString { text in
                                    try insert.bindBorrowed(5, text, count: links[row.index].text.utf8.count)
                                    _ = try insert.step()
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public func pages(run: Int64) throws -> [PageRecord] {
        try connection.withLock { c in
            try c.query("""
                SELECT \(Self.pageColumns) FROM pages p JOIN urls u ON u.id = p.url_id
                WHERE p.run = ?1 ORDER BY p.url_id
                """, bind: { try $0.bind(1, run) }) { Self.pageRecord($0) }
        }
    }

    /// The page of `url` in the run, if any.
    public func page(run: Int64, url: String) throws -> PageRecord? {
        try connection.withLock { c in
            guard let id = try c.existingURLID(url) else { return nil }
            return try c.query("""
                SELECT \(Self.pageColumns) FROM pages p JOIN urls u ON u.id = p.url_id
                WHERE p.run = ?1 AND p.url_id = ?2
                """, bind: { try $0.bind(1, run); try $0.bind(2, id) }) { Self.pageRecord($0) }.first
        }
    }

    public func links(run: Int64) throws -> [LinkRecord] {
        try connection.withLock { c in
            try c.query("""
                SELECT f.url, t.url, l.kind, l.text FROM links l
                JOIN urls f ON f.id = l.from_id JOIN urls t ON t.id = l.to_id
                WHERE l.run = ?1
                """, bind: { try $0.bind(1, run) }) { s in
                LinkRecord(from: s.text(0), to: s.text(1), kind: s.text(2), text: s.text(3))
            }
        }
    }

    public func fetchedURLs(run: Int64) throws -> Set<String> {
        try connection.withLock { c in
            let urls = try c.query("""
                SELECT u.url FROM pages p JOIN urls u ON u.id = p.url_id WHERE p.run = ?1
                """, bind: { try $0.bind(1, run) }) { $0.text(0) }
            return Set(urls)
        }
    }

    public func pendingTargets(run: Int64) throws -> [PendingTarget] {
        try connection.withLock { c in
            // A source without a page of its own (links recorded ahead of their page) counts as depth 0.
            try c.query("""
                SELECT t.url, g.depth FROM (
                    SELECT l.to_id AS id, COALESCE(MIN(src.depth), 0) + 1 AS depth FROM links l
                    LEFT JOIN pages src ON src.run = l.run AND src.url_id = l.from_id
                    WHERE l.run = ?1
                      AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.run = l.run AND p.url_id = l.to_id)
                    GROUP BY l.to_id
                ) g JOIN urls t ON t.id = g.id
                ORDER BY g.depth, t.url
                """, bind: { try $0.bind(1, run) }) { PendingTarget(url: $0.text(0), depth: $0.int(1)) }
        }
    }

    public func brokenLinkSources(run: Int64) throws -> [BrokenLink] {
        try connection.withLock { c in
            let targets = try c.query("""
                SELECT p.url_id, \(Self.pageColumns) FROM pages p JOIN urls u ON u.id = p.url_id
                WHERE p.run = ?1 AND p.class <> 'ok' ORDER BY u.url
                """, bind: { try $0.bind(1, run) }) { ($0.int64(0), Self.pageRecord($0, from: 1)) }
            guard !targets.isEmpty else { return [] }
            // One pass over the run's links (keyed by source), keeping those that point at a target.
            var sources: [Int64: [LinkSource]] = [:]
            _ = try c.query("""
                SELECT l.to_id, f.url, l.kind, l.text FROM links l JOIN urls f ON f.id = l.from_id
                WHERE l.run = ?1 AND l.to_id IN (SELECT url_id FROM pages WHERE run = ?1 AND class <> 'ok')
                """, bind: { try $0.bind(1, run) }) { s in
                sources[s.int64(0), default: []].append(LinkSource(from: s.text(1), kind: s.text(2), text: s.text(3)))
            }
            return targets.map { id, target in
                BrokenLink(target: target, sources: (sources[id] ?? []).sorted {
                    ($0.from, $0.kind, $0.text) < ($1.from, $1.kind, $1.text)
                })
            }
        }
    }
}
