import Foundation
package import Parse
package import Store
import Synchronization
import Vocabulary

/// Links a page shows only once a browser ran its scripts (a list filled after load): its
/// rendered DOM's links, with the base they resolve against.
package struct LaterLinks: Sendable {
    package var links: [Link]
    package var baseHref: String?

    package init(links: [Link] = [], baseHref: String? = nil) {
        self.links = links
        self.baseHref = baseHref
    }
}

extension PageInspection {
    package func inspect(_ page: CrawledPage, storing settings: FactsSettings?) -> (facts: StoredFacts?, later: Task<LaterLinks, Never>?) {
        (facts(of: page, storing: settings), nil)
    }
}

/// A page whose later links are coming: what its static links were, to add the new ones to.
struct LaterPage: Sendable {
    let task: Task<LaterLinks, Never>
    let page: CrawlURL
    let depth: Int
    /// The page's static links row, and the keys of its targets.
    let links: PageLinks
    let seen: KeySet
}

/// Pages whose later links are coming, by URL, from the page task until the driver has taken
/// the page's own result (so the page's links row is written before the one that adds to it).
final class LaterPages: Sendable {
    private let pages = Mutex<[String: LaterPage]>([:])
    /// (Read by the driver for every page taken: no lock while there is none, the usual case.)
    private let count = Atomic(0)

    func add(_ p: LaterPage) {
        pages.withLock { $0[p.page.string] = p }
        count.add(1, ordering: .releasing)
    }

    func take(_ url: String) -> LaterPage? {
        guard count.load(ordering: .acquiring) > 0 else { return nil }
        guard let p = pages.withLock({ $0.removeValue(forKey: url) }) else { return nil }
        count.subtract(1, ordering: .relaxed)
        return p
    }
}

extension Crawler {
    /// A page's later links, once they come: those its static page did not have are added to
    /// its links row and discovered as any link of the page is (the driver queues them under
    /// the same scope, robots.txt, filters, trap guard and page budget, or counts why not).
    func laterLinks(_ p: LaterPage, scope: Set<String>) async -> JobResult {
        let later = await p.task.value
        var links = p.links
        var seen = p.seen
        var discovered: [Discovered] = []
        var unusable: [Unusable] = []
        let base = later.baseHref.flatMap { p.page.resolve($0) } ?? p.page
        for link in later.links {
            guard let target = base.resolve(link.href) else {
                unusable.append(Unusable(key: wordHash("\u{1}" + link.href), reason: Crawler.unusableReason(link.href)))
                continue
            }
            let key = Frontier.key(target)
            guard seen.insert(key) else { continue }  // the static page had it
            if link.kind == .link, let rel = link.rel?.lowercased(),
                rel.contains("dns-prefetch") || rel.contains("preconnect") || rel.contains("canonical")
            {
                continue
            }
            links.append(to: target.string, kind: link.kind, text: link.text)
            if link.kind == .form { continue }
            discovered.append(Crawler.discovered(target, kind: link.kind, key: key, on: p.page, scope: scope))
        }
        return .later(depth: p.depth, links: links.count > p.links.count ? links : nil, discovered: discovered, unusable: unusable)
    }
}
