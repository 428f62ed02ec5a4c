import Foundation
import Parse

/// Matching for large dictionaries (a 10,000-entry `--wording` file): each pattern is filed
/// under its rarest character, its *anchor*, and the text is scanned one character at a
/// time against an 8 KB bitmap of anchors; only where an anchor occurs are the patterns
/// filed under it compared with the text around it. Rarity comes from GB2312, which lists
/// the 3,755 most used characters as its level 1 and 3,008 less used ones as level 2:
/// characters outside it are rarer than level 2, which is rarer than level 1, which is
/// rarer than ASCII and punctuation. Among equally rare characters the one with the
/// fewest patterns so far is taken, so no anchor gathers a crowd.
///
/// An Aho–Corasick automaton of a dictionary that shares long prefixes with the pages'
/// own phrases (typos are real phrases with one character wrong) walks deep states on
/// almost every character, each step a cache miss in a table of megabytes; here a
/// character costs one bitmap test, and the typo's own character is usually the anchor.
struct AnchorMatcher: Sendable {
    struct Entry: Sendable {
        var pattern: Int32
        /// Byte offset of the anchor in the pattern.
        var offset: Int32
    }
    /// One bit per BMP scalar that anchors some pattern.
    var bits: [UInt64]
    var astral: Set<UInt32> = []
    /// Anchor scalar → its patterns.
    var buckets: [UInt32: [Entry]] = [:]
    let patterns: [[UInt8]]

    /// 0: rarest (outside GB2312), 1: GB2312 level 2, 2: level 1, 3: ASCII and GB2312's symbol rows.
    static let rank: [UInt8] = {
        var rank = [UInt8](repeating: 0, count: 0x10000)
        for v in 0..<0x80 { rank[v] = 3 }
        func mark(rows: ClosedRange<UInt8>, as r: UInt8) {
            var bytes: [UInt8] = []
            for row in rows { for col in UInt8(0xA1)...0xFE { bytes.append(row); bytes.append(col) } }
            let text = TextDecoding.decode(bytes, declaredCharset: "gb18030").text
            for u in text.unicodeScalars where u.value < 0x10000 && u.value >= 0x80 && u.value != 0xFFFD {
                rank[Int(u.value)] = max(rank[Int(u.value)], r)
            }
        }
        mark(rows: 0xA1...0xA9, as: 3)
        mark(rows: 0xD8...0xF7, as: 1)
        mark(rows: 0xB0...0xD7, as: 2)
        return rank
    }()

    static func rank(of v: UInt32) -> UInt8 { v < 0x10000 ? rank[Int(v)] : 0 }

    init(_ patterns: [[UInt8]]) {
        self.patterns = patterns
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        var load: [UInt32: Int] = [:]
        for (p, bytes) in patterns.enumerated() where !bytes.isEmpty {
            // (scalar, byte offset) of each character.
            var chars: [(UInt32, Int)] = []
            var offset = 0
            for u in String(decoding: bytes, as: UTF8.self).unicodeScalars {
                chars.append((u.value, offset))
                offset += UTF8.width(u)
            }
            let rarest = chars.map { Self.rank(of: $0.0) }.min() ?? 0
            let anchor = chars.filter { Self.rank(of: $0.0) == rarest }.min { (load[$0.0] ?? 0) < (load[$1.0] ?? 0) }!
            load[anchor.0, default: 0] += 1
            buckets[anchor.0, default: []].append(Entry(pattern: Int32(p), offset: Int32(anchor.1)))
            if anchor.0 < 0x10000 { bits[Int(anchor.0) >> 6] |= 1 << UInt64(anchor.0 & 63) } else { astral.insert(anchor.0) }
        }
        self.bits = bits
    }

    /// Every (pattern, byte offset of the match's end), ordered by end (longer first at one
    /// end, as Aho–Corasick reports them); with `stopAtFirst`, one.
    func matches(_ text: UnsafeBufferPointer<UInt8>, stopAtFirst: Bool) -> [(pattern: Int, end: Int)] {
        var out: [(pattern: Int, end: Int)] = []
        guard let p = text.baseAddress else { return out }
        let n = text.count
        let hasAstral = !astral.isEmpty
        bits.withUnsafeBufferPointer { bits in
            let bits = bits.baseAddress!
            var i = 0
            while i < n {
                let at = i
                let b0 = UInt32(p[i])
                let v: UInt32
                if b0 < 0x80 {
                    v = b0; i &+= 1
                } else if b0 >= 0xE0 && b0 < 0xF0 && i + 2 < n {
                    v = (b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F); i &+= 3
                } else if b0 >= 0xC0 && b0 < 0xE0 && i + 1 < n {
                    v = (b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F); i &+= 2
                } else if b0 >= 0xF0 && i + 3 < n {
                    v = (b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F)
                    i &+= 4
                    guard hasAstral, astral.contains(v) else { continue }
                    if verify(v, at: at, p, n, &out, stopAtFirst) { return }
                    continue
                } else {
                    i &+= 1
                    continue
                }
                guard bits[Int(v) &>> 6] &>> UInt64(v & 63) & 1 != 0 else { continue }
                if verify(v, at: at, p, n, &out, stopAtFirst) { return }
            }
        }
        if !stopAtFirst && out.count > 1 {
            out.sort { $0.end != $1.end ? $0.end < $1.end : patterns[$0.pattern].count > patterns[$1.pattern].count }
        }
        return out
    }

    /// Compares the patterns anchored on `v` with the text around byte `at`; true to stop.
    @inline(__always)
    private func verify(
        _ v: UInt32, at: Int, _ p: UnsafePointer<UInt8>, _ n: Int,
        _ out: inout [(pattern: Int, end: Int)], _ stopAtFirst: Bool
    ) -> Bool {
        guard let bucket = buckets[v] else { return false }
        for e in bucket {
            let start = at - Int(e.offset)
            let pattern = patterns[Int(e.pattern)]
            let end = start + pattern.count
            guard start >= 0, end <= n else { continue }
            let same = pattern.withUnsafeBufferPointer { memcmp(p + start, $0.baseAddress!, pattern.count) == 0 }
            if same {
                out.append((Int(e.pattern), end))
                if stopAtFirst { return true }
            }
        }
        return false
    }
}
