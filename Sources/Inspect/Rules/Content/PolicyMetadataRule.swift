package import Parse
package import Vocabulary

/// `policy-metadata`: a policy document page lacks fields the profile requires.
package struct PolicyMetadataRule: CollectingRule {
    package init() {}

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        let facts = context.policyMetadata(page)
        guard facts.isPolicy else { return [] }
        let missing = PolicyMetadata.canonicalFields.filter { context.profile.policyFields.contains($0) && !facts.present($0) }
        guard !missing.isEmpty else { return [] }
        let empty = missing.filter { facts.values[$0] != nil }
        return [PageNote(key: missing.joined(separator: ","), text: empty.joined(separator: ","))]
    }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        return notes.sorted { $0.url < $1.url }.map { n in
            let empty = n.text.isEmpty ? [] : n.text.split(separator: ",").map(String.init)
            return Finding(
                rule: d.id, indicator: d.indicator, severity: severity, points: points, url: n.url, subject: n.key,
                department: site.department(for: n.url),
                message: "政策文件缺少元数据：\(n.key.replacingOccurrences(of: ",", with: "、"))",
                evidence: [
                    "missing": .array(n.key.split(separator: ",").map { .string(String($0)) }),
                    "labelledButEmpty": .array(empty.map { .string($0) }),
                ])
        }
    }

    static let full = """
        <h1>关于印发某某办法的通知</h1>
        <table class="xxgk"><tr><td>索引号：</td><td>11010200Y/2022-00012</td><td>主题分类：</td><td>综合政务</td></tr>
        <tr><td>发文机关：</td><td>北京市西城区人民政府</td><td>成文日期：</td><td>2022年10月20日</td></tr>
        <tr><td>发文字号：</td><td>西政发〔2022〕12号</td><td>发布日期：</td><td>2022年10月28日</td></tr>
        <tr><td>有效性：</td><td>有效</td><td>主题词：</td><td>营商环境</td></tr></table>
        <div class="content"><p>各街道办事处，区政府各委、办、局：现将《某某办法》印发给你们，请认真贯彻执行。本办法自发布之日起施行，\
        由区政务服务管理局负责解释。各单位要结合实际，制定具体措施，确保各项任务落到实处，并及时报告执行中遇到的问题。</p></div>
        """
    static let xicheng = "extends: national-2019\npolicyFields: [名称, 发文机关, 有效性, 发布日期, 文号, 关键词, 主题分类, 正文]\n"

    package static let description = RuleDescription(
        id: "policy.metadata", indicator: .policyMetadata, nameZh: "政策文件元数据缺失", nameEn: "Policy document metadata missing",
        summary: """
            Recognises policy document pages by their metadata table (three of 索引号, 发文机关, 文号, 有效性, 关键词, 主题分类, \
            成文日期 labelled) or by a policy column's ColumnName meta on an article, reads the labels with their synonyms \
            (发文机构/发布机构/制定机关, 发文字号, 效力/时效性, 主题词, 主题, 发布时间 …, spaced letters and dt/dd layouts \
            included) and reports the required fields that are absent or labelled with an empty value. News articles \
            (only 发布日期 and 来源) are not policy pages.
            """,
        source: "西城区2022年政务公开工作要点 第34项（名称、发文机关、有效性、发布日期、文号、关键词、主题、正文）; 国办发〔2017〕47号; points L",
        confidence: "H (fields, seed item 34); L (national required set and points)",
        severity: .deduct, points: 0.5,
        parameters: [
            RuleParameter(
                "required fields", profileKey: "policyFields", defaultValue: "[名称, 发文机关, 发布日期, 正文]",
                help: "canonical names: " + PolicyMetadata.canonicalFields.joined(separator: ", "))
        ],
        passing: [
            RuleExample("a complete table", pages: [ExamplePage("/zcwj/1.html", examplePage(full))], profileYAML: xicheng),
            RuleExample(
                "a news article is not a policy page",
                pages: [
                    ExamplePage(
                        "/xwdt/1.html",
                        examplePage(
                            """
                            <h1>区领导调研</h1><p>发布日期：2022-10-28 来源：区政府办</p><p>文号意识和主题教育……</p>
                            """))
                ], profileYAML: xicheng),
            RuleExample(
                "dt/dd layout with synonyms",
                pages: [
                    ExamplePage(
                        "/zcwj/2.html",
                        examplePage(
                            """
                            <h1>通知</h1><dl><dt>索 引 号：</dt><dd>000014349/2022-00012</dd><dt>发布机构：</dt><dd>国务院办公厅</dd>
                            <dt>文　　号：</dt><dd>国办发〔2022〕12号</dd><dt>效力：</dt><dd>有效</dd><dt>关键词：</dt><dd>营商</dd>
                            <dt>主题：</dt><dd>综合政务</dd><dt>发布时间：</dt><dd>2022-10-28</dd></dl>
                            <p><a href="/zcwj/2.pdf">附件：通知全文</a></p>
                            """))
                ], profileYAML: xicheng),
        ],
        failing: [
            RuleExample(
                "document number and validity missing, keywords empty",
                pages: [
                    ExamplePage(
                        "/zcwj/3.html",
                        examplePage(
                            full.replacingOccurrences(of: "<tr><td>发文字号：</td><td>西政发〔2022〕12号</td>", with: "<tr>")
                                .replacingOccurrences(of: "<td>有效性：</td><td>有效</td>", with: "")
                                .replacingOccurrences(of: "营商环境", with: "")))
                ],
                profileYAML: xicheng, subjects: ["文号,有效性,关键词"]),
            RuleExample(
                "national profile: issuing body missing",
                pages: [
                    ExamplePage(
                        "/zcwj/4.html",
                        examplePage(
                            full.replacingOccurrences(of: "<td>发文机关：</td><td>北京市西城区人民政府</td>", with: "")))
                ],
                subjects: ["发文机关"], severity: .deduct),
        ])
}
