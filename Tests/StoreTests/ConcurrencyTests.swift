import Foundation
import Vocabulary
import XCTest
import Store

final class ConcurrencyTests: StoreTestCase {
    func testManyTasksShareOneStore() async throws {
        let store = try makeStore()
        let tasks = 8, batches = 10, perBatch = 20
        let runs = try await withThrowingTaskGroup(of: Int64.self) { group in
            for t in 0..<tasks {
                group.addTask {
                    let run = try store.createRun(
                        RunRecord(
                            sites: ["http://site\(t)/"], asOf: Day(iso: "2022-11-01")!,
                            startedAt: "2022-11-01T08:00:00+08:00"))
                    for b in 0..<batches {
                        // Every task shares URLs with the others, so interning races are exercised.
                        let pages = (0..<perBatch).map { i in
                            PageRecord(
                                url: "http://shared/\(b)/\(i)", finalURL: "http://shared/\(b)/\(i)",
                                status: 200, linkClass: .ok, reason: .none, depth: b)
                        }
                        let links = pages.map {
                            LinkRecord(
                                from: $0.url, to: "http://shared/next/\(t)/\(b)",
                                kind: .a, text: "\(t)")
                        }
                        try store.record(run: run, pages: pages, links: links)
                        _ = try store.fetchedURLs(run: run)
                        try store.recordProbe(
                            ProbeRecord(
                                url: "http://shared/", at: Date(), status: 200,
                                seconds: 0.01, linkClass: .ok))
                    }
                    return run
                }
            }
            var ids: [Int64] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        XCTAssertEqual(Set(runs).count, tasks)
        for run in runs {
            XCTAssertEqual(try store.pages(run: run).count, batches * perBatch)
            XCTAssertEqual(try store.links(run: run).count, batches * perBatch)
            XCTAssertEqual(try store.pendingTargets(run: run).count, batches)
        }
        XCTAssertEqual(try store.runs().count, tasks)
        XCTAssertEqual(try store.probes(url: "http://shared/", since: .distantPast).count, tasks * batches)
    }

    func testTwoHandlesOnOneFileSeeEachOthersWrites() async throws {
        let path = storePath()
        let a = try SQLiteStore(path: path)
        let b = try SQLiteStore(path: path)
        let run = try makeRun(a)
        let pagesA = (0..<50).map { page("http://h/a\($0)") }
        let pagesB = (0..<50).map { page("http://h/b\($0)") }
        async let left: Void = Task.detached {
            for i in 0..<50 {
                try a.record(
                    run: run, pages: [pagesA[i]],
                    links: [LinkRecord(from: "http://h/a\(i)", to: "http://h/x\(i)", kind: .a, text: "")])
            }
        }.value
        async let right: Void = Task.detached {
            for i in 0..<50 {
                try b.record(
                    run: run, pages: [pagesB[i]],
                    links: [LinkRecord(from: "http://h/b\(i)", to: "http://h/x\(i)", kind: .a, text: "")])
            }
        }.value
        _ = try await (left, right)
        XCTAssertEqual(try a.fetchedURLs(run: run).count, 100)
        XCTAssertEqual(try b.links(run: run).count, 100)
        XCTAssertEqual(try b.pendingTargets(run: run).count, 50)
    }
}
