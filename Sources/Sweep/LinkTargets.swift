package import Store
package import Vocabulary

extension LinkStore {
    /// Every target of the run that is not ok, with the pages that link to it.
    package func linkTargets(run: Int64, scope: Set<String>) throws -> [LinkTarget] {
        try brokenLinkSources(run: run).compactMap { t in
            guard !t.sources.isEmpty else { return nil }  // a start URL nobody links to
            var t = t
            t.isInternal = CrawlURL(t.url).map { scope.contains($0.authority) } ?? false
            return t
        }
    }
}
