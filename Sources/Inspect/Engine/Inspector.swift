package import Foundation
package import Parse
import Synchronization
package import Vocabulary

/// Runs a profile's rules over a sweep. The crawl calls `inspect` concurrently for every
/// HTML page; each call runs the per-page rules and keeps only compact summaries (no page
/// model is kept). `finish` runs the whole-site rules and returns every finding.
package final class Inspector: Sendable {
    package let profile: Profile
    package let asOf: Day
    package let departments: DepartmentMap
    let pageRules: [any PageRule]
    let siteRules: [any SiteRule]
    let collectingRules: [any CollectingRule]
    /// For each collecting rule, the rule whose notes it reads (itself, or its `notesFrom`).
    let noteSource: [Int]
    package let content: ContentData
    let requirementNeedles: Summarizer.RequirementNeedles
    /// Rule id → index in `pageRules` / `collectingRules`, for facts read back.
    let pageRuleIndex: [String: Int]
    let collectingRuleIndex: [String: Int]

    struct State: Sendable {
        var columnPages: [ColumnPage] = []
        var homes: [HomeSummary] = []
        /// Publication dates of the article pages at depth 1, by `Summarizer.pageKey`: what the
        /// home pages' undated items are judged by (one entry a page, looked up once per item).
        var articleDates: [String: Day] = [:]
        var satisfied: Set<String> = []
        /// URLs of the pages with issues or notes.
        var urls = PageURLs()
        /// The page rules' issues; their snippets interned (`intern`): a template's snippet
        /// repeated on every page is stored once.
        var issues = IssueStore()
        var hosts: Set<String> = []
        var pages = 0
        var snippetIDs: [String: Int32] = [:]
        var snippets: [String] = []
        /// Notes of the collecting rules, by rule index.
        var notes = NoteStore(rules: 0)
        /// Pages whose facts come from their rendered DOM (a handful a sweep).
        var renderedURLs: Set<String> = []

        mutating func intern(_ s: String) -> Int32 {
            if let id = snippetIDs[s] { return id }
            let id = Int32(snippets.count)
            snippets.append(s)
            snippetIDs[s] = id
            return id
        }
    }

    private let state = Mutex(State())
    /// The work points as the last `finish` judged them.
    private let workPointTable = Mutex<[WorkPointRow]>([])
    static let maxSnippets = 10

    package init(profile: Profile, asOf: Day, departments: DepartmentMap = DepartmentMap(), content: ContentData = ContentData()) {
        self.profile = profile
        self.content = content
        self.asOf = asOf
        self.departments = departments
        pageRules = RuleRegistry.pageRules.filter { profile.isEnabled(type(of: $0).description.id) }
        siteRules = RuleRegistry.siteRules.filter { profile.isEnabled(type(of: $0).description.id) }
        requirementNeedles = Summarizer.RequirementNeedles(profile)
        let collecting = RuleRegistry.collectingRules.filter { profile.isEnabled(type(of: $0).description.id) }
        collectingRules = collecting
        noteSource = collecting.indices.map { i in
            guard let from = type(of: collecting[i]).notesFrom else { return i }
            return collecting.firstIndex { type(of: $0).description.id == from } ?? i
        }
        pageRuleIndex = Dictionary(pageRules.enumerated().map { (type(of: $1).description.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        collectingRuleIndex = Dictionary(collecting.enumerated().map { (type(of: $1).description.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        state.withLock { $0.notes = NoteStore(rules: collectingRules.count) }
    }

    /// Pages inspected so far.
    package var pageCount: Int { state.withLock { $0.pages } }

    /// Inspects one HTML page of a swept site (thread-safe).
    package func inspect(page: PageModel, url: String, depth: Int) {
        absorb(facts(of: page, url: url, depth: depth), url: url)
    }

    /// What the inspector keeps of a page: everything its rules read, extracted once
    /// (thread-safe; runs in the crawl's page tasks).
    package func facts(of page: PageModel, url: String, depth: Int) -> PageFacts {
        let probe = YearlessProbe()
        var facts = DateScanner.$yearlessProbe.withValue(probe) { extract(page, url: url, depth: depth) }
        facts.asOfDependent = probe.used.load(ordering: .relaxed)
        return facts
    }

    private func extract(_ page: PageModel, url: String, depth: Int) -> PageFacts {
        var context = PageContext(profile: profile, asOf: asOf, url: url, depth: depth)
        context.content = content
        context.memo = PageMemo()
        var facts = PageFacts()
        for (i, rule) in collectingRules.enumerated() where noteSource[i] == i {
            var seen = Set<String>()
            let notes = rule.notes(in: page, context: context).filter { seen.insert($0.key).inserted }
            if !notes.isEmpty { facts.notes.append(.init(rule: type(of: rule).description.id.rawValue, notes: notes)) }
        }
        for rule in pageRules {
            let offenders = rule.offenders(in: page, context: context)
            if !offenders.isEmpty {
                var unique: [String] = []
                for o in offenders where !unique.contains(o) {
                    unique.append(String(o.prefix(200)))
                    if unique.count == Inspector.maxSnippets { break }
                }
                facts.offenses.append(.init(rule: type(of: rule).description.id.rawValue, count: offenders.count, snippets: unique))
            }
        }
        facts.column = Summarizer.columnPage(page, url: url, depth: depth, profile: profile, asOf: asOf)
        facts.home = depth == 0 ? Summarizer.home(page, url: url, asOf: asOf) : nil
        // Only pages one link from a start page can be a home-page item's article.
        if depth == 1 { facts.published = Summarizer.published(page, url: url) }
        if !profile.required.isEmpty {
            // Every requirement the page names (not only those still open: the facts are
            // reused by later sweeps, where other pages may have changed).
            var names = Set<Int32>()
            for text in Summarizer.requirementTexts(page, depth: depth) {
                Summarizer.requirementMatches(text, needles: requirementNeedles, into: &names)
            }
            facts.requirements = names.sorted().map { requirementNeedles.names[Int($0)] }
        }
        return facts
    }

    /// Takes in the facts of one page (freshly extracted, or stored by an earlier sweep
    /// for an unchanged page). Thread-safe.
    package func absorb(_ facts: PageFacts, url: String) {
        let host = hostOf(url)
        let articleKey = facts.published == nil ? nil : Summarizer.pageKey(url, relativeTo: nil)  // (outside the lock)
        state.withLock { s in
            s.pages += 1
            s.hosts.insert(host)
            if facts.rendered { s.renderedURLs.insert(url) }
            var page: Int32?
            for o in facts.offenses {
                guard let rule = pageRuleIndex[o.rule] else { continue }
                if page == nil { page = s.urls.append(url) }
                s.issues.add(page: page!, rule: rule, count: o.count, snippets: o.snippets.map { s.intern($0) })
            }
            let notes: [(rule: Int, notes: [PageNote])] = facts.notes.compactMap { n in
                collectingRuleIndex[n.rule].map { ($0, n.notes) }
            }
            if notes.contains(where: { !$0.notes.isEmpty }) {
                if page == nil { page = s.urls.append(url) }
                s.notes.add(page: page!, notes)
            }
            if let column = facts.column { s.columnPages.append(column) }
            if let home = facts.home { s.homes.append(home) }
            if let day = facts.published, let articleKey { s.articleDates[articleKey] = day }
            s.satisfied.formUnion(facts.requirements)
        }
    }

    /// Runs the whole-site rules and the link check; returns all findings, sorted
    /// (veto first). `homePages` are the sweep's start URLs;
    /// `accountChecks` the filed accounts' feeds, read while the crawl ran; `probes` the start
    /// URLs' availability probes, judged over the window ending at `availabilityWindowEnd`.
    /// `trace`, when given, is told where each phase ends (the command's memory trace).
    package func finish(
        linkTargets: [LinkTarget], homePages: [String], accountChecks: [AccountCheck] = [],
        searchChecks: [SiteSearch.Check]? = nil, probes: [ProbeRecord] = [], availabilityWindowEnd: Date? = nil,
        trace: ((String) -> Void)? = nil
    ) -> [Finding] {
        let s = state.withLock { $0 }
        let homes = s.homes.sorted { $0.url < $1.url }
        var site = SiteContext(
            profile: profile, asOf: asOf, departments: departments,
            columns: Inspector.columns(from: s.columnPages, homes: homes),
            homes: homes, linkTargets: linkTargets, homePages: homePages,
            satisfiedRequirements: s.satisfied, hosts: s.hosts.sorted())
        site.content = content
        site.accountChecks = accountChecks
        site.searchChecks = searchChecks
        site.probes = probes
        site.availabilityWindowEnd = availabilityWindowEnd
        for home in homes {
            for key in home.undatedLinks { if let day = s.articleDates[key] { site.articleDates[key] = day } }
        }
        site.futureArticles = s.articleDates.filter { $0.value > asOf }
        var findings: [Finding] = []
        trace?(
            "inspector state: \(s.pages) pages, \(s.issues.count) page issues, \(s.notes.counts) notes, \(s.columnPages.count) column pages, \(s.snippets.count) snippets"
        )
        for rule in siteRules { findings += rule.findings(in: site) }
        trace?("site rules")
        for (i, rule) in collectingRules.enumerated() where rule.wantsNotes(in: site) {
            findings += rule.findings(from: s.notes.collected(rule: noteSource[i], urls: s.urls) { rule.keepsNote(key: $0, in: site) }, in: site)
        }
        trace?("collecting rules")
        findings += pageFindings(s.issues, urls: s.urls, snippets: s.snippets, site: site)
        // The work-point table reads the other rules' findings (items checked by existing rules).
        let notes = collectingRuleIndex[WorkPointRule.description.id.rawValue].map { s.notes.collected(rule: noteSource[$0], urls: s.urls) { _ in true } } ?? []
        let rows = WorkPointTable.rows(site: site, notes: notes, findings: findings)
        workPointTable.withLock { $0 = rows }
        // A finding on a page judged as a browser rendered it says so (an added evidence key).
        if !s.renderedURLs.isEmpty {
            for i in findings.indices where s.renderedURLs.contains(findings[i].url) {
                findings[i].evidence["rendered"] = .bool(true)
            }
        }
        // (In place: a sorted copy of 30,000 findings was 5 MB more at the sweep's peak.)
        findings.sort(by: Finding.reportOrder)
        return findings
    }

    /// What to ask each start page's site search (`search`), from the start pages' notes: the
    /// sweep sends these queries after the crawl. Empty when the search rule is off.
    package func searchPlans() -> [SiteSearch.Plan] {
        guard let i = collectingRuleIndex[SearchRule.description.id.rawValue] else { return [] }
        let (notes, fetched) = state.withLock { ($0.notes.collected(rule: noteSource[i], urls: $0.urls) { _ in true }, $0.articleDates) }
        // Ask for pages the sweep fetched and read a date on (not a title whose link is broken),
        // when there are such.
        return SiteSearch.plans(from: notes, profile: profile).map { plan in
            var p = plan
            let read = plan.candidates.filter { c in Summarizer.pageKey(c.url, relativeTo: nil).map { fetched[$0] != nil } ?? false }
            if !read.isEmpty { p.candidates = read }
            return p
        }
    }

    /// Drops what the inspector kept of the pages (notes, issues, column pages), once
    /// `finish` and `columnFacts` have been called: a big sweep's report is then written
    /// without them in memory. Pages inspected afterwards start a new summary.
    package func releaseSummaries() {
        state.withLock { s in
            let rules = s.notes.counts.count
            s = State()
            s.notes = NoteStore(rules: rules)
        }
    }

    /// Every work point of the profile with its status and evidence, as the last `finish`
    /// judged them (workpoints.csv); empty when the profile has none.
    package func workPointRows() -> [WorkPointRow] { workPointTable.withLock { $0 } }

    /// The columns found so far, with their category's window and whether they are stale
    /// or blank as the column rules judge them: the report's update timeline.
    package func columnFacts() -> [ColumnFact] {
        let (pages, homes) = state.withLock { ($0.columnPages, $0.homes) }
        let columns = Inspector.columns(from: pages, homes: homes.sorted { $0.url < $1.url })
        return columns.filter { !$0.name.isEmpty }.map { c in
            let category = profile.category(ofColumn: c.name)
            let stale = category.map { c.isStale(in: $0, asOf: asOf) } ?? false
            return ColumnFact(
                name: c.name, url: c.url, category: category?.key ?? "", categoryName: category?.name ?? "",
                latest: c.latest?.description, windowDays: category?.windowDays, stale: stale, blank: c.isBlank,
                rendered: c.rendered)
        }
    }

    /// Merges pagination pages into their columns and names each column: `ColumnName`,
    /// else the breadcrumb, else the home page's link text, else the title.
    static func columns(from pages: [ColumnPage], homes: [HomeSummary]) -> [Column] {
        var byKey: [String: [ColumnPage]] = [:]
        for p in pages { byKey[p.key, default: []].append(p) }
        var out: [Column] = []
        for (key, group) in byKey {
            let ordered = group.sorted { ($0.isPagination ? 1 : 0, $0.url) < ($1.isPagination ? 1 : 0, $1.url) }
            let first = ordered[0]
            let linkName = homes.lazy.compactMap { $0.linkNames[key] }.first
            let name =
                ordered.lazy.compactMap(\.metaName).first ?? ordered.lazy.compactMap(\.crumbName).first
                ?? linkName ?? ordered.lazy.compactMap(\.titleName).first ?? ""
            let latest = group.compactMap(\.latest).max()
            // Blank only when no page of the column lists anything.
            let blank = group.allSatisfy { $0.blank } && latest == nil
            out.append(
                Column(
                    url: key, host: first.host, name: name, depth: group.map(\.depth).min() ?? first.depth,
                    latest: latest, items: group.map(\.items).reduce(0, +), blank: blank, pages: group.count,
                    scriptFill: ordered.lazy.compactMap(\.scriptFill).first, rendered: group.contains { $0.rendered }))
        }
        return out.sorted { $0.url < $1.url }
    }

    /// The pages a template finding names in `foundOn`: the first ones by URL, at most this
    /// many (its evidence's `pages` is the total). A sample, not every page: a defect in the
    /// template of a 100,000-page site would otherwise keep every URL per finding.
    static let templateSample = 20

    /// One finding per page and check; offenders shared by `templateMinPages` pages or
    /// more are reported once for the template (on the first such page, by URL), naming the
    /// pages it stands for (`foundOn`, the first `templateSample` by URL).
    func pageFindings(_ issues: IssueStore, urls: PageURLs, snippets text: [String], site: SiteContext) -> [Finding] {
        struct Shared { var pages = 0; var first = "" }
        var shared: [Int: [Int32: Shared]] = [:]
        for issue in issues.records {
            let url = urls[issue.page]
            let snippets = issues.snippets(of: issue)
            for (n, snippet) in zip(snippets.indices, snippets)
            where !text[Int(snippet)].isEmpty && !snippets[..<n].contains(snippet) {
                var e = shared[Int(issue.rule), default: [:]][snippet] ?? Shared(first: url)
                e.pages += 1
                if url < e.first { e.first = url }
                shared[Int(issue.rule), default: [:]][snippet] = e
            }
        }
        let minPages = profile.templateMinPages
        var templated: [Int: [Int32: Shared]] = [:]
        for (rule, snippets) in shared {
            let t = snippets.filter { $0.value.pages >= minPages }
            if !t.isEmpty { templated[rule] = t }
        }
        // Per rule with a template: the pages carrying it (all counted, the first by URL kept).
        struct Carriers { var pages = 0; var sample: [String] = [] }
        var carriers: [Int: Carriers] = [:]
        var out: [Finding] = []
        for issue in issues.records {
            let rule = Int(issue.rule)
            let d = type(of: pageRules[rule]).description
            let (_, severity, points) = profile.settings(for: d)
            let template = templated[rule] ?? [:]
            let snippets = issues.snippets(of: issue)
            let own = snippets.filter { template[$0] == nil }
            let url = urls[issue.page]
            if own.count < snippets.count {
                var c = carriers[rule] ?? Carriers()
                c.pages += 1
                Self.keepFirst(url, in: &c.sample, limit: Self.templateSample)
                carriers[rule] = c
            }
            let remaining = Int(issue.count) - (snippets.count - own.count)
            guard remaining > 0 else { continue }
            let subject = d.findingSubject
            out.append(
                Finding(
                    rule: d.id, indicator: d.indicator, severity: severity, points: points, url: url,
                    subject: subject, department: site.department(for: url),
                    message: "\(d.nameZh)：本页 \(remaining) 处",
                    evidence: ["count": .int(remaining), "snippets": .array(own.prefix(5).map { .string(text[Int($0)]) })]))
        }
        for (rule, snippets) in templated.sorted(by: { $0.key < $1.key }) {
            let d = type(of: pageRules[rule]).description
            let (_, severity, points) = profile.settings(for: d)
            let url = snippets.values.map(\.first).min() ?? ""
            let c = carriers[rule] ?? Carriers()
            let pages = max(c.pages, snippets.values.map(\.pages).max() ?? 0)
            let subject = d.findingSubject
            var f = Finding(
                rule: d.id, indicator: d.indicator, severity: severity, points: points, url: url,
                subject: subject, department: site.department(for: url), foundOn: c.sample,
                message: "\(d.nameZh)：页面模板问题，出现在 \(pages) 个页面，修改模板一次即可",
                evidence: [
                    "template": true, "pages": .int(pages), "count": .int(snippets.count),
                    "snippets": .array(snippets.keys.map { text[Int($0)] }.sorted().prefix(5).map { .string($0) }),
                ])
            f.id = Finding.stableID(rule: d.id.templateKey, url: url, subject: subject)
            out.append(f)
        }
        return out
    }
}

extension Inspector {
    /// Keeps `sample` the `limit` smallest URLs seen, sorted: one comparison for most pages
    /// once it is full (pages arrive in crawl order, not by URL).
    static func keepFirst(_ url: String, in sample: inout [String], limit: Int) {
        if sample.count == limit, let last = sample.last, url >= last { return }
        let at = sample.firstIndex { $0 >= url } ?? sample.endIndex
        if at < sample.endIndex, sample[at] == url { return }
        sample.insert(url, at: at)
        if sample.count > limit { sample.removeLast() }
    }
}
