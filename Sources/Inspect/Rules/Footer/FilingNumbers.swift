/// Reads the filing numbers of a footer (ICP备, 公网安备, 网站标识码) as real sites print
/// them: behind a label (`ICP备案编号：京ICP备19014909号-1`, `备案号：`, `公安备案号：`), with
/// full-width colons, digits and spaces, with spaces or a line break inside
/// (`京ICP备 15039510号`, `京 ICP 备 19054529 号 -1` when each part is its own element), with or
/// without the closing `号` and the `-N` site suffix. Footers are a few thousand characters,
/// read once per home page: clarity over speed.
struct FilingNumbers {
    /// The footer folded: full-width ASCII as ASCII, every kind of space (line breaks,
    /// U+3000, no-break) as " ".
    let s: [Unicode.Scalar]
    /// The footer as printed, scalar for scalar with `s`: what a malformed verdict shows.
    let raw: [Unicode.Scalar]

    init(_ text: String) {
        raw = Array(text.unicodeScalars)
        s = raw.map { u in
            switch u.value {
            case 0xFF01...0xFF5E: return Unicode.Scalar(u.value - 0xFEE0)!
            case 0x09...0x0D, 0x20, 0xA0, 0x2000...0x200B, 0x202F, 0x205F, 0x3000, 0xFEFF: return " "
            default: return u
            }
        }
    }

    // MARK: ICP

    /// `ICP备` + 6 to 10 digits (`号` and `-N` optional), or an `ICP证` licence. A label
    /// (`ICP备案号：`, `ICP备案编号：`) is skipped for the number after it; the first number in
    /// the wrong form is what a malformed verdict shows.
    func icp() -> FooterVerdict {
        var bad: String?, label: String?
        for i in occurrences("ICP", caseInsensitive: true) {
            if i > 0, isASCIILetter(s[i - 1]) { continue }  // a word that merely ends in "icp"
            var k = skipSpaces(i + 3)
            if at(k) == "证" { return .present }
            guard at(k) == "备" else { bad = bad ?? printed(from: i); continue }
            k = skipSpaces(k + 1)
            if at(k) == "案" {
                // A label. Its number follows as its own `京ICP备…` unless digits come right after it.
                k = skipLabel(k + 1)
                guard let c = at(k), isDigit(c) else { label = label ?? printed(from: i); continue }
            }
            k = skipSpaces(skipColons(k))
            let (digits, _) = number(from: k, maxLength: 10)
            if (6...10).contains(digits.count) { return .present }
            bad = bad ?? printed(from: i)
        }
        return (bad ?? label).map(FooterVerdict.malformed) ?? .missing
    }

    // MARK: 公网安备

    /// `公网安备` + 14 digits (`号` optional). A number of the pre-2016 system
    /// (`公安备案号：35012899001-19002`, `公安机关备案号：…`) is printed but not in today's form:
    /// malformed, with the value.
    func publicSecurity() -> FooterVerdict {
        var bad: String?
        for i in occurrences("公网安备") {
            var k = skipSpaces(i + 4)
            if at(k) == "案" { k = skipLabel(k + 1) }  // 公网安备案号：
            k = skipSpaces(skipColons(k))
            let (digits, _) = number(from: k, maxLength: 14)
            if digits.count == 14 { return .present }
            bad = bad ?? printed(from: i)
        }
        if let bad { return .malformed(bad) }
        for label in ["公安机关备案", "公安局备案", "公安部备案", "公安备案"] {
            guard let i = occurrences(label).first else { continue }
            return .malformed(printed(from: i, limit: 28))
        }
        return .missing
    }

    // MARK: 网站标识码

    /// The value after `标识码` (or `识别码`): ASCII letters and digits, joined across a space
    /// while fewer than ten are read (`110102 0002`, a code split over two elements).
    func siteCode() -> String? {
        guard let i = occurrences("标识码").first ?? occurrences("识别码").first else { return nil }
        var k = i + 3
        while let c = at(k), c == " " || c == ":" || c == "为" || c == "是" { k += 1 }
        var v = ""
        while k < s.count {
            if isASCIILetter(s[k]) || isDigit(s[k]) {
                v.unicodeScalars.append(s[k]); k += 1
            } else if s[k] == " ", v.count < 10, let next = at(skipSpaces(k)), isASCIILetter(next) || isDigit(next),
                v.count + run(from: skipSpaces(k)) <= 10
            {
                k = skipSpaces(k)
            } else {
                break
            }
        }
        return v
    }

    // MARK: Reading

    /// Digits from `k`, joined across spaces while the whole stays within `maxLength`
    /// (`1501 9510`; a line break before the next line's own digits ends the number).
    func number(from k: Int, maxLength: Int) -> (digits: String, end: Int) {
        var d = ""
        var j = k
        while j < s.count {
            if isDigit(s[j]) {
                d.unicodeScalars.append(s[j]); j += 1
            } else if s[j] == " ", !d.isEmpty, case let next = skipSpaces(j), let c = at(next), isDigit(c),
                d.count + digitRun(from: next) <= maxLength
            {
                j = next
            } else {
                break
            }
        }
        return (d, j)
    }

    func occurrences(_ word: String, caseInsensitive: Bool = false) -> [Int] {
        let w = Array(word.unicodeScalars)
        guard s.count >= w.count else { return [] }
        var out: [Int] = []
        for i in 0...(s.count - w.count) {
            var hit = true
            for (o, c) in w.enumerated() {
                let x = s[i + o]
                if x != c, !(caseInsensitive && isASCIILetter(x) && x.value | 0x20 == c.value | 0x20) { hit = false; break }
            }
            if hit { out.append(i) }
        }
        return out
    }

    /// Past the rest of a label (`编号`, `号`, `序号`) and its colon.
    func skipLabel(_ k: Int) -> Int {
        var j = skipSpaces(k)
        for word in ["编号", "序号", "号码", "号"] {
            let w = Array(word.unicodeScalars)
            if j + w.count <= s.count, Array(s[j..<(j + w.count)]) == w { j += w.count; break }
        }
        return skipSpaces(skipColons(skipSpaces(j)))
    }

    func skipColons(_ k: Int) -> Int {
        var j = k
        while let c = at(j), c == ":" || c == "：" { j += 1 }
        return j
    }

    func skipSpaces(_ k: Int) -> Int {
        var j = k
        while j < s.count, s[j] == " " { j += 1 }
        return j
    }

    func digitRun(from k: Int) -> Int {
        var j = k
        while j < s.count, isDigit(s[j]) { j += 1 }
        return j - k
    }

    func run(from k: Int) -> Int {
        var j = k
        while j < s.count, isDigit(s[j]) || isASCIILetter(s[j]) { j += 1 }
        return j - k
    }

    /// What a finding shows: the text from `i`, its spaces removed, up to the next
    /// character that cannot belong to a filing number.
    func printed(from i: Int, limit: Int = 18) -> String {
        var out = ""
        var j = i
        while j < s.count, out.unicodeScalars.count < limit {
            let c = s[j]
            j += 1
            if c == " " { if let n = at(j), isDigit(n) || n == "号" || n == "-" || n == "备" { continue } else { break } }
            if c == "|" || c == "," || c == "，" || c == "。" { break }
            out.unicodeScalars.append(raw[j - 1])
        }
        return out
    }

    func at(_ k: Int) -> Unicode.Scalar? { k < s.count ? s[k] : nil }
    func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }
    func isASCIILetter(_ c: Unicode.Scalar) -> Bool { (c.value | 0x20) >= 0x61 && (c.value | 0x20) <= 0x7A }
}
