package import Vocabulary
/// `column-stale`: a column's newest item is older than its category's window.
package struct ColumnStaleRule: SiteRule {
    package init() {}

    /// `rules explain`: the profile's data this rule reads.
    package static func explain(profile: Profile) -> String {
        var out = ""
        out += "categories in \(profile.id):\n"
        for c in profile.categories { out += "  \(c.key) \(c.name): \(c.windowDays) days; keywords \(c.keywords.joined(separator: "、"))\n" }
        out +=
            "  veto: ≥\(profile.veto.staleColumns) stale \(profile.veto.staleCategories.joined(separator: "/")) columns, ≥\(profile.veto.unupdatedColumns) stale columns or ≥\(profile.veto.blankColumns) blank columns\n\n"
        return out
    }

    package static let description = RuleDescription(
        id: "column.stale", indicator: .columnStale,
        nameZh: "栏目不更新", nameEn: "Stale column",
        summary: """
            A column (from its ColumnName meta, breadcrumb, home-page link or title) whose own list's newest \
            item is older than the window of the column's category (the first category whose keyword the name \
            contains; a column in no category is not checked). Dates come from the column's list in the main \
            content only: sidebars, header, nav and footer never count; pagination pages belong to their column, \
            so old items on page 2 do not make a fresh column stale. Findings are `column.stale.<category>`. \
            Five or more stale news/notice columns, ten or more stale columns, or five or more blank columns on \
            one site turn every stale and blank column of that site into a veto; below that each costs points. \
            A column whose list is filled by script (no dated list in the static page, and a list template, a \
            Hanweb jpage datastore, a TRS document.write list or a container holding only a script; with a \
            ColumnName or breadcrumb, an empty list container or TRS's createPageHTML pager too) cannot be \
            judged from the static page: it is advice saying so and how to check it (open it in a browser), \
            and it never counts toward the veto.
            """,
        source: "国办秘函〔2019〕19号 单项否决指标“栏目不更新”: 动态、要闻类栏目 2 周，通知公告、政策文件类栏目 6 个月，人事、规划计划类栏目 1 年",
        confidence: "H for windows and veto thresholds; L for the per-column deduction points (profile setting)",
        severity: .deduct, points: 1,
        parameters: [
            RuleParameter(
                "windows", profileKey: "categories.<key>.windowDays", defaultValue: "news 14, notice 183, personnel 365",
                help: "update window per category, in days"),
            RuleParameter(
                "keywords", profileKey: "categories.<key>.keywords", defaultValue: "动态, 要闻 … / 通知, 公告, 政策, 文件 … / 人事, 规划, 计划 …",
                help: "a column name containing one is in the category"),
            RuleParameter(
                "veto", profileKey: "veto.staleColumns / veto.staleCategories / veto.unupdatedColumns / veto.blankColumns",
                defaultValue: "5 / [news, notice] / 10 / 5", help: "column veto aggregation"),
            RuleParameter("points", profileKey: "rules.column.stale.points", defaultValue: "1", help: "deduction per stale column below the veto"),
        ],
        passing: [
            RuleExample(
                "a fresh notice column",
                pages: [
                    ExamplePage("/", examplePage("<ul><li><a href=\"/tzgg/\">通知公告</a></li></ul>")),
                    ExamplePage(
                        "/tzgg/",
                        examplePage(
                            title: "通知公告_示例区人民政府", head: "<meta name=\"ColumnName\" content=\"通知公告\">",
                            "<div class=\"main\"><ul><li><a href=\"a1.html\">关于开展检查的通知</a><span>2022-09-20</span></li><li><a href=\"a2.html\">关于停电的公告</a><span>2022-03-01</span></li></ul></div>"
                        )),
                ]),
            RuleExample(
                "page 2 of a fresh column lists old items: it belongs to the column",
                pages: [
                    ExamplePage(
                        "/gzdt/",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"工作动态\">",
                            "<ul><li><a href=\"a1.html\">区长调研</a> [10-28]</li><li><a href=\"a2.html\">区委会议</a> [10-20]</li></ul>")),
                    ExamplePage(
                        "/gzdt/index_1.html",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"工作动态\">",
                            "<ul><li><a href=\"a3.html\">旧闻一</a> 2021-01-05</li><li><a href=\"a4.html\">旧闻二</a> 2021-01-02</li></ul>")),
                ]),
            RuleExample(
                "a script-filled column in no category: nothing to judge",
                pages: [
                    ExamplePage(
                        "/jgzn/",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"机构职能\">",
                            "<div class=\"list\"><ul><li v-for=\"item in list\"><a :href=\"item.url\">{{ item.title }}</a></li></ul></div>"))
                ]),
            RuleExample(
                "a column in no category has no window",
                pages: [
                    ExamplePage(
                        "/jgzn/",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"机构职能\">",
                            "<ul><li><a href=\"a1.html\">区政务服务管理局</a> 2019-01-05</li><li><a href=\"a2.html\">区财政局</a> 2019-01-02</li></ul>"))
                ]),
        ],
        failing: [
            RuleExample(
                "a news column last updated three weeks before the as-of day, with a fresh sidebar",
                pages: [
                    ExamplePage(
                        "/gzdt/",
                        examplePage(
                            title: "工作动态_示例区",
                            """
                            <div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/gzdt/">工作动态</a></div>
                            <div class="main"><ul><li><a href="a1.html">区长调研</a><span>2022-10-10</span></li>
                            <li><a href="a2.html">区委会议</a><span>2022-10-01</span></li></ul></div>
                            <aside class="side"><ul><li><a href="/x.html">热点</a> 2022-10-31</li><li><a href="/y.html">热点二</a> 2022-10-30</li></ul></aside>
                            """))
                ], subjects: ["工作动态"], severity: .deduct),
            RuleExample(
                "a notice column printing 2022年3月2日, more than 6 months old",
                pages: [
                    ExamplePage(
                        "/tzgg/",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"通知公告\">",
                            "<table><tr><td><a href=\"a1.html\">关于开展检查的通知</a></td><td>2022年03月02日</td></tr><tr><td><a href=\"a2.html\">关于停电的公告</a></td><td>2022年01月05日</td></tr></table>"
                        ))
                ], subjects: ["通知公告"], severity: .deduct),
            RuleExample(
                "a news column whose list a TRS script writes (document.write): advice, not a deduction",
                pages: [
                    ExamplePage(
                        "/gzdt/",
                        examplePage(
                            title: "工作动态_示例区", head: "<meta name=\"ColumnName\" content=\"工作动态\">",
                            """
                            <div class="main"><ul class="list"><script>
                            var items = [["./202210/t20221028_1.html", "区长调研", "2022-10-28"]];
                            for (var i = 0; i < items.length; i++) {
                              document.write('<li><a href="' + items[i][0] + '">' + items[i][1] + '</a><span>' + items[i][2] + '</span></li>');
                            }
                            </script></ul><div class="page"><script>createPageHTML(12, 0, "index", "html");</script></div></div>
                            """))
                ], subjects: ["工作动态"], severity: .advice),
        ])

    package func findings(in site: SiteContext) -> [Finding] {
        let (_, severity, points) = site.profile.settings(for: Self.description)
        let veto = site.columnVetoHosts()
        return site.staleColumns().map { column, category in
            staleFinding(column, category, site: site, severity: veto.contains(column.host) ? .veto : severity, points: points)
        }
            + site.scriptFilledColumns().map { column, category in
                let fill = column.scriptFill!
                let latest = column.latest.map { "（静态可见的最新日期为 \($0)）" } ?? ""
                return Finding(
                    rule: Self.description.id.variant(category.key), indicator: .columnStale, severity: .advice, points: 0,
                    url: column.url, subject: column.name,
                    department: site.department(for: column.url, column: column.name),
                    foundOn: [site.homeURL(host: column.host)],
                    message: "栏目“\(column.name)”的列表由脚本生成（\(fill.descriptionZh)），静态页面无法判断是否在 "
                        + "\(windowText(category.windowDays)) 内更新\(latest)；请在浏览器中打开栏目页核对",
                    evidence: fill.evidence(adding: [
                        "latest": column.latest.map { .string($0.description) } ?? .null,
                        "windowDays": .int(category.windowDays), "category": .string(category.key),
                        "items": .int(column.items),
                    ]))
            }
    }

    private func staleFinding(
        _ column: Column, _ category: Profile.Category, site: SiteContext,
        severity: Severity, points: Double
    ) -> Finding {
        let latest = column.latest.map(\.description) ?? ""
        return Finding(
            rule: Self.description.id.variant(category.key), indicator: .columnStale,
            severity: severity, points: severity == .veto ? 0 : points,
            url: column.url, subject: column.name,
            department: site.department(for: column.url, column: column.name),
            foundOn: [site.homeURL(host: column.host)],
            message: "栏目“\(column.name)”最近更新于 \(latest)，超过 \(windowText(category.windowDays)) 未更新",
            evidence: renderedEvidence(
                [
                    "latest": .string(latest), "windowDays": .int(category.windowDays),
                    "category": .string(category.key), "items": .int(column.items),
                ], column.rendered))
    }
}

/// 14 → "14 天", 183 → "6 个月", 365 → "1 年".
func windowText(_ days: Int) -> String {
    if days >= 360, (days % 365 <= 5 || days % 365 >= 360) { return "\(Int((Double(days) / 365).rounded())) 年" }
    if days >= 28 { return "\(Int((Double(days) / 30.5).rounded())) 个月" }
    return "\(days) 天"
}
