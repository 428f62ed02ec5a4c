import Foundation
import Parse
import Vocabulary

/// Substring tests on UTF-8 bytes for the per-page hot path (requirement names in
/// every link text of every page): no Foundation, no regex, no Character iteration.
enum ByteMatch {
    /// UTF-8 of `s` without whitespace (ASCII, U+00A0, U+3000) and the decoration that
    /// names carry (“” 《》 【】 「」 " ·), so “规划专栏” matches 规划专栏.
    static func normalized(_ s: String) -> [UInt8] {
        return withUTF8Bytes(s) { b in
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var i = 0
            let n = b.count
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    if !(c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x22) { out.append(c) }
                    i += 1
                } else if c == 0xC2, i + 1 < n, b[i + 1] == 0xA0 || b[i + 1] == 0xB7 {  // nbsp, ·
                    i += 2
                } else if c == 0xE2, i + 2 < n, b[i + 1] == 0x80, b[i + 2] == 0x9C || b[i + 2] == 0x9D || b[i + 2] == 0xA2 {  // “ ” •
                    i += 3
                } else if c == 0xE3, i + 2 < n, b[i + 1] == 0x80, [0x80, 0x8A, 0x8B, 0x8C, 0x8D, 0x90, 0x91].contains(b[i + 2]) {  // U+3000 《》「」【】
                    i += 3
                } else {
                    out.append(c)
                    i += 1
                }
            }
            return out
        }
    }

    /// `s` ends with one of `suffixes` (lowercase ASCII), ASCII letters compared in any case.
    static func hasSuffixIgnoringCase(_ s: String, _ suffixes: [[UInt8]]) -> Bool {
        withUTF8Bytes(s) { b in
            suffixes.contains { suffix in
                let n = suffix.count
                guard n <= b.count else { return false }
                let start = b.count - n
                for k in 0..<n {
                    var c = b[start + k]
                    if c >= 0x41 && c <= 0x5A { c |= 0x20 }
                    if c != suffix[k] { return false }
                }
                return true
            }
        }
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        let n = needle.count, h = hay.count
        guard n > 0, n <= h, let first = needle.first else { return n == 0 }
        var i = 0
        while i <= h - n {
            if hay[i] == first {
                var k = 1
                while k < n && hay[i + k] == needle[k] { k += 1 }
                if k == n { return true }
            }
            i += 1
        }
        return false
    }

    /// `s` contains `needle` (already UTF-8), without normalising: memchr finds each
    /// candidate *last* byte, memcmp checks the rest. For Chinese needles the last byte is
    /// a continuation byte, several times rarer in Chinese text than a lead byte (E4–E9).
    static func contains(_ s: String, _ needle: [UInt8]) -> Bool {
        guard let lastByte = needle.last else { return true }
        return withUTF8Bytes(s) { buf in
            let n = needle.count, h = buf.count
            guard n <= h, let base = buf.baseAddress else { return false }
            return needle.withUnsafeBufferPointer { nb in
                // Candidate ends at i, from n - 1 to h - 1.
                var i = n - 1
                while i < h {
                    guard let p = memchr(base + i, Int32(lastByte), h - i) else { return false }
                    let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                    // The byte before first (most candidates fail there), then the rest.
                    if n == 1 || (base[at - 1] == nb[n - 2] && memcmp(base + at - (n - 1), nb.baseAddress!, n - 1) == 0) { return true }
                    i = at + 1
                }
                return false
            }
        }
    }
}
