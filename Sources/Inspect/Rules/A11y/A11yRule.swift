import Vocabulary

extension RuleDescription {
    /// The common shape of the static axe-core checks.
    static func a11y(
        _ key: String, axe: String, zh: String, en: String, summary: String, fix: String,
        passing: [RuleExample], failing: [RuleExample]
    ) -> RuleDescription {
        RuleDescription(
            id: RuleID("a11y.\(key)"), indicator: .a11y, nameZh: zh, nameEn: en,
            summary: summary
                + " One finding per page with the count and up to five snippets; an offender on many pages of one template is reported once for the template.",
            source: "GB/T 37668-2019 (shared with WCAG 2.0), as axe-core's `\(axe)` checks it; 2021 政府网站适老化与无障碍改造 (西城区2022年政务公开工作要点 item 41)",
            confidence: "H for the requirement; M for the mapping to axe; points L (advice unless the profile says otherwise)",
            severity: .advice, points: 0, fix: fix, findingSubject: key, passing: passing, failing: failing)
    }
}

enum A11y {
    /// Absent, empty or only white space.
    static func blank(_ s: String?) -> Bool { s?.isBlank ?? true }

    /// `role` whose first token is `presentation` or `none` (any case).
    static func isPresentational(_ role: String?) -> Bool {
        guard let first = role?.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first else { return false }
        let r = first.lowercased()
        return r == "presentation" || r == "none"
    }

    /// JavaScript's `parseFloat`, which axe's checks use: the longest decimal number at the start
    /// after white space (`"1.5abc"` is 1.5, `".5"` 0.5); nil where JavaScript gives NaN.
    static func parseFloat<S: StringProtocol>(_ s: S) -> Double? {
        let u = Array(s.trimmedSpaces().utf8)
        func digits(from i: Int) -> Int { var j = i; while j < u.count, u[j] >= 0x30, u[j] <= 0x39 { j += 1 }; return j }
        var i = 0
        var sign = ""
        if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { sign = u[i] == UInt8(ascii: "-") ? "-" : ""; i += 1 }
        if u[i...].starts(with: "Infinity".utf8) { return sign == "-" ? -.infinity : .infinity }
        let intEnd = digits(from: i)
        var fracStart = intEnd, fracEnd = intEnd
        if intEnd < u.count, u[intEnd] == UInt8(ascii: ".") { fracStart = intEnd + 1; fracEnd = digits(from: fracStart) }
        guard intEnd > i || fracEnd > fracStart else { return nil }
        var exponent = ""
        if fracEnd < u.count, u[fracEnd] | 0x20 == UInt8(ascii: "e") {
            var k = fracEnd + 1
            if k < u.count, u[k] == UInt8(ascii: "+") || u[k] == UInt8(ascii: "-") { k += 1 }
            let end = digits(from: k)
            if end > k { exponent = "e" + String(decoding: u[(fracEnd + 1)..<end], as: UTF8.self) }
        }
        let whole = intEnd > i ? String(decoding: u[i..<intEnd], as: UTF8.self) : "0"
        let frac = fracEnd > fracStart ? String(decoding: u[fracStart..<fracEnd], as: UTF8.self) : "0"
        return Double(sign + whole + "." + frac + exponent)
    }
}
