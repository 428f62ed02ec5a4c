import Foundation
import Synchronization
import Parse
import Vocabulary

/// The topic checks of a profile's work points compiled into one automaton: a page's text
/// units (a list row's title, an article's title, one paragraph of its body) are each
/// scanned once, whatever the number of items and keywords (linear in the text).
struct TopicMatcher: Sendable {
    /// The work points with a topic check, and their topics.
    let items: [Int]
    let topics: [WorkPoint.Topic]
    let automaton: AhoCorasick
    /// Pattern → (topic, group) for keywords, and → topic for exclusions.
    let groupsOf: [[(topic: Int, group: Int)]]
    let excludesOf: [[Int]]

    init(_ points: [WorkPoint]) {
        var items: [Int] = [], topics: [WorkPoint.Topic] = []
        for p in points { if case .topic(let t) = p.method { items.append(p.item); topics.append(t) } }
        var patterns: [String] = []
        var index: [String: Int] = [:]
        var groupsOf: [[(topic: Int, group: Int)]] = []
        var excludesOf: [[Int]] = []
        func id(_ w: String) -> Int {
            if let i = index[w] { return i }
            index[w] = patterns.count
            patterns.append(w)
            groupsOf.append([])
            excludesOf.append([])
            return patterns.count - 1
        }
        for (t, topic) in topics.enumerated() {
            for (g, words) in topic.groups.enumerated() { for w in words { groupsOf[id(w)].append((t, g)) } }
            for w in topic.exclude { excludesOf[id(w)].append(t) }
        }
        self.items = items
        self.topics = topics
        self.groupsOf = groupsOf
        self.excludesOf = excludesOf
        automaton = AhoCorasick(patterns)
    }

    /// Hits of one text: per topic, the groups matched (bit set) and whether an exclusion occurs.
    struct Hits {
        var groups: [Int: UInt64] = [:]
        var excluded: Set<Int> = []
        mutating func add(_ o: Hits) {
            for (t, g) in o.groups { groups[t, default: 0] |= g }
            excluded.formUnion(o.excluded)
        }
    }

    func hits(_ text: String) -> Hits {
        var h = Hits()
        guard !text.isEmpty else { return h }
        for m in automaton.matches(in: text) {
            for (t, g) in groupsOf[m.pattern] where g < 64 { h.groups[t, default: 0] |= 1 << UInt64(g) }
            for t in excludesOf[m.pattern] { h.excluded.insert(t) }
        }
        return h
    }

    /// The topics (indices) every group of which `h` matched, with no exclusion.
    func matched(_ h: Hits) -> [Int] {
        h.groups.compactMap { t, bits in
            let groups = min(topics[t].groups.count, 64)
            let all: UInt64 = groups == 64 ? .max : (1 << UInt64(groups)) - 1
            return bits & all == all && !h.excluded.contains(t) ? t : nil
        }.sorted()
    }

    /// One matcher per profile: built on the first page and reused while the work points
    /// stay the same (a sweep has one profile; tests run several).
    private static let cache = Mutex<(points: [WorkPoint], matcher: TopicMatcher)?>(nil)

    static func shared(for points: [WorkPoint]) -> TopicMatcher {
        if let hit = cache.withLock({ c -> TopicMatcher? in c.flatMap { $0.points == points ? $0.matcher : nil } }) { return hit }
        let m = TopicMatcher(points)
        cache.withLock { $0 = (points, m) }
        return m
    }
}

/// What a page offers the topic checks: its dated items, each with the text units that
/// can name a topic. Only the page's own list (the column list `column.stale` reads) and
/// an article's own title and body count; navigation, sidebars and footers never do.
enum TopicItems {
    struct Item {
        var title: String
        var url: String
        var date: Day
        /// Texts matched together with the column's name (a list row's title; an article's title) …
        var heads: [String]
        /// … and texts matched alone (an article's paragraphs).
        var body: [String]
    }

    /// The column a page belongs to by its own say: `ColumnName`, else the breadcrumb's last item.
    static func columnName(_ page: PageModel) -> String {
        if let m = page.meta("ColumnName").map(Summarizer.clean), !m.isEmpty { return m }
        return Summarizer.breadcrumb(page) ?? ""
    }

    static func items(of page: PageModel, url: String, depth: Int, asOf: Day) -> [Item] {
        guard depth > 0 else { return [] }  // a start page's blocks are many lists: none of them is its own
        if Summarizer.isArticle(page, url: url) { return article(page, url: url, asOf: asOf).map { [$0] } ?? [] }
        let list = Summarizer.ownList(page, asOf: asOf)
        guard list.dated >= 2 || (list.dated >= 1 && page.meta("ColumnName") != nil) else { return [] }
        let blocks = page.blocks, links = page.links
        let pageURL = CrawlURL(url)
        let base = page.baseHref.flatMap { pageURL?.resolve($0) } ?? pageURL
        var out: [Item] = []
        for i in list.rowBlocks {
            let b = blocks[i]
            guard b.linkCount > 0, b.firstLink < links.count, !b.hidden else { continue }
            // The row's date, or (a table's date cell, a `span` after the link) the next block's.
            var date = DateScanner.newest(in: b.text, asOf: asOf)
            if date == nil, i + 1 < blocks.count, blocks[i + 1].linkCount == 0 { date = DateScanner.newest(in: blocks[i + 1].text, asOf: asOf) }
            guard let date else { continue }
            let link = links[b.firstLink]
            // A title cut short in the list (…) is often whole in the link's title attribute.
            let title = [link.text, link.title ?? ""].max { $0.count < $1.count } ?? link.text
            let target = Summarizer.pageKey(link.href, relativeTo: base) ?? link.href
            out.append(Item(title: title, url: target, date: date, heads: [title], body: []))
        }
        return out
    }

    /// An article's title (ArticleTitle, its first heading, the page title), publication
    /// date and paragraphs.
    static func article(_ page: PageModel, url: String, asOf: Day) -> Item? {
        let content = page.blocks.filter { Summarizer.isContent($0.region) && !$0.hidden }
        // The date homepage.stale reads (PubDate, else 发布时间： and the like near the top),
        // else the first short line of the content that prints one.
        var date = Summarizer.published(page, url: url)
        if date == nil {
            let lines = content.prefix(60).filter { $0.linkCount == 0 && $0.text.utf8.count <= 240 }
            let marked = lines.first { l in ["发布", "日期", "时间", "来源"].contains { l.text.contains($0) } && DateScanner.newest(in: l.text, asOf: asOf) != nil }
            date = (marked ?? lines.first { DateScanner.newest(in: $0.text, asOf: asOf) != nil }).flatMap { DateScanner.newest(in: $0.text, asOf: asOf) }
        }
        guard let date else { return nil }
        let heading = page.headings.first { !$0.hidden && Summarizer.isContent($0.region) && $0.level <= 2 && !$0.text.isEmpty }?.text
        let titleMeta = page.meta("ArticleTitle").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        var title = titleMeta ?? heading ?? page.title?.split { "_|".contains($0) }.first.map(String.init) ?? ""
        if title.contains("<") { title = stripTags(title) }  // a CMS that writes markup into ArticleTitle
        // Paragraphs: content blocks without links (menus and related-link lists are made of links;
        // a body's tables and a CMS's list-named content div are not).
        let body = content.filter { $0.linkCount == 0 && $0.text.utf8.count >= 12 && $0.text != title }.map(\.text)
        return Item(title: title, url: url, date: date, heads: [title], body: body)
    }

    static func stripTags(_ s: String) -> String {
        var out = "", inTag = false
        for c in s {
            if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { out.append(c) }
        }
        return out
    }

    /// Maximum notes of one topic on one page (a list page repeats its column's items).
    static let perPage = 40

    /// The notes of one page: one per topic item the page's own items match, keyed by the
    /// item number and the matching item's URL (`7 http://…`: the inspector keeps one note
    /// per key and page); the text is `date \u{1F} title \u{1F} item URL \u{1F} column name`.
    static func notes(_ page: PageModel, url: String, depth: Int, asOf: Day, matcher: TopicMatcher) -> [PageNote] {
        guard !matcher.topics.isEmpty else { return [] }
        let items = items(of: page, url: url, depth: depth, asOf: asOf)
        guard !items.isEmpty else { return [] }
        let column = columnName(page)
        let columnHits = matcher.hits(column)
        var out: [PageNote] = []
        var perTopic: [Int: Int] = [:]
        for item in items {
            var found = Set<Int>()
            // An exclusion in the title or the column's name rules the whole item out of that
            // topic: the 本公报 of a 统计公报's notes is not the government gazette.
            var excluded = columnHits.excluded
            for h in item.heads {
                var hits = matcher.hits(h)
                hits.add(columnHits)
                excluded.formUnion(hits.excluded)
                found.formUnion(matcher.matched(hits))
            }
            for p in item.body where found.count < matcher.topics.count { found.formUnion(matcher.matched(matcher.hits(p))) }
            found.subtract(excluded)
            for t in found.sorted() where perTopic[t, default: 0] < perPage {
                perTopic[t, default: 0] += 1
                let text = [item.date.description, String(item.title.prefix(200)), item.url, column].joined(separator: "\u{1F}")
                out.append(PageNote(key: "\(matcher.items[t]) \(item.url)", text: text))
            }
        }
        return out
    }
}
