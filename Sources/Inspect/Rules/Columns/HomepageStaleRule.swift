package import Vocabulary

/// `homepage-stale`: nothing on the home page is newer than the window.
package struct HomepageStaleRule: SiteRule {
    package init() {}

    package static let description = RuleDescription(
        id: "homepage.stale", indicator: .homepageStale,
        nameZh: "首页不更新", nameEn: "Home page not updated",
        summary: """
            No item on a start page (a block with a link, outside header and footer) carries a date within \
            the window before the as-of day. A date printed in the header (today's date, a weather box) is \
            not an item. An undated item of the page's own content lists (national portals print none) is \
            judged by the date of the article it links to (its PubDate meta, else the 发布时间 it prints), when \
            the sweep fetched that article. When the home page has no dated item at all (a navigation-only \
            portal), it is judged by its second-level column pages (a fresh one satisfies the rule, stale ones are \
            the veto). What the static page cannot show is \
            advice, not a veto: a page whose lists are filled by script (list templates such as ms-repeat or \
            v-for, a Hanweb jpage datastore, a TRS document.write list, a list container holding only a \
            script) is reported as "cannot be judged from the static page" with the sign seen, and so is a \
            page whose items and linked articles show no date at all; open the page in a browser to check it \
            (with `--render auto` and Chromium installed, govsweep renders such a page and judges what the \
            browser shows; the finding's evidence then says `"rendered": true`). Items a page carries in a \
            data island (a Hanweb jpage datastore's records, an inline JSON array of items) are read as \
            static items. A page with script-filled containers but no such sign, and stale dates, is still a veto.
            """,
        source: "国办秘函〔2019〕19号 单项否决指标“首页不更新”: 监测时间点前 2 周内首页无新增信息",
        confidence: "H for the window; the script-filled and undated cases are advice by design (the inspectors judge the rendered page)",
        severity: .veto, points: 0,
        parameters: [RuleParameter("window", profileKey: "homepageWindowDays", defaultValue: "14", help: "days before the as-of day")],
        passing: [
            RuleExample(
                "a Hanweb jpage datastore whose records (read from the static page) include last week's news",
                html: examplePage(
                    """
                    <div id="4711"><script type="text/xml"><datastore><recordset>
                    <record><![CDATA[<li><a href="/art/2022/10/28/art_1_1.html">区政府召开常务会议</a><span>2022-10-28</span></li>]]></record>
                    </recordset></datastore></script></div>
                    """)),
            RuleExample(
                "a home page with a news item from last week",
                html: examplePage(
                    """
                    <div class="news"><ul><li><a href="/a1.html">区政府召开常务会议</a><span>2022-10-25</span></li>
                    <li><a href="/a2.html">旧闻</a><span>2022-01-25</span></li></ul></div>
                    """)),
            RuleExample(
                "year-less dates on the home page: [10-28] is 2022-10-28",
                html: examplePage(
                    """
                    <ul><li><a href="/a1.html">区政府召开常务会议</a> [10-28]</li><li><a href="/a2.html">会议二</a> [10-02]</li></ul>
                    """)),
            RuleExample(
                "undated items whose linked article is fresh (PubDate 2022-10-28)",
                pages: [
                    ExamplePage(
                        "/",
                        examplePage(
                            """
                            <div class="yw"><ul class="lists"><li><a href="/yw/202210/content_1.htm">国务院常务会议</a></li>
                            <li><a href="/yw/202210/content_2.htm">李强会见外宾</a></li></ul></div>
                            """)),
                    ExamplePage(
                        "/yw/202210/content_1.htm",
                        examplePage(
                            head: "<meta name=\"PubDate\" content=\"2022-10-28 10:00\">",
                            "<h1>国务院常务会议</h1><p>正文</p>")),
                    ExamplePage("/yw/202210/content_2.htm", examplePage("<h1>李强会见外宾</h1><div class=\"info\">发布时间：2022-09-01 来源：新华社</div><p>正文</p>")),
                ]),
            RuleExample(
                "script-filled lists, with a fresh static item",
                html: examplePage(
                    """
                    <ul id="gwyxx"><script src="/js/gwyxx.js"></script></ul>
                    <ul><li><a href="/a1.html">区政府召开常务会议</a><span>2022-10-28</span></li></ul>
                    """)),
        ],
        failing: [
            RuleExample(
                "only old items; today's date printed in the header does not count",
                html: examplePage(
                    """
                    <header class="header"><p>2022年11月01日 星期二</p></header>
                    <ul><li><a href="/a1.html">区政府召开常务会议</a><span>2022-09-25</span></li><li><a href="/a2.html">会议二</a><span>2022-08-25</span></li></ul>
                    """), subjects: [""], severity: .veto),
            RuleExample(
                "undated items whose linked articles are old (PubDate, 发布日期)",
                pages: [
                    ExamplePage(
                        "/",
                        examplePage(
                            """
                            <div class="yw"><ul class="lists"><li><a href="/yw/202209/content_1.htm">国务院常务会议</a></li>
                            <li><a href="/yw/202209/content_2.htm">李强会见外宾</a></li></ul></div>
                            """)),
                    ExamplePage(
                        "/yw/202209/content_1.htm",
                        examplePage(
                            head: "<meta name=\"PubDate\" content=\"2022-09-28 10:00\">",
                            "<h1>国务院常务会议</h1><p>正文</p>")),
                    ExamplePage("/yw/202209/content_2.htm", examplePage("<h1>李强会见外宾</h1><p>发布日期：2022-09-01</p><p>正文</p>")),
                ], subjects: [""], severity: .veto),
            RuleExample(
                "an avalon ms-repeat template: advice, the list cannot be seen in the static page",
                html: examplePage(
                    """
                    <div class="news"><ul><li ms-repeat="newsList"><a ms-attr-href="el.url">{{el.title}}</a><span>{{el.date}}</span></li></ul></div>
                    """), subjects: [""], severity: .advice),
            RuleExample(
                "a Hanweb jpage datastore whose records come from dataproxy.jsp after load: advice",
                html: examplePage(
                    """
                    <div id="4711"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=2">]]></nextgroup>
                    <recordset></recordset></datastore></script></div>
                    <ul><li><a href="/a9.html">旧闻</a><span>2021-05-01</span></li></ul>
                    """), subjects: [""], severity: .advice),
            RuleExample(
                "no item and no linked article shows a date: advice, cannot be judged statically",
                html: examplePage(
                    """
                    <ul><li><a href="/x/a1.html">区政府召开常务会议</a></li><li><a href="/x/a2.html">会议二</a></li></ul>
                    """), subjects: [""], severity: .advice),
        ])

    package func findings(in site: SiteContext) -> [Finding] {
        let window = site.profile.homepageWindowDays
        let (_, severity, points) = site.profile.settings(for: Self.description)
        var out: [Finding] = []
        for home in site.homes {
            // What the static page shows: its items' dates and its undated items' articles' dates;
            // a home page with neither (navigation only) is judged by its second-level columns.
            let linked = site.linkedArticles(of: home)
            let own = [home.latest, linked.latest].compactMap { $0 }.max()
            let secondLevel =
                own == nil
                ? site.columns.filter { $0.host == home.host && $0.depth <= 1 }.compactMap(\.latest).max() : nil
            let seen = own ?? secondLevel
            if let seen, site.asOf - seen <= window { continue }
            let latest = seen?.description ?? ""
            var evidence: [String: JSONValue] = [
                "latest": latest.isEmpty ? .null : .string(latest), "windowDays": .int(window),
                "datedItems": .int(home.datedItems), "items": .int(home.items),
            ]
            if linked.dated > 0 { evidence["linkedArticlesDated"] = .int(linked.dated) }
            evidence = renderedEvidence(evidence, home.rendered)
            let unseen: String?
            if let fill = home.scriptFill, fill.sign.isStrong || own == nil {
                evidence = fill.evidence(adding: evidence)
                unseen =
                    "首页列表由脚本生成（\(fill.descriptionZh)），静态页面无法判断是否更新"
                    + (own.map { "（静态可见的最新日期为 \($0)）" } ?? "")
            } else if seen == nil {
                unseen =
                    home.items == 0
                    ? "首页静态页面没有信息条目，也没有可判断的二级栏目，无法判断是否更新"
                    : "首页 \(home.items) 条信息均未标注日期，所链接的文章页也未见发布日期，静态页面无法判断是否更新"
            } else {
                unseen = nil
            }
            if let unseen {
                out.append(
                    Finding(
                        rule: Self.description.id, indicator: .homepageStale, severity: .advice, points: 0,
                        url: home.url, subject: "", department: site.department(for: home.url),
                        message: unseen + "；请在浏览器中打开首页，核对 \(window) 天内是否有新信息",
                        evidence: evidence))
                continue
            }
            let message: String
            if own == nil {
                message = "首页没有带日期的信息，二级栏目最近更新于 \(latest)，\(window) 天内未更新"
            } else {
                let source = home.latest.map { $0 >= own! } ?? false ? "" : "（据首页链接的文章页发布日期）"
                message = "首页最新信息日期为 \(latest)\(source)，\(window) 天内未更新"
            }
            out.append(
                Finding(
                    rule: Self.description.id, indicator: .homepageStale, severity: severity, points: points,
                    url: home.url, subject: "", department: site.department(for: home.url),
                    message: message, evidence: evidence))
        }
        return out
    }
}
