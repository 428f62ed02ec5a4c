package import Vocabulary
/// `column-missing`: a column or topic the profile requires is absent.
package struct ColumnMissingRule: SiteRule {
    package init() {}

    /// `rules explain`: the profile's data this rule reads.
    package static func explain(profile: Profile) -> String {
        var out = ""
        out += "required in \(profile.id):\n"
        for r in profile.required {
            out += "  \(r.name)\(r.variants.isEmpty ? "" : " (\(r.variants.joined(separator: "、")))")"
            out += r.item > 0 ? " item \(r.item)" : ""
            out += r.department.isEmpty ? "" : " → \(r.department)"
            out += "\n"
        }
        out += "\n"
        return out
    }

    package static let description = RuleDescription(
        id: "column.missing", indicator: .columnMissing,
        nameZh: "缺少必设栏目", nameEn: "Required column missing",
        summary: """
            A requirement of the profile (name and variants) that no page satisfies: no ColumnName or ColumnType meta, \
            heading or page title on any swept page, and no link text or title on the pages within two \
            clicks of a start page names it, and no column found by the sweep is named so. Reported on the first start page, attributed to the requirement's \
            department. Matching ignores whitespace and quotes (“规划专栏” = 规划专栏).
            """,
        source:
            "the profile's requirements: national 国办发〔2017〕47号 (政府网站发展指引) columns; district work points (e.g. 西城区2022年政务公开工作要点 items 6, 12, 21, 31, 36, 44, 46)",
        confidence: "H for the requirements as the documents word them; L for the points (profile setting)",
        severity: .deduct, points: 2,
        parameters: [
            RuleParameter(
                "required", profileKey: "required[] {name, variants, department, item, source, severity, points}", defaultValue: "per profile",
                help: "the required columns")
        ],
        passing: [
            RuleExample(
                "the planning column is linked from the home page under a variant name",
                pages: [
                    ExamplePage("/", examplePage("<nav class=\"nav\"><a href=\"/ghjh/\">规划计划</a></nav>"))
                ], profileYAML: "required:\n  - {name: 规划专栏, variants: [规划计划], department: 区发展改革委, item: 6}\n"),
            RuleExample(
                "an article's ColumnName names the column",
                pages: [
                    ExamplePage("/", examplePage("<p>首页</p>")),
                    ExamplePage(
                        "/czzj/a1.html",
                        examplePage(head: "<meta name=\"ColumnName\" content=\"财政资金直达基层\"><meta name=\"PubDate\" content=\"2022-10-01\">", "<p>正文</p>")),
                ], profileYAML: "required:\n  - {name: 财政资金直达基层, department: 区财政局, item: 21}\n"),
        ],
        failing: [
            RuleExample(
                "no page names the epidemic column",
                pages: [
                    ExamplePage("/", examplePage("<nav class=\"nav\"><a href=\"/xwdt/\">新闻动态</a></nav>"))
                ], profileYAML: "required:\n  - {name: 疫情防控专栏, variants: [疫情防控], department: 区卫生健康委, item: 12}\n",
                subjects: ["疫情防控专栏"], severity: .deduct)
        ])

    package func findings(in site: SiteContext) -> [Finding] {
        let (_, severity, points) = site.profile.settings(for: Self.description)
        guard let home = site.homePages.first ?? site.homes.first?.url else { return [] }
        let columnNames = site.columns.map { Summarizer.clean($0.name) }
        var out: [Finding] = []
        for r in site.profile.required where !site.satisfiedRequirements.contains(r.name) {
            let names = ([r.name] + r.variants).map(Summarizer.clean)
            if columnNames.contains(where: { c in names.contains { !c.isEmpty && c.contains($0) } }) { continue }
            var evidence: [String: JSONValue] = ["variants": .array(([r.name] + r.variants).map { .string($0) })]
            if r.item > 0 { evidence["item"] = .int(r.item) }
            if !r.source.isEmpty { evidence["source"] = .string(r.source) }
            let sev = r.severity ?? severity
            out.append(
                Finding(
                    rule: Self.description.id, indicator: .columnMissing, severity: sev,
                    points: sev == .deduct ? (r.points ?? points) : 0, url: home, subject: r.name,
                    department: site.department(r.department, orFor: home),
                    message: "未找到要求设置的栏目“\(r.name)”" + (r.item > 0 ? "（第 \(r.item) 项）" : ""),
                    evidence: evidence))
        }
        return out
    }
}
