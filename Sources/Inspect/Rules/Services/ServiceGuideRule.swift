package import Parse
package import Vocabulary

/// `service-guide`: a service guide (办事指南) lacks key elements (a deduction per guide), and
/// the veto 办事服务不实用: a portal with no services at all, or whose guides mostly lack them.
package struct ServiceGuideRule: CollectingRule {
    package init() {}

    /// Words of a link to services (the portal's own column or the provincial 政务服务网).
    static let entryWords = [
        "政务服务", "办事服务", "网上办事", "办事指南", "服务指南", "我要办", "一网通办", "网上办", "办事大厅", "便民服务", "个人办事", "法人办事",
        "企业办事",
    ].map { Array($0.utf8) }
    static let entryHostBytes = Array("zwfw".utf8)

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        var out: [PageNote] = []
        if context.isHome {
            // The home page was read; its links to services (resolved: the link check's spelling).
            out.append(PageNote(key: "home", text: page.scriptFilled ? "script" : ""))
            let base = CrawlURL(context.url)
            var seen = Set<String>()
            for l in page.links where l.kind == .a && !l.hidden {
                let text = l.text.isEmpty ? (l.title ?? "") : l.text
                // A short label (政务服务, 网上办事大厅), not a news title that names services.
                guard text.unicodeScalars.count <= ConsultChannelRule.maxEntryLength,
                    Self.entryWords.contains(where: { ByteMatch.contains(text, $0) }) || ByteMatch.contains(l.href, Self.entryHostBytes)
                else { continue }
                // A tab drawn in place (个人办事 on javascript:;) shows services on the home page itself.
                let resolved = Summarizer.pageKey(l.href, relativeTo: base).flatMap { $0.hasPrefix("http") ? $0 : nil }
                guard let target = resolved ?? (l.href.hasPrefix("javascript") || l.href.hasPrefix("#") ? context.url : nil),
                    seen.insert(target).inserted
                else { continue }
                out.append(PageNote(key: "entry\u{1F}" + target))  // (a key once a page: the target is in it)
            }
        }
        let facts = ServiceGuide.read(page, words: context.pageWords(page))
        if facts.isGuide {
            let missing = ServiceGuide.canonicalFields.filter { context.profile.serviceGuideFields.contains($0) && !facts.present($0) }
            out.append(PageNote(key: "guide", text: missing.joined(separator: ",")))
        }
        return out
    }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        let guides = notes.filter { $0.key == "guide" }.sorted { $0.url < $1.url }
        // Guides per department, and how many of them lack elements.
        var total: [String: Int] = [:], incomplete: [String: Int] = [:]
        for g in guides {
            let dep = site.department(for: g.url)
            total[dep, default: 0] += 1
            if !g.text.isEmpty { incomplete[dep, default: 0] += 1 }
        }
        var out: [Finding] = []
        for g in guides where !g.text.isEmpty {
            let dep = site.department(for: g.url)
            let missing = g.text.split(separator: ",").map(String.init)
            out.append(
                Finding(
                    rule: d.id, indicator: d.indicator, severity: severity, points: points, url: g.url, subject: g.text,
                    department: dep, message: "办事指南缺少要素：\(missing.joined(separator: "、"))",
                    evidence: [
                        "missing": .array(missing.map { .string($0) }),
                        "departmentGuides": .int(total[dep] ?? 0), "departmentIncomplete": .int(incomplete[dep] ?? 0),
                    ]))
        }
        let shares: JSONValue = .object(
            Dictionary(
                uniqueKeysWithValues: total.map { dep, n in
                    (dep, JSONValue.object(["guides": .int(n), "incomplete": .int(incomplete[dep] ?? 0)]))
                }))
        // The veto, on a sweep whose home page was read.
        guard let home = notes.first(where: { $0.key == "home" })?.url ?? site.homePages.first,
            notes.contains(where: { $0.key == "home" })
        else { return out }
        let broken = Set(site.linkTargets.filter { $0.linkClass == .broken }.map(\.url))
        let entries = notes.filter { $0.key.hasPrefix("entry\u{1F}") }.map { String($0.key.dropFirst("entry\u{1F}".count)) }
        let working = entries.filter { !broken.contains($0) }
        if guides.isEmpty && working.isEmpty {
            // Entries a script draws cannot be seen: advice to check by hand, never a veto.
            let unseen = entries.isEmpty && notes.contains { $0.key == "home" && $0.text == "script" }
            out.append(
                Finding(
                    rule: d.id.variant(unseen ? "script" : "none"), indicator: d.indicator, severity: unseen ? .advice : .veto, url: home,
                    subject: "no-services",
                    department: site.department(for: home),
                    message: unseen
                        ? "首页由脚本生成列表，静态页面中未见办事服务入口：请人工核对是否提供办事服务"
                        : entries.isEmpty ? "首页未提供办事服务入口，也未找到办事指南（办事服务不实用）" : "首页的办事服务入口均不可用，也未找到办事指南（办事服务不实用）",
                    evidence: [
                        "entries": .array(entries.sorted().map { .string($0) }),
                        "brokenEntries": .array(entries.filter { broken.contains($0) }.sorted().map { .string($0) }),
                    ]))
        }
        let bad = guides.filter { !$0.text.isEmpty }.count
        let share = site.profile.serviceGuideVetoShare
        // More than the share (half by default: one of two guides is not yet "mostly").
        if !guides.isEmpty, Double(bad) > share * Double(guides.count), bad > 0 {
            out.append(
                Finding(
                    rule: d.id.variant("share"), indicator: d.indicator, severity: .veto, url: home, subject: "incomplete-guides",
                    department: site.department(for: home),
                    message: "\(guides.count) 个办事指南中 \(bad) 个缺少要素，超过 \(Int((share * 100).rounded()))% 的否决比例（办事服务不实用）",
                    evidence: ["guides": .int(guides.count), "incomplete": .int(bad), "vetoShare": .double(share), "departments": shares]))
        }
        return out
    }

    static func guide(_ rows: [(String, String)], title: String = "个体工商户设立登记办事指南") -> String {
        examplePage(
            head: "<meta name=\"ColumnName\" content=\"政务服务\"><meta name=\"ArticleTitle\" content=\"\(title)\">",
            "<h1>\(title)</h1><table class=\"bszn\">" + rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined() + "</table>")
    }
    static let fullRows = [
        ("事项名称", "个体工商户设立登记"), ("设定依据", "《促进个体工商户发展条例》第七条"), ("申请条件", "有经营能力的公民"),
        ("办理材料", "登记申请书；身份证明"), ("办理地点", "区政务服务中心一层"), ("办理机构", "区市场监督管理局"), ("收费标准", "不收费"),
        ("办理时间", "工作日 9:00—17:00"), ("联系电话", "010-69990200"), ("办理流程", "申请—受理—审核—决定"),
    ]
    static let synonymRows = [
        ("办理依据", "《行政许可法》"), ("受理条件", "年满18周岁"), ("申请材料", "申请表"), ("受理地点", "区政务服务中心"),
        ("实施主体", "区民政局"), ("是否收费", "否"), ("承诺时限", "5个工作日"), ("咨询电话", "010-69990300"), ("办理程序", "受理—审查—决定"),
    ]
    static let home = ExamplePage("/", examplePage("<nav class=\"nav\"><a href=\"/zwfw/\">政务服务</a></nav>"))

    package static let description = RuleDescription(
        id: "service.guide", indicator: .serviceGuide, nameZh: "办事指南要素缺失", nameEn: "Service guide lacks key elements",
        summary: """
            Recognises service guides (办事指南) by their element table (six elements labelled, three of them only a guide has: \
            设定依据, 申请条件, 办理材料, 收费标准, 办理流程; or two on a page titled 办事指南/服务指南; or three, one of them \
            only a guide's, on an article of a services column: ColumnName 办事指南, 政务服务 …), reads the labels \
            with their synonyms (办理依据, 受理条件, 申请材料, 受理地点, 实施主体, 是否收费, 承诺时限, 咨询电话, 办理程序 …, th/td and \
            dt/dd layouts, spaced letters) and reports each guide's missing or empty elements (a deduction), with the share of \
            its department's guides that lack elements. Veto (办事服务不实用, service.guide.none): the home page links to no \
            services (政务服务, 办事服务, 网上办事, a zwfw host …) or only to broken ones, and no guide was found; links to the \
            provincial 政务服务网 are external and count when they answer (blocked is not broken); a tab drawn in place \
            (个人办事 on javascript:;) counts; a script-filled home page without any entry is advice (service.guide.script). Veto (service.guide.share): \
            more than serviceGuideVetoShare of the guides found lack elements. A home page that was not read is not judged.
            """,
        source: "国办秘函〔2019〕19号 单项否决“办事服务不实用”（办事指南要素：事项名称、设定依据、申请条件、办理材料、办理地点、办理机构、收费标准、办理时间、联系电话、办理流程）; share and points L",
        confidence: """
            H (the veto and the ten elements, BRIEF); L (the veto share: BRIEF names no share, the inspection samples items; above \
            0.5 a sampled guide is more likely incomplete than not; a stricter office sets 0.2 or less; points per guide L)
            """,
        severity: .deduct, points: 0.5,
        parameters: [
            RuleParameter(
                "required elements", profileKey: "serviceGuideFields", defaultValue: "the ten elements",
                help: "canonical names: " + ServiceGuide.canonicalFields.joined(separator: ", ")),
            RuleParameter(
                "veto share", profileKey: "serviceGuideVetoShare", defaultValue: "0.5",
                help: "veto when more than this share of the guides lacks elements (0 < share ≤ 1)"),
        ],
        fix: "由事项办理部门在办事指南中补齐缺少的要素（以政务服务网上的事项为准），并核对办理地点、时间和电话是否准确。",
        passing: [
            RuleExample("a complete guide", pages: [home, ExamplePage("/zwfw/1.html", guide(fullRows))]),
            RuleExample("synonyms: 办理依据, 受理条件, 承诺时限, 咨询电话 …", pages: [home, ExamplePage("/zwfw/2.html", guide(synonymRows))]),
            RuleExample(
                "news of the 政务服务 column giving a service centre's hours and phone is not a guide",
                pages: [
                    home,
                    ExamplePage(
                        "/zwfw/dt/1.html",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"政务服务动态\"><meta name=\"ArticleTitle\" content=\"区政务服务中心延长周末服务时间\">",
                            "<h1>区政务服务中心延长周末服务时间</h1><p>办公时间：周六 9:00—12:00</p><p>咨询电话：010-69990200</p>")),
                ]),
            RuleExample(
                "a subsidy notice with 申请条件, 申请材料, 办理流程 and 咨询电话 sections is not a guide",
                pages: [
                    home,
                    ExamplePage(
                        "/tzgg/1.html",
                        examplePage(
                            head: "<meta name=\"ColumnName\" content=\"通知公告\"><meta name=\"ArticleTitle\" content=\"关于发放2022年度养老助残补贴的通知\">",
                            """
                            <h1>关于发放2022年度养老助残补贴的通知</h1><p>一、申请条件</p><p>本区户籍的80周岁以上老年人。</p>
                            <p>二、申请材料</p><p>身份证、户口簿。</p><p>三、办理流程</p><p>社区受理、街道审核、区民政局复核。</p>
                            <p>四、咨询电话</p><p>010-69990000</p>
                            """)),
                ]),
            RuleExample(
                "a contact page (办公地点, 办公时间, 联系电话) is not a guide; the link to the provincial 政务服务网 is a service entry",
                pages: [
                    ExamplePage("/", examplePage("<a href=\"http://zwfw.beijing.gov.cn/\">北京市政务服务网</a>")),
                    ExamplePage("/lxwm/", examplePage("<h1>联系我们</h1><p>办公地点：示范大街1号</p><p>办公时间：工作日</p><p>联系电话：010-69990000</p>")),
                ]),
        ],
        failing: [
            RuleExample(
                "收费标准 and 设定依据 missing, 办理流程 empty",
                pages: [
                    home,
                    ExamplePage("/zwfw/1.html", guide(fullRows)),
                    ExamplePage("/zwfw/2.html", guide(synonymRows, title: "婚姻登记办事指南")),
                    ExamplePage(
                        "/zwfw/3.html",
                        guide(fullRows.filter { $0.0 != "收费标准" && $0.0 != "设定依据" }.map { $0.0 == "办理流程" ? ($0.0, "") : $0 })),
                ],
                subjects: ["设定依据,收费标准,办理流程"], severity: .deduct),
            RuleExample(
                "no services: a 咨询电话 and a news item on services are not a service entry",
                pages: [
                    ExamplePage("/", examplePage("<p>咨询电话：010-69990000</p><ul><li><a href=\"/xw/1.html\">我区召开进一步优化政务服务工作会议</a></li></ul>"))
                ],
                subjects: ["no-services"], severity: .veto),
            RuleExample(
                "both guides incomplete: the veto share is reached",
                pages: [
                    home,
                    ExamplePage("/zwfw/1.html", guide(fullRows.filter { $0.0 != "收费标准" })),
                    ExamplePage("/zwfw/2.html", guide(synonymRows.filter { $0.0 != "办理程序" }, title: "婚姻登记办事指南")),
                ],
                subjects: ["收费标准", "办理流程", "incomplete-guides"]),
        ])
}
