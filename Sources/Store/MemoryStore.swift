package import Foundation
package import Vocabulary
import Synchronization

/// A `RunStore` in memory, for tests (as Hummingbird's `MemoryPersistDriver` stands beside
/// its drivers): the same answers as `SQLiteStore` for the same calls, nothing on disk.
/// URLs get ids as in SQLite, so links rows (and a reused page's row) are the same bytes.
package final class MemoryStore: RunStore {
    struct State {
        var runs: [Int64: RunRecord] = [:]
        var nextRun: Int64 = 1
        var urlIDs: [String: Int64] = [:]
        var urls: [Int64: String] = [:]
        /// run → url id → page, links row, facts.
        var pages: [Int64: [Int64: PageRecord]] = [:]
        var links: [Int64: [Int64: [UInt8]]] = [:]
        var facts: [Int64: [Int64: StoredFacts]] = [:]
        /// run → findings in order, each with its first-seen date.
        var findings: [Int64: [(finding: Finding, firstSeen: String)]] = [:]
        var probes: [ProbeRecord] = []
        var locked = false

        mutating func id(_ url: String) -> Int64 {
            if let id = urlIDs[url] { return id }
            let id = Int64(urlIDs.count + 1)
            urlIDs[url] = id
            urls[id] = url
            return id
        }
    }

    private let state = Mutex(State())

    package init() {}

    // MARK: RunRecords

    package func createRun(_ run: RunRecord) throws -> Int64 {
        state.withLock { s in
            var r = run
            r.id = s.nextRun
            s.nextRun += 1
            s.runs[r.id] = r
            return r.id
        }
    }

    package func unfinishedRun(sites: [String]) throws -> RunRecord? {
        state.withLock { s in
            let mine = s.runs.values.filter { $0.sites == sites }
            let lastDone = mine.filter { $0.status == .done }.map(\.id).max() ?? 0
            return mine.filter { $0.status != .done && $0.id > lastDone }.max { $0.id < $1.id }
        }
    }

    package func run(id: Int64) throws -> RunRecord? { state.withLock { $0.runs[id] } }

    package func runs() throws -> [RunRecord] { state.withLock { $0.runs.values.sorted { $0.id > $1.id } } }

    package func finishRun(_ run: RunRecord) throws {
        try state.withLock { s in
            guard var r = s.runs[run.id] else { throw StoreError(path: ":memory:", message: "no run with id \(run.id)") }
            r.finishedAt = run.finishedAt ?? ChinaTime.timestamp(Date())
            r.status = run.status
            r.pagesFetched = run.pagesFetched; r.pagesFailed = run.pagesFailed; r.pagesSkipped = run.pagesSkipped
            r.score = run.score; r.verdict = run.verdict
            s.runs[run.id] = r
        }
    }

    package func previousRun(sites: [String], before: Int64) throws -> RunRecord? {
        state.withLock { s in
            s.runs.values.filter { $0.sites == sites && $0.status == .done && $0.id < before }.max { $0.id < $1.id }
        }
    }

    package func acquireRunLock() throws -> RunLock {
        try state.withLock { s in
            if s.locked { throw StoreError(path: ":memory:", message: "another run holds the store") }
            s.locked = true
        }
        return RunLock(name: ":memory:") { [self] in state.withLock { $0.locked = false } }
    }

    // MARK: PageStore

    package func record(run: Int64, pages: [PageRecord], links: [PageLinks], facts: [StoredFacts]) throws {
        state.withLock { s in
            for page in pages { s.pages[run, default: [:]][s.id(page.url)] = page }
            for group in links {
                let from = s.id(group.from)
                if let row = group.storedRow {
                    s.links[run, default: [:]][from] = row
                    continue
                }
                // (target, kind) once per page, keeping the first text: as SQLiteStore.
                var row: [UInt8] = []
                var seen: Set<String> = []
                group.forEach { to, kind, text in
                    let target = String(decoding: to, as: UTF8.self)
                    let id = s.id(target)
                    guard seen.insert("\(id) \(String(decoding: kind, as: UTF8.self))").inserted else { return }
                    LinkPack.append(to: id, kind: kind, text: text, to: &row)
                }
                s.links[run, default: [:]][from] = row
            }
            for f in facts { s.facts[run, default: [:]][s.id(f.url)] = f }
        }
    }

    package func pages(run: Int64) throws -> [PageRecord] {
        state.withLock { s in (s.pages[run] ?? [:]).sorted { $0.key < $1.key }.map(\.value) }
    }

    package func baselinePage(run: Int64, url: String, key: Int64, asOf: Day) throws -> BaselinePage? {
        state.withLock { s in
            guard let id = s.urlIDs[url], let page = s.pages[run]?[id] else { return nil }
            let f = s.facts[run]?[id].flatMap { $0.key == key && ($0.asOf == nil || $0.asOf == asOf) ? $0 : nil }
            return BaselinePage(record: page, facts: f, urlID: id, links: PageLinks(from: page.url, storedRow: s.links[run]?[id] ?? []))
        }
    }

    package func urls(ids: [Int64]) throws -> [Int64: String] {
        state.withLock { s in Dictionary(ids.compactMap { id in s.urls[id].map { (id, $0) } }, uniquingKeysWith: { a, _ in a }) }
    }

    package func forEachPageFacts(run: Int64, _ body: (_ url: String, _ depth: Int, _ facts: StoredFacts) throws -> Void) throws {
        let rows = state.withLock { s in
            (s.facts[run] ?? [:]).sorted { $0.key < $1.key }.compactMap { id, f in s.pages[run]?[id].map { ($0.depth, f) } }
        }
        for (depth, f) in rows { try body(f.url, depth, f) }
    }

    package func fetchedURLs(run: Int64) throws -> Set<String> {
        state.withLock { s in Set((s.pages[run] ?? [:]).keys.compactMap { s.urls[$0] }) }
    }

    // MARK: LinkStore

    package func links(run: Int64) throws -> [LinkRecord] {
        state.withLock { s in
            var out: [LinkRecord] = []
            for (from, row) in s.links[run] ?? [:] {
                row.withUnsafeBytes { data in
                    LinkPack.forEach(data) { to, rest in
                        let (kind, text) = rest()
                        out.append(LinkRecord(from: s.urls[from] ?? "", to: s.urls[to] ?? "", kind: LinkPack.kind(kind), text: text))
                    }
                }
            }
            return out
        }
    }

    package func pendingTargets(run: Int64) throws -> [PendingTarget] {
        state.withLock { s in
            let fetched = Set((s.pages[run] ?? [:]).keys)
            var depth: [Int64: Int] = [:]
            for (from, row) in s.links[run] ?? [:] {
                // A source without a page of its own counts as depth 0.
                let d = (s.pages[run]?[from]?.depth ?? 0) + 1
                row.withUnsafeBytes { data in
                    LinkPack.forEach(data) { to, _ in
                        guard !fetched.contains(to) else { return }
                        if let old = depth[to], old <= d { return }
                        depth[to] = d
                    }
                }
            }
            return depth.compactMap { id, d in s.urls[id].map { PendingTarget(url: $0, depth: d) } }
                .sorted { ($0.depth, $0.url) < ($1.depth, $1.url) }
        }
    }

    package func brokenLinkSources(run: Int64) throws -> [LinkTarget] {
        state.withLock { s in
            let targets = (s.pages[run] ?? [:]).filter { $0.value.linkClass != .ok }.sorted { $0.value.url < $1.value.url }
            let wanted = Set(targets.map(\.key))
            var sample = SourceSample()
            var pageCounts: [Int64: Int] = [:]
            for (from, row) in (s.links[run] ?? [:]).sorted(by: { $0.key < $1.key }) {
                var counted: Set<Int64> = []
                row.withUnsafeBytes { data in
                    LinkPack.forEach(data) { to, rest in
                        guard wanted.contains(to) else { return }
                        if counted.insert(to).inserted { pageCounts[to, default: 0] += 1 }
                        sample.offer(to, from: s.urls[from] ?? "") {
                            let (kind, text) = rest()
                            return (LinkPack.kind(kind), text)
                        }
                    }
                }
            }
            return targets.map { id, target in
                LinkTarget(page: target, sources: sample.sources(of: id), pageCount: pageCounts[id] ?? 0)
            }
        }
    }

    // MARK: FindingStore

    package func saveFindings(run: Int64, _ findings: [Finding]) throws {
        guard let record = try self.run(id: run) else { throw StoreError(path: ":memory:", message: "no run with id \(run)") }
        let previous = try previousRun(sites: record.sites, before: run)?.id ?? 0
        state.withLock { s in
            var earlier: [String: String] = [:]
            for (f, seen) in s.findings[previous] ?? [] where earlier[f.id] == nil { earlier[f.id] = seen }
            s.findings[run] = findings.map { ($0, earlier[$0.id] ?? record.asOf.description) }
        }
    }

    package func findings(run: Int64, where keep: (String) -> Bool) throws -> [Finding] {
        state.withLock { $0.findings[run] ?? [] }.map(\.finding).filter { keep($0.id) }
    }

    package func firstSeen(run: Int64) throws -> [String: String] {
        Dictionary(state.withLock { $0.findings[run] ?? [] }.map { ($0.finding.id, $0.firstSeen) }, uniquingKeysWith: { a, b in min(a, b) })
    }

    package func findingCounts(run: Int64) throws -> [Severity: Int] {
        Dictionary(grouping: state.withLock { $0.findings[run] ?? [] }, by: \.finding.severity).mapValues(\.count)
    }

    // MARK: ProbeStore

    @discardableResult
    package func recordProbe(_ probe: ProbeRecord) throws -> Int64 {
        state.withLock { s in
            var p = probe
            p.id = Int64(s.probes.count + 1)
            s.probes.append(p)
            return p.id
        }
    }

    package func probes(url: String, since: Date) throws -> [ProbeRecord] {
        state.withLock { s in s.probes.filter { $0.url == url && $0.at >= since }.sorted { ($0.at, $0.id) < ($1.at, $1.id) } }
    }
}
