#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
package import Foundation
package import Logging
import PostgresNIO
package import Store
import Synchronization
package import Vocabulary

/// The fleet's store: the capabilities of `RunStore` in a PostgreSQL database that any
/// number of workers share, with the same answers as `SQLiteStore` for the same calls
/// (PGStoreTests runs one scenario through both). The capabilities are synchronous: each
/// call waits on postgres-nio's futures on the calling thread (`PGDatabase`'s blocking
/// path), never on a Swift task.
///
/// Round trips: a batch of pages, their links and facts is one statement (the URL ids it
/// lacks one more); the crawl's per-page reads of an earlier run (`baselinePage`, `urls`)
/// are answered from memory once `prepareBaseline` has read that run in a few big reads.
package final class PostgresStore: RunStore {
    package let database: PGDatabase
    let logger: Logger

    /// URL → id, for the URLs this store has written or read (bounded: cleared when full).
    /// Keyed as SQLiteStore keys its cache, by the `wordHash` of the URL's bytes: a batch's
    /// link targets are looked up from their packed bytes, with no String made for a URL
    /// already known (a String and three lookups a link were 4.4% of a worker's CPU).
    private let urlIDs = Mutex<[UInt64: Int64]>([:])
    /// id → URL of the baselines' pages (`urls(ids:)` during a re-sweep; bounded).
    private let urlStrings = Mutex<[Int64: String]>([:])
    /// The baseline runs' pages by run, read by `prepareBaseline`; each page is handed out
    /// once. Several sweeps may share one store (a worker's concurrent sites): each reads
    /// its own baseline, and the oldest beyond `maxBaselines` is dropped.
    private let baselines = Mutex<[Int64: Baseline]>([:])
    private let preparedCount = Atomic<Int>(0)
    static let maxBaselines = 8

    struct Baseline {
        var run: Int64
        var key: Int64
        var asOf: Day
        /// Order of preparation (the oldest is dropped first).
        var order: Int
        var pages: [String: BaselinePage]
        /// URLs handed out already (asked again, they are read from the server).
        var handedOut: Set<String> = []
    }

    static let urlCacheLimit = 262_144

    /// How many baseline pages were answered from memory (tests).
    package var baselinePagesHandedOut: Int { handedOut.load(ordering: .relaxed) }
    private let handedOut = Atomic<Int>(0)

    /// Where the run locks' connections go once released, for the next locks (nil: closed).
    let lockConnections: LockConnections?

    /// The links rows this store wrote for the runs it created, as target ids by source page
    /// (8 bytes a link, no kind or text), so that `brokenLinkSources` reads back only the rows
    /// of the broken targets' samples: reading every row of the run (about 720 KB a site of
    /// 300 pages) was most of a fleet worker's event-loop time. A run this store did not
    /// create (a resume, another worker's run) has none, nor one whose write failed: those
    /// read every row, as before. Dropped once read, at the run's end, and beyond `maxBaselines`.
    private let writtenLinks = Mutex<[Int64: WrittenLinks]>([:])

    struct WrittenLinks {
        /// Order of creation (the oldest is dropped first).
        var order: Int
        /// Source page id → its URL and its links' target ids (a target twice under two kinds).
        var sources: [Int64: (url: String, targets: [Int64])] = [:]
        /// The ids of the pages written.
        var pages: Set<Int64> = []
    }

    /// Opens the store and brings its schema (component "store") up to date; `migrate: false`
    /// for a database this process has migrated already (a worker's next sweep).
    /// `lockConnections`: released run locks leave their connections there, and new locks
    /// take them from there (a worker's sweeps share one).
    package init(database: PGDatabase, migrate: Bool = true, lockConnections: LockConnections? = nil) throws {
        self.database = database
        self.logger = database.logger
        self.lockConnections = lockConnections
        if migrate { try database.migrate(PGSchema.migrations) }
    }

    /// Opens `url` (`postgres://user@host[:port]/db`).
    package convenience init(url: String, logger: Logger = Logger(label: "govsweep.postgres")) throws {
        try self.init(database: PGDatabase(url: url, logger: logger))
    }

    var name: String { "\(database.location)" }

    /// Closes the store: its connections, and its run locks' (the server drops a session's
    /// locks with it, so another run may take them); every later call fails and no lock is
    /// taken again. Without waiting on the server (a fleet worker drops a stalled sweep's
    /// attempt with it).
    package func close() {
        database.close()
        for lock in locks.withLock({ held in
            defer { held = [:] }; return Array(held.values)
        }) { lock.drop() }
    }

    private func read(_ query: PostgresQuery) throws -> [PostgresRow] {
        try database.withConnectionBlocking { try $0.run(query, logger: logger).rows }
    }

    /// A read of the statements a sweep runs every time (`StoreStatement`): prepared.
    private func read<Text: StoreSQL>(_ text: Text.Type, _ binds: any PostgresDynamicTypeEncodable...) throws -> [PostgresRow] {
        let statement = StoreStatement<Text>(binds: binds)
        return try database.withConnectionBlocking { try $0.runPrepared(statement, logger: logger) }
    }

    /// The texts of the statements `read(_:_:)` prepares.
    enum SQL {
        enum UnfinishedRun: StoreSQL {
            // As SQLiteStore: an unfinished run older than a finished one of the same sites is stale.
            static let sql = """
                SELECT \(runColumns) FROM runs
                WHERE sites = $1 AND status <> 'done'
                  AND id > COALESCE((SELECT max(id) FROM runs WHERE sites = $1 AND status = 'done'), 0)
                ORDER BY id DESC LIMIT 1
                """
        }
        enum PreviousRun: StoreSQL {
            static let sql = "SELECT \(runColumns) FROM runs WHERE sites = $1 AND status = 'done' AND id < $2 ORDER BY id DESC LIMIT 1"
        }
        enum Run: StoreSQL { static let sql = "SELECT \(runColumns) FROM runs WHERE id = $1" }
        enum RunsOfSites: StoreSQL { static let sql = "SELECT \(runColumns) FROM runs WHERE sites = $1 ORDER BY id DESC" }
        enum BrokenTargets: StoreSQL {
            static let sql = """
                SELECT p.url_id, \(pageColumns) FROM pages p JOIN urls u ON u.id = p.url_id
                WHERE p.run = $1 AND p.class <> 'ok' ORDER BY u.url COLLATE "C"
                """
        }
        enum SourceRows: StoreSQL { static let sql = "SELECT from_id, data FROM page_links WHERE run = $1 AND from_id = ANY($2::int8[])" }
        enum DeleteFindings: StoreSQL { static let sql = "DELETE FROM findings WHERE run = $1" }
        enum FirstSeen: StoreSQL { static let sql = "SELECT id, first_seen FROM findings WHERE run = $1 ORDER BY seq" }
        enum Probes: StoreSQL {
            static let sql = "SELECT id, \(Tables.probes.names) FROM probes WHERE url = $1 AND at >= $2 ORDER BY at, id"
        }
    }

    /// A write, once the run locks are held (`keepLocks`).
    @discardableResult
    private func write(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try keepLocks()
        return try database.withConnectionBlocking { try $0.run(query, logger: logger) }
    }

    // MARK: RunRecords

    private static let runColumns = "id, " + Tables.runs.names
    /// What `finishRun` writes.
    private static let finishedRun = Tables.runs.only([
        "finished_at", "status", "pages_fetched", "pages_failed", "pages_skipped", "score", "verdict",
    ])

    package func createRun(_ run: RunRecord) throws -> Int64 {
        var params = Params()
        let values = try columnErrors { try params.add(run, of: Tables.runs) }
        try keepLocks()
        let rows = try read(params.query("INSERT INTO runs (\(Tables.runs.names)) VALUES (\(values)) RETURNING id"))
        guard let id = try rows.first?.decode(Int64.self) else { throw PGStoreError(.query, "\(name): no run id returned") }
        let order = preparedCount.add(1, ordering: .relaxed).newValue
        writtenLinks.withLock { all in
            all[id] = WrittenLinks(order: order)
            while all.count > Self.maxBaselines, let oldest = all.min(by: { $0.value.order < $1.value.order }) {
                all[oldest.key] = nil
            }
        }
        return id
    }

    package func unfinishedRun(sites: [String]) throws -> RunRecord? {
        try readRuns(read(SQL.UnfinishedRun.self, try Self.json(sites))).first
    }

    package func previousRun(sites: [String], before: Int64) throws -> RunRecord? {
        try readRuns(read(SQL.PreviousRun.self, try Self.json(sites), before)).first
    }

    package func run(id: Int64) throws -> RunRecord? {
        try readRuns(read(SQL.Run.self, id)).first
    }

    package func runs() throws -> [RunRecord] {
        try readRuns("SELECT \(unescaped: Self.runColumns) FROM runs ORDER BY id DESC")
    }

    package func runs(sites: [String]) throws -> [RunRecord] {
        try readRuns(read(SQL.RunsOfSites.self, try Self.json(sites)))
    }

    package func finishRun(_ run: RunRecord) throws {
        var run = run
        run.finishedAt = run.finishedAt ?? ChinaTime.timestamp(Date())
        var params = Params()
        let id = params.add(run.id)
        let set = try columnErrors {
            try Self.finishedRun.columns.map { "\($0.name) = \(params.add(try $0.get(run), $0.kind))" }.joined(separator: ", ")
        }
        writtenLinks.withLock { $0[run.id] = nil }
        let result = try write(params.query("UPDATE runs SET \(set) WHERE id = \(id)"))
        if result.metadata.rows == 0 { throw PGStoreError(.query, "\(name): no run with id \(run.id)") }
    }

    private func readRuns(_ query: PostgresQuery) throws -> [RunRecord] { try readRuns(read(query)) }

    private func readRuns(_ rows: [PostgresRow]) throws -> [RunRecord] {
        try rows.map { row in
            var r = Cells(row)
            var blank = Tables.blankRun
            blank.id = try r.next()
            return try columnErrors { try Tables.runs.read(&r, into: blank) }
        }
    }

    /// A value that does not fit its column, as this store's error.
    func columnErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ColumnError { throw PGStoreError(.query, "\(name): \(e.description)") }
    }

    /// The whole store's lock (`acquireRunLock(sites:)` is the one sweeps take).
    package func acquireRunLock() throws -> RunLock {
        try advisoryLock(name: "govsweep_store", what: "store \(name) is in use by another govsweep run")
    }

    /// A session advisory lock keyed by the sites: two sweeps of the same sites wait for
    /// each other's end, sweeps of other sites go on side by side (a fleet shares the store).
    /// Held by a connection of its own; the server drops it when that connection ends (a
    /// worker killed, or the server restarted).
    package func acquireRunLock(sites: [String]) throws -> RunLock {
        try advisoryLock(
            name: "govsweep_sites " + Self.json(sites),
            what: "\(sites.joined(separator: " ")) is being swept into \(name) by another govsweep run")
    }

    private func advisoryLock(name lockName: String, what: String) throws -> RunLock {
        let lock = AdvisoryLock(key: PGDatabase.lockKey(lockName), what: what, spares: lockConnections)
        try lock.take(database, logger: logger)
        let id = ObjectIdentifier(lock)
        locks.withLock { $0[id] = lock }
        return RunLock(name: lockName) { [weak self, logger] in
            self?.locks.withLock { $0[id] = nil }
            lock.release(logger: logger)
        }
    }

    /// The session advisory locks this store's runs hold.
    private let locks = Mutex<[ObjectIdentifier: AdvisoryLock]>([:])

    /// Before a write: a lock whose connection a database restart cut is taken again, on a new
    /// connection (the server dropped it with the session); when another run took it meanwhile,
    /// the write fails with `.busy` and the run ends there, cleanly, rather than two runs
    /// writing the same sites. One check of a flag a lock when nothing was lost.
    func keepLocks() throws {
        for lock in locks.withLock({ Array($0.values) }) where lock.lost {
            logger.warning("the run lock's connection was lost; taking the lock again", metadata: ["lock": "\(lock.key)"])
            try lock.take(database, logger: logger)
        }
    }

    // MARK: PageStore

    /// The ids of `urls`, none of them in the cache, inserting the new ones: one statement
    /// for all (in a transaction of its own, committed at once: workers sharing URLs never
    /// wait on each other's batches), in `urls`' order.
    func insertURLs(_ urls: [String]) throws -> [Int64] {
        guard !urls.isEmpty else { return [] }
        let missing = urls.sorted()  // one order for every worker: concurrent inserts of the same URLs cannot deadlock
        var found: [String: Int64] = [:]
        found.reserveCapacity(missing.count)
        try database.withConnectionBlocking { c in
            // The new URLs come back from the insert; the others (stored before, by this run or
            // another worker) are read by a second statement when there are any. (Read in the
            // same statement, every URL was looked up again after its insert, the new ones too.)
            var params = Params(prepared: true)
            let urls = params.add(missing)
            let rows = try c.runPrepared(
                """
                INSERT INTO urls (url) SELECT u FROM unnest(\(urls)::text[]) AS t(u) ORDER BY u
                ON CONFLICT (url) DO NOTHING RETURNING id::text, url
                """, params.data, logger: logger)
            for row in rows {
                let (id, url) = try Self.idAndURL(row)
                found[url] = id
            }
            // The conflicts: a later statement sees what other workers committed meanwhile
            // (the insert waited for their transactions to end).
            let late = missing.filter { found[$0] == nil }
            if !late.isEmpty {
                var params = Params(prepared: true)
                let urls = params.add(late)
                for row in try c.runPrepared("SELECT id::text, url FROM urls WHERE url = ANY(\(urls)::text[])", params.data, logger: logger) {
                    let (id, url) = try Self.idAndURL(row)
                    found[url] = id
                }
            }
        }
        urlIDs.withLock { cache in
            if cache.count + found.count > Self.urlCacheLimit { cache.removeAll(keepingCapacity: true) }
            for (u, id) in found { cache[wordHash(u)] = id }
        }
        return try urls.map { u in
            guard let id = found[u] else { throw PGStoreError(.query, "\(name): no id for URL \(u)") }
            return id
        }
    }

    /// A `urls` row read by a prepared statement: the id as text (see `runPrepared`).
    static func idAndURL(_ row: PostgresRow) throws -> (Int64, String) {
        let (text, url) = try row.decode((String, String).self)
        guard let id = Int64(text) else { throw PGStoreError(.query, "not a URL id: \(text)") }
        return (id, url)
    }

    /// A batch's URL ids, looked up by their bytes' hash while the cache is held: a URL the
    /// cache lacks gets a placeholder, -1 - its index in `missing`, until `insertURLs` has it
    /// (the store's ids are positive).
    struct URLBatch {
        var missing: [String] = []
        var missingIndex: [UInt64: Int] = [:]

        mutating func id(_ url: UnsafeRawBufferPointer, in cache: [UInt64: Int64]) -> Int64 {
            let h = wordHash(url)
            if let id = cache[h] { return id }
            if let i = missingIndex[h] { return -1 - Int64(i) }
            missingIndex[h] = missing.count
            missing.append(String(decoding: url, as: UTF8.self))
            return -Int64(missing.count)
        }

        mutating func id(_ url: String, in cache: [UInt64: Int64]) -> Int64 {
            withUTF8Bytes(url) { id(UnsafeRawBufferPointer($0), in: cache) }
        }
    }

    /// One statement for the batch: pages, links rows and facts, each replacing what the
    /// run had for the same URL (a page recorded again after a resume), as SQLite's
    /// INSERT OR REPLACE does; a URL twice in one batch keeps its last row.
    package func record(run: Int64, pages: [PageRecord], links: [PageLinks], facts: [StoredFacts]) throws {
        guard !pages.isEmpty || !links.isEmpty || !facts.isEmpty else { return }
        // Every URL's id, or its placeholder: the pages', the facts', the links' sources and
        // their targets (one cache lookup a link, no String for a known URL). The links are
        // walked once: each page keeps a (target, kind) once, with its first text, as
        // SQLiteStore does (a placeholder names one URL as an id does, so the check needs no
        // id yet), and where its kind and text lie in the page's bytes, for its row once the
        // ids are known (walked twice, the links were 1.0% of a fleet worker's CPU).
        var batch = URLBatch()
        var pageURLs: [Int64] = [], factURLs: [Int64] = [], fromURLs: [Int64] = []
        struct Kept { var to: Int64; var kind: Range<Int>; var text: Range<Int> }
        var kept: [Kept] = [], keptEnd: [Int] = []  // each group's kept links end at keptEnd[g]
        pageURLs.reserveCapacity(pages.count)
        factURLs.reserveCapacity(facts.count)
        fromURLs.reserveCapacity(links.count)
        keptEnd.reserveCapacity(links.count)
        kept.reserveCapacity(links.reduce(0) { $0 + ($1.storedRow == nil ? $1.count : 0) })
        struct Key: Hashable { let to: Int64; let kind: UInt64 }
        var seen: Set<Key> = []
        urlIDs.withLock { cache in
            for p in pages { pageURLs.append(batch.id(p.url, in: cache)) }
            for f in facts { factURLs.append(batch.id(f.url, in: cache)) }
            for group in links {
                fromURLs.append(batch.id(group.from, in: cache))
                defer { keptEnd.append(kept.count) }
                guard group.storedRow == nil else { continue }
                seen.removeAll(keepingCapacity: true)
                group.packed.withUnsafeBytes { bytes in
                    guard let base = bytes.baseAddress else { return }
                    func range(_ b: UnsafeRawBufferPointer) -> Range<Int> {
                        guard let start = b.baseAddress, !b.isEmpty else { return 0..<0 }
                        return (start - base)..<(start - base + b.count)
                    }
                    group.forEach { to, kind, text in
                        let id = batch.id(to, in: cache)
                        guard seen.insert(Key(to: id, kind: wordHash(kind))).inserted else { return }
                        kept.append(Kept(to: id, kind: range(kind), text: range(text)))
                    }
                }
            }
        }
        let fresh = try insertURLs(batch.missing)
        func resolved(_ id: Int64) -> Int64 { id > 0 ? id : fresh[Int(-1 - id)] }

        // A URL twice in one batch keeps its last row (as INSERT OR REPLACE would).
        var pageRows = ColumnArrays(Tables.pages)
        var pageIDs: [Int64] = []
        var lastPage: [Int64: Int] = [:]
        for i in pages.indices { lastPage[resolved(pageURLs[i])] = i }
        for (i, page) in pages.enumerated() where lastPage[resolved(pageURLs[i])] == i {
            pageIDs.append(resolved(pageURLs[i]))
            try pageRows.append(page)
        }

        var linkFrom: [Int64] = []
        var linkData: [ByteBuffer] = []
        var linkIndex: [Int64: Int] = [:]
        // For `writtenLinks`, when this store created the run: each row's source and targets.
        let keepTargets = writtenLinks.withLock { $0[run] != nil }
        var linkSources: [(url: String, targets: [Int64])] = []
        var rowTargets: [Int64] = []
        var data: [UInt8] = []
        for (g, group) in links.enumerated() {
            let from = resolved(fromURLs[g])
            let row: [UInt8]
            rowTargets.removeAll(keepingCapacity: true)
            if let stored = group.storedRow {
                // A reused page: the earlier run's row as it is (its ids are this store's).
                row = stored
                if keepTargets { stored.withUnsafeBytes { LinkPack.forEach($0) { to, _ in rowTargets.append(to) } } }
            } else {
                data.removeAll(keepingCapacity: true)
                group.packed.withUnsafeBytes { bytes in
                    for link in kept[(g == 0 ? 0 : keptEnd[g - 1])..<keptEnd[g]] {
                        let id = resolved(link.to)
                        LinkPack.append(
                            to: id, kind: UnsafeRawBufferPointer(rebasing: bytes[link.kind]),
                            text: UnsafeRawBufferPointer(rebasing: bytes[link.text]), to: &data)
                        if keepTargets { rowTargets.append(id) }
                    }
                }
                row = data
            }
            if let i = linkIndex[from] {
                linkData[i] = ByteBuffer(bytes: row)
                if keepTargets { linkSources[i] = (group.from, rowTargets) }
            } else {
                linkIndex[from] = linkFrom.count
                linkFrom.append(from)
                linkData.append(ByteBuffer(bytes: row))
                if keepTargets { linkSources.append((group.from, rowTargets)) }
            }
        }

        // A page's facts go in its row (the crawl hands them over with the page); facts of a
        // page of an earlier batch update its row, and facts of no page are not kept (no read
        // returned them).
        var lastFact: [Int64: Int] = [:]
        for i in facts.indices { lastFact[resolved(factURLs[i])] = i }
        var pageFacts = FactArrays(), laterFacts = FactArrays()
        for id in pageIDs { pageFacts.append(lastFact.removeValue(forKey: id).map { facts[$0] }, id: id) }
        for (id, i) in lastFact.sorted(by: { $0.value < $1.value }) { laterFacts.append(facts[i], id: id) }

        // Rows this store wrote no row for yet, in a run it created (no other writes it: the run
        // lock), go in with plain inserts: the upsert's look-up of each row's key first (its
        // conflict check) was 5% of the server's CPU, and a crawl writes each page once.
        let unwritten = writtenLinks.withLock { all in
            guard let written = all[run] else { return false }
            return !pageIDs.contains { written.pages.contains($0) } && !linkFrom.contains { written.sources[$0] != nil }
        }
        // Data-modifying CTEs: one statement, so one implicit transaction and one round trip;
        // prepared once a connection (the same text every batch: every parameter typed).
        var params = Params(prepared: true)
        let runParam = params.add(run) + "::int8"
        let pageArrays = [params.add(pageIDs) + "::int8[]"] + pageRows.unnestArrays(&params) + pageFacts.arrays(&params)
        let linkArrays = [params.add(linkFrom) + "::int8[]", params.add(linkData) + "::bytea[]"]
        let factArrays = [params.add(laterFacts.ids) + "::int8[]"] + laterFacts.arrays(&params)
        // A page written again without facts keeps those it had (as a facts row of its own did).
        let keptFacts = ["facts_key", "facts_as_of", "facts"].map { "\($0) = CASE WHEN EXCLUDED.facts IS NULL THEN pages.\($0) ELSE EXCLUDED.\($0) END" }
        let sql = """
            WITH page_rows AS (
                INSERT INTO pages (run, url_id, \(Tables.pages.names), facts_key, facts_as_of, facts)
                SELECT \(runParam), t.url_id, \(pageRows.values()), \(FactArrays.values)
                FROM unnest(\(pageArrays.joined(separator: ", ")))
                    AS t(url_id, \(pageRows.unnestNames.joined(separator: ", ")), \(FactArrays.names))
                \(unwritten ? "" : "ON CONFLICT (run, url_id) DO UPDATE SET \(pageRows.replaceAll), \(keptFacts.joined(separator: ", "))")
                RETURNING 1
            ), link_rows AS (
                INSERT INTO page_links (run, from_id, data)
                SELECT \(runParam), t.from_id, t.data FROM unnest(\(linkArrays.joined(separator: ", "))) AS t(from_id, data)
                \(unwritten ? "" : "ON CONFLICT (run, from_id) DO UPDATE SET data = EXCLUDED.data")
                RETURNING 1
            ), fact_rows AS (
                UPDATE pages p SET facts_key = t.f_key, facts_as_of = NULLIF(t.f_as_of, ''), facts = t.f_data
                FROM unnest(\(factArrays.joined(separator: ", "))) AS t(url_id, \(FactArrays.names))
                WHERE p.run = \(runParam) AND p.url_id = t.url_id
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM page_rows), (SELECT count(*) FROM link_rows), (SELECT count(*) FROM fact_rows)
            """
        try keepLocks()
        do {
            try database.withConnectionBlocking { try $0.runPrepared(sql, params.data, logger: logger) }
        } catch {
            // Written or not, the server knows: the run's broken-link sources are read from it.
            writtenLinks.withLock { $0[run] = nil }
            throw error
        }
        guard keepTargets else { return }
        writtenLinks.withLock { all in
            guard all[run] != nil else { return }
            all[run]?.pages.formUnion(pageIDs)
            for (i, from) in linkFrom.enumerated() { all[run]?.sources[from] = linkSources[i] }
        }
    }

    /// Before a re-sweep that reuses run `run`: its pages, their links rows and their facts
    /// (made under `key`, valid on `asOf`) read into memory in a few reads of 2,000 pages,
    /// so the crawl asks the server nothing per page.
    package func prepareBaseline(run: Int64, key: Int64, asOf: Day) throws {
        var pages: [String: BaselinePage] = [:]
        var strings: [Int64: String] = [:]
        var after: Int64 = -1
        while true {
            let rows = try read(
                """
                SELECT \(unescaped: Self.pageColumns), \(unescaped: Self.factsIf(key: key, asOf: asOf)), l.data, u.id FROM pages p
                JOIN urls u ON u.id = p.url_id
                LEFT JOIN page_links l ON l.run = p.run AND l.from_id = p.url_id
                WHERE p.run = \(run) AND p.url_id > \(after) ORDER BY p.url_id LIMIT 2000
                """)
            guard !rows.isEmpty else { break }
            for row in rows {
                let page = try Self.baselineRow(row, key: key)
                pages[page.record.url] = page
                strings[page.urlID] = page.record.url
                after = page.urlID
            }
        }
        let order = preparedCount.add(1, ordering: .relaxed).newValue
        baselines.withLock { all in
            all[run] = Baseline(run: run, key: key, asOf: asOf, order: order, pages: pages)
            while all.count > Self.maxBaselines, let oldest = all.values.min(by: { $0.order < $1.order }) {
                all[oldest.run] = nil
            }
        }
        urlStrings.withLock { known in
            if known.count + strings.count > Self.urlCacheLimit { known.removeAll(keepingCapacity: true) }
            known.merge(strings) { _, new in new }
        }
        urlIDs.withLock { cache in
            if cache.count + strings.count > Self.urlCacheLimit { cache.removeAll(keepingCapacity: true) }
            for (id, url) in strings { cache[wordHash(url)] = id }
        }
    }

    /// Nothing to let go of: a baseline's pages leave memory as the crawl takes them, and
    /// other sweeps sharing this store may still be reading theirs.
    package func endBulkWrites() {}

    /// Columns of `pages p` joined with `urls u`, in the order `pageRecord` reads.
    static let pageColumns = Tables.pageSelect()

    /// The page's facts and their as-of when made under `key` and valid on `asOf`, else NULLs.
    /// (`key` is a number and `asOf` a day: literals, so the text is safe to splice.)
    static func factsIf(key: Int64, asOf: Day) -> String {
        let valid = "p.facts_key = \(key) AND (p.facts_as_of IS NULL OR p.facts_as_of = '\(asOf.description)')"
        return "CASE WHEN \(valid) THEN p.facts END, CASE WHEN \(valid) THEN p.facts_as_of END"
    }

    static func pageRecord(_ r: inout Cells) throws -> PageRecord {
        let url: String = try r.next()
        return try Tables.pages.read(&r, into: Tables.blankPage(url))
    }

    static func baselineRow(_ row: PostgresRow, key: Int64) throws -> BaselinePage {
        var r = Cells(row)
        let record = try pageRecord(&r)
        let facts = try r.bytes()
        let factsAsOf = (try r.next() as String?).flatMap(Day.init(iso:))
        let links = try r.bytes()
        let id: Int64 = try r.next()
        return BaselinePage(
            record: record, facts: facts.map { StoredFacts(url: record.url, key: key, asOf: factsAsOf, data: $0) }, urlID: id,
            links: PageLinks(from: record.url, storedRow: links ?? []))
    }

    package func baselinePage(run: Int64, url: String, key: Int64, asOf: Day) throws -> BaselinePage? {
        enum Answer { case page(BaselinePage), absent, ask }
        let warm = baselines.withLock { all -> Answer in
            guard var prepared = all[run], prepared.key == key, prepared.asOf == asOf else { return .ask }
            all[run] = nil  // (no copy of the dictionary while it is changed)
            defer { all[run] = prepared }
            // Each page is asked for once: handed out, its memory goes with it.
            if let page = prepared.pages.removeValue(forKey: url) {
                prepared.handedOut.insert(url)
                return .page(page)
            }
            return prepared.handedOut.contains(url) ? .ask : .absent
        }
        switch warm {
        case .page(let page):
            handedOut.add(1, ordering: .relaxed)
            return page
        case .absent: return nil
        case .ask: break
        }
        // Not prepared for this run, or asked again: one read.
        return try read(
            """
            SELECT \(unescaped: Self.pageColumns), \(unescaped: Self.factsIf(key: key, asOf: asOf)), l.data, u.id FROM urls u
            JOIN pages p ON p.run = \(run) AND p.url_id = u.id
            LEFT JOIN page_links l ON l.run = p.run AND l.from_id = p.url_id
            WHERE u.url = \(url)
            """
        ).first.map { try Self.baselineRow($0, key: key) }
    }

    package func urls(ids: [Int64]) throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        var missing: [Int64] = []
        urlStrings.withLock { known in
            for id in ids {
                if let s = known[id] { out[id] = s } else { missing.append(id) }
            }
        }
        guard !missing.isEmpty else { return out }
        for row in try read("SELECT id, url FROM urls WHERE id = ANY(\(Array(Set(missing)))::bigint[])") {
            let (id, url) = try row.decode((Int64, String).self)
            out[id] = url
        }
        return out
    }

    package func forEachPageFacts(run: Int64, _ body: (_ url: String, _ depth: Int, _ facts: StoredFacts) throws -> Void) throws {
        // In chunks, so a big run's facts are never all in memory.
        var after: Int64 = -1
        while true {
            let rows = try read(
                """
                SELECT p.url_id, u.url, p.depth, p.facts_key, p.facts_as_of, p.facts FROM pages p
                JOIN urls u ON u.id = p.url_id
                WHERE p.run = \(run) AND p.facts IS NOT NULL AND p.url_id > \(after) ORDER BY p.url_id LIMIT 512
                """)
            guard !rows.isEmpty else { return }
            for row in rows {
                var r = Cells(row)
                let id: Int64 = try r.next(), url: String = try r.next(), depth: Int = try r.next()
                let facts = try Tables.facts.read(&r, into: StoredFacts(url: url, key: 0, asOf: nil, data: []))
                after = id
                try body(url, depth, facts)
            }
        }
    }

    package func pages(run: Int64) throws -> [PageRecord] {
        try read(
            """
            SELECT \(unescaped: Self.pageColumns) FROM pages p JOIN urls u ON u.id = p.url_id
            WHERE p.run = \(run) ORDER BY p.url_id
            """
        ).map { row in
            var r = Cells(row)
            return try Self.pageRecord(&r)
        }
    }

    package func fetchedURLs(run: Int64) throws -> Set<String> {
        Set(try read("SELECT u.url FROM pages p JOIN urls u ON u.id = p.url_id WHERE p.run = \(run)").map { try $0.decode(String.self) })
    }

    // MARK: LinkStore

    /// Calls `body` with each of the run's links rows, its source URL and depth (nil: no page
    /// of its own), reading 1,000 rows at a time: a big run's rows are never all in memory
    /// (read whole, the 20,000-page benchmark site's peaked at 205 MB against SQLite's 94).
    private func forEachLinkRow(run: Int64, _ body: (_ from: String, _ depth: Int?, _ data: [UInt8]) throws -> Void) throws {
        var after: Int64 = -1
        while true {
            let rows = try read(
                """
                SELECT l.from_id, f.url, src.depth, l.data FROM page_links l JOIN urls f ON f.id = l.from_id
                LEFT JOIN pages src ON src.run = l.run AND src.url_id = l.from_id
                WHERE l.run = \(run) AND l.from_id > \(after) ORDER BY l.from_id LIMIT 1000
                """)
            guard !rows.isEmpty else { return }
            for row in rows {
                var r = Cells(row)
                after = try r.next()
                let from: String = try r.next()
                let depth: Int? = try r.next()
                try body(from, depth, try r.bytes() ?? [])
            }
        }
    }

    package func links(run: Int64) throws -> [LinkRecord] {
        var raw: [(from: String, to: Int64, kind: String, text: String)] = []
        try forEachLinkRow(run: run) { from, _, row in
            row.withUnsafeBytes { data in
                LinkPack.forEach(data) { to, rest in
                    let (kind, text) = rest()
                    raw.append((from, to, kind, text))
                }
            }
        }
        let urls = try urls(ids: Array(Set(raw.map(\.to))))
        return raw.map { LinkRecord(from: $0.from, to: urls[$0.to] ?? "", kind: LinkPack.kind($0.kind), text: $0.text) }
    }

    package func pendingTargets(run: Int64) throws -> [PendingTarget] {
        let fetched = Set(try read("SELECT url_id FROM pages WHERE run = \(run)").map { try $0.decode(Int64.self) })
        var depth: [Int64: Int] = [:]
        try forEachLinkRow(run: run) { _, sourceDepth, row in
            // A source without a page of its own counts as depth 0.
            let d = (sourceDepth ?? 0) + 1
            row.withUnsafeBytes { data in
                LinkPack.forEach(data) { to, _ in
                    guard !fetched.contains(to) else { return }
                    if let old = depth[to], old <= d { return }
                    depth[to] = d
                }
            }
        }
        let urls = try urls(ids: Array(depth.keys))
        return depth.compactMap { id, d in urls[id].map { PendingTarget(url: $0, depth: d) } }
            .sorted { ($0.depth, $0.url) < ($1.depth, $1.url) }
    }

    package func brokenLinkSources(run: Int64) throws -> [LinkTarget] {
        let targets = try read(SQL.BrokenTargets.self, run).map { row in
            var r = Cells(row)
            let id: Int64 = try r.next()
            return (id, try Self.pageRecord(&r))
        }
        let written = writtenLinks.withLock { $0.removeValue(forKey: run) }
        guard !targets.isEmpty else { return [] }
        let wanted = Set(targets.map(\.0))
        if let written { return try brokenLinkSources(run: run, targets: targets, wanted: wanted, written: written) }
        // One pass over the run's packed links, keeping those that point at a target, with the
        // first sources by URL (`SourceSample`, as SQLiteStore: the same sample whatever order
        // the links were stored in, by whichever worker) and the count per target.
        var sample = SourceSample()
        var pageCounts: [Int64: Int] = [:]
        var after: Int64 = -1
        while true {
            let rows = try read(
                """
                SELECT l.from_id, f.url, l.data FROM page_links l JOIN urls f ON f.id = l.from_id
                WHERE l.run = \(run) AND l.from_id > \(after) ORDER BY l.from_id LIMIT 1000
                """)
            guard !rows.isEmpty else { break }
            for row in rows {
                var r = Cells(row)
                let fromID: Int64 = try r.next()
                let from: String = try r.next()
                after = fromID
                var counted: Set<Int64> = []
                (try r.bytes() ?? []).withUnsafeBytes { data in
                    LinkPack.forEach(data) { to, rest in
                        guard wanted.contains(to) else { return }
                        if counted.insert(to).inserted { pageCounts[to, default: 0] += 1 }
                        sample.offer(to, from: from) {
                            let (kind, text) = rest()
                            return (LinkPack.kind(kind), text)
                        }
                    }
                }
            }
        }
        return targets.map { id, target in
            LinkTarget(page: target, sources: sample.sources(of: id), pageCount: pageCounts[id] ?? 0)
        }
    }

    /// `brokenLinkSources` of a run whose links rows this store wrote: the count of pages
    /// linking to each target from memory, and only the rows of the pages that may enter
    /// its sample read back (the `maxSources` smallest source URLs: the sample's entries,
    /// ordered by source URL first, come from those pages), at most `maxSources` a target.
    private func brokenLinkSources(
        run: Int64, targets: [(Int64, PageRecord)], wanted: Set<Int64>, written: WrittenLinks
    ) throws -> [LinkTarget] {
        var pageCounts: [Int64: Int] = [:]
        var smallest: [Int64: [String]] = [:]  // by target, sorted
        var sourceIDs: [String: Int64] = [:]
        var counted: [Int64] = []
        // Few targets are broken: a scan of their ids beats hashing each link (the Set's
        // hashing was 0.4% of a fleet worker's CPU).
        let few = wanted.count <= 16 ? Array(wanted) : nil
        for (fromID, source) in written.sources {
            counted.removeAll(keepingCapacity: true)
            for to in source.targets where (few?.contains(to) ?? wanted.contains(to)) && !counted.contains(to) {
                counted.append(to)  // (a page links to few broken targets: a short list)
                pageCounts[to, default: 0] += 1
                var list = smallest.removeValue(forKey: to) ?? []
                defer { smallest[to] = list }
                if list.count >= LinkTarget.maxSources, let last = list.last, source.url > last { continue }
                var lo = 0, hi = list.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if list[mid] < source.url { lo = mid + 1 } else { hi = mid }
                }
                list.insert(source.url, at: lo)
                if list.count > LinkTarget.maxSources { list.removeLast() }
                sourceIDs[source.url] = fromID
            }
        }
        var wantedRows = Set<Int64>()
        for list in smallest.values { for url in list { if let id = sourceIDs[url] { wantedRows.insert(id) } } }
        var urlOf: [Int64: String] = [:]
        for id in wantedRows { urlOf[id] = written.sources[id]?.url }
        var sample = SourceSample()
        if !wantedRows.isEmpty {
            let rows = try read(SQL.SourceRows.self, run, Array(wantedRows))
            for row in rows {
                var r = Cells(row)
                let fromID: Int64 = try r.next()
                guard let from = urlOf[fromID] else { continue }
                (try r.bytes() ?? []).withUnsafeBytes { data in
                    LinkPack.forEach(data) { to, rest in
                        guard wanted.contains(to) else { return }
                        sample.offer(to, from: from) {
                            let (kind, text) = rest()
                            return (LinkPack.kind(kind), text)
                        }
                    }
                }
            }
        }
        return targets.map { id, target in
            LinkTarget(page: target, sources: sample.sources(of: id), pageCount: pageCounts[id] ?? 0)
        }
    }

    // MARK: FindingStore

    /// Replaces the run's findings in one transaction (one multi-row insert), each with its
    /// first-seen date: the previous finished run's (same sites) when it had the same id,
    /// else this run's as-of.
    package func saveFindings(run: Int64, _ findings: [Finding]) throws {
        guard let record = try self.run(id: run) else { throw PGStoreError(.query, "\(name): no run with id \(run)") }
        let previous = try previousRun(sites: record.sites, before: run)?.id ?? 0
        var rows = ColumnArrays(Tables.findings)
        for f in findings { try columnErrors { try rows.append(f) } }
        let ids = findings.map(\.id)
        try keepLocks()
        try database.transactionBlocking { c in
            var earlier: [String: String] = [:]
            if previous > 0 {
                for row in try c.runPrepared(StoreStatement<SQL.FirstSeen>(previous), logger: logger) {
                    let (id, date) = try row.decode((String, String).self)
                    if earlier[id] == nil { earlier[id] = date }
                }
            }
            _ = try c.runPrepared(StoreStatement<SQL.DeleteFindings>(run), logger: logger)
            guard !ids.isEmpty else { return }
            // Prepared once a connection, as the batch writes (the same text every sweep: every
            // parameter typed).
            var params = Params(prepared: true)
            let runParam = params.add(run) + "::int8"
            let arrays =
                [params.add(ids.indices.map { Int32($0) }) + "::int4[]"] + rows.unnestArrays(&params)
                + [params.add(ids.map { earlier[$0] ?? record.asOf.description }) + "::text[]"]
            try c.runPrepared(
                """
                INSERT INTO findings (run, seq, \(Tables.findings.names), first_seen)
                SELECT \(runParam), t.seq, \(rows.values()), t.first_seen
                FROM unnest(\(arrays.joined(separator: ", "))) AS t(seq, \(rows.unnestNames.joined(separator: ", ")), first_seen)
                """, params.data, logger: logger)
        }
    }

    package func findings(run: Int64, where keep: (String) -> Bool) throws -> [Finding] {
        let table = Tables.findings
        var out: [Finding] = []
        for row in try read("SELECT \(unescaped: table.names) FROM findings WHERE run = \(run) ORDER BY seq") {
            var r = Cells(row)
            var cells: [Cell] = []
            for c in table.columns { cells.append(try r.cell(c.kind, nullable: c.nullable)) }
            // Decoding the evidence is the cost: only for the findings asked for (`id` comes first).
            guard keep(cells[0].text ?? "") else { continue }
            do {
                out.append(try table.read(into: Tables.blankFinding) { i, _, _ in cells[i] })
            } catch let e as ColumnError {
                throw PGStoreError(.query, "\(name): run \(run): \(e.description)")
            }
        }
        return out
    }

    package func firstSeen(run: Int64) throws -> [String: String] {
        let rows = try read("SELECT id, first_seen FROM findings WHERE run = \(run)").map { try $0.decode((String, String).self) }
        return Dictionary(rows, uniquingKeysWith: { a, b in min(a, b) })
    }

    package func findingCounts(run: Int64) throws -> [Severity: Int] {
        var out: [Severity: Int] = [:]
        for row in try read("SELECT severity, count(*) FROM findings WHERE run = \(run) GROUP BY severity") {
            let (name, n) = try row.decode((String, Int).self)
            if let s = Severity(rawValue: name) { out[s] = n }
        }
        return out
    }

    // MARK: ProbeStore

    @discardableResult
    package func recordProbe(_ probe: ProbeRecord) throws -> Int64 {
        var params = Params()
        let values = try params.add(probe, of: Tables.probes)
        let rows = try read(params.query("INSERT INTO probes (\(Tables.probes.names)) VALUES (\(values)) RETURNING id"))
        guard let id = try rows.first?.decode(Int64.self) else { throw PGStoreError(.query, "\(name): no probe id returned") }
        return id
    }

    package func probes(url: String, since: Date) throws -> [ProbeRecord] {
        try read(SQL.Probes.self, url, since.timeIntervalSince1970).map { row in
            var r = Cells(row)
            var blank = Tables.blankProbe
            blank.id = try r.next()
            return try Tables.probes.read(&r, into: blank)
        }
    }

    // MARK: JSON

    static func json<T: Encodable>(_ value: T) throws -> String { try StoreJSON.encode(value) }
}

/// Facts for the `facts_key`, `facts_as_of` and `facts` columns of `pages`, one array a
/// column for `unnest` (as `ColumnArrays`): a row without facts has `f_has` false, and an
/// as-of of none is the empty text (a day never is).
struct FactArrays {
    var ids: [Int64] = []
    var keys: [Int64] = []
    var asOfs: [String] = []
    var data: [ByteBuffer] = []
    var has: [Bool] = []

    mutating func append(_ facts: StoredFacts?, id: Int64) {
        ids.append(id)
        keys.append(facts?.key ?? 0)
        asOfs.append(facts?.asOf?.description ?? "")
        data.append(ByteBuffer(bytes: facts?.data ?? []))
        has.append(facts != nil)
    }

    func arrays(_ params: inout Params) -> [String] {
        [params.add(keys) + "::int8[]", params.add(asOfs) + "::text[]", params.add(data) + "::bytea[]", params.add(has) + "::bool[]"]
    }

    /// The names `arrays` take in an `unnest`, and the values for the three columns.
    static let names = "f_key, f_as_of, f_data, f_has"
    static let values = "CASE WHEN t.f_has THEN t.f_key END, CASE WHEN t.f_has THEN NULLIF(t.f_as_of, '') END, CASE WHEN t.f_has THEN t.f_data END"
}

/// A row's cells read in order.
struct Cells {
    let row: PostgresRandomAccessRow
    var i = 0
    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    mutating func next<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        defer { i += 1 }
        return try row[i].decode(T.self)
    }

    /// A bytea cell's bytes; nil for NULL.
    mutating func bytes() throws -> [UInt8]? {
        guard let b: ByteBuffer = try next(ByteBuffer?.self) else { return nil }
        return Array(b.readableBytesView)
    }
}

/// Connections of released run locks, each holding no lock any more, for the next locks
/// of the same process: a worker's sweeps one after another (a new connection a lock started
/// a server backend a site, about 5 ms of the server's CPU).
package final class LockConnections: Sendable {
    private let idle = Mutex<[PostgresConnection]>([])
    private let limit: Int

    /// Keeps up to `limit` connections (a worker: the sites it sweeps at once).
    package init(limit: Int) { self.limit = max(1, limit) }

    /// An open connection, if one is kept.
    func take() -> PostgresConnection? {
        idle.withLock { idle in
            while let c = idle.popLast() {
                if !c.isClosed { return c }
            }
            return nil
        }
    }

    /// Keeps `c`; false when it is closed or enough are kept (the caller closes it).
    func keep(_ c: PostgresConnection) -> Bool {
        idle.withLock { idle in
            guard !c.isClosed, idle.count < limit else { return false }
            idle.append(c)
            return true
        }
    }

    /// Closes the kept connections.
    package func close() {
        for c in idle.withLock({ idle in
            defer { idle = [] }
            return idle
        }) { c.closeSoon() }
    }

    deinit { close() }
}

/// A session advisory lock on a connection of its own, taken again on a new one when a
/// database restart closed the first (the server forgets a session's locks with it).
final class AdvisoryLock: Sendable {
    let key: Int64
    /// The busy error's text.
    let what: String
    /// Where the connection goes once the lock is released (nil: closed).
    let spares: LockConnections?
    private let connection = Mutex<PostgresConnection?>(nil)

    init(key: Int64, what: String, spares: LockConnections? = nil) { self.key = key; self.what = what; self.spares = spares }

    /// The connection holding the lock went away (nil before `take`, and after `release`).
    var lost: Bool { connection.withLock { $0?.isClosed ?? false } }

    /// Takes the lock on a kept connection, else a new one; `.busy` when another session holds it.
    func take(_ database: PGDatabase, logger: Logger) throws {
        var held: PostgresConnection?
        var taken = false
        if let spare = spares?.take() {
            do {
                taken = try tryLock(spare, logger: logger)
                held = spare
            } catch {
                spare.closeSoon()  // the server dropped it meanwhile: a new one
            }
        }
        if held == nil {
            let fresh = try database.dedicatedConnectionBlocking()
            do {
                taken = try tryLock(fresh, logger: logger)
            } catch {
                fresh.closeSoon()
                throw database.describe(error)
            }
            held = fresh
        }
        guard let c = held else { return }
        guard taken else {
            if spares?.keep(c) != true { c.closeSoon() }
            throw PGStoreError(.busy, what)
        }
        let old = connection.withLock { held in
            defer { held = c }
            return held
        }
        old?.closeSoon()
    }

    /// Ends the lock's session without a word to the server (the store is being closed).
    func drop() {
        connection.withLock { held in
            defer { held = nil }; return held
        }?.closeSoon()
    }

    func release(logger: Logger) {
        guard
            let c = connection.withLock({ held in
                defer { held = nil }; return held
            })
        else { return }
        // Closing the session releases the lock; unlock first so a pooled server-side
        // session (pgbouncer) does not keep it. Unlocked, the session holds nothing: it may
        // serve the next lock.
        // (Not on a connection a database restart cut: the query's future never completed,
        // and the worker hung in the sweep's end.)
        if !c.isClosed {
            let unlocked = try? c.run("SELECT pg_advisory_unlock(\(key))", logger: logger).rows.first?.decode(Bool.self)
            if unlocked == true, spares?.keep(c) == true { return }
        }
        c.closeSoon()
    }

    private func tryLock(_ c: PostgresConnection, logger: Logger) throws -> Bool {
        try c.run("SELECT pg_try_advisory_lock(\(key))", logger: logger).rows.first?.decode(Bool.self) ?? false
    }
}
#endif
