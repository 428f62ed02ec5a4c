package import Foundation
package import Vocabulary

/// One sweep as stored.
package struct RunRecord: Sendable, Equatable {
    package var id: Int64
    package var sites: [String]
    /// The inspection date.
    package var asOf: Day
    /// The options the run was started with, as JSON text.
    package var options: String
    /// ISO 8601 with offset.
    package var startedAt: String
    package var finishedAt: String?
    package var status: RunStatus
    package var pagesFetched: Int
    package var pagesFailed: Int
    package var pagesSkipped: Int
    package var score: Double?
    package var verdict: Verdict?

    package init(
        id: Int64 = 0, sites: [String], asOf: Day, options: String = "{}", startedAt: String,
        finishedAt: String? = nil, status: RunStatus = .running, pagesFetched: Int = 0, pagesFailed: Int = 0,
        pagesSkipped: Int = 0, score: Double? = nil, verdict: Verdict? = nil
    ) {
        self.id = id; self.sites = sites; self.asOf = asOf; self.options = options; self.startedAt = startedAt
        self.finishedAt = finishedAt; self.status = status; self.pagesFetched = pagesFetched
        self.pagesFailed = pagesFailed; self.pagesSkipped = pagesSkipped; self.score = score; self.verdict = verdict
    }
}

/// One fetched or checked URL of a run.
package struct PageRecord: Sendable, Equatable {
    package var url: String
    package var finalURL: String
    package var status: Int
    package var linkClass: LinkClass
    package var reason: FetchReason
    package var contentType: String?
    package var charset: String?
    package var bytes: Int
    package var seconds: Double
    package var title: String?
    /// 64-bit hash of the body, hex; nil when the body was not read.
    package var contentHash: String?
    /// Link depth from the start URLs.
    package var depth: Int
    /// true: fetched and parsed as a page of the site; false: only checked (external or non-HTML).
    package var crawled: Bool
    package var etag: String?
    package var lastModified: String?

    package init(
        url: String, finalURL: String, status: Int, linkClass: LinkClass, reason: FetchReason, contentType: String? = nil,
        charset: String? = nil, bytes: Int = 0, seconds: Double = 0, title: String? = nil,
        contentHash: String? = nil, depth: Int = 0, crawled: Bool = true, etag: String? = nil,
        lastModified: String? = nil
    ) {
        self.url = url; self.finalURL = finalURL; self.status = status; self.linkClass = linkClass; self.reason = reason
        self.contentType = contentType; self.charset = charset; self.bytes = bytes; self.seconds = seconds
        self.title = title; self.contentHash = contentHash; self.depth = depth; self.crawled = crawled
        self.etag = etag; self.lastModified = lastModified
    }
}

/// One link found on a page.
package struct LinkRecord: Sendable, Equatable {
    package var from: String
    package var to: String
    package var kind: LinkKind
    package var text: String
    package init(from: String, to: String, kind: LinkKind, text: String) {
        self.from = from; self.to = to; self.kind = kind; self.text = text
    }
}

/// The links found on one page, packed by the page's own task into one buffer (target,
/// kind and text of each, length-prefixed UTF-8): the store's thread then neither
/// retains nor frees four strings per link, and no string crosses threads per link.
package struct PageLinks: Sendable, Equatable {
    package var from: String
    package private(set) var packed: [UInt8] = []
    package private(set) var count = 0

    /// The row an earlier run stored for this page (target ids, not URLs): written as it is.
    package private(set) var storedRow: [UInt8]?

    package init(from: String) { self.from = from }

    /// A page's links as an earlier run stored them (target ids, not URLs): what a re-sweep
    /// reads of a baseline page, and writes unchanged when it reuses the page.
    package init(from: String, storedRow: [UInt8]) {
        self.from = from
        self.storedRow = storedRow
        self.count = storedRow.isEmpty ? 0 : 1
    }

    /// The stored row's targets (url ids) and kinds; none for links not read from a store.
    package var storedTargets: [(to: Int64, kind: LinkKind)] {
        var out: [(to: Int64, kind: LinkKind)] = []
        storedRow?.withUnsafeBytes { LinkPack.forEachTarget($0) { to, kind in out.append((to, LinkKind(rawValue: kind) ?? .a)) } }
        return out
    }

    package mutating func append(to: String, kind: LinkKind, text: String) {
        if packed.isEmpty { packed.reserveCapacity(96 * 64) }
        LinkPack.bytes(to, &packed)
        LinkPack.bytes(kind.rawValue, &packed)
        LinkPack.bytes(text, &packed)
        count += 1
    }

    /// Each link's target, kind and text as borrowed UTF-8.
    package func forEach(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try packed.withUnsafeBytes { data in
            var i = 0
            while i < data.count {
                guard let to = LinkPack.readBytes(data, &i), let kind = LinkPack.readBytes(data, &i),
                    let text = LinkPack.readBytes(data, &i)
                else { return }
                try body(to, kind, text)
            }
        }
    }

    /// The links as records (tests, and stores that want them so).
    package var records: [LinkRecord] {
        var out: [LinkRecord] = []
        forEach { to, kind, text in
            out.append(
                LinkRecord(
                    from: from, to: String(decoding: to, as: UTF8.self),
                    kind: LinkPack.kind(kind), text: String(decoding: text, as: UTF8.self)))
        }
        return out
    }

    /// Records grouped into one `PageLinks` per run of the same `from`.
    package static func grouping(_ records: [LinkRecord]) -> [PageLinks] {
        var out: [PageLinks] = []
        for r in records {
            if out.last?.from != r.from { out.append(PageLinks(from: r.from)) }
            out[out.count - 1].append(to: r.to, kind: r.kind, text: r.text)
        }
        return out
    }
}

extension LinkTarget {
    /// A run's page that is not ok, with the sample of pages linking to it (not yet marked internal).
    package init(page: PageRecord, sources: [LinkSource], pageCount: Int) {
        self.init(
            url: page.url, status: page.status, linkClass: page.linkClass, reason: page.reason, isInternal: false,
            sources: sources, pageCount: pageCount)
    }
}

/// The sources of each broken target kept for `LinkTarget.sources`: the `maxSources`
/// smallest by (source URL, kind, text), so the sample is the same whatever order the run's
/// links are read in (a nav link on every page of a 20,000-page site used to keep the first
/// 64 pages the crawl happened to store, and a resumed or re-run sweep listed others).
package struct SourceSample {
    var byTarget: [Int64: [LinkSource]] = [:]
    package init() {}

    static func less(_ a: LinkSource, _ b: LinkSource) -> Bool {
        (a.from, a.kind.rawValue, a.text) < (b.from, b.kind.rawValue, b.text)
    }

    /// A link from `from` to `target`; `rest` decodes its kind and text, asked only when the
    /// link may enter the sample.
    package mutating func offer(_ target: Int64, from: String, _ rest: () -> (LinkKind, String)) {
        let full = (byTarget[target]?.count ?? 0) >= LinkTarget.maxSources
        if full, let last = byTarget[target]?.last, from > last.from { return }
        let (kind, text) = rest()
        let source = LinkSource(from: from, kind: kind, text: text)
        var list = byTarget.removeValue(forKey: target) ?? []
        // (Binary search for the insertion point: the list stays sorted.)
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Self.less(list[mid], source) { lo = mid + 1 } else { hi = mid }
        }
        if !full {
            list.insert(source, at: lo)
        } else if lo < list.count {
            list.insert(source, at: lo)
            list.removeLast()
        }
        byTarget[target] = list
    }

    /// The target's sample, sorted.
    package func sources(of target: Int64) -> [LinkSource] { byTarget[target] ?? [] }
}

/// A link target of a run that has no page yet: the frontier to rebuild on resume.
package struct PendingTarget: Sendable, Equatable, Hashable {
    package var url: String
    /// Depth of the shallowest page linking to it, plus one.
    package var depth: Int
    package init(url: String, depth: Int) { self.url = url; self.depth = depth }
}

/// The facts the inspector extracted from a page, stored beside it (see `page_facts`).
package struct StoredFacts: Sendable, Equatable {
    package var url: String
    /// Fingerprint of what the facts were made with (build, profile, content data).
    package var key: Int64
    /// The as-of day, when the facts hold only on that day; nil when they hold on any.
    package var asOf: Day?
    package var data: [UInt8]
    package init(url: String, key: Int64, asOf: Day?, data: [UInt8]) {
        self.url = url; self.key = key; self.asOf = asOf; self.data = data
    }
}

/// A page of an earlier run, as an incremental sweep sees it before fetching it again: its
/// record, facts and links as that run stored them, read in one statement.
package struct BaselinePage: Sendable, Equatable {
    package var record: PageRecord
    /// The stored facts, when they were made with the wanted key and hold on the wanted day.
    package var facts: StoredFacts?
    /// The store's id of the page's URL.
    package var urlID: Int64
    /// The page's links row (`PageLinks(from:storedRow:)`), written unchanged if the page is reused.
    package var links: PageLinks
    package init(record: PageRecord, facts: StoredFacts?, urlID: Int64 = 0, links: PageLinks) {
        self.record = record; self.facts = facts; self.urlID = urlID; self.links = links
    }
}

/// How an async caller reaches a store: `perform` runs the store's synchronous calls on a
/// thread of the store's own, never on one of the cooperative pool's few threads (two on
/// this 2-core machine), which the crawl's tasks and a fleet worker's heartbeat share. A
/// caller hands over a batch of calls at once (one hop, not one a page: an async hop a page
/// made the 20,000-page re-sweep slower, see `baselinePage`).
package protocol StoreAccess: AnyObject, Sendable {
    /// Runs `body` off the cooperative pool and resumes the caller with its result.
    func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T
}

extension StoreAccess {
    /// On a queue of the process's stores (a blocked thread of it blocks no task).
    package func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await StoreThreads.run(on: StoreThreads.shared, body)
    }
}

/// The queues stores run their calls on for async callers.
package enum StoreThreads {
    /// Concurrent: a server store's calls wait on the network, side by side.
    package static let shared = DispatchQueue(label: "govsweep.store", attributes: .concurrent)

    /// Runs `body` on `queue`, the caller suspended meanwhile.
    package static func run<T: Sendable>(on queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            queue.async { c.resume(with: Result { try body() }) }
        }
    }
}

/// Runs: created, resumed, finished, listed. (Each capability below is what one part of the
/// sweep needs of a store; a PostgreSQL store shared by several workers implements the same
/// protocols beside SQLite. Nothing here is SQLite's: batches go in one call, which a store
/// makes one transaction, and a run's rows are found by run id.)
package protocol RunRecords: StoreAccess {
    /// Starts a run and returns its id.
    func createRun(_ run: RunRecord) throws -> Int64
    /// The newest run of exactly these sites that did not finish, for `--resume`; nil when a
    /// run of the same sites has finished since (the unfinished one is stale then).
    func unfinishedRun(sites: [String]) throws -> RunRecord?
    func run(id: Int64) throws -> RunRecord?
    /// All runs, newest first.
    func runs() throws -> [RunRecord]
    /// The runs of exactly these sites, newest first: a sweep's trend reads these alone, not
    /// every run of a store a province's sites share (that grew with every run of every site).
    func runs(sites: [String]) throws -> [RunRecord]
    /// Marks the run done (or interrupted, or failed) with its counts and result.
    func finishRun(_ run: RunRecord) throws
    /// The last run of exactly these sites that finished (`done`) before run `before`,
    /// for comparing runs (new, fixed, still open).
    func previousRun(sites: [String], before: Int64) throws -> RunRecord?
    /// Exclusive right to sweep into this store, held until the lock is released or
    /// deinitialised (or the process dies). Throws when another run holds it.
    func acquireRunLock() throws -> RunLock
    /// Exclusive right to sweep these sites into this store. A store shared by several
    /// processes (PostgreSQL) locks only the sites; an embedded one locks itself whole.
    func acquireRunLock(sites: [String]) throws -> RunLock
}

extension RunRecords {
    package func acquireRunLock(sites: [String]) throws -> RunLock { try acquireRunLock() }
    package func runs(sites: [String]) throws -> [RunRecord] { try runs().filter { $0.sites == sites } }
}

/// A run's pages, their links and facts as the crawl writes them, and an earlier run's
/// pages as an incremental sweep reads them back.
package protocol PageStore: StoreAccess {
    /// Writes a batch of pages, the links found on them and their facts in one
    /// transaction. A page reused from an earlier run comes with that run's links row
    /// (`PageLinks(from:storedRow:)`) and facts, written as they are.
    func record(run: Int64, pages: [PageRecord], links: [PageLinks], facts: [StoredFacts]) throws
    /// Every page and checked URL of a run.
    func pages(run: Int64) throws -> [PageRecord]
    /// The page of `url` in run `run`, with its facts when stored under `key` and valid on `asOf`.
    /// The crawl asks for 64 pages in one `perform` (`Crawler.readBaselines`): an async hop to
    /// the store's queue for each page cost the 20,000-page re-sweep CPU and 5-14 MB of peak
    /// memory (Benchmarks/incremental.sh, one run each: 2.42 and 3.16 CPU s against 2.30 and 2.54).
    func baselinePage(run: Int64, url: String, key: Int64, asOf: Day) throws -> BaselinePage?
    /// URLs by store id.
    func urls(ids: [Int64]) throws -> [Int64: String]
    /// Every page of run `run` that has stored facts, with its depth (to take a resumed
    /// run's earlier pages into the inspection again).
    func forEachPageFacts(run: Int64, _ body: (_ url: String, _ depth: Int, _ facts: StoredFacts) throws -> Void) throws
    /// The URLs that already have a page (fetched or checked) in the run.
    func fetchedURLs(run: Int64) throws -> Set<String>
    /// Before a re-sweep that reuses run `run` (facts under `key`, valid on `asOf`): a
    /// chance to read what `baselinePage` and `urls` will be asked, in bulk (a server store
    /// must not make a round trip per page). Optional.
    func prepareBaseline(run: Int64, key: Int64, asOf: Day) throws
    /// The crawl and the scan of its links are over: memory kept for them can go. Optional.
    func endBulkWrites()
    /// The run is written: what a file store keeps to fold in later (SQLite's write-ahead
    /// log) is folded in now, while the caller does other work, so that closing the store
    /// has little left to do. Optional.
    func foldLog()
}

extension PageStore {
    package func prepareBaseline(run: Int64, key: Int64, asOf: Day) throws {}
    package func endBulkWrites() {}
    package func foldLog() {}
}

/// A run's links as the resume and the broken-link report read them.
package protocol LinkStore: StoreAccess {
    /// Every link of a run.
    func links(run: Int64) throws -> [LinkRecord]
    /// Link targets of the run not yet in its pages, each with its shallowest source's depth + 1.
    func pendingTargets(run: Int64) throws -> [PendingTarget]
    /// Pages of the run whose class is not "ok", sorted by URL, each with the pages linking to
    /// it (a sample of `LinkTarget.maxSources`) and their count. `isInternal` is false: the
    /// store does not know the swept hosts (`linkTargets(run:scope:)` in Sweep sets it).
    func brokenLinkSources(run: Int64) throws -> [LinkTarget]
}

/// A run's findings, with what the run history needs of them.
package protocol FindingStore: StoreAccess {
    /// Replaces the run's findings, recording each one's first-seen date: carried over from
    /// the previous finished run of the same sites (`previousRun`) when it had the same id,
    /// else the run's own as-of. A finding fixed and later reported again starts afresh.
    func saveFindings(run: Int64, _ findings: [Finding]) throws
    /// The run's findings whose id `keep` accepts (the others are not decoded), in order.
    func findings(run: Int64, where keep: (String) -> Bool) throws -> [Finding]
    /// Finding id → first-seen date (YYYY-MM-DD) for every finding of the run.
    func firstSeen(run: Int64) throws -> [String: String]
    /// How many findings of each severity the run has, for listings and trends.
    func findingCounts(run: Int64) throws -> [Severity: Int]
}

/// Availability samples (`govsweep probe`), independent of runs.
package protocol ProbeStore: StoreAccess {
    /// Stores one probe and returns its id.
    @discardableResult
    func recordProbe(_ probe: ProbeRecord) throws -> Int64
    /// The probes of `url` at or after `since`, oldest first.
    func probes(url: String, since: Date) throws -> [ProbeRecord]
}

/// Everything a sweep needs of a store: SQLite is the embedded default. Code that needs
/// less asks for less (the availability fold a `ProbeStore`, the history a `FindingStore`).
package protocol RunStore: RunRecords, PageStore, LinkStore, FindingStore, ProbeStore {}

extension FindingStore {
    /// The run's findings, in order.
    package func findings(run: Int64) throws -> [Finding] { try findings(run: run, where: { _ in true }) }
}

extension PageStore {
    /// Writes a batch of pages and their links, without facts.
    package func record(run: Int64, pages: [PageRecord], links: [LinkRecord]) throws {
        try record(run: run, pages: pages, links: PageLinks.grouping(links), facts: [])
    }
}
