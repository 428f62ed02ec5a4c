import Foundation
import Logging
import Store
import Vocabulary

/// A page of the baseline run that can be reused if it has not changed, read before it is
/// fetched: its stored record, facts and links row, the row's targets, and the URLs of link
/// targets no reused page had met when it was read (`Crawler.reused` looks up the ones it
/// claims first there).
struct ReusableBaseline: Sendable {
    var page: BaselinePage
    /// `page.facts`, there.
    var facts: StoredFacts
    var targets: [(to: Int64, kind: LinkKind)]
    /// Shared by the pages of one read (one dictionary, not one a page).
    var urls: [Int64: String]
}

extension Crawler {
    /// Pages a re-sweep reads the baseline records of in one store call, ahead of launching
    /// them. One call a page (a hop onto the store's thread and back, for every page) made the
    /// 20,000-page re-sweep slower; 64 pages a call are a few milliseconds of reading, with the
    /// memory of 64 pages' facts and links rows.
    static let baselineBatch = 64

    /// Whether the sweep reuses pages of a baseline run (then pages are read ahead, in batches).
    var readsBaseline: Bool { options.facts?.baselineRun != nil && inspection != nil }

    /// The baseline run's record of each page (URL and depth) when an unchanged page could be
    /// reused from it, nil where not, read in one call on the store's own thread: the calling
    /// task is suspended meanwhile, and no thread of the cooperative pool waits on the store.
    func readBaselines(_ wanted: [(url: String, depth: Int)], reusedTargets: PageClaims) async -> [ReusableBaseline?] {
        guard let settings = options.facts, let run = settings.baselineRun, inspection != nil, !wanted.isEmpty else {
            return wanted.map { _ in nil }
        }
        let store = self.store, logger = self.logger
        do {
            return try await store.perform {
                var found: [ReusableBaseline?] = []
                found.reserveCapacity(wanted.count)
                var ids = Set<Int64>()
                for (url, depth) in wanted {
                    let b = Crawler.usableBaseline(
                        store: store, run: run, url: url, depth: depth, settings: settings, logger: logger)
                    found.append(b)
                    for t in b?.targets ?? [] where t.kind != .form { ids.insert(t.to) }
                }
                guard !ids.isEmpty else { return found }
                // Only the targets no reused page has claimed yet (claims only grow: a superset of
                // those the pages will claim first when they are reused).
                let unmet = reusedTargets.unclaimed(Array(ids).map { UInt64(bitPattern: $0) }).map { Int64(bitPattern: $0) }
                do {
                    let urls = try store.urls(ids: unmet)
                    for i in found.indices { found[i]?.urls = urls }
                } catch {
                    // Unreadable URLs: the pages are parsed instead (their links are followed then).
                    logger.warning("cannot read the baseline's link targets (\(error)); \(wanted.count) pages parsed again")
                    return wanted.map { _ in nil }
                }
                return found
            }
        } catch {
            logger.debug("baseline lookup failed", metadata: ["error": "\(error)"])
            return wanted.map { _ in nil }
        }
    }

    /// The baseline run's record of `url` when an unchanged page can be reused from it: fetched
    /// as a page, not redirected, at the same depth, with facts and a content hash. (On the
    /// store's thread, from `readBaselines`.)
    static func usableBaseline(
        store: any PageStore, run: Int64, url: String, depth: Int, settings: FactsSettings, logger: Logger
    ) -> ReusableBaseline? {
        let found: BaselinePage?
        do { found = try store.baselinePage(run: run, url: url, key: settings.key, asOf: settings.asOf) } catch {
            logger.debug("baseline lookup failed", metadata: ["url": "\(url)", "error": "\(error)"])
            return nil
        }
        guard let b = found, let facts = b.facts, b.record.crawled, b.record.linkClass == .ok, b.record.finalURL == b.record.url,
            b.record.depth == depth, b.record.contentHash != nil
        else { return nil }
        return ReusableBaseline(page: b, facts: facts, targets: b.links.storedTargets, urls: [:])
    }
}
