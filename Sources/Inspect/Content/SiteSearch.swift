import Foundation
import Parse
import Vocabulary

/// The site search (站内搜索) of a swept host: how to query it, what to ask for, and the
/// judgement of a result page. The inspection does no I/O: the sweep sends the queries
/// (`SiteSearch.Query`) after the crawl and hands back what came (`SiteSearch.Check`).
package enum SiteSearch {
    /// A search form read from a home page: a GET form sends `field=words` to `action`.
    package struct Form: Sendable, Equatable {
        /// The action, resolved against the page.
        package var action: String
        package var method: String
        package var field: String
        /// Hidden inputs sent along (`siteCode=3609000002`), already percent-encoded: `a=1&b=2`.
        package var hidden = ""
        /// The page's charset: a browser sends the words in it (a GBK portal's search expects GBK).
        package var charset = "utf-8"
    }

    /// A title seen on the home page and the page it links to: what a query asks for.
    package struct Candidate: Sendable, Equatable {
        package var title: String
        package var url: String
    }

    /// What to query on one host: the home page's form (or the profile's URL template) and
    /// the titles to look for, best first.
    package struct Plan: Sendable, Equatable {
        package var home: String
        package var form: Form?
        /// The profile's `searchURL`, when set (it wins over the form).
        package var template: String?
        package var candidates: [Candidate]
        /// The home page shows signs of being filled by script: a search box may be drawn there.
        package var scripted = false

        /// The query for a candidate: a GET URL (nil for a POST form: not sent, a query
        /// with a body is not a polite probe of an unknown form).
        package func query(_ c: Candidate) -> Query? {
            let words = SiteSearch.words(c.title)
            if let template {
                return Query(home: home, url: template.replacingOccurrences(of: "{query}", with: SiteSearch.encode(words)), candidate: c)
            }
            guard let form, form.method == "get" else { return nil }
            let encoded = SiteSearch.encode(words, charset: form.charset)
            var base = form.action
            if let hash = base.firstIndex(of: "#") { base = String(base[..<hash]) }
            let glue = base.contains("?") ? (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&") : "?"
            let field = SiteSearch.encode(form.field)
            let rest = form.hidden.isEmpty ? "" : "&" + form.hidden
            return Query(home: home, url: base + glue + field + "=" + encoded + rest, candidate: c)
        }
    }

    /// One query to send.
    package struct Query: Sendable, Equatable {
        package var home: String
        package var url: String
        package var candidate: Candidate
    }

    /// A query as sent and answered (status 0: no HTTP answer).
    package struct Check: Sendable {
        package var query: Query
        package var status: Int
        package var failure: String
        package var answered: Bool
        /// The result page is filled by script (its results cannot be seen without a browser).
        package var scriptFilled: Bool
        /// Not sent: the site's robots.txt disallows the query.
        package var disallowed = false

        /// A query robots.txt disallows, not sent.
        package init(query: Query, disallowedByRobots: Void) {
            self.query = query
            status = 0
            failure = "robots.txt disallows it"
            answered = false
            scriptFilled = false
            disallowed = true
        }

        /// Judges a fetched result page.
        package init(query: Query, status: Int, body: [UInt8], contentType: String?, failure: String = "") {
            self.query = query
            self.status = status
            self.failure = failure
            guard (200..<300).contains(status) else { answered = false; scriptFilled = false; return }
            let page = PageParser.parse(body, url: query.url, contentType: contentType)
            answered = SiteSearch.answers(page, for: query.candidate)
            scriptFilled = page.scriptFilled
        }
    }

    static let queryAllowed: CharacterSet = {
        var s = CharacterSet.alphanumerics
        s.insert(charactersIn: "-._~")
        return s.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
    }()

    static func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? s }

    /// Percent-encoded in `charset` (UTF-8 when iconv cannot write it there).
    static func encode(_ s: String, charset: String) -> String {
        guard charset != "utf-8", let bytes = TextDecoding.encode(s, charset: charset) else { return encode(s) }
        var out = ""
        let hex = Array("0123456789ABCDEF")
        for b in bytes {
            let ascii = b < 0x80 ? Character(Unicode.Scalar(b)) : " "
            if b < 0x80, ascii.isLetter || ascii.isNumber || "-._~".contains(ascii) {
                out.append(ascii)
            } else {
                out += "%\(hex[Int(b >> 4)])\(hex[Int(b & 15)])"
            }
        }
        return out
    }

    /// The words a query sends: the title without its decoration, cut to 30 characters (a
    /// search box takes a short phrase; the start of a title finds it).
    static func words(_ title: String) -> String {
        let t = title.trimmingCharacters(in: .whitespaces)
        return String(t.prefix(30))
    }

    /// A result page answers when a link outside its header, navigation and footer leads to
    /// the page, or its text holds the title's words (results link through redirectors). The
    /// query echoed in a sentence (找到与“…”相关的结果 0 条) is text, not a link: no answer.
    static func answers(_ page: PageModel, for c: Candidate) -> Bool {
        let target = CrawlURL(c.url)?.string
        let base = CrawlURL(page.url)
        let words = Summarizer.clean(SiteSearch.words(c.title))
        let probe = String(words.prefix(12))
        for l in page.links where l.kind == .a && l.region != .header && l.region != .nav && l.region != .footer {
            if let target, let u = base?.resolve(l.href)?.string, u == target { return true }
            if probe.count >= 4, Summarizer.clean(l.text).contains(probe) || Summarizer.clean(l.title ?? "").contains(probe) { return true }
        }
        return false
    }

    /// Search words in a form's `role`, `id`, `class` or `name`, and the names search fields take.
    static let formWords = ["search", "sousuo", "jiansuo", "query", "find", "ss"]
    static let fieldNames: Set<String> = [
        "q", "query", "keyword", "keywords", "searchword", "kw", "wd", "word", "key", "sw", "qt", "searchkey",
        "searchtext", "search", "keys", "text", "title", "sear", "content",
    ]

    /// A text field named as search fields are (`q`, `searchword`, `headSearchword`, `keyword` …).
    static func isSearchField(_ name: String) -> Bool {
        let n = name.lowercased()
        return fieldNames.contains(n) || ["search", "keyword", "query", "sousuo"].contains { n.contains($0) }
    }

    /// The home page's search form, if any: a form whose name says search, or whose text
    /// field is named as search fields are (`q`, `searchword`, `keyword` …).
    static func form(on page: PageModel, base: CrawlURL?) -> Form? {
        for f in page.forms where !f.textFields.isEmpty {
            let named = formWords.contains { f.label.contains($0) }
            guard let field = f.textFields.first(where: isSearchField) ?? (named ? f.textFields.first : nil) else { continue }
            // No action (or `#`, `javascript:`): a script submits it (www.gov.cn's goSearch), to
            // an address the page does not show.
            let a = f.action.lowercased()
            if a.isEmpty || a.hasPrefix("#") || a.hasPrefix("javascript:") { return Form(action: "", method: "script", field: field) }
            let hidden = f.hiddenFields.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&")
            return Form(action: base?.resolve(f.action)?.string ?? f.action, method: f.method, field: field, hidden: hidden, charset: page.charset)
        }
        return nil
    }

    /// Up to `limit` titles of the home page's content lists that link to pages on the same
    /// host: whole titles (not cut with …), 8 to 60 characters.
    static func candidates(on page: PageModel, base: CrawlURL?, limit: Int = 3) -> [Candidate] {
        var out: [Candidate] = []
        let host = hostOf(page.url)
        let blocks = page.blocks
        for l in page.links where l.kind == .a && !l.hidden && (l.region == .main || l.region == .unknown) {
            guard l.block >= 0, l.block < blocks.count, blocks[l.block].list >= 0 else { continue }
            let t = l.title.flatMap { $0.count > l.text.count ? $0 : nil } ?? l.text
            let n = t.count
            guard (8...60).contains(n), !t.hasSuffix("…"), !t.hasSuffix("..."), !t.hasSuffix("。。") else { continue }
            guard let u = base?.resolve(l.href), hostOf(u.string) == host, Summarizer.isArticleURL(u.string) else { continue }
            if out.contains(where: { $0.url == u.string }) { continue }
            out.append(Candidate(title: t, url: u.string))
            if out.count == limit { break }
        }
        return out
    }
}

extension SiteSearch {
    /// The plans of a sweep, one per start page, from the search rule's notes.
    static func plans(from notes: [CollectedNote], profile: Profile) -> [Plan] {
        var byHome: [String: Plan] = [:]
        var order: [String] = []
        for n in notes {
            if byHome[n.url] == nil {
                order.append(n.url)
                byHome[n.url] = Plan(home: n.url, form: nil, template: profile.searchURL, candidates: [])
            }
            if n.key == "scripted" {
                byHome[n.url]?.scripted = true
            } else if n.key == "form" {
                let parts = ByteMatch.fields(n.text)
                if parts.count == 5 {
                    byHome[n.url]?.form = Form(action: parts[0], method: parts[1], field: parts[2], hidden: parts[3], charset: parts[4])
                }
            } else if n.key.hasPrefix("title\t") {
                byHome[n.url]?.candidates.append(Candidate(title: n.text, url: String(n.key.dropFirst(6))))
            }
        }
        return order.sorted().compactMap { byHome[$0] }
    }
}

/// The order of a sweep's search queries: per start page, the first title, and the second
/// only when the first found nothing (never more than two a host: a probe, not a flood).
package enum SearchQueries {
    package static let perHost = 2

    /// Sends the plans' queries through `ask` (synchronous: the examples' stand-in).
    package static func send(_ plans: [SiteSearch.Plan], _ ask: (SiteSearch.Query) -> SiteSearch.Check) -> [SiteSearch.Check] {
        var out: [SiteSearch.Check] = []
        for plan in plans {
            for q in plan.queries() {
                let c = ask(q)
                out.append(c)
                if c.answered { break }
            }
        }
        return out
    }

    /// The same, through an asynchronous client: hosts in parallel, a host's queries one after the other.
    package static func send(_ plans: [SiteSearch.Plan], _ ask: @escaping @Sendable (SiteSearch.Query) async -> SiteSearch.Check) async -> [SiteSearch.Check] {
        await withTaskGroup(of: (Int, [SiteSearch.Check]).self) { group in
            for (i, plan) in plans.enumerated() {
                group.addTask {
                    var mine: [SiteSearch.Check] = []
                    for q in plan.queries() {
                        let c = await ask(q)
                        mine.append(c)
                        if c.answered { break }
                    }
                    return (i, mine)
                }
            }
            var all: [(Int, [SiteSearch.Check])] = []
            for await r in group { all.append(r) }
            return all.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}

extension SiteSearch.Plan {
    /// The queries to send, at most `SearchQueries.perHost`.
    package func queries() -> [SiteSearch.Query] {
        Array(candidates.lazy.compactMap { self.query($0) }.prefix(SearchQueries.perHost))
    }
}
