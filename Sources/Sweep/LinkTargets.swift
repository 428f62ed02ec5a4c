public import Inspect
public import Store
import Vocabulary

extension LinkStore {
    /// Every target of the run that is not ok, with the pages that link to it.
    public func linkTargets(run: Int64, scope: Set<String>) throws -> [LinkTarget] {
        try brokenLinkSources(run: run).compactMap { b in
            guard !b.sources.isEmpty else { return nil }  // a start URL nobody links to
            let inScope = CrawlURL(b.target.url).map { scope.contains($0.authority) } ?? false
            return LinkTarget(
                url: b.target.url, status: b.target.status,
                linkClass: b.target.linkClass, reason: b.target.reason,
                isInternal: inScope,
                sources: b.sources,
                pageCount: b.pageCount)
        }
    }
}
