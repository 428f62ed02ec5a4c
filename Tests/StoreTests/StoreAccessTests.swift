import Dispatch
import Foundation
import Store
import Vocabulary
import XCTest

/// Async callers reach a store through `perform`, which runs the store's synchronous calls on a
/// queue of the store's own: never on the cooperative pool's threads, which the crawl's tasks and
/// a fleet worker's heartbeat share (a blocked pool thread there delayed the heartbeat).
final class StoreAccessTests: StoreTestCase {
    /// Which queue a call ran on: each queue under test is marked with its name.
    static let mark = DispatchSpecificKey<String>()
    static func queueLabel() -> String { DispatchQueue.getSpecific(key: mark) ?? "not a store queue" }

    func testSQLiteCallsRunOnTheStoresOwnQueueInTurn() async throws {
        let store = try makeStore()
        store.queue.setSpecific(key: Self.mark, value: "govsweep.sqlite")
        let labels = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { try await store.perform { Self.queueLabel() } }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        XCTAssertEqual(labels, ["govsweep.sqlite"])
        // A batch of calls in one hop, with their results and errors.
        let id = try await store.perform { try store.createRun(RunRecord(sites: ["http://a/"], asOf: Day(iso: "2026-11-01")!, startedAt: "t")) }
        let run = try await store.perform { try store.run(id: id) }
        XCTAssertEqual(run?.sites, ["http://a/"])
        do {
            try await store.perform { try store.finishRun(RunRecord(id: 999, sites: [], asOf: Day(value: 0), startedAt: "")) }
            XCTFail("no run 999")
        } catch let e as StoreError {
            XCTAssertTrue(e.description.contains("no run with id 999"), e.description)
        }
    }

    func testOtherStoresRunOnTheSharedStoreQueue() async throws {
        let store = MemoryStore()
        StoreThreads.shared.setSpecific(key: Self.mark, value: "govsweep.store")
        let label = try await store.perform { Self.queueLabel() }
        XCTAssertEqual(label, "govsweep.store")
    }
}
