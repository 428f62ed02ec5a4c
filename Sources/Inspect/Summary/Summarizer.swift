import Foundation
import Parse
import Vocabulary

/// Builds the compact summaries from one page model. Pure functions; run in the crawl's
/// page tasks, outside the inspector's lock.
enum Summarizer {
    /// Query parameters that only page through a list.
    static let pageParameters: Set<String> = ["page", "pageno", "pageindex", "pagenum", "p", "pn", "currentpage", "curpage", "pagesize", "start", "offset"]

    /// The column URL of a page: `index_2.html`, `index.html`, `list_3.shtml`, `default.aspx`
    /// become the directory; paging query parameters are dropped. `isPagination` when the
    /// page was a later page (`_N`, `page=2`).
    static func columnKey(_ url: String) -> (key: String, isPagination: Bool) {
        var s = url
        if let hash = s.firstIndex(of: "#") { s = String(s[..<hash]) }
        var query = ""
        if let q = s.firstIndex(of: "?") { query = String(s[s.index(after: q)...]); s = String(s[..<q]) }
        var paged = false
        if let slash = s.lastIndex(of: "/"), s.distance(from: s.startIndex, to: slash) > 7 {
            let file = s[s.index(after: slash)...]
            let stem = file.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
            let base = stem.split(separator: "_").first.map(String.init) ?? stem
            let suffix = stem.dropFirst(base.count)
            if ["index", "list", "default", "more"].contains(base.lowercased()),
                file.contains(".") || file.isEmpty,
                suffix.isEmpty || (suffix.hasPrefix("_") && suffix.dropFirst().allSatisfy(\.isNumber) && suffix.count > 1)
            {
                if !suffix.isEmpty { paged = true }  // TRS and most CMS: index.html, index_1.html, index_2.html …
                s = String(s[...slash])
            }
        }
        var kept: [String] = []
        for part in query.split(separator: "&") {
            let kv = part.split(separator: "=", maxSplits: 1)
            let name = kv.first.map { $0.lowercased() } ?? ""
            if pageParameters.contains(name) {
                let v = kv.count > 1 ? String(kv[1]) : ""
                if v != "1" && v != "0" && !v.isEmpty { paged = true }
            } else {
                kept.append(String(part))
            }
        }
        if !kept.isEmpty { s += "?" + kept.sorted().joined(separator: "&") }
        return (s, paged)
    }

    static func isContent(_ r: Region) -> Bool { r == .main || r == .unknown }

    struct ListFacts {
        var rows = 0; var dated = 0; var latest: Day?
        /// The list's row blocks (indices into `page.blocks`), in page order: the work-point topic check reads their titles.
        var rowBlocks: [Int] = []
    }

    /// The column's own list: the list group (same `list` ordinal) in the main content
    /// with the most dated link rows, joined with neighbouring groups of the same shape
    /// (a CMS that writes one `<ul>` per five items). Sidebars in `aside`, header, nav and
    /// footer never count. A table row's date in a cell of its own is joined to the row.
    static func ownList(_ page: PageModel, asOf: Day) -> ListFacts {
        struct Group {
            var list: Int; var first: Int; var depth: Int; var rows = 0; var dated = 0; var latest: Day?; var pending = false; var rowBlocks: [Int] = []
        }
        var groups: [Int: Group] = [:]
        // Rows written as sibling `div`s or `p`s outside any list container: a run of blocks
        // of one tag at one depth counts as a list of its own.
        var run = 0, runDepth = -1, runTag = ""
        for (i, b) in page.blocks.enumerated() where isContent(b.region) {
            var key = b.list
            if key < 0 {
                if b.depth != runDepth || b.tag != runTag { run += 1; runDepth = b.depth; runTag = b.tag }
                key = 1_000_000 + run
            }
            var g = groups[key] ?? Group(list: key, first: i, depth: b.depth)
            let isRow = (1...3).contains(b.linkCount)
            guard isRow || (b.linkCount == 0 && g.pending) else { groups[key] = g; continue }
            let date = DateScanner.newest(in: b.text, asOf: asOf)
            if isRow {
                if g.rows == 0 { g.depth = b.depth }
                g.rows += 1
                g.rowBlocks.append(i)
                if let date {
                    g.dated += 1
                    g.latest = max(g.latest ?? date, date)
                    g.pending = false
                } else {
                    g.pending = true
                }
            } else if b.linkCount == 0, g.pending, let date {
                g.dated += 1
                g.latest = max(g.latest ?? date, date)
                g.pending = false
            }
            groups[key] = g
        }
        let dated = groups.values.filter { $0.dated > 0 }.sorted { $0.first < $1.first }
        guard let primaryIndex = dated.indices.max(by: { (dated[$0].dated, dated[$0].rows) < (dated[$1].dated, dated[$1].rows) }) else {
            return ListFacts(rows: groups.values.map(\.rows).max() ?? 0)
        }
        let p = dated[primaryIndex]
        var facts = ListFacts(rows: p.rows, dated: p.dated, latest: p.latest, rowBlocks: p.rowBlocks)
        func join(_ g: Group) -> Bool {
            guard g.depth == p.depth, g.dated >= 2 else { return false }
            facts.rows += g.rows
            facts.dated += g.dated
            facts.rowBlocks += g.rowBlocks
            if let l = g.latest { facts.latest = max(facts.latest ?? l, l) }
            return true
        }
        var k = primaryIndex - 1
        while k >= 0, join(dated[k]) { k -= 1 }
        k = primaryIndex + 1
        while k < dated.count, join(dated[k]) { k += 1 }
        return facts
    }

    static let crumbWords = ["当前位置", "您的位置", "你的位置", "所在位置", "您现在的位置", "当前页面"].map { Array($0.utf8) }
    static let crumbSeparators: [Character] = [">", "＞", "»", "›", "→", "/"]

    /// `>` or one of ＞ » › → in UTF-8 (the separators that mark a breadcrumb).
    static func hasCrumbSeparator(_ s: String) -> Bool {
        return withUTF8Bytes(s) { b in
            for k in b.indices {
                switch b[k] {
                case 0x3E: return true  // >
                case 0xC2 where k + 1 < b.count && b[k + 1] == 0xBB: return true  // »
                case 0xE2 where k + 2 < b.count && b[k + 1] == 0x80 && b[k + 2] == 0xBA: return true  // ›
                case 0xE2 where k + 2 < b.count && b[k + 1] == 0x86 && b[k + 2] == 0x92: return true  // →
                case 0xEF where k + 2 < b.count && b[k + 1] == 0xBC && b[k + 2] == 0x9E: return true  // ＞
                default: continue
                }
            }
            return false
        }
    }

    /// The last item of the breadcrumb (当前位置：首页 > 政务公开 > 通知公告).
    static func breadcrumb(_ page: PageModel) -> String? {
        for b in page.blocks where b.region != .footer && b.text.utf8.count <= 360 {
            let hasWord = crumbWords.contains { ByteMatch.contains(b.text, $0) }
            guard hasWord || ((2...6).contains(b.linkCount) && hasCrumbSeparator(b.text)) else { continue }
            var tail = b.text.split { crumbSeparators.contains($0) }.last.map { clean(String($0)) } ?? ""
            if let colon = tail.lastIndex(where: { $0 == "：" || $0 == ":" }) { tail = String(tail[tail.index(after: colon)...]) }
            if !tail.isEmpty, !["正文", "详情", "内容", "浏览文章", "首页"].contains(tail) { return tail }
            let end = b.firstLink + b.linkCount
            if b.linkCount > 0, end <= page.links.count, case let t = clean(page.links[end - 1].text), !t.isEmpty {
                return t
            }
        }
        return nil
    }

    static func titleName(_ page: PageModel) -> String? {
        guard let t = page.title else { return nil }
        let first = t.split { "_|-—－".contains($0) }.first.map { clean(String($0)) } ?? ""
        return first.isEmpty || first.count > 20 ? nil : first
    }

    /// Whitespace and decoration removed, for comparing names.
    static func clean(_ s: String) -> String {
        // (Over the bytes, with the dropped characters of the BMP in a bitmap: the filter through
        // CharacterSet, one scalar at a time into Characters, was 1.45% of a sweep's samples on the
        // realistic portal, policy.interpretation cleaning every link text of an interpretation.)
        let bits = cleanDropBits
        let kept: [UInt8]? = withUTF8Bytes(s) { b in
            let n = b.count
            var i = 0
            var out: [UInt8]? = nil  // made at the first character dropped
            while i < n {
                let (v, length) = PolicyMetadata.scalarValue(b, at: i)
                let drop = v < 0x10000 ? bits[Int(v) >> 6] >> UInt64(v & 63) & 1 != 0 : cleanDrops(Unicode.Scalar(v)!)
                if drop {
                    if out == nil { out = Array(b[0..<i]) }
                } else if out != nil {
                    out!.append(contentsOf: b[i..<(i + length)])
                }
                i += length
            }
            return out
        }
        return kept.map { String(decoding: $0, as: UTF8.self) } ?? s
    }

    /// What `clean` drops: white space and newlines (Foundation's set) and the decoration of names.
    static func cleanDrops(_ u: Unicode.Scalar) -> Bool {
        CharacterSet.whitespacesAndNewlines.contains(u) || "·•“”\"《》[]【】「」".unicodeScalars.contains(u)
    }
    /// `cleanDrops` for every BMP character: the characters Foundation's white space and newlines
    /// hold (Z*, tab to carriage return, U+0085, and U+200B) and the decoration. Listed, not asked of
    /// the set 65,536 times: that took 11 ms on the first page of every sweep, while the other
    /// threads waited for the sitemap. (LabelTableTests checks the list against the set.)
    static let cleanDropBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        let white: [ClosedRange<UInt32>] = [
            0x09...0x0D, 0x20...0x20, 0x85...0x85, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200B, 0x2028...0x2029,
            0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000,
        ]
        for r in white { for v in r { bits[Int(v) >> 6] |= 1 << UInt64(v & 63) } }
        for u in "·•“”\"《》[]【】「」".unicodeScalars { bits[Int(u.value) >> 6] |= 1 << UInt64(u.value & 63) }
        return bits
    }()

    /// An article (detail) page, whose related-links list must not pass for a column:
    /// article metas, an article URL (`t20221028_123.html`, `/202210/…html`, `content_…`,
    /// `art_…`, `detail`), or a body of running text outside any list.
    static func isArticle(_ page: PageModel, url: String) -> Bool {
        for name in ["ArticleTitle", "PubDate", "ContentSource"] {
            // Not blank: a character other than a space (Foundation's .whitespaces: Zs and tab).
            if let v = page.meta(name),
                v.unicodeScalars.contains(where: { $0 != " " && $0 != "\t" && $0.properties.generalCategory != .spaceSeparator })
            {
                return true
            }
        }
        if isArticleURL(url) { return true }
        let blocks = page.blocks  // (by index, fields read in place: no copy of each block)
        return blocks.indices.contains { i in
            blocks[i].list < 0 && isContent(blocks[i].region) && !blocks[i].hidden && blocks[i].text.utf8.count >= 600
        }
    }

    static func isArticleURL(_ url: String) -> Bool {
        var path = Substring(url)
        if let q = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<q] }
        let parts = path.split(separator: "/")
        guard parts.count >= 3, let file = parts.last, file.contains(".") else { return false }
        let stem = file.split(separator: ".").first ?? ""
        let lower = stem.lowercased()
        if lower.hasPrefix("content_") || lower.hasPrefix("art_") || lower.contains("detail") { return true }
        // TRS: t20221028_123456; many CMS: /202210/<hash or id>.shtml
        if lower.hasPrefix("t"), lower.dropFirst().prefix(8).allSatisfy(\.isNumber), lower.count > 9 { return true }
        if parts.count >= 2, case let dir = parts[parts.count - 2], dir.count == 6 || dir.count == 8, dir.allSatisfy(\.isNumber),
            !["index", "list", "default", "more"].contains(where: { lower.hasPrefix($0) })
        {
            return true
        }
        return false
    }

    /// The column facts of a list page, nil for home pages, articles and other pages.
    static func columnPage(_ page: PageModel, url: String, depth: Int, profile: Profile, asOf: Day) -> ColumnPage? {
        guard depth > 0, !isArticle(page, url: url) else { return nil }
        let list = ownList(page, asOf: asOf)
        let metaName = page.meta("ColumnName").map(clean).flatMap { $0.isEmpty ? nil : $0 }
        let isList = list.dated >= 2 || (list.dated >= 1 && metaName != nil)
        // A page listing dated items is never blank: only look for 暂无信息 when it lists none.
        var blank = false
        if list.dated == 0 {
            let markers = profile.blankMarkers.map { Array($0.utf8) }
            blank = page.blocks.contains { b in
                isContent(b.region) && !b.hidden && b.text.utf8.count <= 120 && markers.contains { ByteMatch.contains(b.text, $0) }
            }
        }
        // Script-filled: signs of it and no dated list of its own (a static list, dated, is judged
        // as it stands). A weak sign (an empty container, a pager) makes a column only of a page
        // that names itself one (ColumnName, breadcrumb): search and service pages have them too.
        let crumb = breadcrumb(page)
        let fill =
            list.dated == 0
            ? page.scriptFill.flatMap { f in
                f.sign.isStrong || metaName != nil || crumb != nil ? f : nil
            } : nil
        guard isList || blank || fill != nil else { return nil }
        let (key, paged) = columnKey(url)
        return ColumnPage(
            key: key, url: url, host: hostOf(url), depth: depth, isPagination: paged, metaName: metaName,
            crumbName: crumb, titleName: titleName(page), latest: list.latest,
            items: list.rows, datedItems: list.dated, blank: blank, scriptFill: fill)
    }

    /// How many undated home-page items are looked up by their articles' dates (a home page
    /// lists 50 to 300 items; more are navigation blocks of a portal with no lists at all).
    static let maxUndatedLinks = 300

    /// A link's target in the one spelling the page URLs of a sweep have (`CrawlURL`'s normal
    /// form), for matching a home-page link to the page it leads to. nil for what is not http(s).
    static func pageKey(_ href: String, relativeTo base: CrawlURL?) -> String? {
        (base.map { $0.resolve(href) } ?? CrawlURL(href))?.string
    }

    /// The publication date of an article page (a detail page, as `isArticle` tells them):
    /// its `PubDate` meta (`firstpublishedtime`, `publishdate` on some CMS), else the date
    /// printed after a label (发布时间：2022-10-28) near the top of its content. Year-less
    /// dates are not read: the date must not depend on the as-of day.
    static func published(_ page: PageModel, url: String) -> Day? {
        metaPublished(page) ?? visiblePublished(page, url: url)
    }

    /// The date of the page's `PubDate` meta (`firstpublishedtime`, `publishdate`), nil when none.
    static func metaPublished(_ page: PageModel) -> Day? {
        for name in ["PubDate", "firstpublishedtime", "publishdate"] {
            if let v = page.meta(name), let d = DateScanner.dates(in: v, asOf: nil).first { return d }
        }
        return nil
    }

    /// The publication date an article page prints, nil for other pages or when none is found.
    static func visiblePublished(_ page: PageModel, url: String) -> Day? {
        guard isArticle(page, url: url) else { return nil }
        // The top of the page (not the related-articles list below the text): its short content
        // blocks that print a full date; the byte scan rules out most blocks before any label is
        // looked for.
        let blocks = page.blocks  // (by index, fields read in place)
        var dated: [Int] = []
        var seen = 0
        for i in blocks.indices where isContent(blocks[i].region) && blocks[i].text.utf8.count <= 400 {
            seen += 1
            if seen > 80 { break }
            if DateScanner.newest(in: blocks[i].text, asOf: nil) != nil { dated.append(i) }
        }
        // 发布时间：…; else the info line (2021年06月10日 17:35 来源：…); else a bare 日期：/时间： (not the
        // 招标公告日期 or 成交日期 of a notice's text).
        for i in dated {
            if let d = dateAfter(publishedLabels, in: blocks[i].text, standalone: false) { return d }
        }
        for i in dated where ByteMatch.contains(blocks[i].text, sourceLabel) {
            if let d = DateScanner.dates(in: blocks[i].text, asOf: nil).first { return d }
        }
        for i in dated {
            if let d = dateAfter(dateLabels, in: blocks[i].text, standalone: true) { return d }
        }
        return nil
    }

    /// The first date within 40 characters after one of `labels` in `text`; `standalone`: the
    /// label begins the text or follows a space.
    private static func dateAfter(_ labels: [(String, [UInt8])], in text: String, standalone: Bool) -> Day? {
        for (label, bytes) in labels where ByteMatch.contains(text, bytes) {
            var from = text.startIndex
            while let r = text.range(of: label, range: from..<text.endIndex) {
                from = r.upperBound
                if standalone, r.lowerBound > text.startIndex, !text[text.index(before: r.lowerBound)].isWhitespace { continue }
                if let d = DateScanner.dates(in: String(text[r.upperBound...].prefix(40)), asOf: nil).first { return d }
            }
        }
        return nil
    }

    static let publishedLabels = ["发布时间", "发布日期", "发文日期", "发稿时间", "发表时间", "更新时间", "公告时间"].map { ($0, Array($0.utf8)) }
    static let sourceLabel = Array("来源".utf8)
    static let dateLabels = ["日期：", "日期:", "时间：", "时间:"].map { ($0, Array($0.utf8)) }

    static func home(_ page: PageModel, url: String, asOf: Day) -> HomeSummary {
        var dated = 0, items = 0
        var latest: Day?
        var undated: [String] = []
        var undatedSeen = Set<String>()
        let pageURL = CrawlURL(url)
        let linkBase = page.baseHref.flatMap { pageURL?.resolve($0) } ?? pageURL
        for b in page.blocks where b.linkCount > 0 && b.region != .header && b.region != .footer {
            items += 1
            if let d = DateScanner.newest(in: b.text, asOf: asOf) {
                dated += 1
                latest = max(latest ?? d, d)
            } else if b.list >= 0, b.region != .nav, b.linkCount <= 3, undated.count < maxUndatedLinks {
                // An undated row of a content list: its article's own date will judge it.
                for i in b.firstLink..<b.firstLink + b.linkCount where page.links[i].kind == .a && undated.count < maxUndatedLinks {
                    if let key = pageKey(page.links[i].href, relativeTo: linkBase), undatedSeen.insert(key).inserted {
                        undated.append(key)
                    }
                }
            }
        }
        // The footer region, and the page's last blocks too: templates put the filing
        // numbers in a `div class="bq"` that no region word recognises.
        let tailStart = max(0, page.blocks.count - 12)
        let footerBlocks = page.blocks.enumerated().filter { $0.element.region == .footer || $0.offset >= tailStart }.map(\.element)
        let footerText = String(footerBlocks.map(\.text).joined(separator: "\n").prefix(6000))
        var hay = footerText
        for l in page.links {
            let special = l.kind == .script || [l.text, l.title ?? ""].contains { t in ["找错", "党政机关", "标识", "备案"].contains { t.contains($0) } }
            if l.region == .footer || special {
                hay += "\n" + l.href + " " + l.text + " " + (l.title ?? "")
            }
        }
        for img in page.images where img.region == .footer || img.src.lowercased().contains("conac") || (img.alt ?? "").contains("党政机关") {
            hay += "\n" + img.src + " " + (img.alt ?? "") + " " + (img.title ?? "")
        }
        var names: [String: String] = [:]
        for l in page.links where l.kind == .a && l.region != .footer {
            let text = clean(l.text.isEmpty ? (l.title ?? "") : l.text)
            guard !text.isEmpty, text.count <= 20, let target = pageKey(l.href, relativeTo: linkBase) else { continue }
            let key = columnKey(target).key
            if names[key] == nil { names[key] = text }
        }
        return HomeSummary(
            url: url, host: hostOf(url), datedItems: dated, items: items, latest: latest, footerText: footerText,
            footerHaystack: String(hay.prefix(20000)), siteIDCodeMeta: page.meta("SiteIDCode"), linkNames: names,
            scriptFill: page.scriptFill, undatedLinks: undated)
    }

    /// The profile's requirements as normalised UTF-8 needles, computed once per inspector.
    struct RequirementNeedles: Sendable {
        var names: [String]
        var needles: [[[UInt8]]]
        /// Every distinct needle in one automaton, and for each of its patterns the
        /// requirements it belongs to: a text is matched in one pass, not a search a needle.
        let matcher: AhoCorasick
        let owners: [[Int32]]
        init(_ profile: Profile) {
            names = profile.required.map(\.name)
            needles = profile.required.map { r in ([r.name] + r.variants).map(ByteMatch.normalized).filter { !$0.isEmpty } }
            var index: [[UInt8]: Int] = [:]
            var patterns: [String] = []
            var owners: [[Int32]] = []
            for (r, list) in needles.enumerated() {
                for needle in list {
                    if let k = index[needle] {
                        if !owners[k].contains(Int32(r)) { owners[k].append(Int32(r)) }
                    } else {
                        index[needle] = patterns.count
                        patterns.append(String(decoding: needle, as: UTF8.self))
                        owners.append([Int32(r)])
                    }
                }
            }
            matcher = AhoCorasick(patterns)
            self.owners = owners
        }
    }

    /// The texts of a page that can name a required column: `ColumnName` / `ColumnType`,
    /// title and headings on every page; link texts and titles on pages within `linkDepth`
    /// of a start page (navigation lives there), only when they are name-sized.
    static func requirementTexts(_ page: PageModel, depth: Int, linkDepth: Int = 2) -> [String] {
        var texts: [String] = []
        func add(_ t: String?) { if let t, !t.isEmpty, t.utf8.count <= 90 { texts.append(t) } }
        add(page.meta("ColumnName"))
        add(page.meta("ColumnType"))
        add(page.title)
        if depth <= linkDepth {
            let links = page.links  // (by index, fields read in place: no copy of each link)
            for i in links.indices where links[i].kind == .a {
                add(links[i].text)
                // (A title that repeats the text, as content systems write them on every list
                // item, names nothing more.)
                if let title = links[i].title, title != links[i].text { add(title) }
            }
        }
        for h in page.headings { add(h.text) }
        return texts
    }

    /// Indices (into `needles.names`) of the requirements one text names.
    static func requirementMatchIndices(_ text: String, needles: RequirementNeedles) -> [Int32] {
        var names = Set<Int32>()
        requirementMatches(text, needles: needles, into: &names)
        return names.sorted()
    }

    /// The requirements one text names, added to `names`: the text normalised on the stack
    /// and matched in one pass. (A cache of every text's answer, behind the inspector's lock,
    /// cost more than this: 1.6% of a sweep's samples in its look-ups alone, most texts of a
    /// page being article titles seen once.)
    static func requirementMatches(_ text: String, needles: RequirementNeedles, into names: inout Set<Int32>) {
        withUTF8Bytes(text) { b in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(b.count, 1)) { buffer in
                let n = ByteMatch.normalize(b, into: buffer.baseAddress!)
                for m in needles.matcher.matches(UnsafeBufferPointer(rebasing: buffer[..<n])) {
                    for r in needles.owners[m.pattern] { names.insert(r) }
                }
            }
        }
    }
}
