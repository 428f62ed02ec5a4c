import Foundation

/// The URLs of a sitemap (`<urlset>`) or the child sitemaps of a sitemap index
/// (`<sitemapindex>`). Sitemaps are machine-written with one fixed shape, so the
/// `<loc>` elements are read directly; entities and CDATA are decoded.
public struct Sitemap: Sendable, Equatable {
    public var isIndex: Bool
    public var locations: [String]

    public init(parsing bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        isIndex = text.range(of: "<sitemapindex") != nil || text.range(of: ":sitemapindex") != nil
        var locs: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "loc>") {
            // Must be an opening tag: "<loc>" or "<ns:loc>".
            let before = rest[..<open.lowerBound]
            guard let lt = before.lastIndex(of: "<"), !rest[lt...].hasPrefix("</"),
                  before[before.index(after: lt)...].allSatisfy({ $0.isLetter || $0 == ":" }) else {
                rest = rest[open.upperBound...]
                continue
            }
            guard let close = rest[open.upperBound...].range(of: "</") else { break }
            var value = String(rest[open.upperBound..<close.lowerBound])
            if value.hasPrefix("<![CDATA["), value.hasSuffix("]]>") {
                value = String(value.dropFirst(9).dropLast(3))
            } else {
                value = Sitemap.decodeEntities(value)
            }
            value = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if !value.isEmpty { locs.append(value) }
            rest = rest[close.upperBound...]
        }
        locations = locs
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
