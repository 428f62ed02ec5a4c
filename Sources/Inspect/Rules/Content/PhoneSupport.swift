import Parse

/// Shared by the two phone rules: the numbers of a page, and the aggregation into one
/// finding per distinct number listing every page it appears on.
enum PhoneSupport {
    /// Every number printed in the page's text blocks. A short block ending in a label
    /// (`<dt>电话：</dt><dd>66012345</dd>`) lends its label to the next block.
    static func matches(in page: PageModel, areaCode: String) -> [PhoneScanner.Match] {
        var out: [PhoneScanner.Match] = []
        var previous = ""
        for b in page.blocks {
            let text = b.text
            defer { previous = text }
            guard hasDigitRun(text) else { continue }
            let lend = previous.count <= 12 && (previous.hasSuffix("：") || previous.hasSuffix(":") || previous.count <= 6)
            out += PhoneScanner.scan(lend ? previous + " " + text : text, areaCode: areaCode)
        }
        return out
    }

    /// At least three ASCII digits in a row (cheap pre-check on UTF-8).
    static func hasDigitRun(_ s: String) -> Bool {
        var run = 0
        for b in s.utf8 {
            if b >= 0x30 && b <= 0x39 { run += 1; if run >= 3 { return true } } else { run = 0 }
        }
        return false
    }

    struct Number { var key: String; var printed: [String]; var pages: [String] }

    /// Notes grouped by number, numbers and pages sorted.
    static func group(_ notes: [CollectedNote]) -> [Number] {
        var byKey: [String: Number] = [:]
        for n in notes.sorted(by: { ($0.key, $0.url) < ($1.key, $1.url) }) {
            var e = byKey[n.key] ?? Number(key: n.key, printed: [], pages: [])
            if !e.printed.contains(n.text) { e.printed.append(n.text) }
            if e.pages.last != n.url { e.pages.append(n.url) }
            byKey[n.key] = e
        }
        return byKey.values.sorted { $0.key < $1.key }
    }

    static func finding(_ d: RuleDescription, _ number: Number, subject: String, message: String, site: SiteContext) -> Finding {
        let (_, severity, points) = site.profile.settings(for: d)
        let home = site.homeURL(host: hostOf(number.pages[0]))
        return Finding(rule: d.id, indicator: d.indicator, severity: severity, points: points, url: home, subject: subject,
                       department: site.department(ofPages: number.pages), foundOn: number.pages, message: message,
                       evidence: ["printed": .array(number.printed.prefix(5).map { .string($0) }), "pages": .int(number.pages.count)])
    }
}
