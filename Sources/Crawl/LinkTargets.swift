public import Inspect
public import Store
import Fetch

extension RunStore {
    /// Every target that is not ok, with the pages that link to it.
    public func linkTargets(run: Int64, scope: Set<String>) throws -> [LinkTarget] {
        var bad: [String: PageRecord] = [:]
        for p in try pages(run: run) where p.linkClass != LinkClass.ok.rawValue { bad[p.url] = p }
        guard !bad.isEmpty else { return [] }
        var sources: [String: [LinkTarget.Source]] = [:]
        for l in try links(run: run) where bad[l.to] != nil {
            sources[l.to, default: []].append(.init(page: l.from, kind: l.kind, text: l.text))
        }
        return bad.values.compactMap { p in
            guard let src = sources[p.url], !src.isEmpty else { return nil }  // a start URL nobody links to
            let inScope = CrawlURL(p.url).map { scope.contains($0.authority) } ?? false
            return LinkTarget(url: p.url, status: p.status, linkClass: LinkClass(rawValue: p.linkClass) ?? .broken,
                              reason: p.reason, isInternal: inScope, sources: src)
        }
    }
}
