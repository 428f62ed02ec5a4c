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

/// A page that links to a broken (or blocked) target: what the store reads back of a link
/// (`BrokenLink`) and what the link rule reports of it (`LinkTarget`), one type for both.
public struct LinkSource: Sendable, Equatable, Hashable {
    public var from: String
    public var kind: LinkKind
    public var text: String
    public init(from: String, kind: LinkKind, text: String) { self.from = from; self.kind = kind; self.text = text }
}
