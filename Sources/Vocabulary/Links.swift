/// What one fetch (or link check) came to. A blocked link is not a broken link:
/// rate limits and firewall refusals are told apart from dead targets.
public enum LinkClass: String, Sendable, Codable, CaseIterable {
    case ok
    /// 404/410/5xx, DNS failure, refused, reset, timeout, too many redirects, redirect loop.
    case broken
    /// 401/403/429 and firewall-style refusals.
    case blocked
    case tlsError = "tls-error"
}

/// The element a link was found on (`<a href>`, `<img src>`, …).
public enum LinkKind: String, Sendable, Codable, CaseIterable {
    case a, area, img, script, link, iframe, frame, source, form
}

/// A page that links to a broken (or blocked) target, as the store reads it back and the
/// link rule reports it (`LinkTarget.sources`).
public struct LinkSource: Sendable, Equatable, Hashable {
    public var from: String
    public var kind: LinkKind
    public var text: String
    public init(from: String, kind: LinkKind, text: String) { self.from = from; self.kind = kind; self.text = text }
}

/// A link target that is not ok, with the pages that link to it: what the store reads back
/// of a run (`LinkStore.brokenLinkSources`) and the link rule reports, one type for both.
public struct LinkTarget: Sendable, Equatable {
    public var url: String
    public var status: Int
    public var linkClass: LinkClass
    public var reason: FetchReason
    /// On one of the swept hosts.
    public var isInternal: Bool
    /// A sample of the pages that link here: the first `maxSources` by (source URL, kind,
    /// text), so the same whatever order the run's links were stored in.
    public var sources: [LinkSource]
    /// How many pages link here in all.
    public var pageCount: Int
    public static let maxSources = 64

    public init(
        url: String, status: Int, linkClass: LinkClass, reason: FetchReason, isInternal: Bool, sources: [LinkSource],
        pageCount: Int? = nil
    ) {
        self.pageCount = pageCount ?? Set(sources.map(\.from)).count
        self.url = url; self.status = status; self.linkClass = linkClass; self.reason = reason
        self.isInternal = isInternal; self.sources = sources
    }
}
