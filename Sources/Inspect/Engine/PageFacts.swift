import Parse
package import Vocabulary
/// Everything the inspector keeps of one page: the notes of the collecting rules, the
/// offenders of the page rules, the column and home-page summaries and the required
/// columns the page names. Extracted once from the parsed page; stored with the page so
/// that an unchanged page (HTTP 304, or the same content hash) is not parsed again on the
/// next sweep: its facts are read back instead.
///
/// Facts depend on the page, its depth, the profile and the content data (phones,
/// wording) — the key the store keeps beside them — and, when `asOfDependent`, on the
/// as-of day too: a year-less date (`10-28`, `10月28日`) is read relative to it.
/// Per-page extraction must read the as-of day only through `DateScanner`, which
/// records that dependence.
package struct PageFacts: Sendable, Equatable {
    package struct Notes: Sendable, Equatable {
        package var rule: String
        package var notes: [PageNote]
    }

    package struct Offense: Sendable, Equatable {
        package var rule: String
        package var count: Int
        /// At most `Inspector.maxSnippets`, each at most 200 characters.
        package var snippets: [String]
    }

    package var notes: [Notes] = []
    package var offenses: [Offense] = []
    package var column: ColumnPage?
    package var home: HomeSummary?
    /// Names of the profile's required columns this page names.
    package var requirements: [String] = []
    /// The publication date of an article page linked from a start page (depth 1): an
    /// undated home-page item is judged by it (`Summarizer.published`).
    package var published: Day?
    /// True when a year-less date was read: the facts hold only for the same as-of day.
    package var asOfDependent = false
    /// Extracted from the page as a browser rendered it (`--render`): the findings on the page
    /// say so. Not stored (a page's stored facts are its static ones).
    package var rendered = false

    package init() {}
}

// MARK: - Bytes

extension PageFacts {
    /// 2: script-fill signs, undated home-page links, article dates. 3: the notes of
    /// service.guide, consult.channel and message.times. 4: the notes of search, mobile.static,
    /// policy.interpretation and date.suspect too. 5: rendered pages, render failures (older
    /// facts lack them).
    static let formatVersion: UInt64 = 5

    /// A compact binary form (LEB128 varints, length-prefixed UTF-8).
    package func encoded() -> [UInt8] {
        var w = FactsWriter()
        w.int(PageFacts.formatVersion)
        w.bool(asOfDependent)
        w.int(notes.count)
        for n in notes {
            w.string(n.rule)
            w.int(n.notes.count)
            for note in n.notes { w.string(note.key); w.string(note.text) }
        }
        w.int(offenses.count)
        for o in offenses {
            w.string(o.rule)
            w.int(o.count)
            w.strings(o.snippets)
        }
        w.bool(column != nil)
        if let c = column {
            w.string(c.key); w.string(c.url); w.string(c.host); w.int(c.depth); w.bool(c.isPagination)
            w.optional(c.metaName); w.optional(c.crumbName); w.optional(c.titleName); w.day(c.latest)
            w.int(c.items); w.int(c.datedItems); w.bool(c.blank); w.scriptFill(c.scriptFill)
            w.bool(c.rendered)
        }
        w.bool(home != nil)
        if let h = home {
            w.string(h.url); w.string(h.host); w.int(h.datedItems); w.int(h.items); w.day(h.latest)
            w.string(h.footerText); w.string(h.footerHaystack); w.optional(h.siteIDCodeMeta)
            let names = h.linkNames.sorted { $0.key < $1.key }
            w.int(names.count)
            for (k, v) in names { w.string(k); w.string(v) }
            w.scriptFill(h.scriptFill); w.strings(h.undatedLinks); w.bool(h.rendered)
        }
        w.strings(requirements)
        w.day(published)
        return w.out
    }

    /// nil when the bytes are not facts of this format (another version wrote them, or they are damaged).
    package init?(encoded bytes: [UInt8]) {
        var r = FactsReader(bytes)
        guard r.int() == Int(PageFacts.formatVersion), let dependent = r.bool() else { return nil }
        self.init()
        asOfDependent = dependent
        guard let nn = r.count() else { return nil }
        for _ in 0..<nn {
            guard let rule = r.string(), let k = r.count() else { return nil }
            var list: [PageNote] = []
            for _ in 0..<k {
                guard let key = r.string(), let text = r.string() else { return nil }
                list.append(PageNote(key: key, text: text))
            }
            notes.append(Notes(rule: rule, notes: list))
        }
        guard let no = r.count() else { return nil }
        for _ in 0..<no {
            guard let rule = r.string(), let count = r.int(), let snippets = r.strings() else { return nil }
            offenses.append(Offense(rule: rule, count: count, snippets: snippets))
        }
        guard let hasColumn = r.bool() else { return nil }
        if hasColumn {
            guard let key = r.string(), let url = r.string(), let host = r.string(), let depth = r.int(),
                let paged = r.bool(), let meta = r.optional(), let crumb = r.optional(), let title = r.optional(),
                let latest = r.day(), let items = r.int(), let dated = r.int(), let blank = r.bool(),
                let fill = r.scriptFill(), let rendered = r.bool()
            else { return nil }
            column = ColumnPage(
                key: key, url: url, host: host, depth: depth, isPagination: paged, metaName: meta,
                crumbName: crumb, titleName: title, latest: latest, items: items, datedItems: dated,
                blank: blank, scriptFill: fill, rendered: rendered)
        }
        guard let hasHome = r.bool() else { return nil }
        if hasHome {
            guard let url = r.string(), let host = r.string(), let dated = r.int(), let items = r.int(),
                let latest = r.day(), let footer = r.string(), let hay = r.string(), let code = r.optional(),
                let k = r.count()
            else { return nil }
            var names: [String: String] = [:]
            for _ in 0..<k {
                guard let key = r.string(), let value = r.string() else { return nil }
                names[key] = value
            }
            guard let fill = r.scriptFill(), let undated = r.strings(), let rendered = r.bool() else { return nil }
            home = HomeSummary(
                url: url, host: host, datedItems: dated, items: items, latest: latest, footerText: footer,
                footerHaystack: hay, siteIDCodeMeta: code, linkNames: names, scriptFill: fill,
                undatedLinks: undated, rendered: rendered)
        }
        guard let req = r.strings(), let day = r.day(), r.atEnd else { return nil }
        requirements = req
        published = day
    }
}

struct FactsWriter {
    var out: [UInt8] = []

    mutating func int(_ v: UInt64) { LEB128.append(v, to: &out) }
    mutating func int(_ v: Int) { int(UInt64(bitPattern: Int64(v))) }
    mutating func bool(_ v: Bool) { out.append(v ? 1 : 0) }
    mutating func string(_ s: String) {
        int(s.utf8.count)
        out.append(contentsOf: s.utf8)
    }
    mutating func strings(_ list: [String]) {
        int(list.count)
        for s in list { string(s) }
    }
    mutating func optional(_ s: String?) {
        bool(s != nil)
        if let s { string(s) }
    }
    /// Days since 1970 + 1, 0 for none.
    mutating func day(_ d: Day?) { int(d.map { UInt64(bitPattern: Int64($0.value)) &+ 1 } ?? 0) }
    /// The sign's name ("" for none), its detail and count.
    mutating func scriptFill(_ f: ScriptFill?) {
        string(f?.sign.rawValue ?? "")
        if let f { string(f.detail); int(f.count); optional(f.renderFailure) }
    }
}

struct FactsReader {
    let bytes: [UInt8]
    var i = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { i == bytes.count }

    mutating func raw() -> UInt64? { LEB128.read(bytes, &i) }
    mutating func int() -> Int? { raw().map { Int(Int64(bitPattern: $0)) } }
    /// A count, bounded by what is left to read.
    mutating func count() -> Int? {
        guard let n = int(), n >= 0, n <= bytes.count - i else { return nil }
        return n
    }
    mutating func bool() -> Bool? {
        guard i < bytes.count, bytes[i] <= 1 else { return nil }
        defer { i += 1 }
        return bytes[i] == 1
    }
    mutating func string() -> String? {
        guard let n = count() else { return nil }
        defer { i += n }
        return String(decoding: bytes[i..<(i + n)], as: UTF8.self)
    }
    mutating func strings() -> [String]? {
        guard let n = count() else { return nil }
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            guard let s = string() else { return nil }
            out.append(s)
        }
        return out
    }
    mutating func optional() -> String?? {
        guard let present = bool() else { return nil }
        guard present else { return .some(nil) }
        guard let s = string() else { return nil }
        return .some(s)
    }
    mutating func scriptFill() -> ScriptFill?? {
        guard let name = string() else { return nil }
        if name.isEmpty { return .some(nil) }
        guard let sign = ScriptFill.Sign(rawValue: name), let detail = string(), let count = int(), let failure = optional()
        else { return nil }
        var fill = ScriptFill(sign: sign, detail: detail, count: count)
        fill.renderFailure = failure
        return .some(fill)
    }
    mutating func day() -> Day?? {
        guard let v = raw() else { return nil }
        return .some(v == 0 ? nil : Day(value: Int(Int64(bitPattern: v &- 1))))
    }
}
