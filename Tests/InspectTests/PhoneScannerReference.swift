import Foundation
@testable import Inspect

/// The phone scanner as it read Unicode scalars (issue 13), kept as the reference the
/// byte-level scanner is compared with: same numbers, same printed text, same validity.
/// (One difference, made here too: a no-break space reads as a space, also between the
/// numbers of a list.)
enum PhoneScannerReference {
    static func scan(_ text: String, areaCode: String) -> [PhoneScanner.Match] {
        let raw = Array(text.unicodeScalars)
        let s = raw.map { $0 == "\u{00A0}" ? " " : PhoneScanner.folded($0) }  // (the byte scanner folds NBSP too)
        let n = s.count
        var out: [PhoneScanner.Match] = []
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
                } else {
                    i += 1; continue
                }
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
                if isLetter(b) || PhoneScanner.codeBefore.contains(b) && !(b == "/" && start >= 2 && isDigit(s[start - 2])) { continue }
                // 9:00, 3.14: the tail of a time or a decimal.
                if (b == ":" || b == "：" || b == "." || b == ",") && start >= 2 && isDigit(s[start - 2]) { continue }
            }
            if end < n {
                let a = s[end]
                let extensionWord = a == "分" && end + 1 < n && s[end + 1] == "机"  // 66012345分机808
                if isLetter(a) || PhoneScanner.quantityAfter.contains(a) && !extensionWord { continue }
                // 9:00, 3.14, 1,000: the head of a time, a decimal or an amount.
                if (a == ":" || a == "：" || a == "." || a == ",") && end + 1 < n && isDigit(s[end + 1]) { continue }
            }
            let count = groups.reduce(0) { $0 + $1.count }
            if count < 3 || count > 13 || PhoneScanner.looksLikeDate(groups) { continue }
            // 010-66560933/59592471: the second number is 010-59592471.
            var shared: String?
            if let last = lastArea, !paren, groups.count <= 2, groups[0].first.map({ $0 >= "2" && $0 <= "9" }) == true,
                (7...8).contains(count), start > last.end, start - last.end <= 3,
                s[last.end..<start].allSatisfy({ PhoneScanner.listSeparators.contains($0) })
            {
                shared = last.code
            }
            let context = shared != nil ? .phone : context(s, before: start, after: end)
            if context == .other { continue }
            guard
                let (norm, valid) = PhoneScanner.classify(
                    groups: shared.map { [$0, groups.joined()] } ?? groups, paren: paren || shared != nil,
                    inContext: context == .phone, areaCode: areaCode)
            else { continue }
            // An extension (-8001, 转8001) belongs to the number.
            if valid, end + 1 < n, s[end] == "-" || s[end] == "转", isDigit(s[end + 1]) {
                var k = end + 1
                while k < n, isDigit(s[k]) { k += 1 }
                if k - end - 1 <= 5 { end = k; i = k }
            }
            var printed = ""
            printed.unicodeScalars.append(contentsOf: raw[start..<j])
            out.append(PhoneScanner.Match(printed: printed.trimmingSpaces, digits: norm, valid: valid))
            lastArea = valid ? PhoneScanner.landlineArea(norm).map { ($0, end) } : nil
        }
        return out
    }

    /// The nearest keyword before the number in its sentence (24 characters back), or
    /// 热线 right after it. A word of another kind (邮编, 索引号 …) with another number between
    /// it and this one labels that number, not this one (`邮政编码：730030 0931-8489681`); a
    /// phone word labels the whole list (`电话：010-66012345、66012346`).
    static func context(_ s: [Unicode.Scalar], before start: Int, after end: Int) -> PhoneScanner.Context {
        var k = start - 1
        let limit = max(0, start - 24)
        var crossed = false
        while k >= limit {
            if PhoneScanner.sentenceEnd.contains(s[k]) { break }
            if s[k].value >= 0x30 && s[k].value <= 0x39 { crossed = true }
            for w in PhoneScanner.phoneWords where matches(s, w, endingAt: k) { return .phone }
            for w in PhoneScanner.otherWords where matches(s, w, endingAt: k) { return crossed ? .none : .other }
            k -= 1
        }
        // 12345热线, 12345市民服务热线: 热线 within six characters after it.
        var a = end
        while a + 1 < s.count, a < end + 7 {
            if s[a] == "热" && s[a + 1] == "线" { return .phone }
            if PhoneScanner.sentenceEnd.contains(s[a]) || s[a].value < 0x80 && s[a] != " " { break }
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

}
