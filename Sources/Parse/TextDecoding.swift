import CBytes
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Charset handling shared by the page parser and by anything else that reads text
/// written by Chinese systems (feeds, CSV exports): GBK / GB2312 are read as GB18030
/// (their superset), bad bytes become U+FFFD and are counted, never fatal.
package enum TextDecoding {
    /// Decodes `bytes` to a String. `declaredCharset` (any label: "GBK", "gb2312",
    /// "UTF-8" …) wins when it is known; when nil, a BOM and then detection decide.
    package static func decode(_ bytes: [UInt8], declaredCharset: String?) -> (text: String, charset: String, invalidBytes: Int) {
        let decoded = bytes.withUnsafeBufferPointer { buf in
            toUTF8(UnsafeRawBufferPointer(buf), declared: declaredCharset.flatMap(canonicalCharset), prescanMeta: false)
        }
        let text = decoded.withUTF8 { String(decoding: $0, as: UTF8.self) }
        return (text, decoded.charset, decoded.invalidBytes)
    }

    /// The `charset` parameter of a Content-Type header, canonicalised (see
    /// `canonicalCharset`); nil when absent.
    package static func charset(fromContentType contentType: String) -> String? {
        guard let label = charsetParameter(Array(contentType.utf8)[...]) else { return nil }
        return canonicalCharset(label)
    }

    /// The canonical lowercase name for a charset label: GBK-family labels map to
    /// "gb18030", latin-1 labels to "windows-1252" (as browsers do), "utf8" to "utf-8".
    /// Labels iconv does not know return nil.
    package static func canonicalCharset(_ label: String) -> String? {
        // Trimmed on bytes (quotes and spaces; a trailing ";" too): no grapheme walk per page.
        let u = Array(label.utf8)
        var a = 0, b = u.count
        func lead(_ c: UInt8) -> Bool { c == 0x20 || c == 0x22 || c == 0x27 || c == 0x09 }
        while a < b, lead(u[a]) { a += 1 }
        while b > a, lead(u[b - 1]) || u[b - 1] == 0x3B { b -= 1 }
        let l = String(decoding: u[a..<b], as: UTF8.self).lowercased()
        switch l {
        case "": return nil
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8": return "utf-8"
        case "gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "gb_2312", "csgb2312", "chinese", "iso-ir-58",
            "euc-cn", "ms936", "windows-936", "gb18030", "gb-18030":
            return "gb18030"
        case "iso-8859-1", "latin1", "l1", "us-ascii", "ascii", "iso_8859-1", "cp1252", "windows-1252",
            "x-cp1252", "iso8859-1", "ibm819", "cp819":
            return "windows-1252"
        case "utf-16le", "utf-16": return "utf-16le"
        case "utf-16be": return "utf-16be"
        case "big5", "big5-hkscs", "cn-big5", "x-x-big5": return "big5"
        default:
            // Only labels iconv can open are useful.
            let cd = iconv_open("UTF-8", l)
            if isFailedIconv(cd) { return nil }
            iconv_close(cd)
            return l
        }
    }

    // MARK: - Internals shared with the page parser

    /// UTF-8 bytes ready for libxml2: either the caller's buffer (valid UTF-8, no copy)
    /// or a decoded / repaired copy.
    struct UTF8Bytes {
        var owned: [UInt8]?
        var base: UnsafeRawBufferPointer
        var charset: String
        var source: CharsetSource
        var invalidBytes: Int

        func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            if let owned { return owned.withUnsafeBufferPointer(body) }
            return body(base.bindMemory(to: UInt8.self))
        }
    }

    /// Decides the charset (declared → BOM → meta prescan → detection) and produces
    /// UTF-8. `base` must stay valid while the result is used.
    static func toUTF8(_ base: UnsafeRawBufferPointer, declared: String?, prescanMeta: Bool) -> UTF8Bytes {
        let bytes = base.bindMemory(to: UInt8.self)
        // A BOM is the strongest signal (browsers let it override the header).
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return utf8(UnsafeRawBufferPointer(rebasing: base[3...]), charset: "utf-8", source: .bom)
        }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            return converted(UnsafeRawBufferPointer(rebasing: base[2...]), charset: "utf-16le", source: .bom)
        }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return converted(UnsafeRawBufferPointer(rebasing: base[2...]), charset: "utf-16be", source: .bom)
        }
        if let declared {
            return decode(base, charset: declared, source: .header)
        }
        if prescanMeta, let label = metaPrescan(bytes), var cs = canonicalCharset(label) {
            // A page cannot declare itself UTF-16 in a meta tag it was readable in.
            if cs.hasPrefix("utf-16") { cs = "utf-8" }
            return decode(base, charset: cs, source: .meta)
        }
        return detect(base)
    }

    private static func decode(_ base: UnsafeRawBufferPointer, charset: String, source: CharsetSource) -> UTF8Bytes {
        if charset == "utf-8" { return utf8(base, charset: charset, source: source) }
        return converted(base, charset: charset, source: source)
    }

    private static func detect(_ base: UnsafeRawBufferPointer) -> UTF8Bytes {
        let bytes = base.bindMemory(to: UInt8.self)
        if bytes.isEmpty { return UTF8Bytes(owned: nil, base: base, charset: "utf-8", source: .assumed, invalidBytes: 0) }
        let firstBad = firstInvalidUTF8(bytes)
        if firstBad == bytes.count {
            let ascii = !bytes.contains { $0 >= 0x80 }
            return UTF8Bytes(owned: nil, base: base, charset: "utf-8", source: ascii ? .assumed : .detected, invalidBytes: 0)
        }
        // Not UTF-8: GB18030 when it decodes mostly cleanly, else windows-1252.
        let gb = converted(base, charset: "gb18030", source: .detected)
        var high = 0
        for b in bytes where b >= 0x80 { high += 1 }
        if gb.invalidBytes * 50 <= high { return gb }
        return converted(base, charset: "windows-1252", source: .detected)
    }

    /// UTF-8 input: validated; returned without a copy when valid, else repaired.
    static func utf8(_ base: UnsafeRawBufferPointer, charset: String, source: CharsetSource) -> UTF8Bytes {
        let bytes = base.bindMemory(to: UInt8.self)
        let firstBad = firstInvalidUTF8(bytes)
        if firstBad == bytes.count {
            return UTF8Bytes(owned: nil, base: base, charset: charset, source: source, invalidBytes: 0)
        }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 64)
        out.append(contentsOf: bytes[0..<firstBad])
        var invalid = 0
        var i = firstBad
        let n = bytes.count
        while i < n {
            let len = validSequenceLength(bytes, at: i)
            if len > 0 {
                out.append(contentsOf: bytes[i..<i + len])
                i += len
            } else {
                // Replace the maximal invalid subpart with one U+FFFD.
                let bad = max(1, invalidSubpartLength(bytes, at: i))
                out.append(0xEF); out.append(0xBF); out.append(0xBD)
                invalid += bad
                i += bad
            }
        }
        return UTF8Bytes(owned: out, base: base, charset: charset, source: source, invalidBytes: invalid)
    }

    /// Index of the first byte that starts an invalid (or NUL) sequence; count when valid.
    ///
    /// Every body goes through here once (1.3% of a portal sweep's CPU, 4.2 instructions a
    /// byte on its pages, whose bytes are 70% Chinese). ASCII goes sixteen bytes a step, and
    /// a word that ends a run is left at its first non-ASCII or NUL byte in one step (its
    /// lowest flagged byte), not a byte at a time; runs of three-byte characters go two
    /// characters a step on one mask compare, their leads checked on a bit table.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let n = bytes.count
        guard let p = bytes.baseAddress else { return 0 }
        // Valid, as nearly every body is: said by the SIMD check (CBytes, 16 bytes a step with
        // SSSE3); the loop below then only finds where an invalid body goes wrong.
        if gs_utf8_valid(p, n) == 1 { return n }
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func word(_ at: Int) -> UInt64 {
            UInt64(littleEndian: UnsafeRawPointer(p + at).loadUnaligned(as: UInt64.self))
        }
        var i = 0
        while i < n {
            // ASCII. A byte is flagged when its high bit is set or it is NUL (NULs confuse
            // libxml2: invalid here); the lowest flagged byte of a word is exact.
            while i &+ 16 <= n {
                let a = word(i), b = word(i &+ 8)
                if (a | b | ((a &- ones) & ~a) | ((b &- ones) & ~b)) & high != 0 { break }
                i &+= 16
            }
            if i + 8 <= n {
                let w = word(i)
                let flagged = (w | ((w &- ones) & ~w)) & high
                if flagged == 0 {
                    i += 8
                    continue
                }
                i += flagged.trailingZeroBitCount >> 3
            } else {
                while i < n, p[i] >= 0x01, p[i] < 0x80 { i += 1 }
                if i >= n { break }
            }
            // Chinese text: runs of three-byte characters, two from one 8-byte load (little-
            // endian: byte 0 is the low byte): leads 1110xxxx at bytes 0 and 3, continuations
            // 10xxxxxx at 1, 2, 4 and 5. Leads E0 and ED limit their second byte: they go
            // through the general check (bit table 0xDFFE: every low nibble but 0 and D).
            while i &+ 8 <= n {
                let w = word(i)
                guard w & 0x0000_C0C0_F0C0_C0F0 == 0x0000_8080_E080_80E0,
                    (0xDFFE &>> (w & 0xF)) & (0xDFFE &>> ((w &>> 24) & 0xF)) & 1 != 0
                else { break }
                i &+= 6
            }
            if i >= n { break }
            if p[i] >= 0x01 && p[i] < 0x80 { continue }
            let len = validSequenceLength(bytes, at: i)
            if len == 0 { return i }
            i += len
        }
        return n
    }

    /// Length of the valid UTF-8 sequence at `i`, 0 when invalid (NUL counts as invalid).
    @inline(__always)
    static func validSequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = b.count
        let c0 = b[i]
        if c0 == 0 { return 0 }
        if c0 < 0x80 { return 1 }
        if c0 < 0xC2 { return 0 }
        if c0 < 0xE0 {
            return i + 1 < n && b[i + 1] & 0xC0 == 0x80 ? 2 : 0
        }
        if c0 < 0xF0 {
            guard i + 2 < n else { return 0 }
            let c1 = b[i + 1]
            let lo: UInt8 = c0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = c0 == 0xED ? 0x9F : 0xBF
            return c1 >= lo && c1 <= hi && b[i + 2] & 0xC0 == 0x80 ? 3 : 0
        }
        if c0 < 0xF5 {
            guard i + 3 < n else { return 0 }
            let c1 = b[i + 1]
            let lo: UInt8 = c0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = c0 == 0xF4 ? 0x8F : 0xBF
            return c1 >= lo && c1 <= hi && b[i + 2] & 0xC0 == 0x80 && b[i + 3] & 0xC0 == 0x80 ? 4 : 0
        }
        return 0
    }

    /// Length of the maximal invalid subpart at `i` (a truncated but well-begun sequence
    /// is one unit, as WHATWG decoders do).
    private static func invalidSubpartLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let c0 = b[i]
        let need: Int
        switch c0 {
        case 0xC2..<0xE0: need = 2
        case 0xE0..<0xF0: need = 3
        case 0xF0..<0xF5: need = 4
        default: return 1
        }
        var j = 1
        while j < need, i + j < b.count {
            let c = b[i + j]
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            if j == 1 {
                if c0 == 0xE0 { lo = 0xA0 } else if c0 == 0xED { hi = 0x9F } else if c0 == 0xF0 { lo = 0x90 } else if c0 == 0xF4 { hi = 0x8F }
            }
            if c < lo || c > hi { break }
            j += 1
        }
        return j
    }

    @inline(__always)
    private static func isFailedIconv(_ cd: iconv_t?) -> Bool {
        cd == nil || Int(bitPattern: cd) == -1
    }

    /// Converts with iconv, replacing each undecodable byte run with U+FFFD.
    /// `text` in `charset` (a label iconv knows: "gb18030" …), as a browser sends a form's
    /// words from a page in that charset; nil when iconv cannot write the text in it.
    package static func encode(_ text: String, charset: String) -> [UInt8]? {
        let cd = iconv_open(charset, "UTF-8")
        if isFailedIconv(cd) { return nil }
        defer { iconv_close(cd) }
        var input = Array(text.utf8)
        var out = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let count = input.withUnsafeMutableBytes { ib -> Int? in
            out.withUnsafeMutableBytes { ob -> Int? in
                var inPtr = ib.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = ib.count
                var outPtr = ob.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = ob.count
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1, inLeft == 0 else { return nil }
                return ob.count - outLeft
            }
        }
        guard let count else { return nil }
        return Array(out[0..<count])
    }

    static func converted(_ base: UnsafeRawBufferPointer, charset: String, source: CharsetSource) -> UTF8Bytes {
        let cd = iconv_open("UTF-8", charset)
        if isFailedIconv(cd) {
            // Unknown to iconv: read it as UTF-8 rather than fail.
            return utf8(base, charset: "utf-8", source: .assumed)
        }
        defer { iconv_close(cd) }
        let n = base.count
        var out = [UInt8](repeating: 0, count: n * 2 + 16)
        var written = 0
        var invalid = 0
        guard let inBase = base.baseAddress else {
            return UTF8Bytes(owned: [], base: base, charset: charset, source: source, invalidBytes: 0)
        }
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: CChar.self))
        var inLeft = n
        var lastWasBad = false
        while inLeft > 0 {
            if out.count - written < 16 { out.append(contentsOf: repeatElement(0, count: out.count)) }
            let before = inLeft
            let result: Int = out.withUnsafeMutableBytes { ob in
                var outPtr: UnsafeMutablePointer<CChar>? = ob.baseAddress!.advanced(by: written).assumingMemoryBound(to: CChar.self)
                var outLeft = ob.count - written
                let room = outLeft
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                written += room - outLeft
                return r
            }
            if result != -1 { break }
            let err = errno
            if inLeft < before { lastWasBad = false }
            if err == E2BIG { continue }
            // EILSEQ (bad sequence) or EINVAL (truncated at the end): skip one byte and
            // go on; a run of bad bytes becomes one U+FFFD, every byte is counted.
            if !lastWasBad {
                if out.count - written < 3 { out.append(contentsOf: repeatElement(0, count: out.count)) }
                out[written] = 0xEF; out[written + 1] = 0xBF; out[written + 2] = 0xBD
                written += 3
            }
            invalid += 1
            inPtr = inPtr.map { $0 + 1 }
            inLeft -= 1
            lastWasBad = true
        }
        out.removeLast(out.count - written)
        // iconv output is valid UTF-8, but NUL bytes may remain; libxml2 must not see them.
        if out.contains(0) {
            var fixed = [UInt8]()
            fixed.reserveCapacity(out.count)
            for b in out {
                if b == 0 { fixed.append(0xEF); fixed.append(0xBF); fixed.append(0xBD); invalid += 1 } else { fixed.append(b) }
            }
            out = fixed
        }
        return UTF8Bytes(owned: out, base: base, charset: charset, source: source, invalidBytes: invalid)
    }

    // MARK: - Content-Type and meta prescan

    /// The raw `charset=` value in a Content-Type-like string.
    static func charsetParameter(_ s: ArraySlice<UInt8>) -> String? {
        let lower = s.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let key = Array("charset".utf8)
        var i = 0
        while i + key.count <= lower.count {
            if lower[i..<i + key.count].elementsEqual(key) {
                var j = i + key.count
                while j < lower.count, isSpace(lower[j]) { j += 1 }
                guard j < lower.count, lower[j] == UInt8(ascii: "=") else { i += 1; continue }
                j += 1
                while j < lower.count, isSpace(lower[j]) { j += 1 }
                var quote: UInt8 = 0
                if j < lower.count, lower[j] == 0x22 || lower[j] == 0x27 { quote = lower[j]; j += 1 }
                let start = j
                while j < lower.count {
                    let c = lower[j]
                    if quote != 0 ? c == quote : (c == UInt8(ascii: ";") || isSpace(c) || c == 0x22 || c == 0x27) { break }
                    j += 1
                }
                if j > start { return String(decoding: lower[start..<j], as: UTF8.self) }
                return nil
            }
            i += 1
        }
        return nil
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }

    @inline(__always)
    private static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// WHATWG-style byte prescan of the first 4 KB for `<meta charset>` or
    /// `<meta http-equiv=Content-Type content="…charset=…">`.
    static func metaPrescan(_ all: UnsafeBufferPointer<UInt8>) -> String? {
        let n = min(all.count, 4096)
        var i = 0
        while i < n {
            guard all[i] == UInt8(ascii: "<") else { i += 1; continue }
            if i + 3 < n, all[i + 1] == UInt8(ascii: "!"), all[i + 2] == UInt8(ascii: "-"), all[i + 3] == UInt8(ascii: "-") {
                // Comment: skip to "-->".
                var j = i + 4
                while j + 2 < n, !(all[j] == UInt8(ascii: "-") && all[j + 1] == UInt8(ascii: "-") && all[j + 2] == UInt8(ascii: ">")) { j += 1 }
                i = j + 3
                continue
            }
            if i + 5 < n, lower(all[i + 1]) == UInt8(ascii: "m"), lower(all[i + 2]) == UInt8(ascii: "e"),
                lower(all[i + 3]) == UInt8(ascii: "t"), lower(all[i + 4]) == UInt8(ascii: "a"),
                isSpace(all[i + 5]) || all[i + 5] == UInt8(ascii: "/")
            {
                var j = i + 5
                var charset: String?
                var content: String?
                var httpEquivContentType = false
                while let (name, value, next) = nextAttribute(all, from: j, limit: n) {
                    j = next
                    switch name {
                    case "charset": if charset == nil { charset = value }
                    case "content": if content == nil { content = value }
                    case "http-equiv": if value.lowercased() == "content-type" { httpEquivContentType = true }
                    default: break
                    }
                }
                if let charset, !charset.isEmpty { return charset }
                if httpEquivContentType, let content, let cs = charsetParameter(Array(content.utf8)[...]) { return cs }
                i = max(j, i + 1)
                continue
            }
            if i + 1 < n, (lower(all[i + 1]) >= UInt8(ascii: "a") && lower(all[i + 1]) <= UInt8(ascii: "z")) || all[i + 1] == UInt8(ascii: "/") {
                // Another tag: skip its name and attributes (quotes respected).
                var j = i + 1
                while j < n, !isSpace(all[j]), all[j] != UInt8(ascii: ">") { j += 1 }
                while let (_, _, next) = nextAttribute(all, from: j, limit: n) { j = next }
                i = max(j, i + 1)
                continue
            }
            i += 1
        }
        return nil
    }

    /// One attribute of a tag being prescanned; nil at `>` or the end.
    private static func nextAttribute(_ b: UnsafeBufferPointer<UInt8>, from start: Int, limit n: Int) -> (String, String, Int)? {
        var i = start
        while i < n, isSpace(b[i]) || b[i] == UInt8(ascii: "/") { i += 1 }
        guard i < n, b[i] != UInt8(ascii: ">") else { return nil }
        let nameStart = i
        while i < n, !isSpace(b[i]), b[i] != UInt8(ascii: "="), b[i] != UInt8(ascii: ">"), !(b[i] == UInt8(ascii: "/") && i > nameStart) { i += 1 }
        if i == nameStart { i += 1 }
        let name = String(decoding: b[nameStart..<i].map(lower), as: UTF8.self)
        while i < n, isSpace(b[i]) { i += 1 }
        guard i < n, b[i] == UInt8(ascii: "=") else { return (name, "", i) }
        i += 1
        while i < n, isSpace(b[i]) { i += 1 }
        guard i < n else { return (name, "", i) }
        if b[i] == 0x22 || b[i] == 0x27 {
            let q = b[i]
            i += 1
            let vs = i
            while i < n, b[i] != q { i += 1 }
            let v = String(decoding: b[vs..<min(i, n)], as: UTF8.self)
            return (name, v, min(i + 1, n))
        }
        let vs = i
        while i < n, !isSpace(b[i]), b[i] != UInt8(ascii: ">") { i += 1 }
        return (name, String(decoding: b[vs..<i], as: UTF8.self), i)
    }
}
