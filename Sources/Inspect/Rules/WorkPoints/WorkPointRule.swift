package import Parse
package import Vocabulary

/// `work-point`: a work point of the district's year (政务公开工作要点) checked by a topic
/// check shows nothing on the portal after its deadline. Each page notes its own dated
/// items that speak of a topic; the site pass counts them per item. The whole table
/// (every item, however checked) is `WorkPointTable.rows`.
package struct WorkPointRule: CollectingRule {
    package init() {}

    /// `rules explain`: the profile's work points.
    package static func explain(profile: Profile) -> String { WorkPointTable.explain(profile) }

    package static let description = RuleDescription(
        id: "work-point", indicator: .workPoint,
        nameZh: "工作要点未落实", nameEn: "Work point not published",
        summary: """
            A work point of the profile (workPoints, checked by a topic) of which the portal shows no dated item \
            in the period (the work points' year, or the topic's since) once its deadline has passed. An item \
            counts when it is a dated row of a page's own list (the list column.stale reads) or an article \
            (its title, or one paragraph of its body) and its text, with the column's name, matches every \
            keyword group (any word of a group) and no exclusion; navigation, sidebars, footers and the home \
            page's blocks never count. Only older items: 仅见旧信息. Before the deadline there is no finding \
            (the table says 未到期). Subject: the item number; the department: the item's first lead \
            department. Items checked by other rules or by hand are in workpoints.csv, not findings of this rule.
            """,
        source: "the profile's work points: 西城区2022年政务公开工作要点 (西城区政府信息与政务公开领导小组办公室 2022年3月30日印发); severity and points L (profile setting)",
        confidence: "H that the portal's lists and articles show no such item (keywords as the profile words them); L for the severity and points",
        severity: .advice, points: 0.5,
        parameters: [
            RuleParameter(
                "workPoints", profileKey: "workPoints[] {item, name, lead, co, deadline, topic|rules|manual}", defaultValue: "none",
                help: "the work points and how each is checked"),
            RuleParameter("workPointYear", profileKey: "workPointYear", defaultValue: "none", help: "topic items count from 1 January of this year"),
        ],
        passing: [
            RuleExample(
                "the air-quality report is a dated item of the column's own list",
                pages: [
                    ExamplePage("/", examplePage("<nav class=\"nav\"><a href=\"/sthj/\">生态环境</a></nav>")),
                    ExamplePage(
                        "/sthj/",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"生态环境\">",
                            "<div class=\"main\"><ul><li><a href=\"t1.html\">9月空气质量状况</a><span>2022-10-08</span></li><li><a href=\"t2.html\">垃圾分类宣传</a><span>2022-09-01</span></li></ul></div>"
                        )),
                ], profileYAML: Self.exampleProfile),
            RuleExample(
                "before the deadline nothing is reported",
                pages: [
                    ExamplePage("/", examplePage("<p>首页</p>"))
                ], asOf: "2022-09-30", profileYAML: Self.exampleProfile),
        ],
        failing: [
            RuleExample(
                "空气质量 only in the menu, and an item of the year before",
                pages: [
                    ExamplePage("/", examplePage("<nav class=\"nav\"><a href=\"/sthj/\">空气质量</a></nav>")),
                    ExamplePage(
                        "/sthj/",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"生态环境\">",
                            "<nav class=\"nav\"><a href=\"/kq/\">空气质量</a></nav><div class=\"main\"><ul><li><a href=\"t1.html\">2021年空气质量状况</a><span>2021-12-08</span></li><li><a href=\"t2.html\">垃圾分类宣传</a><span>2022-09-01</span></li></ul></div>"
                        )),
                ], profileYAML: Self.exampleProfile, subjects: ["10"], severity: .advice)
        ])

    static let exampleProfile = """
        workPointYear: 2022
        workPoints:
          - {item: 10, name: 空气质量信息, lead: [区生态环境局], deadline: 2022-10, topic: {any: [空气质量, 污染防治]}}

        """

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        let points = context.profile.workPoints
        guard points.contains(where: { if case .topic = $0.method { return true } else { return false } }) else { return [] }
        return TopicItems.notes(
            page, url: context.url, depth: context.depth, asOf: context.asOf,
            matcher: TopicMatcher.shared(for: points))
    }

    package func wantsNotes(in site: SiteContext) -> Bool { !site.profile.workPoints.isEmpty }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        let (_, severity, points) = site.profile.settings(for: Self.description)
        guard let home = site.homePages.first ?? site.homes.first?.url else { return [] }
        let results = WorkPointTable.topicResults(notes, site: site)
        var out: [Finding] = []
        for w in site.profile.workPoints where w.isDue(asOf: site.asOf) {
            guard case .topic = w.method, let r = results[w.item] else { continue }
            let (status, evidence, note) = WorkPointTable.judge(w, r)
            guard status == .notFound || status == .onlyOld else { continue }
            let sev = w.severity ?? severity
            var ev: [String: JSONValue] = [
                "item": .int(w.item), "status": .string(status.rawValue),
                "keywords": .string(WorkPointTable.keywords(w)),
            ]
            if let since = r.since { ev["since"] = .string(since.description) }
            if !w.deadlineText.isEmpty { ev["deadline"] = .string(w.deadlineText) }
            if !evidence.isEmpty {
                ev["newest"] = .array(evidence.map { .object(["url": .string($0.url), "title": .string($0.title), "date": .string($0.date)]) })
            }
            out.append(
                Finding(
                    rule: Self.description.id, indicator: .workPoint, severity: sev,
                    points: sev == .deduct ? (w.points ?? points) : 0, url: home, subject: String(w.item),
                    department: site.department(w.department, orFor: home),
                    message: "工作要点第 \(w.item) 项“\(w.name)”\(status == .onlyOld ? "仅见旧信息" : "未发现公开信息")：\(note)",
                    evidence: ev))
        }
        return out
    }
}
