package import Parse
package import Vocabulary

/// `wording`: incorrect expressions from the dictionaries, one multi-pattern pass per text block.
package struct WordingRule: CollectingRule {
    package init() {}

    /// Characters of context kept on each side of a match.
    static let contextChars = 12

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        let dict = context.content.wording
        var out: [PageNote] = []
        // Every block's text in one scan of allText (one call instead of one a block); a hit
        // counts when it lies inside one block, and its context is taken from that block.
        // (The scan the phone rules share, when the dictionary fits it.)
        let blocks = page.blocks
        let hits = blocks.isEmpty ? [] : context.pageWords(page)?.wording ?? dict.matcher.matches(in: page.allText)
        if !hits.isEmpty {
            var bytesOf: (index: Int, bytes: [UInt8]) = (-1, [])
            for m in hits {
                let start = m.end - dict.matcher.patterns[m.pattern].count
                guard let b = page.block(atBytes: start, m.end) else { continue }
                if bytesOf.index != b { bytesOf = (b, Array(blocks[b].text.utf8)) }
                let offset = blocks[b].textStart
                out.append(
                    PageNote(
                        key: dict.entries[m.pattern].wrong,
                        text: Self.context(bytesOf.bytes, start - offset, m.end - offset)))
            }
        }
        if let title = page.title {
            for m in dict.matcher.matches(in: title) {
                let start = m.end - dict.matcher.patterns[m.pattern].count
                out.append(PageNote(key: dict.entries[m.pattern].wrong, text: Self.context(Array(title.utf8), start, m.end)))
            }
        }
        return out
    }

    /// Up to `contextChars` characters either side of bytes start..<end.
    static func context(_ b: [UInt8], _ start: Int, _ end: Int) -> String {
        var s = start, e = end, n = 0
        while s > 0 && n < contextChars { s -= 1; while s > 0 && b[s] & 0xC0 == 0x80 { s -= 1 }; n += 1 }
        n = 0
        while e < b.count && n < contextChars { e += 1; while e < b.count && b[e] & 0xC0 == 0x80 { e += 1 }; n += 1 }
        return String(decoding: b[s..<e], as: UTF8.self)
    }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        var byWrong: [String: [CollectedNote]] = [:]
        for n in notes { byWrong[n.key, default: []].append(n) }
        let entries = Dictionary(site.content.wording.entries.map { ($0.wrong, $0) }, uniquingKeysWith: { _, b in b })
        return byWrong.keys.sorted().compactMap { wrong in
            guard let e = entries[wrong] else { return nil }
            let group = byWrong[wrong]!.sorted { $0.url < $1.url }
            var pages: [String] = []
            for n in group where pages.last != n.url { pages.append(n.url) }
            let serious = e.wordClass == .serious
            return Finding(
                rule: d.id.variant(serious ? "serious" : "common"), indicator: d.indicator,
                severity: serious ? .veto : severity, points: serious ? 0 : points,
                url: site.homeURL(host: hostOf(pages[0])), subject: wrong,
                department: site.department(ofPages: pages), foundOn: pages,
                message: "“\(wrong)”应为“\(e.right)”\(serious ? "（严重表述错误）" : "")：出现在 \(pages.count) 个页面",
                evidence: [
                    "right": .string(e.right), "class": .string(e.wordClass.rawValue), "entry": .string(e.origin),
                    "context": .array(group.prefix(5).map { .string($0.text) }), "pages": .int(pages.count),
                ])
        }
    }

    package static let description = RuleDescription(
        id: "wording", indicator: .wording, nameZh: "错别字与不规范表述", nameEn: "Incorrect wording",
        summary: """
            Matches every entry of the wording dictionaries (Rules/dictionaries/*.csv, plus `--wording`) in one multi-pattern \
            pass over each page's text. Serious entries (misspelled names of the state, its institutions and the Party's \
            theory) are a veto under the security indicator; common typos take the rule's severity (advice by default). \
            One finding per expression, every page in foundOn, the surrounding text in the evidence.
            """,
        source: "国办秘函〔2019〕19号 安全、泄密事故等严重问题（严重错别字）; 国办发〔2017〕47号; common-typo severity L",
        confidence: "H (serious: veto); L (common: severity and points)",
        severity: .advice, points: 0,
        parameters: [RuleParameter("user entries", profileKey: "--wording", defaultValue: "none", help: "CSV wrong,right[,class]")],
        passing: [
            RuleExample(
                "correct names and phrases",
                html: examplePage(
                    """
                    <p>中华人民共和国国务院办公厅 中国共产党 社会主义核心价值观 国家发展和改革委员会</p><p>再接再厉，按部就班</p>
                    """))
        ],
        failing: [
            RuleExample(
                "a misspelled state name is a veto", html: examplePage("<p>庆祝中华人民共合国成立73周年</p>"),
                subjects: ["中华人民共合国"], severity: .veto),
            RuleExample(
                "a common typo on two pages, one finding",
                pages: [
                    ExamplePage("/", examplePage("<p>希望大家再接再励</p>")),
                    ExamplePage("/a.html", examplePage("<p>再接再励，再创佳绩</p>")),
                ], subjects: ["再接再励"], severity: .advice),
            RuleExample(
                "a user entry", pages: [ExamplePage("/", examplePage("<p>西城区人民政俯</p>"))],
                wording: ["区人民政俯,区人民政府,serious"], subjects: ["区人民政俯"], severity: .veto),
        ])
}
