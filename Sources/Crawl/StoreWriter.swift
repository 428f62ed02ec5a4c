import Foundation
import Store
import Synchronization

/// Batches page and link records and writes them on a background queue, so the
/// store never sits on the crawl's hot path. The first write error is kept and
/// reported by `finish()`.
final class StoreWriter: Sendable {
    private struct State {
        var pages: [PageRecord] = []
        var links: [PageLinks] = []
        var facts: [StoredFacts] = []
        var error: Error?
        var queued = 0
        /// The driver, waiting for the store to catch up.
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "govsweep.store-writer")
    private let store: any PageStore
    private let run: Int64
    private let batchPages: Int

    init(store: any PageStore, run: Int64, batchPages: Int = 128) {
        self.store = store
        self.run = run
        self.batchPages = batchPages
    }

    /// Queues a page and its links. When the store falls behind, waits (without blocking
    /// a thread) until it catches up, so batches never pile up in memory.
    func add(page: PageRecord, links: PageLinks? = nil, facts: StoredFacts? = nil) async {
        let batch: Batch? = state.withLock { s in
            s.pages.append(page)
            if let links, links.count > 0 { s.links.append(links) }
            if let facts { s.facts.append(facts) }
            guard s.pages.count >= batchPages else { return nil }
            defer { s.pages = []; s.links = []; s.facts = []; s.queued += 1 }
            return Batch(pages: s.pages, links: s.links, facts: s.facts)
        }
        guard let batch else { return }
        queue.async {
            self.write(batch)
            let waiter = self.state.withLock { s -> CheckedContinuation<Void, Never>? in
                s.queued -= 1
                guard s.queued <= StoreWriter.resumeAt, let w = s.waiter else { return nil }
                s.waiter = nil
                return w
            }
            waiter?.resume()
        }
        if state.withLock({ $0.queued }) > StoreWriter.waitAt {
            await withCheckedContinuation { c in
                let resumeNow = state.withLock { s -> Bool in
                    if s.queued <= StoreWriter.resumeAt { return true }
                    s.waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }

    /// Replaces the links row of a page queued before (its links that came later added).
    func add(links: PageLinks) {
        state.withLock { $0.links.append(links) }
    }

    /// Batches queued before the driver waits, and after which it goes on.
    static let waitAt = 4
    static let resumeAt = 1

    struct Batch: Sendable {
        var pages: [PageRecord]
        var links: [PageLinks]
        var facts: [StoredFacts]
        var isEmpty: Bool { pages.isEmpty && links.isEmpty && facts.isEmpty }
    }

    private func write(_ b: Batch) {
        do {
            try store.record(run: run, pages: b.pages, links: b.links, facts: b.facts)
        } catch {
            state.withLock { if $0.error == nil { $0.error = error } }
        }
    }

    /// Writes what is left and waits for every write (suspended, not blocking a thread of the
    /// cooperative pool: the queue's last batch can take a second on a big run); throws the
    /// first error.
    func finish() async throws {
        let rest = state.withLock { s -> Batch in
            defer { s.pages = []; s.links = []; s.facts = [] }
            return Batch(pages: s.pages, links: s.links, facts: s.facts)
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            queue.async {
                if !rest.isEmpty { self.write(rest) }
                c.resume()
            }
        }
        if let e = state.withLock({ $0.error }) { throw e }
    }
}
