import Foundation
import XCTest
import Store
import Vocabulary

final class ResumeAndReportTests: StoreTestCase {
    /// home (depth 0) -> a, b, ext; a (depth 1) -> c, b; b is broken; c and d not fetched yet;
    /// ext blocked; c is also linked from an unrecorded page at depth 0.
    private func recordSite(_ store: SQLiteStore, run: Int64) throws {
        try store.record(
            run: run, pages: [page("http://h/"), page("http://h/a", depth: 1)],
            links: [
                LinkRecord(from: "http://h/", to: "http://h/a", kind: .a, text: "A"),
                LinkRecord(from: "http://h/", to: "http://h/b", kind: .a, text: "B 首页"),
                LinkRecord(from: "http://h/", to: "http://ext/", kind: .a, text: "外部"),
                LinkRecord(from: "http://h/a", to: "http://h/b", kind: .img, text: ""),
                LinkRecord(from: "http://h/a", to: "http://h/b", kind: .a, text: "B from A"),
                LinkRecord(from: "http://h/a", to: "http://h/c", kind: .a, text: "C"),
                LinkRecord(from: "http://h/a", to: "http://h/d", kind: .a, text: "D"),
            ])
        try store.record(
            run: run,
            pages: [
                page("http://h/b", class: .broken, status: 404, depth: 1),
                page("http://ext/", class: .blocked, status: 429, depth: 1, crawled: false),
            ],
            links: [
                LinkRecord(from: "http://h/b", to: "http://h/", kind: .a, text: "home")
            ])
    }

    func testFetchedURLsAndPendingTargets() throws {
        let store = try makeStore()
        let run = try makeRun(store)
        try recordSite(store, run: run)

        XCTAssertEqual(try store.fetchedURLs(run: run), ["http://h/", "http://h/a", "http://h/b", "http://ext/"])
        XCTAssertEqual(
            try store.pendingTargets(run: run),
            [
                PendingTarget(url: "http://h/c", depth: 2),
                PendingTarget(url: "http://h/d", depth: 2),
            ])

        // A shallower source lowers the depth; a fetched target leaves the frontier.
        try store.record(
            run: run, pages: [page("http://h/d", depth: 2)],
            links: [LinkRecord(from: "http://h/", to: "http://h/c", kind: .a, text: "C again")])
        XCTAssertEqual(try store.pendingTargets(run: run), [PendingTarget(url: "http://h/c", depth: 1)])

        // Links whose source has no page yet count from depth 0.
        try store.record(
            run: run, pages: [],
            links: [
                LinkRecord(
                    from: "http://orphan/", to: "http://h/e",
                    kind: .a, text: "")
            ])
        XCTAssertEqual(try store.pendingTargets(run: run).first, PendingTarget(url: "http://h/c", depth: 1))
        XCTAssertTrue(try store.pendingTargets(run: run).contains(PendingTarget(url: "http://h/e", depth: 1)))

        // Other runs are separate.
        let other = try makeRun(store)
        XCTAssertEqual(try store.fetchedURLs(run: other), [])
        XCTAssertEqual(try store.pendingTargets(run: other), [])
    }

    func testBrokenLinkSources() throws {
        let store = try makeStore()
        let run = try makeRun(store)
        try recordSite(store, run: run)
        // A broken page nobody links to is still reported, with no sources.
        try store.record(run: run, pages: [page("http://h/lonely", class: .tlsError, status: 0)], links: [])

        let broken = try store.brokenLinkSources(run: run)
        XCTAssertEqual(broken.map(\.url), ["http://ext/", "http://h/b", "http://h/lonely"])
        XCTAssertEqual(broken.map(\.linkClass), [.blocked, .broken, .tlsError])
        XCTAssertEqual(
            broken[0],
            LinkTarget(
                url: "http://ext/", status: 429, linkClass: .blocked, reason: .status(429), isInternal: false,
                sources: [LinkSource(from: "http://h/", kind: .a, text: "外部")], pageCount: 1))
        XCTAssertEqual(broken[0].sources, [LinkSource(from: "http://h/", kind: .a, text: "外部")])
        XCTAssertEqual(
            broken[1].sources,
            [
                LinkSource(from: "http://h/", kind: .a, text: "B 首页"),
                LinkSource(from: "http://h/a", kind: .a, text: "B from A"),
                LinkSource(from: "http://h/a", kind: .img, text: ""),
            ])
        XCTAssertEqual(broken[2].sources, [])

        // Fixed on resume: the page is replaced with an ok row and leaves the report.
        try store.record(run: run, pages: [page("http://h/b", depth: 1)], links: [])
        XCTAssertEqual(try store.brokenLinkSources(run: run).map(\.url), ["http://ext/", "http://h/lonely"])
        XCTAssertEqual(try store.brokenLinkSources(run: try makeRun(store)), [])
    }
    /// A broken link on more pages than the sample keeps (a nav link on every page): the
    /// sample is the first pages by URL, whatever order the pages were stored in, in SQLite
    /// and in memory alike.
    func testTheSampleOfSourcesDoesNotDependOnTheOrderPagesWereStored() throws {
        let froms = (0..<150).map { String(format: "http://h/p%03d.html", $0) }
        var rng = SystemRandomNumberGenerator()
        var samples: [[LinkSource]] = []
        for k in 0..<3 {
            let order = froms.shuffled(using: &rng)
            let sqlite = try makeStore("order-\(k).sqlite")
            let memory = MemoryStore()
            for store in [sqlite as any RunStore, memory] {
                let run = try store.createRun(
                    RunRecord(sites: ["http://h/"], asOf: Day(iso: "2022-11-01")!, options: "{}", startedAt: "2022-11-01T08:00:00+08:00"))
                try store.record(run: run, pages: [page("http://h/gone", class: .broken, status: 404, depth: 1)], links: [])
                for chunk in stride(from: 0, to: order.count, by: 7).map({ Array(order[$0..<min($0 + 7, order.count)]) }) {
                    try store.record(
                        run: run, pages: chunk.map { page($0, depth: 1) },
                        links: chunk.map { LinkRecord(from: $0, to: "http://h/gone", kind: .a, text: "失效") })
                }
                let broken = try store.brokenLinkSources(run: run)
                XCTAssertEqual(broken.count, 1)
                XCTAssertEqual(broken.first?.pageCount, 150)
                samples.append(broken.first?.sources ?? [])
            }
        }
        let want = froms.prefix(LinkTarget.maxSources).map { LinkSource(from: $0, kind: .a, text: "失效") }
        for sample in samples { XCTAssertEqual(sample, want) }
    }
}
