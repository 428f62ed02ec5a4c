#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import PGStore
import Store
import Vocabulary
import XCTest

/// A run this store wrote answers `brokenLinkSources` from the target ids it kept of its
/// links rows, reading back only the rows of each broken target's sample (the 64 smallest
/// source URLs); the answer is the one read from every row by a store that did not write the
/// run (another worker's, a resumed one), and SQLite's: a target linked from more pages than
/// the sample holds, stored in no order, a page recorded again without its broken link, a
/// link to the same target under two kinds, a reused page's stored row, a start URL nobody
/// links to.
final class BrokenLinkSourcesTests: XCTestCase {
    typealias C = StoreConformanceTests

    func testAWrittenRunsSourcesAreThoseEveryRowGives() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let postgres = try PostgresStore(database: scoped.database)
        let sqlite = try SQLiteStore(path: dir.appendingPathComponent("s.sqlite").path)
        let pgRun = try Self.write(postgres)
        let sqliteRun = try Self.write(sqlite)
        // Another store on the same database did not write the run: it reads every links row.
        let other = try PostgresStore(database: scoped.database, migrate: false)
        let everyRow = try other.brokenLinkSources(run: pgRun)
        let written = try postgres.brokenLinkSources(run: pgRun)
        XCTAssertEqual(written, everyRow)
        XCTAssertEqual(written, try sqlite.brokenLinkSources(run: sqliteRun))

        let nav = try XCTUnwrap(written.first { $0.url == C.page("gone-nav").url })
        XCTAssertEqual(nav.pageCount, 99, "p003 was recorded again without the link")
        XCTAssertEqual(nav.sources.count, LinkTarget.maxSources)
        XCTAssertEqual(nav.sources.first?.from, C.page("p000.html").url)
        XCTAssertFalse(nav.sources.contains { $0.from == C.page("p003.html").url })
        XCTAssertEqual(nav.sources.filter { $0.from == C.page("p000.html").url }.map(\.kind), [.a, .img])
        let few = try XCTUnwrap(written.first { $0.url == C.page("gone-few").url })
        XCTAssertEqual(few.pageCount, 10)
        XCTAssertEqual(few.sources.map(\.from), (50..<60).map { C.page(String(format: "p%03d.html", $0)).url })
        XCTAssertEqual(written.first { $0.url == C.page("gone-alone").url }?.sources, [])
        // Asked again, the store reads every row (what it kept went with the first answer).
        XCTAssertEqual(try postgres.brokenLinkSources(run: pgRun), everyRow)

        // A re-sweep reusing pages: their stored rows (ids) are what it kept.
        let reuse = try postgres.createRun(RunRecord(sites: C.site, asOf: Day(iso: "2026-11-08")!, startedAt: "2026-11-08T09:00:00+08:00"))
        var pages: [PageRecord] = [C.page("gone-nav", status: 404, linkClass: .broken, crawled: false)]
        var links: [PageLinks] = []
        for i in [7, 55, 3, 81] {
            let url = C.page(String(format: "p%03d.html", i)).url
            let b = try XCTUnwrap(try postgres.baselinePage(run: pgRun, url: url, key: C.key, asOf: Day(iso: "2026-11-08")!))
            pages.append(b.record)
            links.append(b.links)
        }
        try postgres.record(run: reuse, pages: pages, links: links, facts: [])
        let reused = try postgres.brokenLinkSources(run: reuse)
        XCTAssertEqual(reused, try other.brokenLinkSources(run: reuse))
        XCTAssertEqual(reused.map(\.pageCount), [3])
        XCTAssertEqual(reused.first?.sources.map(\.from), [7, 55, 81].map { C.page(String(format: "p%03d.html", $0)).url })
    }

    /// 100 pages in batches of 10, stored in no order of URL, each linking to gone-nav (p000
    /// also as an image), p050-p059 to gone-few; p003 recorded again without its links;
    /// gone-alone is broken and linked from nowhere.
    static func write(_ store: any RunStore) throws -> Int64 {
        let run = try store.createRun(RunRecord(sites: C.site, asOf: Day(iso: "2026-11-01")!, startedAt: "2026-11-01T09:00:00+08:00"))
        let order = (0..<100).map { ($0 * 37) % 100 }
        for start in stride(from: 0, to: 100, by: 10) {
            var pages: [PageRecord] = []
            var links: [PageLinks] = []
            for i in order[start..<start + 10] {
                let page = C.page(String(format: "p%03d.html", i))
                pages.append(page)
                var l = PageLinks(from: page.url)
                l.append(to: C.page("gone-nav").url, kind: .a, text: "导航 \(i % 7)")
                if i == 0 { l.append(to: C.page("gone-nav").url, kind: .img, text: "") }
                if (50..<60).contains(i) { l.append(to: C.page("gone-few").url, kind: .a, text: "少") }
                l.append(to: C.page(String(format: "p%03d.html", (i + 1) % 100)).url, kind: .a, text: "下一页")
                links.append(l)
            }
            try store.record(run: run, pages: pages, links: links, facts: [])
        }
        var again = PageLinks(from: C.page("p003.html").url)
        again.append(to: C.page("p004.html").url, kind: .a, text: "下一页")
        try store.record(run: run, pages: [C.page("p003.html")], links: [again], facts: [])
        try store.record(
            run: run,
            pages: ["gone-nav", "gone-few", "gone-alone"].map { C.page($0, status: 404, linkClass: .broken, crawled: false) },
            links: [], facts: [])
        return run
    }
}
#endif
