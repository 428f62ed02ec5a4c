import Foundation
import Parse
package import Vocabulary

/// The rules of one host's robots.txt that apply to govsweep, read as RFC 9309 says.
///
/// - The file is read as bytes: lines end at CR, LF or CRLF (in Swift `"\r\n"` is one
///   `Character`, so splitting a `String` on either never splits a CRLF file); a UTF-8 BOM
///   is skipped; `#` starts a comment; keys are case-insensitive.
/// - A group is one or more `user-agent` lines and the rules after them; rules before the
///   first `user-agent` line belong to no group and are ignored; `sitemap`, `crawl-delay` and
///   unknown lines neither start nor end a group.
/// - The group whose product token (the value's leading `[A-Za-z_-]` run, any case) is
///   "govsweep" applies, all such groups merged; else the `*` groups; else nothing.
/// - Rule paths are put in `CrawlURL`'s normal form (`Disallow: /政务/` becomes
///   `/%E6%94%BF%E5%8A%A1/`, `%7e` becomes `~`), so they compare bytewise with the URL actually
///   requested. `*` matches any run, a trailing `$` the end; `%2A` and `%24` are a literal
///   `*` and `$`. The longest pattern wins, allow wins a tie; `/robots.txt` is always allowed.
///
/// Rules are compiled once, into four tables a check walks without allocating (Benchmarks/
/// robots.sh has the figures): literal rules sorted by their bytes, walked along the path
/// (two binary searches a byte, so only the rules the path starts with are tried); wildcard
/// rules ending in `$` sorted by their last piece read backwards, walked from the path's end
/// (`/*.pdf$`); wildcard rules with a prefix of two bytes or more sorted by it; the rest (`/*?sid=`)
/// filed under a two-byte run of their pieces, tried where the path has that run. Wildcard rules
/// have the set of bytes their pieces need as a quick test. Equal rules are kept once. Paths and
/// rules of any length are matched (the RFC asks for at least 500 octets).
package struct Robots: Sendable {
    /// At most this much of a robots.txt is read: RFC 9309's least a crawler must parse, and
    /// where Google stops. The rest is ignored.
    package static let maxBytes = 500 * 1024

    /// One compiled Allow/Disallow rule. Its pieces are `pieces[firstPiece ..< firstPiece +
    /// pieceCount]`: the literal prefix first (maybe empty), then the non-empty pieces between `*`s.
    struct Rule: Sendable {
        var allow: Bool
        var anchored: Bool
        /// Specificity: the pattern's octets in normal form, `*` and `$` included.
        var length: Int32
        var firstPiece: Int32
        var pieceCount: Int32
    }

    /// Rules sorted by one of their pieces (the key): the first, or the last read backwards
    /// (`fromEnd`), a key before every longer one that starts with it.
    struct Table: Sendable {
        var rules: [Rule] = []
        /// Per rule, four 64-bit words: the bytes its pieces after the prefix need (wildcard tables).
        var sets: [UInt64] = []
        var fromEnd = false
        /// In the `anywhere` table, instead of a key piece: each rule's two bytes (first << 8 | second),
        /// ascending, and which of the 65,536 pairs occur (a bitmap), so that most of a path's pairs
        /// are passed over at once.
        var pairs: [UInt16] = []
        var present: [UInt64] = []
    }

    let literal: Table
    let suffixed: Table
    let floating: Table
    let anywhere: Table
    /// (start, end) offsets into `bytes`, two per piece.
    let pieces: [Int32]
    let bytes: [UInt8]
    /// Crawl-delay in seconds, when the group sets one.
    package let crawlDelay: Double?
    /// `Sitemap:` lines (they apply whatever the group).
    package let sitemaps: [String]

    package static let allowAll = Robots(parsing: [])

    /// The number of compiled rules that apply (duplicates dropped).
    package var ruleCount: Int { literal.rules.count + suffixed.rules.count + floating.rules.count + anywhere.rules.count }

    package init(parsing text: String, agent: String = "govsweep") {
        self.init(parsing: Array(text.utf8), agent: agent)
    }

    /// - Parameters:
    ///   - bytes: the body of robots.txt.
    ///   - truncated: the body was cut at a size cap: its unfinished last line is ignored
    ///     (half a `Disallow: /private/` line would otherwise disallow `/priv…`).
    ///   - agent: the product token to look for.
    package init(parsing bytes: [UInt8], truncated: Bool = false, agent: String = "govsweep") {
        var end = bytes.count
        if truncated {
            while end > 0 && bytes[end - 1] != 10 && bytes[end - 1] != 13 { end -= 1 }
        }
        var i = 0
        // A UTF-8 BOM, or the start of one (as Google's parser: a cut BOM is no rule either).
        for b: UInt8 in [0xEF, 0xBB, 0xBF] { if i < end && bytes[i] == b { i += 1 } else { break } }

        let me = Array(agent.lowercased().utf8)
        // Rules are kept as byte ranges of the body until the group to use is known.
        var mine: [(allow: Bool, from: Int, to: Int)] = [], star = mine
        var haveMine = false, haveStar = false
        var myDelay: Double? = nil, starDelay: Double? = nil
        var sitemaps: [String] = []
        var inGroup = false  // a user-agent line has been seen
        var agentRun = false  // the last record was a user-agent line
        var groupIsMine = false, groupIsStar = false

        while i < end {
            var lineEnd = i
            while lineEnd < end && bytes[lineEnd] != 10 && bytes[lineEnd] != 13 { lineEnd += 1 }
            defer { i = lineEnd + 1 }
            var stop = lineEnd
            var colon = -1
            for k in i..<lineEnd {
                if bytes[k] == 35 { stop = k; break }  // "#"
                if colon < 0 && bytes[k] == 58 { colon = k }
            }
            guard colon >= 0, colon < stop else { continue }
            let (ks, ke) = Robots.trim(bytes, i, colon)
            let (vs, ve) = Robots.trim(bytes, colon + 1, stop)
            let key = Robots.key(bytes, ks, ke)
            switch key {
            case .userAgent:
                if !agentRun { groupIsMine = false; groupIsStar = false }
                inGroup = true; agentRun = true
                if vs < ve && bytes[vs] == 42 && (ve == vs + 1 || bytes[vs + 1] == 32 || bytes[vs + 1] == 9) {
                    groupIsStar = true; haveStar = true
                } else {
                    // The product token: the value's leading [A-Za-z_-] run ("govsweep/1.0" names govsweep).
                    var t = vs
                    while t < ve, Robots.isTokenByte(bytes[t]) { t += 1 }
                    if t - vs == me.count && !me.isEmpty && zip(bytes[vs..<t], me).allSatisfy({ ($0 | 0x20) == $1 || $0 == $1 }) {
                        groupIsMine = true; haveMine = true
                    }
                }
            case .allow, .disallow:
                guard inGroup else { continue }  // before any user-agent line: no group
                agentRun = false
                if vs == ve { continue }  // "Disallow:" with nothing allows all
                let allow = key == .allow
                if groupIsMine { mine.append((allow, vs, ve)) }
                if groupIsStar { star.append((allow, vs, ve)) }
            case .crawlDelay:
                guard inGroup, let d = Double(String(decoding: bytes[vs..<ve], as: UTF8.self)) else { continue }
                if groupIsMine && myDelay == nil { myDelay = d }
                if groupIsStar && starDelay == nil { starDelay = d }
            case .sitemap:
                if vs < ve { sitemaps.append(String(decoding: bytes[vs..<ve], as: UTF8.self)) }
            case .other:
                continue
            }
        }

        let use = haveMine ? mine : (haveStar ? star : [])
        (literal, suffixed, floating, anywhere, pieces, self.bytes) = Robots.compile(use.map { ($0.allow, bytes[$0.from..<$0.to]) })
        crawlDelay = haveMine ? myDelay : starDelay
        self.sitemaps = sitemaps
    }

    // MARK: - Matching

    /// Whether the URL may be fetched. Its path and query are already in normal form, so they
    /// are matched where they lie in the URL string, without a copy.
    package func allows(_ url: CrawlURL) -> Bool {
        if ruleCount == 0 { return true }
        return withUTF8Bytes(url.string) { u in
            // The path starts at the first "/" after "scheme://" (an authority has none).
            var start = 8
            while start < u.count && u[start] != 47 { start += 1 }
            return allows(path: UnsafeBufferPointer(rebasing: u[start...]))
        }
    }

    /// Whether the path (with query) may be fetched; it is put in normal form first, so a raw
    /// "/政务/" and "/%E6%94%BF%E5%8A%A1/" are the same path.
    package func allows(_ pathAndQuery: String) -> Bool {
        if ruleCount == 0 { return true }
        let normal = CrawlURL.normalizeEscapes(Array(pathAndQuery.utf8), isQuery: false)
        return withUTF8Bytes(normal) { allows(path: $0) }
    }

    /// The longest matching rule's verdict for a normal-form path and query; allowed when none
    /// matches. Literal rules first: the length they reach turns most wildcard rules down unseen.
    func allows(path p: UnsafeBufferPointer<UInt8>) -> Bool {
        if Robots.isRobotsTxt(p) { return true }
        var best = (length: Int32(-1), allow: true)
        var pathSet: (UInt64, UInt64, UInt64, UInt64)? = nil
        walk(literal, p, &best, &pathSet)
        walk(suffixed, p, &best, &pathSet)
        walk(floating, p, &best, &pathSet)
        scan(anywhere, p, &best, &pathSet)
        return best.allow
    }

    /// Tries the rules of `t` whose key the path starts (or ends) with: the walk narrows `lo..<hi`
    /// to the keys that go on with the path's first `d` bytes; those exactly `d` long are tried.
    private func walk(
        _ t: Table, _ p: UnsafeBufferPointer<UInt8>, _ best: inout (length: Int32, allow: Bool),
        _ pathSet: inout (UInt64, UInt64, UInt64, UInt64)?
    ) {
        var lo = 0, hi = t.rules.count, d = 0
        while lo < hi {
            while lo < hi && keyLength(t, lo) == d {
                let r = t.rules[lo]
                let i = lo
                lo += 1
                // Only a longer rule, or an allow of the same length over a disallow, changes the verdict.
                guard r.length > best.length || (r.length == best.length && r.allow && !best.allow) else { continue }
                if r.pieceCount == 1 {
                    guard !r.anchored || d == p.count else { continue }
                } else {
                    if pathSet == nil { pathSet = Robots.byteSet(p) }
                    guard covers(pathSet!, t.sets, i), t.fromEnd ? matches(r, p) : tailMatches(r, p, from: d) else { continue }
                }
                best = (r.length, r.allow)
            }
            guard lo < hi, d < p.count else { break }
            // Narrow to the keys whose byte d is the path's (every key left is longer than d).
            let c = t.fromEnd ? p[p.count - 1 - d] : p[d]
            var a = lo, b = hi
            while a < b { let m = (a + b) / 2; if keyByte(t, m, d) < c { a = m + 1 } else { b = m } }
            lo = a; b = hi
            while a < b { let m = (a + b) / 2; if keyByte(t, m, d) <= c { a = m + 1 } else { b = m } }
            hi = a
            d += 1
        }
    }

    /// Tries the rules of the `anywhere` table filed under a two-byte run the path has.
    private func scan(
        _ t: Table, _ p: UnsafeBufferPointer<UInt8>, _ best: inout (length: Int32, allow: Bool),
        _ pathSet: inout (UInt64, UInt64, UInt64, UInt64)?
    ) {
        guard !t.rules.isEmpty, p.count >= 2 else { return }
        for i in 0..<(p.count - 1) {
            if i > 0 && p[i - 1] == p[i] && p[i] == p[i + 1] { continue }  // "zzz": the pair just tried
            let pair = UInt16(p[i]) << 8 | UInt16(p[i + 1])
            guard t.present[Int(pair >> 6)] & (1 << UInt64(pair & 63)) != 0 else { continue }
            var a = 0, b = t.pairs.count
            while a < b { let m = (a + b) / 2; if t.pairs[m] < pair { a = m + 1 } else { b = m } }
            while a < t.pairs.count && t.pairs[a] == pair {
                let r = t.rules[a]
                a += 1
                guard r.length > best.length || (r.length == best.length && r.allow && !best.allow) else { continue }
                if pathSet == nil { pathSet = Robots.byteSet(p) }
                guard covers(pathSet!, t.sets, a - 1), matches(r, p) else { continue }
                best = (r.length, r.allow)
            }
        }
    }

    @inline(__always) private func keyPiece(_ t: Table, _ i: Int) -> Int {
        let r = t.rules[i]
        return Int(t.fromEnd ? r.firstPiece + r.pieceCount - 1 : r.firstPiece)
    }

    @inline(__always) private func keyLength(_ t: Table, _ i: Int) -> Int {
        let k = keyPiece(t, i)
        return Int(pieces[2 * k + 1] - pieces[2 * k])
    }

    /// Byte `d` of rule `i`'s key, counted from the key's end in a `fromEnd` table.
    @inline(__always) private func keyByte(_ t: Table, _ i: Int, _ d: Int) -> UInt8 {
        let k = keyPiece(t, i)
        return t.fromEnd ? bytes[Int(pieces[2 * k + 1]) - 1 - d] : bytes[Int(pieces[2 * k]) + d]
    }

    @inline(__always) private func covers(_ s: (UInt64, UInt64, UInt64, UInt64), _ sets: [UInt64], _ i: Int) -> Bool {
        let t = 4 * i
        return sets[t] & ~s.0 == 0 && sets[t + 1] & ~s.1 == 0 && sets[t + 2] & ~s.2 == 0 && sets[t + 3] & ~s.3 == 0
    }

    /// The whole rule: its prefix at the start, then the rest.
    private func matches(_ r: Rule, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = Int(pieces[2 * Int(r.firstPiece)]), n = Int(pieces[2 * Int(r.firstPiece) + 1]) - s
        guard n <= p.count else { return false }
        var j = 0
        while j < n && bytes[s + j] == p[j] { j += 1 }
        return j == n && tailMatches(r, p, from: n)
    }

    /// The pieces after the prefix, from `from`: each found leftmost after the one before (which
    /// is enough with `*` alone), the last one at the very end when the rule ends in `$`.
    private func tailMatches(_ r: Rule, _ p: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        var pos = from
        let last = Int(r.firstPiece + r.pieceCount - 1)
        for k in (Int(r.firstPiece) + 1)...last {
            let s = Int(pieces[2 * k]), e = Int(pieces[2 * k + 1])
            let n = e - s
            if k == last && r.anchored {
                guard p.count - pos >= n else { return false }
                var j = 0
                while j < n && bytes[s + j] == p[p.count - n + j] { j += 1 }
                return j == n
            }
            guard let found = find(s, n, in: p, from: pos) else { return false }
            pos = found + n
        }
        return true
    }

    private func find(_ s: Int, _ n: Int, in p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let first = bytes[s]
        var i = from
        while i + n <= p.count {
            if p[i] == first {
                var j = 1
                while j < n && bytes[s + j] == p[i + j] { j += 1 }
                if j == n { return i }
            }
            i += 1
        }
        return nil
    }

    // MARK: - Compiling

    /// Normal form, pieces (`*` runs merged, a final `*` or `*$` dropped: `/fish*` is `/fish`),
    /// duplicates dropped, each rule into its table.
    private static func compile(_ raw: [(allow: Bool, pattern: ArraySlice<UInt8>)]) -> (Table, Table, Table, Table, [Int32], [UInt8]) {
        typealias ByteSet = (UInt64, UInt64, UInt64, UInt64)
        var pieces: [Int32] = []
        var bytes: [UInt8] = []
        var seen: Set<[UInt8]> = []
        var drafts: [[(rule: Rule, set: ByteSet)]] = [[], [], []]  // literal, suffixed, floating
        var loose: [(rule: Rule, set: ByteSet, pair: UInt16)] = []  // the anywhere table's
        var filed: [UInt16: Int] = [:]  // rules per pair, to spread them
        for (allow, pattern) in raw {
            var p = pattern
            var anchored = p.last == 36  // "$"
            if anchored { p = p.dropLast() }
            let normal = Array(CrawlURL.normalizeEscapes(Array(p), isQuery: false).utf8)
            guard seen.insert([allow ? 1 : 0, anchored ? 1 : 0] + normal).inserted else { continue }
            let length = Int32(normal.count + (anchored ? 1 : 0))
            let split = normal.split(separator: 42, omittingEmptySubsequences: false)  // "*"
            if split.count > 1 && split.last!.isEmpty { anchored = false }  // "/a*" and "/a*$" are "/a"
            let first = Int32(pieces.count / 2)
            var count: Int32 = 0
            var set: ByteSet = (0, 0, 0, 0)
            for (n, piece) in split.enumerated() where n == 0 || !piece.isEmpty {
                let start = bytes.count
                var k = piece.startIndex
                while k < piece.endIndex {
                    // %2A and %24 are a literal "*" and "$" (RFC 9309 section 2.2.3).
                    if piece[k] == 37, k + 2 < piece.endIndex, piece[k + 1] == 50, piece[k + 2] == 65 || piece[k + 2] == 52 {
                        bytes.append(piece[k + 2] == 65 ? 42 : 36); k += 3
                    } else {
                        bytes.append(piece[k]); k += 1
                    }
                    if n > 0 { Robots.insert(bytes[bytes.count - 1], into: &set) }
                }
                pieces.append(Int32(start)); pieces.append(Int32(bytes.count))
                count += 1
            }
            let rule = Rule(allow: allow, anchored: anchored, length: length, firstPiece: first, pieceCount: count)
            // A wildcard rule ending in "$" is found by its last piece when that says more than its prefix.
            func lengthOf(_ k: Int32) -> Int32 { pieces[2 * Int(first + k) + 1] - pieces[2 * Int(first + k)] }
            if count == 1 {
                drafts[0].append((rule, set))
            } else if anchored && lengthOf(count - 1) >= lengthOf(0) {
                drafts[1].append((rule, set))
            } else if lengthOf(0) >= 2 {
                drafts[2].append((rule, set))
            } else {
                // Filed under the pair of its pieces that the fewest rules are filed under so far.
                var pick: UInt16? = nil
                for k in 1..<count {
                    let s = Int(pieces[2 * Int(first + k)]), e = Int(pieces[2 * Int(first + k) + 1])
                    for i in s..<max(s, e - 1) {
                        let pair = UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
                        if pick == nil || filed[pair, default: 0] < filed[pick!, default: 0] { pick = pair }
                    }
                }
                if let pick {
                    filed[pick, default: 0] += 1
                    loose.append((rule, set, pick))
                } else {
                    drafts[2].append((rule, set))  // no piece of two bytes ("/*x*y"): by its prefix
                }
            }
        }
        func table(_ list: [(rule: Rule, set: ByteSet)], fromEnd: Bool) -> Table {
            func key(_ r: Rule) -> ArraySlice<UInt8> {
                let k = Int(fromEnd ? r.firstPiece + r.pieceCount - 1 : r.firstPiece)
                return bytes[Int(pieces[2 * k])..<Int(pieces[2 * k + 1])]
            }
            let sorted =
                fromEnd
                ? list.sorted { key($0.rule).reversed().lexicographicallyPrecedes(key($1.rule).reversed()) }
                : list.sorted { key($0.rule).lexicographicallyPrecedes(key($1.rule)) }
            var t = Table(fromEnd: fromEnd)
            t.rules = sorted.map(\.rule)
            if list.contains(where: { $0.rule.pieceCount > 1 }) {
                t.sets.reserveCapacity(4 * sorted.count)
                for d in sorted { t.sets += [d.set.0, d.set.1, d.set.2, d.set.3] }
            }
            return t
        }
        loose.sort { $0.pair < $1.pair }
        var anywhere = Table()
        anywhere.rules = loose.map(\.rule)
        anywhere.pairs = loose.map(\.pair)
        if !loose.isEmpty {
            anywhere.present = [UInt64](repeating: 0, count: 1024)
            for d in loose {
                anywhere.present[Int(d.pair >> 6)] |= 1 << UInt64(d.pair & 63)
                anywhere.sets += [d.set.0, d.set.1, d.set.2, d.set.3]
            }
        }
        return (table(drafts[0], fromEnd: false), table(drafts[1], fromEnd: true), table(drafts[2], fromEnd: false), anywhere, pieces, bytes)
    }

    // MARK: - Bytes

    private enum Key { case userAgent, allow, disallow, crawlDelay, sitemap, other }

    private static func key(_ b: [UInt8], _ s: Int, _ e: Int) -> Key {
        func isKey(_ name: StaticString) -> Bool {
            guard e - s == name.utf8CodeUnitCount else { return false }
            let n = name.utf8Start
            for k in 0..<(e - s) where (b[s + k] >= 65 && b[s + k] <= 90 ? b[s + k] | 0x20 : b[s + k]) != n[k] { return false }
            return true
        }
        if isKey("user-agent") { return .userAgent }
        if isKey("disallow") { return .disallow }
        if isKey("allow") { return .allow }
        if isKey("sitemap") { return .sitemap }
        if isKey("crawl-delay") { return .crawlDelay }
        return .other
    }

    /// The range without leading and trailing spaces and tabs.
    private static func trim(_ b: [UInt8], _ s: Int, _ e: Int) -> (Int, Int) {
        var s = s, e = e
        while s < e && (b[s] == 32 || b[s] == 9) { s += 1 }
        while e > s && (b[e - 1] == 32 || b[e - 1] == 9) { e -= 1 }
        return (s, e)
    }

    @inline(__always) private static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 95
    }

    private static func isRobotsTxt(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let name: StaticString = "/robots.txt"
        guard p.count == name.utf8CodeUnitCount else { return false }
        return memcmp(p.baseAddress!, name.utf8Start, p.count) == 0
    }

    @inline(__always) private static func insert(_ b: UInt8, into s: inout (UInt64, UInt64, UInt64, UInt64)) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: s.0 |= bit;
        case 1: s.1 |= bit;
        case 2: s.2 |= bit;
        default: s.3 |= bit
        }
    }

    private static func byteSet(_ p: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64) {
        var s: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for b in p { insert(b, into: &s) }
        return s
    }
}
