#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import PGStore
import Store
import Vocabulary
import XCTest

/// One scenario through SQLiteStore and PostgresStore, compared answer by answer: runs,
/// pages (nulls, redirects, a page recorded twice), links, facts, findings with first-seen
/// across runs, the baseline of an incremental re-sweep (a reused page's links row written
/// back), probes, the resume of an unfinished run, and the run lock. URL ids differ between
/// the stores, so ids are compared as the URLs they name.
final class StoreConformanceTests: XCTestCase {
    func testPostgresStoreAnswersAsSQLiteDoes() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let sqlite = try Self.scenario(SQLiteStore(path: dir.appendingPathComponent("s.sqlite").path))
        let postgres = try Self.scenario(PostgresStore(database: scoped.database))
        XCTAssertEqual(sqlite.count, postgres.count)
        XCTAssertGreaterThan(sqlite.count, 35, "the scenario's answers")
        XCTAssertTrue(sqlite.contains { $0.0 == "lock-busy" && $0.1 == "true" })
        XCTAssertTrue(sqlite.contains { $0.0 == "firstSeen2" && $0.1.contains("2026-11-01") && $0.1.contains("2026-11-08") })
        for (a, b) in zip(sqlite, postgres) {
            XCTAssertEqual(a.0, b.0)
            XCTAssertEqual(a.1, b.1, "\(a.0) differs")
        }
        // And the reference implementation agrees too.
        let memory = try Self.scenario(MemoryStore())
        for (a, b) in zip(sqlite, memory) where !a.0.hasPrefix("lock") { XCTAssertEqual(a.1, b.1, "memory: \(a.0) differs") }
    }

    /// The PostgreSQL tables have the listed columns (`Tables`, which drive this store's SQL as
    /// SQLite's), beside the key columns each store writes itself.
    func testTheTablesHaveTheListedColumns() throws {
        let scoped = try TestDatabase.fresh()
        defer { scoped.drop() }
        _ = try PostgresStore(database: scoped.database)
        let lists: [(String, [String], [String])] = [
            // (A page's facts are columns of its row: `Tables.facts`' key, as_of and data.)
            (Tables.pages.name, ["run", "url_id", "facts_key", "facts_as_of", "facts"], Tables.pages.columns.map(\.name)),
            (Tables.runs.name, ["id"], Tables.runs.columns.map(\.name)),
            (Tables.findings.name, ["run", "seq", "first_seen"], Tables.findings.columns.map(\.name)),
            (Tables.probes.name, ["id"], Tables.probes.columns.map(\.name)),
        ]
        for (table, keys, listed) in lists {
            let schema = try scoped.database.withConnectionBlocking { c in
                try c.run(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = \(scoped.schema) AND table_name = \(table)",
                    logger: scoped.database.logger
                ).rows.map { try $0.decode(String.self) }
            }
            XCTAssertEqual(Set(schema), Set(keys + listed), "\(table)")
        }
    }

    static let site = ["http://www.example.gov.cn/"]
    static let key: Int64 = 42

    static func page(_ path: String, status: Int = 200, linkClass: LinkClass = .ok, depth: Int = 1, crawled: Bool = true) -> PageRecord {
        PageRecord(
            url: "http://www.example.gov.cn/\(path)", finalURL: "http://www.example.gov.cn/\(path)", status: status, linkClass: linkClass,
            reason: status == 200 ? .none : .status(status), contentType: crawled ? "text/html" : nil, charset: crawled ? "utf-8" : nil,
            bytes: 1000 + path.count, seconds: 0.25, title: crawled ? "标题 \(path)" : nil, contentHash: crawled ? "h\(path)" : nil,
            depth: depth, crawled: crawled, etag: path.hasPrefix("a") ? "\"e\(path)\"" : nil, lastModified: nil)
    }

    static func finding(_ n: Int, severity: Severity = .deduct) -> Finding {
        var f = Finding(
            rule: "column.stale", indicator: .columnStale, severity: severity, points: Double(n) / 2,
            url: "http://www.example.gov.cn/p\(n)", subject: "栏目\(n)", department: "办公室", foundOn: ["http://www.example.gov.cn/"],
            message: "第\(n)条", evidence: ["days": .int(n), "share": .double(0.5), "title": .string("通知 \"引号\""), "none": .null])
        f.id = "id\(n)"
        return f
    }

    static func json(_ findings: [Finding]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(findings), as: UTF8.self)
    }

    /// The scenario's answers, labelled, in order.
    static func scenario(_ store: any RunStore) throws -> [(String, String)] {
        var out: [(String, String)] = []
        func note(_ label: String, _ value: Any) { out.append((label, "\(value)")) }
        func urlsOf(_ links: PageLinks) throws -> [String] {
            let targets = links.storedTargets
            let names = try store.urls(ids: targets.map(\.to))
            return targets.map { "\(names[$0.to] ?? "?") \($0.kind.rawValue)" }
        }

        // Run 1: two batches, a page recorded again, a redirect, a checked external URL.
        let r1 = try store.createRun(
            RunRecord(sites: site, asOf: Day(iso: "2026-11-01")!, options: "{\"maxPages\":10}", startedAt: "2026-11-01T09:00:00+08:00"))
        note("unfinished1", try store.unfinishedRun(sites: site)?.id ?? -1)
        var home = page("", depth: 0)
        home.finalURL = home.url
        var redirected = page("old", status: 200)
        redirected.finalURL = "http://www.example.gov.cn/new"
        let broken = page("gone", status: 404, linkClass: .broken, crawled: false)
        let external = PageRecord(
            url: "http://other.example.com/x", finalURL: "http://other.example.com/x", status: 0, linkClass: .blocked, reason: .failure(.refused), depth: 2,
            crawled: false)
        var homeLinks = PageLinks(from: home.url)
        homeLinks.append(to: page("a1").url, kind: .a, text: "第一")
        homeLinks.append(to: page("a1").url, kind: .a, text: "again, same target and kind: dropped")
        homeLinks.append(to: page("a1").url, kind: .img, text: "")
        homeLinks.append(to: broken.url, kind: .a, text: "坏链")
        homeLinks.append(to: external.url, kind: .a, text: "外部")
        homeLinks.append(to: page("pending").url, kind: .a, text: "not fetched yet")
        var a1Links = PageLinks(from: page("a1").url)
        a1Links.append(to: broken.url, kind: .a, text: "坏链 again")
        a1Links.append(to: page("deep").url, kind: .a, text: "deeper")
        try store.record(
            run: r1, pages: [home, page("a1"), broken], links: [homeLinks, a1Links],
            facts: [
                StoredFacts(url: home.url, key: key, asOf: nil, data: [1, 2, 3]),
                StoredFacts(url: page("a1").url, key: key, asOf: Day(iso: "2026-11-01")!, data: [4, 5]),
            ])
        var a1Again = page("a1")
        a1Again.title = "recorded again"
        try store.record(
            run: r1, pages: [redirected, external, a1Again, a1Again], links: [PageLinks(from: redirected.url)],
            facts: [StoredFacts(url: redirected.url, key: key + 1, asOf: nil, data: [9])])

        note("pages1", try store.pages(run: r1).sorted { $0.url < $1.url })
        note("links1", try store.links(run: r1).map { "\($0.from) \($0.to) \($0.kind.rawValue) \($0.text)" }.sorted())
        note("fetched1", try store.fetchedURLs(run: r1).sorted())
        note("pending1", try store.pendingTargets(run: r1))
        note("broken1", try store.brokenLinkSources(run: r1))
        var facts1: [String] = []
        try store.forEachPageFacts(run: r1) { url, depth, f in facts1.append("\(url) \(depth) \(f.key) \(f.asOf?.description ?? "-") \(f.data)") }
        note("facts1", facts1.sorted())

        try store.saveFindings(run: r1, [finding(1), finding(2, severity: .veto), finding(3)])
        var done1 = try XCTUnwrap(try store.run(id: r1))
        done1.status = .done; done1.finishedAt = "2026-11-01T09:10:00+08:00"; done1.pagesFetched = 4; done1.score = 91.5; done1.verdict = .pass
        try store.finishRun(done1)
        note("unfinished-after-done", try store.unfinishedRun(sites: site)?.id ?? -1)

        // Run 2: an incremental re-sweep of the same site a week later.
        let r2 = try store.createRun(RunRecord(sites: site, asOf: Day(iso: "2026-11-08")!, startedAt: "2026-11-08T09:00:00+08:00"))
        note("previous2", try store.previousRun(sites: site, before: r2)?.id ?? -1)
        try store.prepareBaseline(run: r1, key: key, asOf: Day(iso: "2026-11-08")!)
        for url in [home.url, page("a1").url, redirected.url, broken.url, "http://www.example.gov.cn/never"] {
            guard let b = try store.baselinePage(run: r1, url: url, key: key, asOf: Day(iso: "2026-11-08")!) else {
                note("baseline \(url)", "nil")
                continue
            }
            note("baseline \(url)", "\(b.record) facts=\(b.facts.map { "\($0)" } ?? "nil")")
            note("baseline links \(url)", try urlsOf(b.links))
        }
        // Asked again (a redirect reached twice): the same answer.
        note("baseline again", try store.baselinePage(run: r1, url: home.url, key: key, asOf: Day(iso: "2026-11-08")!).map { "\($0.record)" } ?? "nil")
        // The home page reused: its stored row and facts written for run 2 as they are.
        let b = try XCTUnwrap(try store.baselinePage(run: r1, url: home.url, key: key, asOf: Day(iso: "2026-11-08")!))
        try store.record(
            run: r2, pages: [home], links: [b.links], facts: [try XCTUnwrap(b.facts)])
        store.endBulkWrites()
        note("links2", try store.links(run: r2).map { "\($0.from) \($0.to) \($0.kind.rawValue) \($0.text)" }.sorted())
        note("pending2", try store.pendingTargets(run: r2))

        // Findings: 2 carried over (first seen in run 1), 4 new, 1 and 3 fixed.
        try store.saveFindings(run: r2, [finding(4), finding(2, severity: .veto)])
        note("firstSeen2", try store.firstSeen(run: r2).sorted { $0.key < $1.key })
        note("findings2", try json(store.findings(run: r2)))
        note("findings1-filtered", try store.findings(run: r1) { $0 != "id2" }.map(\.id))
        note("counts1", try store.findingCounts(run: r1).sorted { $0.key.rawValue < $1.key.rawValue })
        var done2 = try XCTUnwrap(try store.run(id: r2))
        done2.status = .done; done2.finishedAt = "2026-11-08T09:05:00+08:00"
        try store.finishRun(done2)
        // Saved again (a resumed run finishing): replaced, not doubled; first-seen kept.
        try store.saveFindings(run: r2, [finding(4), finding(2, severity: .veto)])
        note("findings2-again", try store.findings(run: r2).count)

        // Run 3 of the same site: a finding fixed in run 2 and reported again starts afresh.
        let r3 = try store.createRun(RunRecord(sites: site, asOf: Day(iso: "2026-11-15")!, startedAt: "2026-11-15T09:00:00+08:00"))
        try store.saveFindings(run: r3, [finding(1), finding(2, severity: .veto), finding(4)])
        note("firstSeen3", try store.firstSeen(run: r3).sorted { $0.key < $1.key })
        var failed3 = try XCTUnwrap(try store.run(id: r3))
        failed3.status = .interrupted; failed3.finishedAt = "2026-11-15T09:01:00+08:00"
        try store.finishRun(failed3)

        // Another site, left unfinished: what a resume reads.
        let other = ["http://other.gov.cn/"]
        let r4 = try store.createRun(RunRecord(sites: other, asOf: Day(iso: "2026-11-15")!, startedAt: "2026-11-15T10:00:00+08:00"))
        var start = PageLinks(from: "http://other.gov.cn/")
        start.append(to: "http://other.gov.cn/b", kind: .a, text: "b")
        start.append(to: "http://other.gov.cn/c", kind: .a, text: "c")
        try store.record(
            run: r4, pages: [PageRecord(url: "http://other.gov.cn/", finalURL: "http://other.gov.cn/", status: 200, linkClass: .ok, reason: .none, depth: 0)],
            links: [start], facts: [StoredFacts(url: "http://other.gov.cn/", key: key, asOf: nil, data: [7])])
        note("resume4", try store.unfinishedRun(sites: other)?.id ?? -1)
        note("resume3", try store.unfinishedRun(sites: site)?.id ?? -1)
        note("pending4", try store.pendingTargets(run: r4))
        note("fetched4", try store.fetchedURLs(run: r4).sorted())
        note(
            "runs",
            try store.runs().map {
                "\($0.id) \($0.sites) \($0.asOf) \($0.status.rawValue) \($0.finishedAt ?? "-") \($0.score ?? -1) \($0.verdict?.rawValue ?? "-") \($0.options)"
            })
        // A site's own runs (its trend), and none of another site's.
        note("runs-of-site", try store.runs(sites: site).map { "\($0.id) \($0.status.rawValue)" })
        note("runs-of-other", try store.runs(sites: other).map { "\($0.id) \($0.status.rawValue)" })
        note("runs-of-none", try store.runs(sites: ["http://never.gov.cn/"]).count)
        XCTAssertThrowsError(try store.finishRun(RunRecord(id: 999, sites: site, asOf: Day(value: 0), startedAt: "x")))

        // Probes.
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        for (i, status) in [200, 503, 200].enumerated() {
            try store.recordProbe(
                ProbeRecord(
                    url: home.url, at: t0.addingTimeInterval(Double(i) * 3600), status: status, seconds: 0.5, linkClass: status == 200 ? .ok : .broken,
                    reason: status == 200 ? .none : .status(503)))
        }
        try store.recordProbe(ProbeRecord(url: "http://other.gov.cn/", at: t0, status: 200, seconds: 0.1, linkClass: .ok))
        note(
            "probes",
            try store.probes(url: home.url, since: t0.addingTimeInterval(1)).map {
                "\($0.at.timeIntervalSince1970) \($0.status) \($0.linkClass.rawValue) \($0.reason)"
            })

        // The run lock: a second sweep of the same sites is refused until the first lets go.
        var lock: RunLock? = try store.acquireRunLock(sites: site)
        note("lock-busy", (try? store.acquireRunLock(sites: site)) == nil)
        lock?.release()
        lock = nil
        note("lock-again", (try? store.acquireRunLock(sites: site)) != nil)
        return out
    }
}
#endif
