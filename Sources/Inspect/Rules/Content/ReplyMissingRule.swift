package import Parse
package import Vocabulary

/// `reply-missing`: a public message of the past year unanswered after 3 months (veto).
package struct ReplyMissingRule: CollectingRule {
    package init() {}

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] { ReplySupport.notes(in: page, context: context) }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        return ReplySupport.judge(notes, site: site).messages.compactMap { m in
            guard case .missing = m.verdict else { return nil }
            return Finding(
                rule: d.id, indicator: d.indicator, severity: severity, points: points, url: m.url, subject: m.title,
                department: site.department(for: m.url),
                message: "留言“\(m.title)”\(m.posted) 提交，超过 3 个月未答复",
                evidence: ["posted": .string(m.posted.description), "daysOpen": .int(site.asOf - m.posted)])
        }
    }

    package static let description = RuleDescription(
        id: "reply.missing", indicator: .replyMissing, nameZh: "留言超过3个月未答复", nameEn: "Public message unanswered for 3 months",
        summary: """
            A consultation message of the year before the check that still has no answer 3 months after it was posted \
            (单项否决: 互动回应差). Read as for reply.late; interviews, surveys, petitions and discipline reports are skipped.
            """,
        source: "国办秘函〔2019〕19号 单项否决指标“互动回应差”：超过3个月未回复的有效留言",
        confidence: "H",
        severity: .veto, points: 0,
        passing: [
            RuleExample(
                "answered, or open for less than 3 months",
                pages: [
                    ExamplePage(
                        "/hdjl/",
                        examplePage(
                            """
                            <ul class="list"><li><a href="/hdjl/1.html">关于供暖的咨询</a> 留言时间：2022-06-02 答复时间：2022-06-03</li>
                            <li><a href="/hdjl/2.html">关于停车的咨询</a> 留言时间：2022-09-01 答复时间：</li>
                            <li><a href="/hdjl/3.html">关于绿化的咨询</a> 留言时间：2021-06-01 答复时间：</li></ul>
                            """))
                ])
        ],
        failing: [
            RuleExample(
                "open since July",
                pages: [
                    ExamplePage(
                        "/hdjl/",
                        examplePage(
                            """
                            <ul class="list"><li><a href="/hdjl/1.html">关于供暖的咨询</a> 留言时间：2022-07-20 答复时间：</li>
                            <li><a href="/hdjl/2.html">关于停车的咨询</a> 留言时间：2022-09-01 答复时间：</li></ul>
                            """))
                ], subjects: ["关于供暖的咨询"], severity: .veto)
        ])
}
