package import Parse
package import Vocabulary

/// `search`: the site has no search (站内搜索), or its search does not find a page that is
/// on the site. The home page's notes say how to query (its search form) and what to ask
/// for (titles of its lists); the sweep sends the queries after the crawl
/// (`Inspector.searchPlans`, `SiteContext.searchChecks`).
package struct SearchRule: CollectingRule {
    package init() {}

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        guard context.isHome else { return [] }
        let base = CrawlURL(page.url).flatMap { u in page.baseHref.flatMap { u.resolve($0) } ?? u }
        var out: [PageNote] = []
        if let f = SiteSearch.form(on: page, base: base) {
            out.append(PageNote(key: "form", text: [f.action, f.method, f.field, f.hidden, f.charset].joined(separator: "\t")))
        }
        for c in SiteSearch.candidates(on: page, base: base) { out.append(PageNote(key: "title\t" + c.url, text: c.title)) }
        if page.scriptFilled { out.append(PageNote(key: "scripted")) }
        // A home page with neither still says so: the site pass must know it was seen.
        if out.isEmpty { out.append(PageNote(key: "home")) }
        return out
    }

    /// Search is judged only when the sweep sent the queries (not with `--no-search`).
    package func wantsNotes(in site: SiteContext) -> Bool { site.searchChecks != nil }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        guard let checks = site.searchChecks else { return [] }
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        var out: [Finding] = []
        for plan in SiteSearch.plans(from: notes, profile: site.profile) {
            let mine = checks.filter { $0.query.home == plan.home }
            if plan.form == nil && plan.template == nil {
                // A home page drawn by script may draw its search box too: advice, not a deduction.
                out.append(
                    Finding(
                        rule: d.id, indicator: d.indicator, severity: plan.scripted ? .advice : severity, points: plan.scripted ? 0 : points,
                        url: plan.home, subject: "missing", department: site.department(for: plan.home),
                        message: plan.scripted
                            ? "首页未发现站内搜索表单；首页内容由脚本生成，搜索框可能由脚本绘制，请人工核对或在配置中给出 search-url"
                            : "首页未发现站内搜索（没有搜索表单，配置中也未给出搜索地址）",
                        evidence: ["scriptFilled": .bool(plan.scripted)]))
                continue
            }
            if plan.template == nil, plan.form?.method != "get" {
                let how = plan.form?.method == "script" ? "由脚本提交" : "以 POST 提交"
                out.append(
                    Finding(
                        rule: d.id, indicator: d.indicator, severity: .advice, points: 0, url: plan.home, subject: "unchecked",
                        department: site.department(for: plan.home),
                        message: "首页的站内搜索\(how)，未能自动检验是否可用；可在配置中用 searchURL 给出搜索地址",
                        evidence: ["method": .string(plan.form?.method ?? ""), "field": .string(plan.form?.field ?? "")]))
                continue
            }
            guard !mine.isEmpty, !mine.contains(where: \.answered) else { continue }
            if mine.allSatisfy(\.disallowed) {
                out.append(
                    Finding(
                        rule: d.id, indicator: d.indicator, severity: .advice, points: 0, url: plan.home, subject: "unchecked",
                        department: site.department(for: plan.home),
                        message: "网站的 robots.txt 不允许访问搜索地址，站内搜索未检验（\(mine[0].query.url)）",
                        evidence: ["url": .string(mine[0].query.url), "robots": true]))
                continue
            }
            // Results filled by script cannot be seen without a browser: advice, not a deduction.
            let scripted = mine.allSatisfy(\.scriptFilled)
            let evidence: [String: JSONValue] = [
                "queries": .array(
                    mine.map { c in
                        .object([
                            "query": .string(SiteSearch.words(c.query.candidate.title)), "url": .string(c.query.url),
                            "status": .int(c.status), "expected": .string(c.query.candidate.url),
                            "failure": .string(c.failure),
                        ])
                    }),
                "scriptFilled": .bool(scripted),
            ]
            let first = mine[0]
            let how = first.status == 0 ? "无响应（\(first.failure)）" : "HTTP \(first.status)"
            out.append(
                Finding(
                    rule: d.id, indicator: d.indicator, severity: scripted ? .advice : severity, points: scripted ? 0 : points,
                    url: plan.home, subject: "unanswered", department: site.department(for: plan.home),
                    message: scripted
                        ? "站内搜索结果由脚本生成，未能确认能否检索到“\(SiteSearch.words(first.query.candidate.title))”，请人工核对"
                        : "站内搜索检索“\(SiteSearch.words(first.query.candidate.title))”未返回该文章（\(how)，共试 \(mine.count) 次）",
                    evidence: evidence))
        }
        return out
    }

    static let form = """
        <div class="header"><form class="search" action="/search/" method="get"><label for="sw">站内搜索</label>\
        <input type="text" id="sw" name="searchword"><button type="submit">搜索</button></form></div>
        """
    static let list = """
        <div class="news"><ul><li><a href="/xwdt/202210/t20221028_1.html">区政府召开第十二次常务会议研究部署重点工作</a> 2022-10-28</li>
        <li><a href="/xwdt/202210/t20221027_2.html">示范区启动秋冬季大气污染综合治理攻坚行动</a> 2022-10-27</li></ul></div>
        """
    static let hit = examplePage(
        """
        <div class="result"><ul><li><a href="/xwdt/202210/t20221028_1.html"><em>区政府召开第十二次常务会议</em>研究部署重点工作</a></li></ul></div>
        """)
    static let echo = examplePage(
        """
        <div class="result"><p>找到与“区政府召开第十二次常务会议研究部署重点工作”相关的结果 0 条</p><ul><li>暂无结果</li></ul></div>
        """)

    package static let description = RuleDescription(
        id: "search", indicator: .search, nameZh: "站内搜索缺失或不可用", nameEn: "Site search missing or not answering",
        summary: """
            Reads the start page's search form (a form whose id, class, role or name says search, or whose text field is \
            named as search fields are: q, searchword, keyword …) and up to three whole titles of its content lists. After \
            the crawl the sweep sends one query (a second only when the first finds nothing) through the crawl's client; a \
            result page answers when a link outside its header, navigation and footer leads to the page or names the \
            title. No form and no profile searchURL: `missing`. Queries that find nothing: `unanswered`, with the query, \
            URL and status (advice when the result page is filled by script). A form submitted by script (no action) or by \
            POST is not queried: advice `unchecked`, until the profile's searchURL says how. `--no-search` \
            turns the check off.
            """,
        source: "国办秘函〔2019〕19号 扣分指标 站内搜索; 国办发〔2017〕47号 (搜索功能); points L",
        confidence: "H (the requirement); L (two queries, the answer test, points)",
        severity: .deduct, points: 2,
        parameters: [
            RuleParameter(
                "searchURL", profileKey: "searchURL", defaultValue: "(the home page's search form)",
                help: "a URL with {query} where the words go, for search the home page's form does not show")
        ],
        fix: "在首页提供站内搜索，并确保以网站上已有文章的标题检索时能返回该文章；搜索结果由脚本生成的，请确认搜索接口可用。",
        passing: [
            RuleExample("the search finds the title", pages: [ExamplePage("/", examplePage(form + list))], search: ExampleSearch(200, hit)),
            RuleExample(
                "a search-named form whose field has another name",
                pages: [
                    ExamplePage(
                        "/",
                        examplePage(
                            "<div id=\"top\"><form id=\"searchForm\" action=\"/s.jsp\"><input name=\"t1\"><input type=\"submit\" value=\"搜索\"></form></div>"
                                + list))
                ], search: ExampleSearch(200, hit)),
        ],
        failing: [
            RuleExample(
                "no search form: a login form is not one",
                pages: [
                    ExamplePage(
                        "/",
                        examplePage(
                            "<form action=\"/login\" method=\"post\"><input name=\"user\"><input type=\"password\" name=\"pw\"></form>" + list))
                ], search: ExampleSearch(200, hit), subjects: ["missing"], severity: .deduct),
            RuleExample(
                "the result page echoes the query but lists nothing", pages: [ExamplePage("/", examplePage(form + list))],
                search: ExampleSearch(200, echo), subjects: ["unanswered"], severity: .deduct),
            RuleExample(
                "no search form on a home page filled by script: advice",
                pages: [
                    ExamplePage(
                        "/", examplePage("<div id=\"app\"><ul class=\"news\"><li v-for=\"n in news\"><a :href=\"n.url\">{{n.title}}</a></li></ul></div>"))
                ],
                search: ExampleSearch(200, hit), subjects: ["missing"], severity: .advice),
            RuleExample(
                "a script-submitted search (no action) cannot be queried: advice",
                pages: [
                    ExamplePage(
                        "/",
                        examplePage(
                            "<div class=\"top\"><form><input type=\"text\" name=\"headSearchword\"><input type=\"button\" onclick=\"goSearch(this)\" value=\"搜索\"></form></div>"
                                + list))
                ], search: ExampleSearch(200, hit), subjects: ["unchecked"], severity: .advice),
            RuleExample(
                "the search answers 500", pages: [ExamplePage("/", examplePage(form + list))],
                search: ExampleSearch(500, examplePage("<p>Internal Server Error</p>")), subjects: ["unanswered"], severity: .deduct),
        ])
}
