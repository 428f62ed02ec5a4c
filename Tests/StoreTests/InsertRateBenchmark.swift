import Foundation
import XCTest
import Store

/// Ad-hoc insert-rate measurement, skipped unless GOVSWEEP_STORE_BENCH is set:
///   GOVSWEEP_STORE_BENCH=1 swift test -c release --filter InsertRateBenchmark
/// It prints rates and asserts only correctness, never timing.
final class InsertRateBenchmark: StoreTestCase {
    func testInsertRates() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["GOVSWEEP_STORE_BENCH"] != nil,
                          "set GOVSWEEP_STORE_BENCH=1 to measure insert rates")
        let store = try makeStore()
        let run = try makeRun(store)
        let pageCount = 50_000, linksPerPage = 40, pagesPerBatch = 50
        let urls = (0..<pageCount).map { "http://www.bjxch.gov.cn/xxgk/zwdt/2022/\($0 / 100)/t2022110\($0).html" }

        // Pages alone, in batches as the crawler writes them.
        var start = Date()
        for batch in stride(from: 0, to: pageCount, by: pagesPerBatch) {
            let pages = urls[batch..<min(batch + pagesPerBatch, pageCount)].enumerated().map { i, url in
                PageRecord(url: url, finalURL: url, status: 200, linkClass: "ok", reason: "", contentType: "text/html",
                           charset: "utf-8", bytes: 20_000 + i, seconds: 0.2, title: "西城区政府信息公开 \(i)",
                           contentHash: "0123456789abcdef", depth: 3, crawled: true)
            }
            try store.record(run: run, pages: pages, links: [])
        }
        let pageSeconds = Date().timeIntervalSince(start)

        // Links alone: each page links to 40 others (nav, lists, footer), about 2M rows.
        let texts = ["首页", "政务公开", "通知公告", "", "下一页", "政策文件 2022 年第 12 号"]
        var linkRows = 0
        start = Date()
        for batch in stride(from: 0, to: pageCount, by: pagesPerBatch) {
            var links: [LinkRecord] = []
            links.reserveCapacity(pagesPerBatch * linksPerPage)
            for p in batch..<min(batch + pagesPerBatch, pageCount) {
                for k in 0..<linksPerPage {
                    links.append(LinkRecord(from: urls[p], to: urls[(p &* 31 &+ k &* 977) % pageCount],
                                            kind: k % 10 == 0 ? "img" : "a", text: texts[k % texts.count]))
                }
            }
            linkRows += links.count
            try store.record(run: run, pages: [], links: links)
        }
        let linkSeconds = Date().timeIntervalSince(start)

        // Fresh URLs: every link target is new to the store (interning inserts).
        let fresh = try makeRun(store)
        start = Date()
        var freshRows = 0
        for batch in 0..<100 {
            let links = (0..<5_000).map { k in
                LinkRecord(from: urls[batch], to: "http://ext.example.cn/\(batch)/\(k)?id=\(k &* 7919)",
                           kind: "a", text: "外部链接")
            }
            freshRows += links.count
            try store.record(run: fresh, pages: [], links: links)
        }
        let freshSeconds = Date().timeIntervalSince(start)

        print(String(format: "pages: %d rows in %.3f s = %.0f rows/s (batches of %d)",
                     pageCount, pageSeconds, Double(pageCount) / pageSeconds, pagesPerBatch))
        print(String(format: "links (known URLs): %d rows in %.3f s = %.0f rows/s (batches of %d)",
                     linkRows, linkSeconds, Double(linkRows) / linkSeconds, pagesPerBatch * linksPerPage))
        print(String(format: "links (new URLs): %d rows in %.3f s = %.0f rows/s (batches of 5000)",
                     freshRows, freshSeconds, Double(freshRows) / freshSeconds))

        start = Date()
        let fetched = try store.fetchedURLs(run: run)
        let pending = try store.pendingTargets(run: fresh)
        let broken = try store.brokenLinkSources(run: run)
        print(String(format: "reads: fetchedURLs %d, pendingTargets %d, brokenLinkSources %d in %.3f s",
                     fetched.count, pending.count, broken.count, Date().timeIntervalSince(start)))
        XCTAssertEqual(fetched.count, pageCount)
        XCTAssertEqual(pending.count, freshRows)
        XCTAssertEqual(broken.count, 0)
        let size = try FileManager.default.attributesOfItem(atPath: storePath())[.size] as? Int ?? 0
        let wal = (try? FileManager.default.attributesOfItem(atPath: storePath() + "-wal")[.size] as? Int) ?? 0
        print("file: \(size / 1_048_576) MB, wal: \(wal / 1_048_576) MB")
    }
}
