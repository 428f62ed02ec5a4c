import Fetch
import Foundation
import LocalServer
import Logging
import Store
import Synchronization
import Vocabulary
import XCTest

@testable import Crawl

/// The crawl never waits on the store on a thread of the cooperative pool (two threads on a
/// 2-core machine, which every page task shares): a slow read of the baseline run must not
/// stall the other tasks (issue 14, item 4).
final class StoreOffPoolTests: XCTestCase {
    /// A store whose reads are slow: while `holding`, each read waits until a task started on
    /// the cooperative pool has run (at most `patience` seconds) before it answers. A read
    /// made on a pool thread while the others are held too waits in vain: counted in `stalled`.
    /// A read made synchronously by a task (on its thread) is counted in `inTask`.
    final class HeldStore: RunStore {
        let inner: SQLiteStore
        let holding = Atomic(false)
        let held = Atomic(0)
        let stalled = Atomic(0)
        let inTask = Atomic(0)
        static let patience = 5.0

        init(_ inner: SQLiteStore) { self.inner = inner }

        func hold() {
            guard holding.load(ordering: .relaxed) else { return }
            held.add(1, ordering: .relaxed)
            if withUnsafeCurrentTask(body: { $0 != nil }) { inTask.add(1, ordering: .relaxed) }
            let ran = DispatchSemaphore(value: 0)
            Task { ran.signal() }
            if ran.wait(timeout: .now() + Self.patience) == .timedOut { stalled.add(1, ordering: .relaxed) }
        }

        // The reads of a re-sweep and of a resume, held.
        func baselinePage(run: Int64, url: String, key: Int64, asOf: Day) throws -> BaselinePage? {
            hold()
            return try inner.baselinePage(run: run, url: url, key: key, asOf: asOf)
        }
        func urls(ids: [Int64]) throws -> [Int64: String] {
            hold()
            return try inner.urls(ids: ids)
        }
        func pages(run: Int64) throws -> [PageRecord] {
            hold()
            return try inner.pages(run: run)
        }
        func forEachPageFacts(run: Int64, _ body: (String, Int, StoredFacts) throws -> Void) throws {
            hold()
            try inner.forEachPageFacts(run: run, body)
        }
        func pendingTargets(run: Int64) throws -> [PendingTarget] {
            hold()
            return try inner.pendingTargets(run: run)
        }

        // The rest as the SQLite store answers.
        func createRun(_ run: RunRecord) throws -> Int64 { try inner.createRun(run) }
        func unfinishedRun(sites: [String]) throws -> RunRecord? { try inner.unfinishedRun(sites: sites) }
        func run(id: Int64) throws -> RunRecord? { try inner.run(id: id) }
        func runs() throws -> [RunRecord] { try inner.runs() }
        func finishRun(_ run: RunRecord) throws { try inner.finishRun(run) }
        func previousRun(sites: [String], before: Int64) throws -> RunRecord? { try inner.previousRun(sites: sites, before: before) }
        func acquireRunLock() throws -> RunLock { try inner.acquireRunLock() }
        func record(run: Int64, pages: [PageRecord], links: [PageLinks], facts: [StoredFacts]) throws {
            try inner.record(run: run, pages: pages, links: links, facts: facts)
        }
        func fetchedURLs(run: Int64) throws -> Set<String> { try inner.fetchedURLs(run: run) }
        func links(run: Int64) throws -> [LinkRecord] { try inner.links(run: run) }
        func brokenLinkSources(run: Int64) throws -> [LinkTarget] { try inner.brokenLinkSources(run: run) }
        func saveFindings(run: Int64, _ findings: [Finding]) throws { try inner.saveFindings(run: run, findings) }
        func findings(run: Int64, where keep: (String) -> Bool) throws -> [Finding] { try inner.findings(run: run, where: keep) }
        func firstSeen(run: Int64) throws -> [String: String] { try inner.firstSeen(run: run) }
        func findingCounts(run: Int64) throws -> [Severity: Int] { try inner.findingCounts(run: run) }
        func recordProbe(_ probe: ProbeRecord) throws -> Int64 { try inner.recordProbe(probe) }
        func probes(url: String, since: Date) throws -> [ProbeRecord] { try inner.probes(url: url, since: since) }
    }

    /// Facts [7] for every page, taken back on reuse; counts both.
    final class Facts: PageInspection {
        let parsed = Atomic(0), reused = Atomic(0)
        func facts(of page: CrawledPage, storing settings: FactsSettings?) -> StoredFacts? {
            parsed.add(1, ordering: .relaxed)
            return settings.map { StoredFacts(url: page.url.string, key: $0.key, asOf: nil, data: [7]) }
        }
        func reuse(url: String, facts: [UInt8]) -> Bool {
            reused.add(1, ordering: .relaxed)
            return facts == [7]
        }
    }

    static let pages = 40

    func crawl(
        _ site: LocalServer, store: HeldStore, baseline: Int64?, runID: Int64? = nil, maxPages: Int = 1000, done: Bool = true
    ) async throws -> (CrawlSummary, Facts) {
        var options = CrawlOptions(startURLs: [CrawlURL(site.baseURL)!], asOfYear: 2022)
        options.useSitemaps = false
        options.maxPages = maxPages
        options.concurrency = 64  // more page tasks at once than the pool has threads, on any machine this runs on
        options.facts = FactsSettings(key: 3, asOf: Day(year: 2022, month: 11, day: 1)!, baselineRun: baseline)
        let client = try HTTPClient()
        defer { client.shutdown() }
        let id = try runID ?? store.createRun(RunRecord(sites: [site.baseURL], asOf: Day(iso: "2022-11-01")!, startedAt: "x"))
        let facts = Facts()
        let crawler = try Crawler(options: options, client: client, store: store, logger: Logger(label: "t"), inspection: facts)
        let summary = try await crawler.run(runID: id, resume: runID != nil)
        guard done else { return (summary, facts) }
        var run = try XCTUnwrap(try store.run(id: id))
        run.status = .done
        try store.finishRun(run)
        return (summary, facts)
    }

    /// A re-sweep whose every baseline read is slow: each read finds the cooperative pool free
    /// to run another task (a page task reading synchronously would hold one of its threads,
    /// and forty of them all of its threads), and every unchanged page is still reused.
    func testSlowBaselineReadsLeaveThePoolFree() async throws {
        let site = try Self.site()
        defer { site.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("offpool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = HeldStore(try SQLiteStore(path: dir.appendingPathComponent("t.sqlite").path))

        let (first, firstFacts) = try await crawl(site, store: store, baseline: nil)
        XCTAssertEqual(firstFacts.parsed.load(ordering: .relaxed), Self.pages + 1)

        store.holding.store(true, ordering: .relaxed)
        let (second, secondFacts) = try await crawl(site, store: store, baseline: first.runID)
        XCTAssertGreaterThan(store.held.load(ordering: .relaxed), 0, "the re-sweep read the baseline")
        XCTAssertEqual(store.stalled.load(ordering: .relaxed), 0, "no store read held a thread of the cooperative pool")
        XCTAssertEqual(store.inTask.load(ordering: .relaxed), 0, "no store read made on a task's thread")
        XCTAssertEqual(second.reused, Self.pages + 1, "every unchanged page reused")
        XCTAssertEqual(secondFacts.parsed.load(ordering: .relaxed), 0)
        XCTAssertEqual(second.fetched, first.fetched)
    }

    /// A resumed run's stored pages, facts and pending links are read off the pool too (and the
    /// run still comes out whole: the pages fetched before the interruption taken back from their
    /// facts, the rest fetched now).
    func testResumedRunReadsTheStoreOffThePool() async throws {
        let site = try Self.site()
        defer { site.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("offpool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = HeldStore(try SQLiteStore(path: dir.appendingPathComponent("t.sqlite").path))

        let (cut, cutFacts) = try await crawl(site, store: store, baseline: nil, maxPages: 5, done: false)
        XCTAssertEqual(cutFacts.parsed.load(ordering: .relaxed), 5)
        store.holding.store(true, ordering: .relaxed)
        let (resumed, facts) = try await crawl(site, store: store, baseline: nil, runID: cut.runID)
        XCTAssertGreaterThan(store.held.load(ordering: .relaxed), 0, "the resume read the run")
        XCTAssertEqual(store.stalled.load(ordering: .relaxed), 0)
        XCTAssertEqual(store.inTask.load(ordering: .relaxed), 0, "no store read made on a task's thread")
        XCTAssertEqual(resumed.fetched, Self.pages + 1)
        XCTAssertEqual(facts.reused.load(ordering: .relaxed), 5, "the pages fetched before taken back from their facts")
        XCTAssertEqual(facts.parsed.load(ordering: .relaxed), Self.pages + 1 - 5)
    }

    /// A home page linking to `pages` pages, each linking back.
    static func site() throws -> LocalServer {
        try LocalServer { req in
            if req.path == "/" {
                return .html("<html><body>" + (1...Self.pages).map { "<a href=\"/p/\($0).html\">\($0)</a>" }.joined() + "</body></html>")
            }
            return .html("<html><body><a href=\"/\">首页</a> <p>\(req.path)</p></body></html>")
        }
    }
}
