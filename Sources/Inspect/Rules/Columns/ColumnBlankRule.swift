package import Vocabulary
/// `column-blank`: a column with a title and no items.
package struct ColumnBlankRule: SiteRule {
    package init() {}

    package static let description = RuleDescription(
        id: "column.blank", indicator: .columnBlank,
        nameZh: "空白栏目", nameEn: "Blank column",
        summary: """
            A column page (named by ColumnName, breadcrumb, home-page link or title) that lists no dated item \
            and says so in its main content (暂无信息, 暂无数据 … as the profile's blankMarkers list them). \
            A page of plain text (机构职能) is not blank; a marker in a sidebar does not count. Five or more \
            blank columns on one site are a veto (栏目不更新). A column whose list is filled by script \
            (see column.stale) is not blank as far as anyone can tell from the static page: when it shows no \
            item, or says 暂无信息 beside a list template, it is advice saying the page must be checked in a \
            browser, unless column.stale already reports it (a column with an update window); it never counts \
            toward the veto.
            """,
        source: "国办秘函〔2019〕19号 单项否决指标“栏目不更新”: 空白栏目数量超过 5 个",
        confidence: "H for the veto threshold; L for the per-column deduction points (profile setting)",
        severity: .deduct, points: 1,
        parameters: [
            RuleParameter("markers", profileKey: "blankMarkers", defaultValue: "暂无信息, 暂无数据, 暂无内容, 暂无相关信息, 没有相关记录", help: "text of an empty list"),
            RuleParameter("veto", profileKey: "veto.blankColumns", defaultValue: "5", help: "blank columns that fail the site"),
            RuleParameter("points", profileKey: "rules.column.blank.points", defaultValue: "1", help: "deduction per blank column below the veto"),
        ],
        passing: [
            RuleExample(
                "a column with items",
                pages: [
                    ExamplePage(
                        "/zcjd/",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"政策解读\">",
                            "<ul><li><a href=\"a1.html\">解读一</a> 2022-10-10</li><li><a href=\"a2.html\">解读二</a> 2022-09-01</li></ul>"))
                ]),
            RuleExample(
                "a script-filled news column is column.stale's advice, not blank",
                pages: [
                    ExamplePage(
                        "/gzdt/",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"工作动态\">",
                            "<div class=\"list\"><ul id=\"newsList\"><script src=\"/js/news-list.js\"></script></ul></div>"))
                ]),
            RuleExample(
                "暂无信息 in a sidebar of a column with items",
                pages: [
                    ExamplePage(
                        "/zcjd/",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"政策解读\">",
                            "<ul><li><a href=\"a1.html\">解读一</a> 2022-10-10</li><li><a href=\"a2.html\">解读二</a> 2022-09-01</li></ul><aside class=\"side\"><p>暂无信息</p></aside>"
                        ))
                ]),
        ],
        failing: [
            RuleExample(
                "a column that says 暂无信息",
                pages: [
                    ExamplePage(
                        "/rsxx/",
                        examplePage(
                            title: "人事信息_示例区", head: "<meta name=\"ColumnName\" content=\"人事信息\">",
                            "<div class=\"main\"><ul></ul><p>暂无信息</p></div>"))
                ], subjects: ["人事信息"], severity: .deduct),
            RuleExample(
                "暂无数据 beside an ms-repeat template: advice, the list is filled in the browser",
                pages: [
                    ExamplePage(
                        "/jgzn/",
                        examplePage(
                            title: "机构职能_示例区", head: "<meta name=\"ColumnName\" content=\"机构职能\">",
                            "<div class=\"main\"><ul><li ms-repeat=\"list\"><a ms-attr-href=\"el.url\">{{el.name}}</a></li></ul><p ms-if=\"list.size()==0\">暂无数据</p></div>"
                        ))
                ], subjects: ["机构职能"], severity: .advice),
        ])

    package func findings(in site: SiteContext) -> [Finding] {
        let (_, severity, points) = site.profile.settings(for: Self.description)
        let veto = site.columnVetoHosts()
        // Script-filled and showing nothing: advice, unless column.stale reports it already.
        let unseen = site.columns.filter { c in
            c.scriptFill != nil && !c.name.isEmpty && c.latest == nil && site.profile.category(ofColumn: c.name) == nil
        }
        let advice = unseen.map { column in
            Finding(
                rule: Self.description.id, indicator: .columnBlank, severity: .advice, points: 0,
                url: column.url, subject: column.name,
                department: site.department(for: column.url, column: column.name),
                foundOn: [site.homeURL(host: column.host)],
                message: "栏目“\(column.name)”的列表由脚本生成（\(column.scriptFill!.descriptionZh)），静态页面看不到条目，"
                    + "无法判断是否为空白栏目；请在浏览器中打开栏目页核对",
                evidence: column.scriptFill!.evidence(adding: ["pages": .int(column.pages)]))
        }
        return advice
            + site.columns.filter { $0.isBlank && !$0.name.isEmpty }.map { column in
                let isVeto = veto.contains(column.host)
                return Finding(
                    rule: Self.description.id, indicator: .columnBlank,
                    severity: isVeto ? .veto : severity, points: isVeto ? 0 : points,
                    url: column.url, subject: column.name,
                    department: site.department(for: column.url, column: column.name),
                    foundOn: [site.homeURL(host: column.host)],
                    message: "栏目“\(column.name)”没有任何信息（空白栏目）",
                    evidence: renderedEvidence(["pages": .int(column.pages)], column.rendered))
            }
    }
}
