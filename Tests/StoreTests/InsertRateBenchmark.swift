import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest
import Store
import Vocabulary

/// Ad-hoc insert-rate measurement, skipped unless GOVSWEEP_STORE_BENCH is set:
///   GOVSWEEP_STORE_BENCH=1 swift test -c release --filter InsertRateBenchmark
/// It prints rates and asserts only correctness, never timing. Rates are given per wall
/// second and per CPU second of the process (the machine may be shared).
final class InsertRateBenchmark: StoreTestCase {
    private struct Clock {
        var wall = Date()
        var cpu = Clock.cpuNow()
        static func cpuNow() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        func rates(_ rows: Int, _ what: String) -> String {
            let w = Date().timeIntervalSince(wall), c = Clock.cpuNow() - cpu
            return String(
                format: "%@: %d rows in %.3f s wall (%.0f rows/s), %.3f s CPU (%.0f rows/s)",
                what, rows, w, Double(rows) / w, c, Double(rows) / c)
        }
    }

    func testInsertRates() throws {
        try XCTSkipUnless(
            ProcessInfo.processInfo.environment["GOVSWEEP_STORE_BENCH"] != nil,
            "set GOVSWEEP_STORE_BENCH=1 to measure insert rates")
        let store = try makeStore()
        let run = try makeRun(store)
        let pageCount = 50_000, linksPerPage = 40, pagesPerBatch = 50
        let urls = (0..<pageCount).map { "http://www.bjxch.gov.cn/xxgk/zwdt/2022/\($0 / 100)/t2022110\($0).html" }

        // Pages alone, in batches as the crawler writes them. Records are built before timing.
        let pageBatches = stride(from: 0, to: pageCount, by: pagesPerBatch).map { batch in
            urls[batch..<min(batch + pagesPerBatch, pageCount)].enumerated().map { i, url in
                PageRecord(
                    url: url, finalURL: url, status: 200, linkClass: .ok, reason: .none, contentType: "text/html",
                    charset: "utf-8", bytes: 20_000 + i, seconds: 0.2, title: "西城区政府信息公开 \(i)",
                    contentHash: "0123456789abcdef", depth: 3, crawled: true)
            }
        }
        var start = Clock()
        for pages in pageBatches { try store.record(run: run, pages: pages, links: []) }
        let pageRates = start.rates(pageCount, "pages (batches of \(pagesPerBatch))")

        // Links alone: each page links to 40 others (nav, lists, footer), about 2M rows.
        let texts = ["首页", "政务公开", "通知公告", "", "下一页", "政策文件 2022 年第 12 号"]
        var linkRows = 0
        var linkBatches: [[LinkRecord]] = []
        for batch in stride(from: 0, to: pageCount, by: pagesPerBatch) {
            var links: [LinkRecord] = []
            links.reserveCapacity(pagesPerBatch * linksPerPage)
            for p in batch..<min(batch + pagesPerBatch, pageCount) {
                for k in 0..<linksPerPage {
                    links.append(
                        LinkRecord(
                            from: urls[p], to: urls[(p &* 31 &+ k &* 977) % pageCount],
                            kind: k % 10 == 0 ? .img : .a, text: texts[k % texts.count]))
                }
            }
            linkRows += links.count
            linkBatches.append(links)
        }
        start = Clock()
        for links in linkBatches { try store.record(run: run, pages: [], links: links) }
        let linkRates = start.rates(linkRows, "links, known URLs (batches of \(pagesPerBatch * linksPerPage))")

        // Fresh URLs: every link target is new to the store (interning inserts).
        let fresh = try makeRun(store)
        var freshRows = 0
        let freshBatches = (0..<100).map { batch in
            (0..<5_000).map { k in
                LinkRecord(
                    from: urls[batch], to: "http://ext.example.cn/\(batch)/\(k)?id=\(k &* 7919)",
                    kind: .a, text: "外部链接")
            }
        }
        start = Clock()
        for links in freshBatches {
            freshRows += links.count
            try store.record(run: fresh, pages: [], links: links)
        }
        let freshRates = start.rates(freshRows, "links, new URLs (batches of 5000)")

        print(pageRates)
        print(linkRates)
        print(freshRates)

        start = Clock()
        let fetched = try store.fetchedURLs(run: run)
        let pending = try store.pendingTargets(run: fresh)
        let broken = try store.brokenLinkSources(run: run)
        print(
            start.rates(
                fetched.count + pending.count + broken.count,
                "reads (fetchedURLs + pendingTargets + brokenLinkSources)"))
        XCTAssertEqual(fetched.count, pageCount)
        XCTAssertEqual(pending.count, freshRows)
        XCTAssertEqual(broken.count, 0)
        let size = try FileManager.default.attributesOfItem(atPath: storePath())[.size] as? Int ?? 0
        let wal = (try? FileManager.default.attributesOfItem(atPath: storePath() + "-wal")[.size] as? Int) ?? 0
        print("file: \(size / 1_048_576) MB, wal: \(wal / 1_048_576) MB")
    }
}
