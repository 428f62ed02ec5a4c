import Parse
import Synchronization

/// Finds the phone numbers printed in a text, in the forms government sites use
/// (010-66012345, (010)66012345, （010）66012345, 010 6601 2345, local 66012345 after
/// 电话/传真/热线 …, mobiles, 123xx hotlines, full-width digits, lists that share an area
/// code: 010-66560933/59592471, 0931-8489681、8489682), and never postal codes, dates,
/// document, index, ICP / 公网安备 numbers, site codes, amounts or ID-like strings.
public enum PhoneScanner {
    public struct Match: Sendable, Equatable {
        /// As printed (separators kept, trimmed).
        public var printed: String
        /// Digits with area code (`01066012345`, `13800138000`, `12345`); for a local number
        /// when no area code is known, the local digits.
        public var digits: String
        /// false: it is meant as a phone number but cannot be one (wrong length, bad prefix).
        public var valid: Bool
    }

    /// Words after which a number is a phone number (nearest keyword wins).
    static let phoneWords: [[Unicode.Scalar]] = ["电话", "传真", "热线", "手机", "联系方式", "联系我们", "联系人", "座机", "总机", "值班室", "Tel", "TEL", "tel", "Fax", "FAX", "fax", "电 话", "传 真"].map { Array($0.unicodeScalars) }
    /// Words after which a number is something else (nearest keyword wins).
    static let otherWords: [[Unicode.Scalar]] = ["邮编", "邮政编码", "索引号", "索 引 号", "标识码", "备案", "ICP", "公网安备", "文号", "字号", "身份证", "信用代码", "编号", "编码", "代码", "账号", "帐号", "QQ", "qq", "邮箱", "证号", "序号", "工号", "卡号", "批准号", "许可证", "登记号", "网站识别码", "识别码", "金额", "人口", "面积", "第"].map { Array($0.unicodeScalars) }
    /// A number followed by one of these is a quantity, a date or a document number.
    static let quantityAfter: Set<Unicode.Scalar> = Set("号年月日元万亿%％个人次件家户米吨亩条项届期平千百岁名天时分秒页册份位辆台套倍只余多批所座间张篇字周例股斤克升度〕]】·_@".unicodeScalars)
    /// A number preceded by one of these is part of a code, an amount or a decimal.
    static let codeBefore: Set<Unicode.Scalar> = Set(".·〔[【¥￥$#_=&%@*+/\\-－—".unicodeScalars)
    static let sentenceEnd: Set<Unicode.Scalar> = Set("。；;！!？?\n".unicodeScalars)
    static let hotlines3: Set<String> = ["110", "119", "120", "122"]

    /// Results for short texts already scanned: footers and contact blocks repeat on every
    /// page of a site, and their numbers are what the scan spends most on. A cache, not a
    /// record: cleared when full.
    private static let recent = Mutex<[TextKey: [Match]]>([:])
    /// A cache key compared by its bytes and hashed with `wordHash` (String's own hashing
    /// normalises Chinese text to NFC on every lookup).
    struct TextKey: Hashable {
        let text: String
        func hash(into h: inout Hasher) { h.combine(wordHash(text)) }
        static func == (a: TextKey, b: TextKey) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
    }
    static let recentLimit = 4096
    static let cachedTextBytes = 512

    /// Every number in `text`, in order (each printed number once).
    public static func scan(_ text: String, areaCode: String) -> [Match] {
        guard text.utf8.count <= cachedTextBytes else { return scanUncached(text, areaCode: areaCode) }
        let key = TextKey(text: areaCode + "\u{0}" + text)
        if let hit = recent.withLock({ $0[key] }) { return hit }
        let found = scanUncached(text, areaCode: areaCode)
        recent.withLock { c in
            if c.count >= recentLimit { c.removeAll(keepingCapacity: true) }
            c[key] = found
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

    static func scanUncached(_ text: String, areaCode: String) -> [Match] {
        let raw = Array(text.unicodeScalars)
        let s = raw.map(folded)
        let n = s.count
        var out: [Match] = []
        // The area code of the last number read, and where it ended: a local number right
        // after it, past a list separator, is in the same area.
        var lastArea: (code: String, end: Int)?
        var i = 0
        func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }
        func isLetter(_ c: Unicode.Scalar) -> Bool { (c.value | 0x20) >= 0x61 && (c.value | 0x20) <= 0x7A }
        while i < n {
            let c = s[i]
            let open = (c == "(" || c == "（")
            guard isDigit(c) || (open && i + 1 < n && s[i + 1] == "0") else { i += 1; continue }
            // Read the run: digit groups joined by one separator while the groups are short.
            let start = i
            var groups: [String] = []
            var paren = false
            var j = i
            if open {
                var k = j + 1
                var g = ""
                while k < n, isDigit(s[k]) { g.unicodeScalars.append(s[k]); k += 1 }
                if k < n, s[k] == ")" || s[k] == "）", (3...4).contains(g.count) {
                    groups.append(g); paren = true
                    j = k + 1
                    while j < n, s[j] == " " || s[j] == "\u{00A0}" || s[j] == "-" { j += 1 }
                    if j >= n || !isDigit(s[j]) { i = j; continue }
                } else { i += 1; continue }
            }
            while j < n {
                var g = ""
                while j < n, isDigit(s[j]) { g.unicodeScalars.append(s[j]); j += 1 }
                groups.append(g)
                // Join the next group only after a short group (an area code or 4-digit half).
                guard j + 1 < n, g.count <= 4, s[j] == "-" || s[j] == " " || s[j] == "－" || s[j] == "\u{00A0}", isDigit(s[j + 1]) else { break }
                j += 1
            }
            var end = j  // exclusive
            i = end
            // What is around it.
            if start > 0 {
                let b = s[start - 1]
                if isLetter(b) || codeBefore.contains(b) && !(b == "/" && start >= 2 && isDigit(s[start - 2])) { continue }
                // 9:00, 3.14: the tail of a time or a decimal.
                if (b == ":" || b == "：" || b == "." || b == ",") && start >= 2 && isDigit(s[start - 2]) { continue }
            }
            if end < n {
                let a = s[end]
                let extensionWord = a == "分" && end + 1 < n && s[end + 1] == "机"   // 66012345分机808
                if isLetter(a) || quantityAfter.contains(a) && !extensionWord { continue }
                // 9:00, 3.14, 1,000: the head of a time, a decimal or an amount.
                if (a == ":" || a == "：" || a == "." || a == ",") && end + 1 < n && isDigit(s[end + 1]) { continue }
            }
            let count = groups.reduce(0) { $0 + $1.count }
            if count < 3 || count > 13 || looksLikeDate(groups) { continue }
            // 010-66560933/59592471: the second number is 010-59592471.
            var shared: String?
            if let last = lastArea, !paren, groups.count <= 2, groups[0].first.map({ $0 >= "2" && $0 <= "9" }) == true,
               (7...8).contains(count), start > last.end, start - last.end <= 3,
               s[last.end..<start].allSatisfy({ listSeparators.contains($0) }) {
                shared = last.code
            }
            let context = shared != nil ? .phone : phoneContext(s, before: start, after: end)
            if context == .other { continue }
            guard let (norm, valid) = classify(groups: shared.map { [$0, groups.joined()] } ?? groups, paren: paren || shared != nil,
                                               inContext: context == .phone, areaCode: areaCode) else { continue }
            // An extension (-8001, 转8001) belongs to the number.
            if valid, end + 1 < n, s[end] == "-" || s[end] == "转", isDigit(s[end + 1]) {
                var k = end + 1
                while k < n, isDigit(s[k]) { k += 1 }
                if k - end - 1 <= 5 { end = k; i = k }
            }
            var printed = ""
            printed.unicodeScalars.append(contentsOf: raw[start..<j])
            out.append(Match(printed: printed.trimmingSpaces, digits: norm, valid: valid))
            lastArea = valid ? landlineArea(norm).map { ($0, end) } : nil
        }
        return out
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
    static func phoneContext(_ s: [Unicode.Scalar], before start: Int, after end: Int) -> Context {
        var k = start - 1
        let limit = max(0, start - 24)
        var crossed = false
        while k >= limit {
            if sentenceEnd.contains(s[k]) { break }
            if s[k].value >= 0x30 && s[k].value <= 0x39 { crossed = true }
            for w in phoneWords where matches(s, w, endingAt: k) { return .phone }
            for w in otherWords where matches(s, w, endingAt: k) { return crossed ? .none : .other }
            k -= 1
        }
        // 12345热线, 12345市民服务热线: 热线 within six characters after it.
        var a = end
        while a + 1 < s.count, a < end + 7 {
            if s[a] == "热" && s[a + 1] == "线" { return .phone }
            if sentenceEnd.contains(s[a]) || s[a].value < 0x80 && s[a] != " " { break }
            a += 1
        }
        return .none
    }

    static func matches(_ s: [Unicode.Scalar], _ w: [Unicode.Scalar], endingAt k: Int) -> Bool {
        let st = k - w.count + 1
        guard st >= 0 else { return false }
        for (o, c) in w.enumerated() where s[st + o] != c { return false }
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
            let areaOK = area.count == 3 ? (area == "010" || area.hasPrefix("02")) : (area.count == 4 && !area.hasPrefix("00") && !area.hasPrefix("01") && !area.hasPrefix("02"))
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
    public static func normalize(_ raw: String, areaCode: String) -> Match? {
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
