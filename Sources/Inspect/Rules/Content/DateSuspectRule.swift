#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
package import Parse
package import Vocabulary

/// `date-suspect`: dates that look faked (虚假更新): items dated after the as-of day, an
/// article whose printed date disagrees with its `PubDate` meta by more than a day, a list
/// whose items all carry one date while their URLs carry older ones. Heuristics: reported
/// with the evidence, an advice unless the profile says deduct, never a veto.
package struct DateSuspectRule: CollectingRule {
    package init() {}

    /// Rows a list needs before "all re-dated on one day" means anything.
    static let minRedatedRows = 5
    /// Share of those rows whose URL date is older than the printed one by more than `redatedGapDays`.
    static let redatedShare = 0.8
    static let redatedGapDays = 30

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        var out: [PageNote] = []
        // Printed date against the meta (articles only; both full dates: no as-of dependence).
        // Only a printed date newer than the meta: an older one is the document's own date on a
        // page published later (a statistics bulletin reposted: 2023-03-31 printed, PubDate
        // 2023-05-16, on three of the real pages), not an update faked forward.
        if let meta = Summarizer.metaPublished(page), let shown = Self.labelledDate(page, words: context.pageWords(page)), shown.value - meta.value > 1 {
            out.append(PageNote(key: "meta-mismatch", text: "\(shown)\t\(meta)"))
        }
        if context.depth > 0, let r = Self.redated(page) { out.append(r) }
        return out
    }

    /// The date after the page's first 发布时间/发布日期 … label in its content (within 40 bytes):
    /// the labels found in the page's text with memchr, not block by block (reading the printed
    /// date as `Summarizer.published` does cost three times the rest of this rule).
    /// (`words`: the labels found in the pass the content rules share, when there is one.)
    static func labelledDate(_ page: PageModel, words: PageWords? = nil) -> Day? {
        withUTF8Bytes(page.allText) { hay -> Day? in
            guard hay.baseAddress != nil else { return nil }
            var best: (start: Int, end: Int)?
            // The earliest in a content block; of two at one byte, the label listed first (as below).
            var bestLabel = Int.max
            for o in words?.published ?? [] where best.map({ o.start < $0.start || o.start == $0.start && o.label < bestLabel }) ?? true {
                if let b = page.block(atBytes: o.start, o.end), Summarizer.isContent(page.blocks[b].region) {
                    best = (o.start, o.end); bestLabel = o.label
                }
            }
            for (_, w) in words == nil ? Summarizer.publishedLabels : [] {
                let n = w.count
                // The first in a content block, if it comes before the best so far.
                ByteMatch.forEachEnd(of: w, anchor: ByteMatch.anchor(w), in: hay) { end in
                    if let b = best, end - n >= b.start { return false }
                    guard let b = page.block(atBytes: end - n, end), Summarizer.isContent(page.blocks[b].region) else { return true }
                    best = (end - n, end)
                    return false
                }
            }
            guard let best else { return nil }
            let tail = String(decoding: UnsafeBufferPointer(rebasing: hay[best.end..<min(hay.count, best.end + 40)]), as: UTF8.self)
            return DateScanner.dates(in: tail, asOf: nil).first
        }
    }

    /// A content list of at least `minRedatedRows` rows printing one same full date, most of
    /// whose links carry an older date in their URL.
    static func redated(_ page: PageModel) -> PageNote? {
        struct Group { var day: Day?; var rows = 0; var mixed = false; var older = 0; var sample = ""; var sampleDay: Day? }
        var groups: [Int: Group] = [:]
        let links = page.links, blocks = page.blocks  // (by index, fields read in place: no copy of each)
        for i in blocks.indices where blocks[i].list >= 0 && Summarizer.isContent(blocks[i].region) && (1...3).contains(blocks[i].linkCount) {
            let b = blocks[i]
            guard let day = DateScanner.dates(in: b.text, asOf: nil).last else { continue }
            var g = groups[b.list] ?? Group()
            if g.mixed { continue }
            if let d = g.day, d != day { g.mixed = true; groups[b.list] = g; continue }
            g.day = day
            g.rows += 1
            let l = b.firstLink
            if l < links.count, let u = URLDate.day(in: links[l].href), u.value < day.value - redatedGapDays {
                g.older += 1
                if g.sample.isEmpty { g.sample = links[l].href; g.sampleDay = u }
            }
            groups[b.list] = g
        }
        let hits = groups.values.filter { g in
            !g.mixed && g.rows >= minRedatedRows && Double(g.older) >= redatedShare * Double(g.rows)
        }
        guard let g = hits.max(by: { $0.rows < $1.rows }), let day = g.day, let urlDay = g.sampleDay else { return nil }
        return PageNote(key: "redated", text: "\(day)\t\(g.rows)\t\(g.older)\t\(g.sample)\t\(urlDay)")
    }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        var out: [Finding] = []
        func add(_ url: String, _ subject: String, _ message: String, _ evidence: [String: JSONValue], column: String = "") {
            out.append(
                Finding(
                    rule: d.id, indicator: d.indicator, severity: severity, points: points, url: url, subject: subject,
                    department: site.department(for: url, column: column), message: message, evidence: evidence))
        }
        // Future items, from the lists the column and home-page summaries read.
        for c in site.columns {
            guard let latest = c.latest, latest > site.asOf else { continue }
            add(
                c.url, "future", "栏目“\(c.name)”有信息的日期（\(latest)）晚于检查日 \(site.asOf)",
                ["latest": .string(latest.description), "asOf": .string(site.asOf.description)], column: c.name)
        }
        for h in site.homes {
            guard let latest = h.latest, latest > site.asOf else { continue }
            add(h.url, "future", "首页有信息的日期（\(latest)）晚于检查日 \(site.asOf)", ["latest": .string(latest.description), "asOf": .string(site.asOf.description)])
        }
        // Articles one link from a start page (the ones a home page's items lead to): their date.
        for (url, day) in site.futureArticles.sorted(by: { $0.key < $1.key }) {
            add(url, "future", "文章的发布日期（\(day)）晚于检查日 \(site.asOf)", ["published": .string(day.description), "asOf": .string(site.asOf.description)])
        }
        for n in notes.sorted(by: { $0.url < $1.url }) {
            let f = ByteMatch.fields(n.text)
            switch n.key {
            case "meta-mismatch" where f.count == 2:
                add(n.url, "meta-mismatch", "页面显示的发布日期 \(f[0]) 与 PubDate 元数据 \(f[1]) 相差超过 1 天", ["shown": .string(f[0]), "meta": .string(f[1])])
            case "redated" where f.count == 5:
                add(
                    n.url, "redated", "列表中 \(f[1]) 条信息都标为同一天 \(f[0])，其中 \(f[2]) 条的网址显示更早的日期（如 \(f[3])：\(f[4])）",
                    ["day": .string(f[0]), "rows": .string(f[1]), "olderInURL": .string(f[2]), "sample": .string(f[3]), "sampleURLDate": .string(f[4])])
            default: continue
            }
        }
        return out
    }

    static func article(shown: String, meta: String) -> String {
        examplePage(
            head: "<meta name=\"PubDate\" content=\"\(meta) 09:30\">",
            "<h1>区政府召开常务会议</h1><p class=\"info\">发布时间：\(shown) 来源：区政府办</p><div class=\"content\"><p>会议研究部署了近期重点工作。</p></div>")
    }
    static func list(_ rows: [(String, String)]) -> String {
        examplePage(
            head: "<meta name=\"ColumnName\" content=\"工作动态\">",
            "<div class=\"list\"><ul>" + rows.map { "<li><a href=\"\($0.0)\">区里开展了一项工作的报道标题</a><span>\($0.1)</span></li>" }.joined() + "</ul></div>")
    }
    static let sameDay = (1...6).map { ("/gzdt/20220\($0)/t20220\($0)15_\($0).html", "2022-10-28") }

    package static let description = RuleDescription(
        id: "date.suspect", indicator: .dateSuspect, nameZh: "疑似虚假更新", nameEn: "Suspect dates",
        summary: """
            Three signs of faked dates (虚假更新): a column list or start page listing an item dated after the as-of day, \
            or an article one link from a start page published after it (`future`, on the column, home page or article); an article whose printed publication date is more than a day after its \
            PubDate (firstpublishedtime, publishdate) meta (`meta-mismatch`; an older printed date is the document's own \
            date on a page published later, not reported); a content list of at least 5 rows \
            that all print one date while 80% or more of their links carry a date in the URL (t20230512_…, /202305/, \
            /2023/05/) more than 30 days older (`redated`). Heuristics: advice by default, a profile may make them \
            deductions; never a veto.
            """,
        source: "国办秘函〔2019〕19号 单项否决 安全隐患（虚假更新）; the signs and thresholds are govsweep's (L)",
        confidence: "H (faked dates are an inspection item); L (every sign and threshold: 1 day, 5 rows, 80%, 30 days)",
        severity: .advice, points: 0,
        fix: "核对这些信息的发布日期：应为真实的首次发布日期，不得批量改写旧信息的日期或预填未来日期；页面显示日期与 PubDate 元数据应一致。",
        passing: [
            RuleExample(
                "printed date and meta agree (a day apart at most)",
                pages: [ExamplePage("/xwdt/202210/t20221027_1.html", article(shown: "2022-10-28", meta: "2022-10-27"))]),
            RuleExample(
                "a reposted bulletin: printed date older than the meta",
                pages: [ExamplePage("/tjgb/202305/t20230516_1.html", article(shown: "2023-03-31", meta: "2023-05-16"))], asOf: "2023-06-01"),
            RuleExample(
                "a list of one day whose URLs carry the same day",
                pages: [ExamplePage("/gzdt/", list((1...6).map { ("/gzdt/202210/t20221028_\($0).html", "2022-10-28") }))]),
            RuleExample(
                "older URLs, but the list's dates differ",
                pages: [ExamplePage("/gzdt/", list((1...6).map { ("/gzdt/20220\($0)/t_\($0).html", "2022-0\($0)-20") }))]),
        ],
        failing: [
            RuleExample(
                "a list item dated after the as-of day",
                pages: [ExamplePage("/gzdt/", list([("/gzdt/a1.html", "2022-11-20"), ("/gzdt/a2.html", "2022-10-20")]))],
                subjects: ["future"], severity: .advice),
            RuleExample(
                "an article a home page links, dated after the as-of day",
                pages: [
                    ExamplePage("/", examplePage("<div class=\"news\"><ul><li><a href=\"/xwdt/202211/t20221105_1.html\">区政府召开常务会议</a></li></ul></div>")),
                    ExamplePage("/xwdt/202211/t20221105_1.html", article(shown: "2022-11-05", meta: "2022-11-05")),
                ], subjects: ["future"]),
            RuleExample(
                "printed date 5 days after the meta", pages: [ExamplePage("/xwdt/202210/t20221023_1.html", article(shown: "2022-10-28", meta: "2022-10-23"))],
                subjects: ["meta-mismatch"]),
            RuleExample("six items re-dated on one day, URLs from January to June", pages: [ExamplePage("/gzdt/", list(sameDay))], subjects: ["redated"]),
        ])
}

/// The date a URL carries in its path (`t20230512_123.html`, `/202305/`, `/2023/05/`,
/// `/2023-05-12/`), read over its bytes; nil when none.
enum URLDate {
    static func day(in href: String) -> Day? {
        withUTF8Bytes(href) { b -> Day? in
            let n = b.count
            var i = 0
            // Skip the authority: a port or an IP address is not a date.
            if let s = findPathStart(b) { i = s }
            while i < n {
                guard isDigit(b[i]) else { i += 1; continue }
                var j = i
                while j < n && isDigit(b[j]) { j += 1 }
                let len = j - i
                if len == 8 || len == 14, let d = ymd(b, i) { return d }
                if len == 6, let y = year(b, i), let m = two(b, i + 4), let d = Day(year: y, month: m, day: 1) { return d }
                if len == 4, let y = year(b, i), j + 2 < n, b[j] == 0x2F || b[j] == 0x2D, let m = two(b, j + 1),
                    j + 3 >= n || !isDigit(b[j + 3])
                {
                    var day = 1
                    if j + 5 < n, b[j + 3] == b[j], let dd = two(b, j + 4), j + 6 >= n || !isDigit(b[j + 6]) { day = dd }
                    if let d = Day(year: y, month: m, day: day) { return d }
                }
                i = j
            }
            return nil
        }
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func two(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i + 1 < b.count, isDigit(b[i]), isDigit(b[i + 1]) else { return nil }
        return Int(b[i] - 0x30) * 10 + Int(b[i + 1] - 0x30)
    }
    static func year(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard let hi = two(b, i), let lo = two(b, i + 2) else { return nil }
        let y = hi * 100 + lo
        return (1995...2099).contains(y) ? y : nil
    }
    static func ymd(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Day? {
        guard let y = year(b, i), let m = two(b, i + 4), let d = two(b, i + 6) else { return nil }
        return Day(year: y, month: m, day: d)
    }
    /// Where the path begins: after `scheme://host[:port]`, or 0 for a relative reference.
    static func findPathStart(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        while i + 2 < b.count && b[i] != 0x2F {
            if b[i] == 0x3A && b[i + 1] == 0x2F && b[i + 2] == 0x2F {
                var j = i + 3
                while j < b.count && b[j] != 0x2F { j += 1 }
                return j
            }
            i += 1
        }
        if b.count >= 2 && b[0] == 0x2F && b[1] == 0x2F {
            var j = 2
            while j < b.count && b[j] != 0x2F { j += 1 }
            return j
        }
        return nil
    }
}
