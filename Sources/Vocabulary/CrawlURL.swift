import Foundation
import Synchronization

/// An absolute http(s) URL in normal form: scheme and host lowercased, default port
/// dropped, fragment dropped, dot segments resolved, percent-encoding normalised
/// (unreserved characters decoded, hex upper-cased, non-ASCII and spaces encoded
/// as UTF-8). Two spellings of one resource give one `CrawlURL`.
///
/// Stored as the one normal-form string plus offsets, because a crawl resolves
/// hundreds of thousands of links a second and every part is a slice of it.
package struct CrawlURL: Sendable, Hashable, CustomStringConvertible {
    /// The whole URL in normal form.
    package let string: String
    // The offsets are `@usableFromInline` and the accessors the crawler calls for every link
    // `@inlinable`: CrawlURL lived in the crawl's own module, where they were inlined.
    /// UTF-8 offset where the path begins (just after the authority).
    @usableFromInline let pathStart: Int
    /// UTF-8 offset of "?", or nil when there is no query.
    @usableFromInline let queryMark: Int?
    @usableFromInline let isHTTPS: Bool

    package var scheme: String { isHTTPS ? "https" : "http" }
    /// `host` or `host:port`: the unit of scope and politeness.
    @inlinable package var authority: String { slice(isHTTPS ? 8 : 7, pathStart) }
    package var host: String {
        let a = authority
        if a.hasPrefix("[") { return String(a[...(a.firstIndex(of: "]") ?? a.index(before: a.endIndex))]) }
        return a.firstIndex(of: ":").map { String(a[..<$0]) } ?? a
    }
    /// nil when it is the scheme's default.
    package var port: Int? {
        let a = authority
        guard let colon = a.lastIndex(of: ":"), !a[colon...].contains("]") else { return nil }
        return Int(a[a.index(after: colon)...])
    }
    @inlinable package var origin: String { slice(0, pathStart) }
    /// Normalised path, always beginning with "/".
    @inlinable package var path: String { slice(pathStart, queryMark ?? string.utf8.count) }
    /// Normalised query without "?", nil when absent.
    package var query: String? { queryMark.map { slice($0 + 1, string.utf8.count) } }
    package var description: String { string }

    package static func == (a: CrawlURL, b: CrawlURL) -> Bool { a.string == b.string }
    package func hash(into h: inout Hasher) { h.combine(string) }

    /// Same scheme and authority as `other`, compared in place (no strings built).
    @inlinable package func sameOrigin(as other: CrawlURL) -> Bool {
        guard pathStart == other.pathStart, isHTTPS == other.isHTTPS else { return false }
        let n = pathStart
        return withUTF8Bytes(string) { x in withUTF8Bytes(other.string) { y in memcmp(x.baseAddress!, y.baseAddress!, n) == 0 } }
    }

    @inlinable func slice(_ from: Int, _ to: Int) -> String {
        let u = string.utf8
        return String(Substring(u[u.index(u.startIndex, offsetBy: from)..<u.index(u.startIndex, offsetBy: to)]))
    }

    /// The path's last segment's extension, lowercased ("pdf"), "" when none.
    package var pathExtension: String {
        let end = queryMark ?? string.utf8.count
        let start = pathStart
        return withUTF8Bytes(string) { u -> String in
            var i = end - 1
            while i >= start {
                let b = u[i]
                if b == 47 { return "" }
                if b == 46 {
                    if u[i - 1] == 47 { return "" }
                    var ext = String(decoding: UnsafeBufferPointer(rebasing: u[(i + 1)..<end]), as: UTF8.self)
                    if ext.utf8.contains(where: { $0 >= 65 && $0 <= 90 }) { ext = ext.lowercased() }
                    return ext
                }
                i -= 1
            }
            return ""
        }
    }

    /// Whether the path ends in "/" or in ".html", ".htm" or ".shtml" (any case): a page, with
    /// no extension to look up among the file types (most links; read as bytes).
    @inlinable package var hasPagePath: Bool {
        let end = queryMark ?? string.utf8.count
        guard end > pathStart else { return true }
        return withUTF8Bytes(string) { u -> Bool in
            if u[end - 1] == 47 { return true }
            @inline(__always) func endsWith(_ ext: StaticString) -> Bool {
                let n = ext.utf8CodeUnitCount
                guard end - n > pathStart else { return false }
                let e = ext.utf8Start
                for k in 0..<n where u[end - n + k] | (u[end - n + k] >= 65 && u[end - n + k] <= 90 ? 0x20 : 0) != e[k] { return false }
                return true
            }
            return endsWith(".html") || endsWith(".htm") || endsWith(".shtml")
        }
    }

    /// A key under which permutations of the same query collapse: parameters sorted.
    package var dedupKey: String {
        guard let q = queryMark, string.utf8[string.utf8.index(string.utf8.startIndex, offsetBy: q)...].contains(38) else { return string }
        return origin + path + "?" + query!.split(separator: "&", omittingEmptySubsequences: false).sorted().joined(separator: "&")
    }

    /// Builds from normalised bytes: "http(s)://" authority path [? query].
    private init(bytes: [UInt8], isHTTPS: Bool, pathStart: Int) {
        self.init(normalized: String(decoding: bytes, as: UTF8.self), isHTTPS: isHTTPS, pathStart: pathStart)
    }

    /// The same from the normalised string.
    private init(normalized: String, isHTTPS: Bool, pathStart: Int) {
        var q: Int? = nil
        var i = 0
        for b in normalized.utf8 {
            if i >= pathStart && b == 63 { q = i; break }
            i += 1
        }
        self.init(normalized: normalized, isHTTPS: isHTTPS, pathStart: pathStart, queryMark: q)
    }

    /// The same when the caller knows where the query starts.
    private init(normalized: String, isHTTPS: Bool, pathStart: Int, queryMark: Int?) {
        self.isHTTPS = isHTTPS
        self.pathStart = pathStart
        self.queryMark = queryMark
        self.string = normalized
    }

    init(scheme: String, host: String, port: Int?, path: String, query: String?) {
        var b = Array((scheme + "://" + host).utf8)
        if let port { b += Array(":\(port)".utf8) }
        let ps = b.count
        b += Array(path.utf8)
        if let query { b.append(63); b += Array(query.utf8) }
        self.init(bytes: b, isHTTPS: scheme == "https", pathStart: ps)
    }

    /// Parses an absolute URL; nil when it is not http(s) or not a URL.
    package init?(_ string: String) {
        if let u = CrawlURL.normalAbsolute(string) {
            self = u
            return
        }
        guard let u = CrawlURL.resolveGeneral(string, against: nil) else { return nil }
        self = u
    }

    /// A URL this program normalised and stored (the run store's urls): its parts are found,
    /// not normalised again. Anything that does not look normalised takes the full parse.
    package init?(stored string: String) {
        guard let (https, pathStart, query) = CrawlURL.storedParts(string) else {
            guard let full = CrawlURL.resolveGeneral(string, against: nil) else { return nil }
            self = full
            return
        }
        self.init(normalized: string, isHTTPS: https, pathStart: pathStart, queryMark: query)
    }

    /// Scheme, path start and query mark of a URL as this program writes them; nil when it is
    /// not so (another scheme or case, a fragment, a space, a non-ASCII authority, no path).
    private static func storedParts(_ string: String) -> (https: Bool, pathStart: Int, query: Int?)? {
        let u = string.utf8
        let https = u.starts(with: "https://".utf8)
        guard https || u.starts(with: "http://".utf8) else { return nil }
        let authorityStart = https ? 8 : 7
        var pathStart = -1, query: Int? = nil
        var i = 0
        for b in u {
            if i >= authorityStart {
                if pathStart < 0 {
                    if b == 47 { pathStart = i } else if (b >= 65 && b <= 90) || b == 35 || b == 63 || b <= 32 || b >= 0x80 { return nil }
                } else if b == 63 && query == nil {
                    query = i
                } else if b == 35 || b <= 32 {
                    return nil
                }
            }
            i += 1
        }
        return pathStart > authorityStart ? (https, pathStart, query) : nil
    }

    /// Resolves `reference` (an href as written on a page) against this URL (RFC 3986 §5.2).
    package func resolve(_ reference: String) -> CrawlURL? {
        CrawlURL.resolve(reference, against: self)
    }

    // MARK: - Resolution

    static func resolve(_ reference: String, against base: CrawlURL?) -> CrawlURL? {
        if let base, let fast = base.resolveSimple(reference) { return fast }
        // An absolute URL does not depend on the base; templates repeat the same ones
        // (footer links to the filing and identification sites) on every page. Only
        // page references come here (`init` parses without the cache: stored URLs are
        // mostly distinct, and the lock would be contended for nothing).
        let absolute = base != nil && (reference.hasPrefix("http://") || reference.hasPrefix("https://"))
        // One already in normal form is found without the lock and the hash.
        if absolute, let fast = normalAbsolute(reference) { return fast }
        if absolute, let hit = absoluteCache.withLock({ $0[reference] }) { return hit }
        let resolved = resolveGeneral(reference, against: base)
        if absolute {
            absoluteCache.withLock { cache in
                if cache.count >= absoluteCacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[reference] = .some(resolved)
            }
        }
        return resolved
    }

    /// Absolute references already resolved (bounded: cleared when full).
    private static let absoluteCache = Mutex<[String: CrawlURL?]>([:])
    private static let absoluteCacheLimit = 4096

    /// RFC 3986 §5.2 in full, with the normalisation; `resolve` takes a shortcut for plain references.
    static func resolveGeneral(_ reference: String, against base: CrawlURL?) -> CrawlURL? {
        var bytes = cleaned(reference)
        if bytes.isEmpty { return base }
        // Drop the fragment.
        if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) { bytes.removeSubrange(hash...) }

        // Scheme.
        var rest = bytes[...]
        var scheme: String? = nil
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0,
            isAlpha(bytes[0]), bytes[..<colon].allSatisfy({ isAlpha($0) || isDigit($0) || $0 == 43 || $0 == 45 || $0 == 46 })
        {
            scheme = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
            rest = bytes[(colon + 1)...]
        }
        if let s = scheme, s != "http", s != "https" { return nil }
        // "http:foo" with a base of the same scheme is relative (RFC 3986 §5.4.2 allows it; browsers do it).
        if let s = scheme, let b = base, s == b.scheme, !rest.starts(with: [47, 47]) { scheme = nil }

        // Backslashes act as slashes in http(s) URLs, as browsers treat them.
        var r = Array(rest).map { $0 == 92 ? UInt8(47) : $0 }
        if scheme != nil && !r.starts(with: [47, 47]) {
            // "http:/x" or "http:x" without a base: treat as authority (browsers do).
            while r.first == 47 { r.removeFirst() }
            r = [47, 47] + r
        }

        let resolvedScheme: String
        var host: String
        var port: Int?
        var path: [UInt8]
        var query: [UInt8]?

        func splitQuery(_ p: [UInt8]) -> ([UInt8], [UInt8]?) {
            if let q = p.firstIndex(of: 63) { return (Array(p[..<q]), Array(p[(q + 1)...])) }
            return (p, nil)
        }

        if r.starts(with: [47, 47]) {
            // Network-path reference: //authority/path?query
            resolvedScheme = scheme ?? base?.scheme ?? "http"
            var a = Array(r.dropFirst(2))
            let end = a.firstIndex(where: { $0 == 47 || $0 == 63 }) ?? a.count
            let authority = Array(a[..<end])
            a = Array(a[end...])
            guard let (h, p) = parseAuthority(authority, scheme: resolvedScheme) else { return nil }
            host = h; port = p
            (path, query) = splitQuery(a)
            path = removeDotSegments(path.isEmpty ? [47] : path)
        } else {
            guard let b = base else { return nil }
            resolvedScheme = b.scheme; host = b.host; port = b.port
            if r.isEmpty {
                path = Array(b.path.utf8); query = b.query.map { Array($0.utf8) }
            } else if r[0] == 63 {
                path = Array(b.path.utf8); query = Array(r.dropFirst())
            } else {
                let (p, q) = splitQuery(r)
                query = q
                if p.first == 47 {
                    path = removeDotSegments(p)
                } else {
                    var merged = Array(b.path.utf8)
                    if let slash = merged.lastIndex(of: 47) { merged.removeSubrange((slash + 1)...) } else { merged = [47] }
                    path = removeDotSegments(merged + p)
                }
            }
        }
        let normPath = normalizeEscapes(path, isQuery: false)
        let normQuery = query.map { normalizeEscapes($0, isQuery: true) }
        return CrawlURL(
            scheme: resolvedScheme, host: host, port: port,
            path: normPath.isEmpty ? "/" : normPath, query: normQuery)
    }

    /// The common case, without building parts: a relative or absolute-path reference of
    /// plain ASCII with no dot segments, escapes, backslashes or fragment (a leading "./", as
    /// TRS column pages write their pager's links, `./index_2.html`, is dropped: the same
    /// reference without it). nil: use the full algorithm.
    func resolveSimple(_ reference: String) -> CrawlURL? {
        withUTF8Bytes(reference) { resolveSimple($0) }
    }

    private func resolveSimple(_ r: UnsafeBufferPointer<UInt8>) -> CrawlURL? {
        let n = r.count
        // "./x" is "x" when x starts a path segment (not "/", "?" or another dot segment).
        var s = 0
        if n > 2, r[0] == 46, r[1] == 47, r[2] != 47, r[2] != 63, r[2] != 46 { s = 2 }
        guard s < n else { return nil }
        let first = r[s]
        guard first != 47 || s + 1 >= n || r[s + 1] != 47 else { return nil }
        var segmentStart = true
        var inQuery = false
        var queryAt = -1  // offset of the reference's "?", from `s`
        var i = s
        while i < n {
            switch r[i] {
            case 97...122, 65...90, 48...57, 45, 95, 126, 33, 36, 38, 39, 40, 41, 42, 43, 44, 59, 61, 64:
                segmentStart = false
            case 46:  // "." at the start of a path segment may be a dot segment
                if segmentStart && !inQuery { return nil }
            case 47:
                segmentStart = true
            case 63:
                if !inQuery { queryAt = i - s }
                inQuery = true
                segmentStart = false
            case 58:  // ":" before any "/" or "?" could be a scheme
                if !inQuery { return nil }
            default:
                return nil
            }
            i += 1
        }
        let refCount = n - s
        // One allocation: the base's prefix and the reference copied straight into the string.
        return withUTF8Bytes(string) { b -> CrawlURL in
            let keep: Int
            if first == 47 {
                keep = pathStart
            } else if first == 63 {
                keep = queryMark ?? b.count
            } else {
                // Up to and including the last "/" of the path (the path begins with one).
                var k = (queryMark ?? b.count) - 1
                while k > pathStart && b[k] != 47 { k -= 1 }
                keep = k + 1
            }
            let joined = String(unsafeUninitializedCapacity: keep + refCount) { out in
                _ = out.initialize(fromContentsOf: UnsafeBufferPointer(rebasing: b[..<keep]))
                _ = UnsafeMutableBufferPointer(rebasing: out[keep...]).initialize(fromContentsOf: UnsafeBufferPointer(rebasing: r[s...]))
                return keep + refCount
            }
            // The base's query is never kept (keep ends before it): the reference's is the only one.
            return CrawlURL(
                normalized: joined, isHTTPS: isHTTPS, pathStart: pathStart, queryMark: queryAt < 0 ? nil : keep + queryAt)
        }
    }

    /// An absolute http(s) URL that is in normal form already, recognised without the full
    /// parse: "http://" or "https://", a host of lowercase letters, digits, "-" and "." (not
    /// ending in one) with a port that is not the default, a path, and only characters the
    /// normalisation keeps as they are (no escapes, dot segments, backslashes, fragment, white
    /// space or non-ASCII). Stored URLs, sitemap entries and a template's absolute links are
    /// so; nil: the full algorithm decides (and gives the same URL when it is one).
    static func normalAbsolute(_ string: String) -> CrawlURL? {
        withUTF8Bytes(string) { u -> CrawlURL? in
            let n = u.count
            guard n > 8, u[0] == 104, u[1] == 116, u[2] == 116, u[3] == 112 else { return nil }  // "http"
            let https: Bool
            if u[4] == 58 { https = false } else if u[4] == 115, u[5] == 58 { https = true } else { return nil }
            let slashes = https ? 6 : 5
            guard u[slashes] == 47, u[slashes + 1] == 47 else { return nil }
            let hostStart = slashes + 2
            var i = hostStart
            var colon = -1
            while i < n {
                let b = u[i]
                if b == 47 { break }
                if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 45 || b == 46 {
                    if colon >= 0 && !(b >= 48 && b <= 57) { return nil }
                } else if b == 58 && colon < 0 {
                    colon = i
                } else {
                    return nil
                }
                i += 1
            }
            guard i < n else { return nil }  // no path: the full parse adds "/"
            let pathStart = i
            let hostEnd = colon < 0 ? pathStart : colon
            guard hostEnd > hostStart, u[hostEnd - 1] != 46 else { return nil }
            if colon >= 0 {
                // Digits without a leading zero, 1 to 65535, not the scheme's default.
                let digits = pathStart - colon - 1
                guard digits >= 1, digits <= 5, u[colon + 1] != 48 else { return nil }
                var port = 0
                for k in (colon + 1)..<pathStart { port = port * 10 + Int(u[k] - 48) }
                guard port <= 65535, port != (https ? 443 : 80) else { return nil }
            }
            var segmentStart = true
            var query: Int? = nil
            i = pathStart
            while i < n {
                switch u[i] {
                case 97...122, 65...90, 48...57, 45, 95, 126, 33, 36, 38, 39, 40, 41, 42, 43, 44, 59, 61, 64, 58:
                    segmentStart = false
                case 46:  // "." at the start of a path segment may be a dot segment
                    if segmentStart && query == nil { return nil }
                case 47:
                    segmentStart = true
                case 63:
                    if query == nil { query = i }
                    segmentStart = false
                default:
                    return nil
                }
                i += 1
            }
            return CrawlURL(normalized: string, isHTTPS: https, pathStart: pathStart, queryMark: query)
        }
    }

    /// Trims surrounding whitespace (ASCII and the full-width space) and removes tabs and
    /// newlines inside, as browsers do.
    private static func cleaned(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 where b != 9 && b != 10 && b != 13 { out.append(b) }
        while let f = out.first, f == 32 || f == 12 { out.removeFirst() }
        while let l = out.last, l == 32 || l == 12 { out.removeLast() }
        // U+3000 ideographic space (E3 80 80) at either end.
        while out.starts(with: [0xE3, 0x80, 0x80]) { out.removeFirst(3) }
        while out.count >= 3 && Array(out.suffix(3)) == [0xE3, 0x80, 0x80] { out.removeLast(3) }
        return out
    }

    private static func parseAuthority(_ a: [UInt8], scheme: String) -> (String, Int?)? {
        var bytes = a
        if let at = bytes.lastIndex(of: 64) { bytes = Array(bytes[(at + 1)...]) }  // drop userinfo
        var hostBytes = bytes
        var port: Int? = nil
        if bytes.first == 91 {  // [IPv6]
            guard let close = bytes.firstIndex(of: 93) else { return nil }
            hostBytes = Array(bytes[...close])
            let after = bytes[(close + 1)...]
            if after.first == 58 { port = Int(String(decoding: after.dropFirst(), as: UTF8.self)); if after.count > 1 && port == nil { return nil } }
        } else if let colon = bytes.lastIndex(of: 58) {
            hostBytes = Array(bytes[..<colon])
            let p = bytes[(colon + 1)...]
            if !p.isEmpty {
                guard p.allSatisfy(isDigit), let v = Int(String(decoding: p, as: UTF8.self)), v > 0, v < 65536 else { return nil }
                port = v
            }
        }
        var host = String(decoding: hostBytes, as: UTF8.self).lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) { port = nil }
        return (host, port)
    }

    /// RFC 3986 §5.2.4.
    static func removeDotSegments(_ input: [UInt8]) -> [UInt8] {
        let segments = input.split(separator: 47, omittingEmptySubsequences: false)
        var out: [ArraySlice<UInt8>] = []
        let endsWithSlashish: Bool
        if let last = segments.last {
            endsWithSlashish = last.elementsEqual([46]) || last.elementsEqual([46, 46]) || isEncodedDot(last)
        } else {
            endsWithSlashish = false
        }
        for (i, seg) in segments.enumerated() {
            if i == 0 && seg.isEmpty { continue }
            if seg.elementsEqual([46]) || isEncodedDot(seg) { continue }
            if seg.elementsEqual([46, 46]) || isEncodedDotDot(seg) { if !out.isEmpty { out.removeLast() }; continue }
            out.append(seg)
        }
        var result: [UInt8] = []
        for seg in out { result.append(47); result.append(contentsOf: seg) }
        if result.isEmpty || endsWithSlashish { result.append(47) }
        return result
    }

    private static func isEncodedDot(_ s: ArraySlice<UInt8>) -> Bool {
        s.count == 3 && s.first == 37 && Array(s.dropFirst()).map({ $0 | 0x20 }) == [50, 101]
    }
    private static func isEncodedDotDot(_ s: ArraySlice<UInt8>) -> Bool {
        let a = Array(s).map { $0 | 0x20 }
        return a == [46, 37, 50, 101] || a == [37, 50, 101, 46] || a == [37, 50, 101, 37, 50, 101]
    }

    /// Decodes escapes of unreserved characters, upper-cases the hex of the rest, and
    /// encodes what may not stand in a URL (non-ASCII bytes, spaces, quotes, angle brackets …).
    package static func normalizeEscapes(_ bytes: [UInt8], isQuery: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var i = 0
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        func encode(_ b: UInt8) { out.append(37); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)]) }
        while i < bytes.count {
            let b = bytes[i]
            if b == 37 {
                if i + 2 < bytes.count, let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) {
                    let v = h << 4 | l
                    if isUnreserved(v) { out.append(v) } else { encode(v) }
                    i += 3
                    continue
                }
                encode(b)  // a stray '%'
                i += 1
                continue
            }
            if b >= 0x80 || b <= 0x20 || b == 0x7F || b == 34 || b == 60 || b == 62 || b == 96 || b == 123 || b == 125 || b == 124 || b == 94
                || (b == 39 && isQuery && false)
            {
                encode(b)
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always) private static func isAlpha(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    @inline(__always) private static func isUnreserved(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) || b == 45 || b == 46 || b == 95 || b == 126 }
    @inline(__always) private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: return b - 48
        case 65...70: return b - 55
        case 97...102: return b - 87
        default: return nil
        }
    }
}
