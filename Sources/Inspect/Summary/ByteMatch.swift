import CBytes
import Foundation
import Parse
import Vocabulary

/// Substring tests on UTF-8 bytes for the per-page hot path (requirement names in
/// every link text of every page): no Foundation, no regex, no Character iteration.
enum ByteMatch {
    /// The tab-separated fields of a note's text, empty ones kept: split on the UTF-8 bytes
    /// (`split(separator: "\t")` walked the text Character by Character, grapheme breaks and
    /// all: 69 ms of one rule's findings at the end of a sweep of the realistic portal).
    static func fields(_ s: String) -> [String] {
        s.utf8.split(separator: 0x09, omittingEmptySubsequences: false).map { String(Substring($0)) }
    }

    /// UTF-8 of `s` without whitespace (ASCII, U+00A0, U+3000) and the decoration that
    /// names carry (“” 《》 【】 「」 " ·), so “规划专栏” matches 规划专栏.
    static func normalized(_ s: String) -> [UInt8] {
        withUTF8Bytes(s) { b in
            [UInt8](unsafeUninitializedCapacity: max(b.count, 1)) { out, count in count = normalize(b, into: out.baseAddress!) }
        }
    }

    /// `normalized`, written to `out` (room for `b.count` bytes); returns how many bytes.
    static func normalize(_ b: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var o = 0
        var i = 0
        let n = b.count
        guard let src = b.baseAddress else { return 0 }
        while i < n {
            // Straight copies up to the next byte that may be dropped (SSE2, 16 a step).
            let copied = gs_copy_to_name_break(out + o, src + i, n &- i)
            o &+= copied
            i &+= copied
            if i >= n { break }
            let c = b[i]
            if c < 0x80 {
                if !(c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x22) { out[o] = c; o += 1 }
                i += 1
            } else if c == 0xC2, i + 1 < n, b[i + 1] == 0xA0 || b[i + 1] == 0xB7 {  // nbsp, ·
                i += 2
            } else if c == 0xE2, i + 2 < n, b[i + 1] == 0x80, b[i + 2] == 0x9C || b[i + 2] == 0x9D || b[i + 2] == 0xA2 {  // “ ” •
                i += 3
            } else if c == 0xE3, i + 2 < n, b[i + 1] == 0x80, b[i + 2] >= 0x80, b[i + 2] <= 0x91,
                (0x3_3C01 as UInt32) &>> UInt32(b[i + 2] &- 0x80) & 1 != 0
            {  // U+3000 《》「」【】 (80, 8A-8D, 90, 91)
                i += 3
            } else {
                out[o] = c
                o += 1
                i += 1
            }
        }
        return o
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
    /// candidate of one byte of it (`anchor`: for a page's text, its rarest), the rest is compared.
    static func contains(_ s: String, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        return withUTF8Bytes(s) { buf in
            // (A short text, a link's or a title's: the last byte, not worth choosing.)
            let a = buf.count >= 256 ? anchor(needle) : needle.count - 1
            var found = false
            forEachEnd(of: needle, anchor: a, in: buf) { _ in
                found = true; return false
            }
            return found
        }
    }

    /// How often each continuation byte (0x80–0xBF) occurs in Chinese pages' text, per 10,000
    /// bytes (the text of the real pages in InspectTesting, UTF-8 ones). A Chinese word's bytes
    /// are a lead byte (E4–E9, each several times as common) and two of these per character.
    static let continuationFrequency: [UInt16] = [
        135, 58, 29, 23, 32, 53, 27, 36, 36, 33, 43, 18, 56, 34, 24, 48, 30, 42, 10, 18, 52, 33, 26, 24, 19, 18, 59, 44, 58, 34, 26, 33,
        17, 47, 21, 21, 18, 39, 17, 44, 30, 7, 13, 13, 33, 27, 64, 39, 28, 30, 8, 25, 30, 14, 21, 25, 79, 34, 95, 48, 71, 51, 23, 48,
    ]

    /// The index of the byte of `needle` to look for with memchr: its rarest continuation byte,
    /// else its last. (Each candidate costs a return from memchr and a comparison: 依据's last
    /// byte is 0.64% of the real pages' text bytes, its rarest (依's BE) 0.23%; 解读's 0.48% and
    /// 0.21%. Looking for the last byte was 4.7% of a sweep's samples in memchr on the realistic
    /// portal.)
    static func anchor(_ needle: [UInt8]) -> Int {
        var best = needle.count - 1, rarest = Int.max
        for (k, b) in needle.enumerated() where b & 0xC0 == 0x80 {
            let f = Int(continuationFrequency[Int(b & 0x3F)])
            if f < rarest { rarest = f; best = k }
        }
        return best
    }

    /// Calls `body` with the end of each occurrence of `needle` in `hay`, in order, while it
    /// returns true. `anchor`: the index of the needle's byte memchr looks for.
    @inline(__always)
    static func forEachEnd(of needle: [UInt8], anchor a: Int, in hay: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Bool) {
        let n = needle.count, h = hay.count
        guard n > 0, n <= h, let base = hay.baseAddress else { return }
        needle.withUnsafeBufferPointer { nb in
            let key = Int32(nb[a])
            // The anchor's position for the first and the last possible occurrence.
            var i = a
            let last = h - n + a
            while i <= last {
                guard let p = memchr(base + i, key, last - i + 1) else { return }
                let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                let start = at - a
                var k = 0
                while k < n && base[start + k] == nb[k] { k += 1 }
                if k == n && !body(start + n) { return }
                i = at + 1
            }
        }
    }
}
