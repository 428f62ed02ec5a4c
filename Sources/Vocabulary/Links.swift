/// What one fetch (or link check) came to. A blocked link is not a broken link:
/// rate limits and firewall refusals are told apart from dead targets.
package enum LinkClass: String, Sendable, Codable, CaseIterable {
    case ok
    /// 404/410/5xx, DNS failure, refused, reset, timeout, too many redirects, redirect loop.
    case broken
    /// 401/403/429 and firewall-style refusals.
    case blocked
    case tlsError = "tls-error"
}

/// The element a link was found on (`<a href>`, `<img src>`, …).
package enum LinkKind: String, Sendable, Codable, CaseIterable {
    case a, area, img, script, link, iframe, frame, source, form
}

/// A page that links to a broken (or blocked) target, as the store reads it back and the
/// link rule reports it (`LinkTarget.sources`).
package struct LinkSource: Sendable, Equatable, Hashable {
    package var from: String
    package var kind: LinkKind
    package var text: String
    package init(from: String, kind: LinkKind, text: String) { self.from = from; self.kind = kind; self.text = text }
}

/// A link target that is not ok, with the pages that link to it: what the store reads back
/// of a run (`LinkStore.brokenLinkSources`) and the link rule reports, one type for both.
package struct LinkTarget: Sendable, Equatable {
    package var url: String
    package var status: Int
    package var linkClass: LinkClass
    package var reason: FetchReason
    /// On one of the swept hosts.
    package var isInternal: Bool
    /// A sample of the pages that link here: the first `maxSources` by (source URL, kind,
    /// text), so the same whatever order the run's links were stored in.
    package var sources: [LinkSource]
    /// How many pages link here in all.
    package var pageCount: Int
    package static let maxSources = 64

    package init(
        url: String, status: Int, linkClass: LinkClass, reason: FetchReason, isInternal: Bool, sources: [LinkSource],
        pageCount: Int? = nil
    ) {
        self.pageCount = pageCount ?? Set(sources.map(\.from)).count
        self.url = url; self.status = status; self.linkClass = linkClass; self.reason = reason
        self.isInternal = isInternal; self.sources = sources
    }
}
