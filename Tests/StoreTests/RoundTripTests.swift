import Foundation
import XCTest
import Vocabulary
import Store

final class RoundTripTests: StoreTestCase {
    func testRunsRoundTripNewestFirstAndFinish() throws {
        let store = try makeStore()
        let first = try makeRun(store)
        let second = try makeRun(store, sites: ["http://a/", "http://b/"], startedAt: "2022-11-02T08:00:00+08:00")
        XCTAssertLessThan(first, second)

        let loaded = try XCTUnwrap(store.run(id: first))
        XCTAssertEqual(
            loaded,
            RunRecord(
                id: first, sites: ["http://127.0.0.1:8080/"], asOf: Day(iso: "2022-11-01")!,
                options: #"{"maxPages":100}"#, startedAt: "2022-11-01T08:00:00+08:00"))
        XCTAssertEqual(try store.runs().map(\.id), [second, first])
        XCTAssertNil(try store.run(id: 999))

        var done = loaded
        done.status = .done; done.finishedAt = "2022-11-01T09:00:00+08:00"
        done.pagesFetched = 812; done.pagesFailed = 7; done.pagesSkipped = 3; done.score = 86.5; done.verdict = .fail
        try store.finishRun(done)
        XCTAssertEqual(try store.run(id: first), done)

        // finishedAt defaults to now when not given.
        var interrupted = try XCTUnwrap(store.run(id: second))
        interrupted.status = .interrupted
        try store.finishRun(interrupted)
        XCTAssertNotNil(try store.run(id: second)?.finishedAt)

        var missing = done
        missing.id = 4242
        let error = storeError { try store.finishRun(missing) }
        XCTAssertEqual(error?.description.contains("no run with id 4242"), true)
    }

    func testUnfinishedAndPreviousRun() throws {
        let store = try makeStore()
        let sites = ["http://127.0.0.1:8080/", "http://127.0.0.1:8080/dept/"]
        let r1 = try makeRun(store, sites: sites)
        let other = try makeRun(store, sites: ["http://elsewhere/"])
        let r2 = try makeRun(store, sites: sites)
        let r3 = try makeRun(store, sites: sites)

        for id in [r1, r2] {
            var run = try XCTUnwrap(store.run(id: id))
            run.status = .done
            try store.finishRun(run)
        }
        XCTAssertEqual(try store.unfinishedRun(sites: sites)?.id, r3)
        XCTAssertEqual(try store.unfinishedRun(sites: ["http://elsewhere/"])?.id, other)
        XCTAssertNil(try store.unfinishedRun(sites: ["http://nobody/"]))
        // Order of sites matters: "exactly these sites".
        XCTAssertNil(try store.unfinishedRun(sites: sites.reversed()))

        XCTAssertEqual(try store.previousRun(sites: sites, before: r3)?.id, r2)
        XCTAssertEqual(try store.previousRun(sites: sites, before: r2)?.id, r1)
        XCTAssertNil(try store.previousRun(sites: sites, before: r1))
        XCTAssertNil(try store.previousRun(sites: ["http://elsewhere/"], before: 100))
    }

    func testPagesAndLinksRoundTrip() throws {
        let store = try makeStore()
        let run = try makeRun(store)
        var redirected = page("http://h/old", depth: 1)
        redirected.finalURL = "http://h/new"
        let minimal = PageRecord(
            url: "http://ext/x.pdf", finalURL: "http://ext/x.pdf", status: 404,
            linkClass: .broken, reason: .status(404), crawled: false)
        let pages = [page("http://h/"), redirected, minimal]
        let links = [
            LinkRecord(from: "http://h/", to: "http://h/old", kind: .a, text: "旧页面"),
            LinkRecord(from: "http://h/", to: "http://ext/x.pdf", kind: .a, text: ""),
            LinkRecord(from: "http://h/old", to: "http://h/", kind: .img, text: "logo"),
        ]
        try store.record(run: run, pages: pages, links: links)

        XCTAssertEqual(Set(try store.pages(run: run).map { $0.url }), Set(pages.map(\.url)))
        for p in pages {
            XCTAssertEqual(try store.page(run: run, url: p.url), p)
        }
        XCTAssertEqual(Set(try store.pages(run: run).map { "\($0)" }), Set(pages.map { "\($0)" }))
        XCTAssertEqual(Set(try store.links(run: run).map { "\($0)" }), Set(links.map { "\($0)" }))

        // Another run sees nothing of this one.
        let other = try makeRun(store)
        XCTAssertEqual(try store.pages(run: other), [])
        XCTAssertEqual(try store.links(run: other), [])
        XCTAssertNil(try store.page(run: other, url: "http://h/"))
        XCTAssertNil(try store.page(run: run, url: "http://never-seen/"))
    }

    func testPageLinksPackAndGroup() {
        let records = [
            LinkRecord(from: "http://a/", to: "http://a/中文.html", kind: .a, text: "要闻 动态"),
            LinkRecord(from: "http://a/", to: "http://a/x.png", kind: .img, text: ""),
            LinkRecord(from: "http://a/b", to: "http://a/", kind: .iframe, text: String(repeating: "长", count: 200)),
        ]
        let groups = PageLinks.grouping(records)
        XCTAssertEqual(groups.map(\.from), ["http://a/", "http://a/b"])
        XCTAssertEqual(groups.map(\.count), [2, 1])
        XCTAssertEqual(groups.flatMap(\.records), records)
        var manual = PageLinks(from: "http://a/b")
        manual.append(to: "http://a/", kind: .iframe, text: String(repeating: "长", count: 200))
        XCTAssertEqual(manual, groups[1])
    }

    func testPageRecordedTwiceIsReplacedAndLinksNotDuplicated() throws {
        let store = try makeStore()
        let run = try makeRun(store)
        let link = LinkRecord(from: "http://h/", to: "http://h/a", kind: .a, text: "A")
        try store.record(run: run, pages: [page("http://h/a", class: .broken, status: 503)], links: [link])
        var again = page("http://h/a", depth: 2)
        again.title = nil; again.etag = nil
        try store.record(run: run, pages: [again], links: [link, link])

        XCTAssertEqual(try store.pages(run: run), [again])
        XCTAssertEqual(try store.links(run: run), [link])
    }

    func testFindingsRoundTripWithEvidenceAndFoundOn() throws {
        let store = try makeStore()
        let run = try makeRun(store)
        let stale = Finding(
            rule: "column.stale.notice", indicator: .columnStale, severity: .veto,
            url: "http://127.0.0.1:8080/tzgg/", subject: "通知公告", department: "区政务服务管理局",
            foundOn: ["http://127.0.0.1:8080/", "http://127.0.0.1:8080/xxgk/"],
            message: "栏目“通知公告”最近更新于 2022-03-02，超过 6 个月未更新",
            evidence: [
                "latest": "2022-03-02", "windowDays": 183, "ratio": 0.5, "flags": [true, .null],
                "nested": ["a": 1],
            ])
        let broken = Finding(
            rule: "link.broken.internal", indicator: .linkBroken, severity: .deduct, points: 0.1,
            url: "http://127.0.0.1:8080/missing", message: "链接不可访问")
        try store.saveFindings(run: run, [stale, broken])
        XCTAssertEqual(try store.findings(run: run), [stale, broken])

        // Saving replaces; a stored id survives even if it is not the computed one.
        var custom = broken
        custom.id = "feedface"
        try store.saveFindings(run: run, [custom])
        XCTAssertEqual(try store.findings(run: run), [custom])
        try store.saveFindings(run: run, [])
        XCTAssertEqual(try store.findings(run: run), [])
    }

    func testProbesRoundTripSinceAndOrder() throws {
        let store = try makeStore()
        let base = Date(timeIntervalSince1970: 1_667_260_800)  // 2022-11-01T00:00:00Z
        let url = "http://127.0.0.1:8080/"
        let ids = try [3600.0, 0, 7200, -3600].map { offset in
            try store.recordProbe(
                ProbeRecord(
                    url: url, at: base.addingTimeInterval(offset), status: 200,
                    seconds: 0.125, linkClass: .ok))
        }
        XCTAssertEqual(Set(ids).count, 4)
        try store.recordProbe(
            ProbeRecord(
                url: "http://other/", at: base, status: 0, seconds: 15, linkClass: .broken,
                reason: .failure(.timeout)))

        let since = try store.probes(url: url, since: base)
        XCTAssertEqual(since.map(\.at), [0.0, 3600, 7200].map { base.addingTimeInterval($0) })
        XCTAssertEqual(
            since.first,
            ProbeRecord(
                id: ids[1], url: url, at: base, status: 200, seconds: 0.125,
                linkClass: .ok))
        let other = try store.probes(url: "http://other/", since: .distantPast)
        XCTAssertEqual(other.map(\.reason), [.failure(.timeout)])
        XCTAssertEqual(try store.probes(url: url, since: base.addingTimeInterval(7201)), [])
    }

    func testReopenKeepsEverything() throws {
        let path = storePath("nested/dirs/store.sqlite")
        var run: Int64 = 0
        do {
            let store = try SQLiteStore(path: path)
            run = try makeRun(store)
            try store.record(
                run: run, pages: [page("http://h/")],
                links: [LinkRecord(from: "http://h/", to: "http://h/b", kind: .a, text: "b")])
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        let reopened = try SQLiteStore(path: path)
        XCTAssertEqual(try reopened.pages(run: run).map(\.url), ["http://h/"])
        XCTAssertEqual(try reopened.pendingTargets(run: run), [PendingTarget(url: "http://h/b", depth: 1)])
        XCTAssertEqual(try reopened.schemaVersion(), Schema.migrations.last?.version)
    }

    func testFailedBatchRollsBackEverythingIncludingInternedURLs() throws {
        let store = try makeStore()
        let run = try makeRun(store)
        // Run 999 does not exist: the page insert violates its foreign key and the batch rolls back.
        let links = [LinkRecord(from: "http://h/", to: "http://h/new", kind: .a, text: "")]
        XCTAssertNotNil(storeError { try store.record(run: 999, pages: [page("http://h/")], links: links) })
        XCTAssertEqual(try store.pages(run: 999), [])
        // The URLs interned by the failed batch are gone; the cache must not hand out their ids.
        try store.record(run: run, pages: [page("http://h/")], links: links)
        XCTAssertEqual(try store.links(run: run), links)
        XCTAssertEqual(try store.fetchedURLs(run: run), ["http://h/"])
    }

    func testDefaultPathFollowsXDGStateHome() {
        let path = SQLiteStore.defaultPath
        XCTAssertTrue(path.hasSuffix("/govsweep/govsweep.sqlite"), path)
        if let xdg = ProcessInfo.processInfo.environment["XDG_STATE_HOME"], !xdg.isEmpty {
            XCTAssertEqual(path, xdg + "/govsweep/govsweep.sqlite")
        } else {
            XCTAssertTrue(path.hasSuffix("/.local/state/govsweep/govsweep.sqlite"), path)
        }
    }
}
