#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Parse
import Synchronization
import Vocabulary

/// Finds the phone numbers printed in a text, in the forms government sites use
/// (010-66012345, (010)66012345, （010）66012345, 010 6601 2345, local 66012345 after
/// 电话/传真/热线 …, mobiles, 123xx hotlines, full-width digits, lists that share an area
/// code: 010-66560933/59592471, 0931-8489681、8489682), and never postal codes, dates,
/// document, index, ICP / 公网安备 numbers, site codes, amounts or ID-like strings.
package enum PhoneScanner {
    package struct Match: Sendable, Equatable {
        /// As printed (separators kept, trimmed).
        package var printed: String
        /// Digits with area code (`01066012345`, `13800138000`, `12345`); for a local number
        /// when no area code is known, the local digits.
        package var digits: String
        /// false: it is meant as a phone number but cannot be one (wrong length, bad prefix).
        package var valid: Bool
    }

    /// Words after which a number is a phone number (nearest keyword wins).
    static let phoneWords: [[Unicode.Scalar]] = [
        "电话", "传真", "热线", "手机", "联系方式", "联系我们", "联系人", "座机", "总机", "值班室", "Tel", "TEL", "tel", "Fax", "FAX", "fax", "电 话", "传 真",
    ].map { Array($0.unicodeScalars) }
    /// Words after which a number is something else (nearest keyword wins).
    static let otherWords: [[Unicode.Scalar]] = [
        "邮编", "邮政编码", "索引号", "索 引 号", "标识码", "备案", "ICP", "公网安备", "文号", "字号", "身份证", "信用代码", "编号", "编码", "代码", "账号", "帐号", "QQ", "qq", "邮箱", "证号", "序号", "工号",
        "卡号", "批准号", "许可证", "登记号", "网站识别码", "识别码", "金额", "人口", "面积", "第",
    ].map { Array($0.unicodeScalars) }
    /// A number followed by one of these is a quantity, a date or a document number.
    static let quantityAfter: Set<Unicode.Scalar> = Set("号年月日元万亿%％个人次件家户米吨亩条项届期平千百岁名天时分秒页册份位辆台套倍只余多批所座间张篇字周例股斤克升度〕]】·_@".unicodeScalars)
    /// A number preceded by one of these is part of a code, an amount or a decimal.
    static let codeBefore: Set<Unicode.Scalar> = Set(".·〔[【¥￥$#_=&%@*+/\\-－—".unicodeScalars)
    static let sentenceEnd: Set<Unicode.Scalar> = Set("。；;！!？?\n".unicodeScalars)
    static let hotlines3: Set<String> = ["110", "119", "120", "122"]
    /// The two sets above as bitmaps over the BMP: asked for every digit run's neighbours
    /// (a Set hashes the scalar each time).
    static let quantityAfterBits = ScalarBits(quantityAfter)
    static let codeBeforeBits = ScalarBits(codeBefore)
    struct ScalarBits: Sendable {
        let bits: [UInt64]
        let beyond: Set<Unicode.Scalar>
        init(_ set: Set<Unicode.Scalar>) {
            var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
            for u in set where u.value < 0x10000 { bits[Int(u.value) >> 6] |= 1 << UInt64(u.value & 63) }
            self.bits = bits
            beyond = set.filter { $0.value >= 0x10000 }
        }
        @inline(__always) func contains(_ u: Unicode.Scalar) -> Bool {
            let v = u.value
            return v < 0x10000 ? bits[Int(v) >> 6] >> UInt64(v & 63) & 1 != 0 : beyond.contains(u)
        }
    }

    /// Results for short texts already scanned: footers and contact blocks repeat on every
    /// page of a site, and their numbers are what the scan spends most on. A cache, not a
    /// record: cleared when full.
    /// (Kept for one area code at a time, the profile's: the key is the text itself, not a
    /// copy of it with the area code in front.)
    private static let recent = Mutex<(area: String, table: [TextKey: [Match]])>(("", [:]))
    static let recentLimit = 4096
    static let cachedTextBytes = 512

    /// Every number in `text`, in order (each printed number once).
    package static func scan(_ text: String, areaCode: String) -> [Match] {
        guard text.utf8.count <= cachedTextBytes else { return scanUncached(text, areaCode: areaCode) }
        let key = TextKey(text)
        if let hit = recent.withLock({ $0.area == areaCode ? $0.table[key] : nil }) { return hit }
        let found = scanUncached(text, areaCode: areaCode)
        recent.withLock { c in
            if c.area != areaCode { c.table.removeAll(keepingCapacity: true); c.area = areaCode }
            if c.table.count >= recentLimit { c.table.removeAll(keepingCapacity: true) }
            c.table[key] = found
        }
        return found
    }

    /// A scalar as the scanner reads it: full-width digits, hyphen and slash as ASCII, dashes
    /// (`—`, `–`) as `-`, the ideographic space as a space. One scalar for one, so positions
    /// in the folded text are positions in the printed text.
    @inline(__always)
    static func folded(_ u: Unicode.Scalar) -> Unicode.Scalar {
        switch u.value {
        case 0xFF10...0xFF19, 0xFF0D, 0xFF0F: return Unicode.Scalar(u.value - 0xFEE0)!
        case 0x2013, 0x2014: return "-"
        case 0x3000: return " "
        default: return u
        }
    }

    /// Separators after which a local number shares the previous number's area code
    /// (`010-66560933/59592471`, `0931-8489681、8489682`, `…或66012346`).
    static let listSeparators: Set<Unicode.Scalar> = Set("/、，,;；或 ".unicodeScalars)

    /// The words as UTF-8, for matching in the bytes.
    static let phoneWordBytes: [[UInt8]] = phoneWords.map { w in Array(String(String.UnicodeScalarView(w)).utf8) }
    static let otherWordBytes: [[UInt8]] = otherWords.map { w in Array(String(String.UnicodeScalarView(w)).utf8) }
    /// The same words filed by their last byte, in list order: the context walk tries at each
    /// character only the words that can end there (one or two, not all 51; the walk was
    /// 1.6% of a sweep's samples on the realistic portal, whose statistics (隐患90285处) reach it).
    static let phoneWordsByLastByte: [[[UInt8]]] = wordsByLastByte(phoneWordBytes)
    static let otherWordsByLastByte: [[[UInt8]]] = wordsByLastByte(otherWordBytes)
    static func wordsByLastByte(_ words: [[UInt8]]) -> [[[UInt8]]] {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for w in words { table[Int(w[w.count - 1])].append(w) }
        return table
    }

    /// Reads the UTF-8 bytes, not an array of scalars: digits, brackets and separators are
    /// ASCII once folded, and only the neighbours of a digit run are decoded. A text with
    /// something to fold (full-width digits, dashes, U+3000, no-break spaces: rare) is read
    /// from a folded copy, with a map back to the printed bytes.
    static func scanUncached(_ text: String, areaCode: String) -> [Match] {
        withUTF8Bytes(text) { raw in
            guard needsFolding(raw) else { return scan(raw, raw: raw, map: nil, areaCode: areaCode) }
            var folded: [UInt8] = []
            var map: [Int] = []
            folded.reserveCapacity(raw.count)
            map.reserveCapacity(raw.count + 1)
            var i = 0
            while i < raw.count {
                let (b, length) = foldedByte(raw, at: i)
                if let b {
                    folded.append(b); map.append(i)
                } else {
                    for k in i..<(i + length) { folded.append(raw[k]); map.append(k) }
                }
                i += length
            }
            map.append(raw.count)
            return folded.withUnsafeBufferPointer { scan($0, raw: raw, map: map, areaCode: areaCode) }
        }
    }

    /// The ASCII byte the scalar at `i` reads as (`folded(_:)` in bytes), or nil; and the
    /// scalar's length.
    @inline(__always)
    static func foldedByte(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt8?, Int) {
        let c = b[i]
        if c < 0x80 { return (nil, 1) }
        if c == 0xC2, i + 1 < b.count { return (b[i + 1] == 0xA0 ? 0x20 : nil, 2) }
        guard c >= 0xE0, c < 0xF0, i + 2 < b.count else { return (nil, c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2) }
        let (c1, c2) = (b[i + 1], b[i + 2])
        switch (c, c1) {
        case (0xEF, 0xBC) where c2 >= 0x90 && c2 <= 0x99: return (c2 - 0x60, 3)  // ０–９
        case (0xEF, 0xBC) where c2 == 0x8D: return (0x2D, 3)  // －
        case (0xEF, 0xBC) where c2 == 0x8F: return (0x2F, 3)  // ／
        case (0xE2, 0x80) where c2 == 0x93 || c2 == 0x94: return (0x2D, 3)  // – —
        case (0xE3, 0x80) where c2 == 0x80: return (0x20, 3)  // U+3000
        default: return (nil, 3)
        }
    }

    static func needsFolding(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        // Eight bytes at a time while none of them is one of the four lead bytes (the running
        // text of a statistics paragraph: CJK leads E4–E9 and ASCII, with E3/EF only at its
        // punctuation). The zero-byte test may flag a byte above a real one: the bytes are then
        // read one by one, as before.
        if let base = UnsafeRawPointer(b.baseAddress) {
            let ones: UInt64 = 0x0101_0101_0101_0101
            @inline(__always) func has(_ x: UInt64, _ c: UInt8) -> UInt64 {
                let y = x ^ (ones &* UInt64(c))
                return (y &- ones) & ~y & (ones &* 0x80)
            }
            while i + 8 <= b.count {
                let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                // Only the flagged bytes are looked at (Chinese punctuation puts an EF or E3 in
                // most words).
                var m = has(x, 0xEF) | has(x, 0xE3) | has(x, 0xE2) | has(x, 0xC2)
                while m != 0 {
                    let k = i + m.trailingZeroBitCount / 8
                    let c = b[k]
                    if c == 0xEF || c == 0xE3 || c == 0xE2 || c == 0xC2, foldedByte(b, at: k).0 != nil { return true }
                    m &= m - 1
                }
                i += 8
            }
        }
        while i < b.count {
            // Only these lead bytes begin a scalar that folds (C2 A0, E2 80 9x, E3 80 80, EF BC xx).
            let c = b[i]
            if c == 0xEF || c == 0xE3 || c == 0xE2 || c == 0xC2, foldedByte(b, at: i).0 != nil { return true }
            i += 1
        }
        return false
    }

    /// `sentenceEnd` as a switch: the context walk asks for every character (a Set hashes).
    @inline(__always)
    static func isSentenceEnd(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case "。", "；", ";", "！", "!", "？", "?", "\n": return true
        default: return false
        }
    }

    /// The scalar starting at byte `i` (`b` is valid UTF-8) and its length.
    @inline(__always)
    static func scalar(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let c = UInt32(b[i])
        if c < 0x80 { return (Unicode.Scalar(UInt8(c)), 1) }
        if c < 0xE0, i + 1 < b.count { return (Unicode.Scalar((c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)) ?? " ", 2) }
        if c < 0xF0, i + 2 < b.count {
            return (Unicode.Scalar((c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)) ?? " ", 3)
        }
        if i + 3 < b.count {
            let v = (c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
            return (Unicode.Scalar(v) ?? " ", 4)
        }
        return (" ", 1)
    }

    /// Where the scalar ending just before byte `i` starts.
    @inline(__always)
    static func start(before i: Int, in b: UnsafeBufferPointer<UInt8>) -> Int {
        var j = i - 1
        while j > 0, b[j] & 0xC0 == 0x80 { j -= 1 }
        return j
    }

    static func scan(_ b: UnsafeBufferPointer<UInt8>, raw: UnsafeBufferPointer<UInt8>, map: [Int]?, areaCode: String) -> [Match] {
        let n = b.count
        var out: [Match] = []
        // The area code of the last number read, and where it ended: a local number right
        // after it, past a list separator, is in the same area.
        var lastArea: (code: String, end: Int)?
        var i = 0
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        @inline(__always) func isLetter(_ c: Unicode.Scalar) -> Bool { (c.value | 0x20) >= 0x61 && (c.value | 0x20) <= 0x7A }
        // `（` and `）` (EF BC 88, EF BC 89), or their ASCII forms: the bracket's length, 0 if none.
        @inline(__always) func bracket(at k: Int, ascii: UInt8, wide: UInt8) -> Int {
            if k < n, b[k] == ascii { return 1 }
            return k + 2 < n && b[k] == 0xEF && b[k + 1] == 0xBC && b[k + 2] == wide ? 3 : 0
        }
        var groupRanges: [Range<Int>] = []
        let ones: UInt64 = 0x0101_0101_0101_0101
        @inline(__always) func has(_ x: UInt64, _ c: UInt8) -> UInt64 {
            let y = x ^ (ones &* UInt64(c))
            return (y &- ones) & ~y & (ones &* 0x80)
        }
        while i < n {
            // Eight bytes at a time while none can begin a number: no digit, no `(`, no EF
            // (the lead byte of `（`). Most of a paragraph's bytes are skipped so.
            if i + 8 <= n, let base = UnsafeRawPointer(b.baseAddress) {
                let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if !PhoneSupport.hasDigit(x) && has(x, 0x28) | has(x, 0xEF) == 0 { i += 8; continue }
            }
            let c = b[i]
            let open = isDigit(c) ? 0 : bracket(at: i, ascii: 0x28, wide: 0x88)
            guard isDigit(c) || (open > 0 && i + open < n && b[i + open] == 0x30) else { i += 1; continue }
            // Read the run: digit groups joined by one separator while the groups are short.
            // (As byte ranges: most runs are quantities or dates that the checks below turn
            // away, and need no String.)
            let start = i
            groupRanges.removeAll(keepingCapacity: true)
            var paren = false
            var j = i
            if open > 0 {
                var k = j + open
                let s = k
                while k < n, isDigit(b[k]) { k += 1 }
                let close = bracket(at: k, ascii: 0x29, wide: 0x89)
                if close > 0, (3...4).contains(k - s) {
                    groupRanges.append(s..<k); paren = true
                    j = k + close
                    while j < n, b[j] == 0x20 || b[j] == 0x2D { j += 1 }
                    if j >= n || !isDigit(b[j]) { i = j; continue }
                } else {
                    i += 1; continue
                }
            }
            while j < n {
                let s = j
                while j < n, isDigit(b[j]) { j += 1 }
                groupRanges.append(s..<j)
                // Join the next group only after a short group (an area code or 4-digit half).
                guard j + 1 < n, j - s <= 4, b[j] == 0x2D || b[j] == 0x20, isDigit(b[j + 1]) else { break }
                j += 1
            }
            var end = j  // exclusive
            i = end
            // What is around it.
            if start > 0 {
                let bs = Self.start(before: start, in: b)
                let (before, _) = scalar(b, at: bs)
                if isLetter(before) || codeBeforeBits.contains(before) && !(before == "/" && bs >= 1 && isDigit(b[bs - 1])) { continue }
                // 9:00, 3.14: the tail of a time or a decimal.
                if (before == ":" || before == "：" || before == "." || before == ","), bs >= 1, isDigit(b[bs - 1]) { continue }
            }
            if end < n {
                let (after, length) = scalar(b, at: end)
                let extensionWord = after == "分" && end + length < n && scalar(b, at: end + length).0 == "机"  // 66012345分机808
                if isLetter(after) || quantityAfterBits.contains(after) && !extensionWord { continue }
                // 9:00, 3.14, 1,000: the head of a time, a decimal or an amount.
                if (after == ":" || after == "：" || after == "." || after == ","), end + length < n, isDigit(b[end + length]) { continue }
            }
            let count = groupRanges.reduce(0) { $0 + $1.count }
            if count < 3 || count > 13 { continue }
            // Digits no context makes a phone number (7714处 in a statistics paragraph, 2022 …),
            // turned away before the group strings and the context walk: `classify` would turn
            // them away after.
            let g0 = groupRanges[0]
            let second = g0.count >= 2 ? b[g0.lowerBound + 1] : b[groupRanges[1].lowerBound]
            if !mayBePhone(first: b[g0.lowerBound], second: second, count: count) { continue }
            let groups = groupRanges.map { String(decoding: UnsafeBufferPointer(rebasing: b[$0]), as: UTF8.self) }
            if looksLikeDate(groups) { continue }
            // 010-66560933/59592471: the second number is 010-59592471.
            var shared: String?
            if let last = lastArea, !paren, groups.count <= 2, c >= 0x32 && c <= 0x39, (7...8).contains(count), start > last.end,
                separatorsOnly(b, last.end, start)
            {
                shared = last.code
            }
            let context = shared != nil ? .phone : phoneContext(b, before: start, after: end)
            if context == .other { continue }
            guard
                let (norm, valid) = classify(
                    groups: shared.map { [$0, groups.joined()] } ?? groups, paren: paren || shared != nil,
                    inContext: context == .phone, areaCode: areaCode)
            else { continue }
            // An extension (-8001, 转8001) belongs to the number.
            if valid, end < n {
                let mark = b[end] == 0x2D ? 1 : (end + 2 < n && b[end] == 0xE8 && b[end + 1] == 0xBD && b[end + 2] == 0xAC ? 3 : 0)  // 转
                if mark > 0, end + mark < n, isDigit(b[end + mark]) {
                    var k = end + mark
                    while k < n, isDigit(b[k]) { k += 1 }
                    if k - end - mark <= 5 { end = k; i = k }
                }
            }
            let from = map?[start] ?? start, to = map?[j] ?? j
            let printed = String(decoding: UnsafeBufferPointer(rebasing: raw[from..<to]), as: UTF8.self)
            out.append(Match(printed: printed.trimmingSpaces, digits: norm, valid: valid))
            lastArea = valid ? landlineArea(norm).map { ($0, end) } : nil
        }
        return out
    }

    /// Whether some context can make `count` digits beginning with `first`, `second` a phone
    /// number: false where `classify` returns nil in and out of a phone context (0 and fewer than
    /// seven digits; 1 and 4, 6–9 or 13; 2–9 and 3–4, 11–13, or 5–6 not beginning 95/96). (A
    /// number sharing the previous one's area code has 7–8 digits beginning 2–9: never turned away.)
    static func mayBePhone(first: UInt8, second: UInt8, count n: Int) -> Bool {
        switch first {
        case 0x30: return n >= 7
        case 0x31: return n == 3 || n == 5 || n == 10 || n == 11 || n == 12
        default:
            if (7...10).contains(n) { return true }
            if (5...6).contains(n) { return first == 0x39 && (second == 0x35 || second == 0x36) }
            return false
        }
    }

    /// Whether the bytes `from..<to` are one to three list separators.
    static func separatorsOnly(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var k = from, scalars = 0
        while k < to {
            let (u, length) = scalar(b, at: k)
            guard listSeparators.contains(u) else { return false }
            k += length
            scalars += 1
        }
        return scalars <= 3
    }

    /// The area code of a valid landline's digits (`010…`, `02x…`, else four digits), nil
    /// for mobiles and service numbers.
    static func landlineArea(_ digits: String) -> String? {
        guard digits.hasPrefix("0"), digits.count >= 10 else { return nil }
        return String(digits.prefix(digits.hasPrefix("010") || digits.hasPrefix("02") ? 3 : 4))
    }

    enum Context { case phone, other, none }

    /// The nearest keyword before the number in its sentence (24 characters back), or
    /// 热线 right after it. A word of another kind (邮编, 索引号 …) with another number between
    /// it and this one labels that number, not this one (`邮政编码：730030 0931-8489681`); a
    /// phone word labels the whole list (`电话：010-66012345、66012346`).
    static func phoneContext(_ b: UnsafeBufferPointer<UInt8>, before start: Int, after end: Int) -> Context {
        var k = start  // the scalars ending here, going back
        var steps = 0
        var crossed = false
        while k > 0, steps < 24 {
            let ks = Self.start(before: k, in: b)
            let (u, _) = scalar(b, at: ks)
            if isSentenceEnd(u) { break }
            if u.value >= 0x30 && u.value <= 0x39 { crossed = true }
            let last = Int(b[k - 1])
            for w in phoneWordsByLastByte[last] where ends(b, w, at: k) { return .phone }
            for w in otherWordsByLastByte[last] where ends(b, w, at: k) { return crossed ? .none : .other }
            k = ks
            steps += 1
        }
        // 12345热线, 12345市民服务热线: 热线 within six characters after it.
        var a = end
        steps = 0
        while a < b.count, steps < 7 {
            if a + 6 <= b.count, b[a] == 0xE7, b[a + 1] == 0x83, b[a + 2] == 0xAD, b[a + 3] == 0xE7, b[a + 4] == 0xBA, b[a + 5] == 0xBF {
                return .phone
            }
            let (u, length) = scalar(b, at: a)
            if isSentenceEnd(u) || u.value < 0x80 && u != " " { break }
            a += length
            steps += 1
        }
        return .none
    }

    /// Whether the bytes ending at `k` (exclusive) are `w`.
    @inline(__always)
    static func ends(_ b: UnsafeBufferPointer<UInt8>, _ w: [UInt8], at k: Int) -> Bool {
        // The last byte first: it differs for almost every word.
        guard k >= w.count, b[k - 1] == w[w.count - 1] else { return false }
        var o = 0
        while o < w.count {
            if b[k - w.count + o] != w[o] { return false }
            o += 1
        }
        return true
    }

    /// Normalised digits and validity, or nil when the digits are not meant as a phone.
    static func classify(groups: [String], paren: Bool, inContext ctx: Bool, areaCode: String) -> (String, Bool)? {
        let all = groups.joined()
        let n = all.count
        guard n >= 3, n <= 13 else { return nil }
        // Dates: 2022-10-28, 2022 10 28, 20221028.
        if looksLikeDate(groups) { return nil }
        let first = all.first!
        let areaFormatted = first == "0" && (paren || groups.count >= 2) && (3...4).contains(groups[0].count)
        if first == "0" {
            guard n >= 7, ctx || areaFormatted || n >= 11 else { return nil }
            let area: String
            if areaFormatted { area = groups[0] } else { area = String(all.prefix(all.hasPrefix("010") || all.hasPrefix("02") ? 3 : 4)) }
            let local = all.dropFirst(area.count)
            let areaOK =
                area.count == 3
                ? (area == "010" || area.hasPrefix("02")) : (area.count == 4 && !area.hasPrefix("00") && !area.hasPrefix("01") && !area.hasPrefix("02"))
            let localOK = (area.count == 3 ? local.count == 8 : (7...8).contains(local.count)) && local.first.map { $0 >= "2" && $0 <= "9" } == true
            if areaOK && localOK { return (all, true) }
            return ctx || areaFormatted ? (all, false) : nil
        }
        if first == "1" {
            if n == 11 {
                let second = all[all.index(after: all.startIndex)]
                if second >= "3" && second <= "9" && (groups.count == 1 || groups.map(\.count) == [3, 4, 4]) { return (all, true) }
                return ctx ? (all, false) : nil
            }
            guard ctx else { return nil }
            if n == 3 { return hotlines3.contains(all) ? (all, true) : nil }
            if n == 5 { return all.hasPrefix("12") ? (all, true) : nil }
            if n == 10 || n == 12 { return (all, false) }
            return nil
        }
        // 2-9: service numbers and local numbers.
        if n == 10, all.hasPrefix("400") || all.hasPrefix("800") { return ctx || groups.count >= 2 ? (all, true) : nil }
        guard ctx else { return nil }
        if (5...6).contains(n), all.hasPrefix("95") || all.hasPrefix("96") { return (all, true) }
        let localLengths = areaCode.count == 3 ? 8...8 : 7...8
        if localLengths.contains(n) { return (areaCode + all, true) }
        if (7...9).contains(n) { return (all, false) }
        return nil
    }

    static func looksLikeDate(_ groups: [String]) -> Bool {
        func date(_ y: String, _ m: String, _ d: String) -> Bool {
            guard let yy = Int(y), let mm = Int(m), let dd = Int(d) else { return false }
            return (1900...2100).contains(yy) && (1...12).contains(mm) && (1...31).contains(dd)
        }
        if groups.count == 3, groups[0].count == 4 { return date(groups[0], groups[1], groups[2]) }
        let all = groups.joined()
        if all.count == 8, groups.count == 1 {
            return date(String(all.prefix(4)), String(all.dropFirst(4).prefix(2)), String(all.suffix(2)))
        }
        return false
    }

    /// A registry number normalised the same way (it is a phone by definition).
    package static func normalize(_ raw: String, areaCode: String) -> Match? {
        let found = scan("电话：" + raw, areaCode: areaCode)
        guard found.count == 1 else { return nil }
        return found[0]
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
