public import Vocabulary

/// `homepage-stale`: nothing on the home page is newer than the window.
public struct HomepageStaleRule: SiteRule {
    public init() {}

    public static let description = RuleDescription(
        id: "homepage.stale", indicator: .homepageStale,
        nameZh: "首页不更新", nameEn: "Home page not updated",
        summary: """
        No item on a start page (a block with a link, outside header and footer) carries a date within \
        the window before the as-of day; an undated item counts as not updated. A date printed in the \
        header (today's date, a weather box) is not an item. When the home page has no dated item at all \
        (a navigation-only portal), a fresh second-level column page satisfies the rule.
        """,
        source: "国办秘函〔2019〕19号 单项否决指标“首页不更新”: 监测时间点前 2 周内首页无新增信息",
        confidence: "H",
        severity: .veto, points: 0,
        parameters: [RuleParameter("window", profileKey: "homepageWindowDays", defaultValue: "14", help: "days before the as-of day")],
        passing: [
            RuleExample("a home page with a news item from last week", html: examplePage("""
                <div class="news"><ul><li><a href="/a1.html">区政府召开常务会议</a><span>2022-10-25</span></li>
                <li><a href="/a2.html">旧闻</a><span>2022-01-25</span></li></ul></div>
                """)),
            RuleExample("year-less dates on the home page: [10-28] is 2022-10-28", html: examplePage("""
                <ul><li><a href="/a1.html">区政府召开常务会议</a> [10-28]</li><li><a href="/a2.html">会议二</a> [10-02]</li></ul>
                """)),
        ],
        failing: [
            RuleExample("only old items; today's date printed in the header does not count", html: examplePage("""
                <header class="header"><p>2022年11月01日 星期二</p></header>
                <ul><li><a href="/a1.html">区政府召开常务会议</a><span>2022-09-25</span></li><li><a href="/a2.html">会议二</a><span>2022-08-25</span></li></ul>
                """), subjects: [""], severity: .veto),
        ])

    public func findings(in site: SiteContext) -> [Finding] {
        let window = site.profile.homepageWindowDays
        let (_, severity, points) = site.profile.settings(for: Self.description)
        var out: [Finding] = []
        for home in site.homes {
            if let latest = home.latest, site.asOf - latest <= window { continue }
            if home.datedItems == 0, site.columns.contains(where: { c in
                c.host == home.host && c.depth <= 1 && c.latest.map { site.asOf - $0 <= window } == true
            }) { continue }
            let latest = home.latest?.description ?? ""
            out.append(Finding(rule: Self.description.id, indicator: .homepageStale, severity: severity, points: points,
                               url: home.url, subject: "", department: site.department(for: home.url),
                               message: latest.isEmpty ? "首页没有带日期的信息，视为 \(window) 天内未更新"
                                                       : "首页最新信息日期为 \(latest)，\(window) 天内未更新",
                               evidence: ["latest": latest.isEmpty ? .null : .string(latest), "windowDays": .int(window),
                                          "datedItems": .int(home.datedItems), "items": .int(home.items)]))
        }
        return out
    }
}
