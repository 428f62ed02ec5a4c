package import Parse
package import Vocabulary

/// `reply-late`: a public message answered (or still unanswered, under 3 months) later
/// than the profile's limit in working days.
package struct ReplyLateRule: CollectingRule {
    package init() {}

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] { ReplySupport.notes(in: page, context: context) }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        let limit = site.profile.replyLimitDays
        let (messages, missingYears) = ReplySupport.judge(notes, site: site)
        var out: [Finding] = []
        for m in messages {
            let message: String
            switch m.verdict {
            case .late(let days): message = "留言“\(m.title)”\(m.posted) 提交，\(m.replied!) 答复，用时 \(days) 个工作日，超过 \(limit) 个工作日时限"
            case .unansweredLate(let days): message = "留言“\(m.title)”\(m.posted) 提交，已 \(days) 个工作日未答复，超过 \(limit) 个工作日时限"
            case .missing: continue
            }
            out.append(
                Finding(
                    rule: d.id, indicator: d.indicator, severity: severity, points: points, url: m.url, subject: m.title,
                    department: site.department(for: m.url), message: message,
                    evidence: [
                        "posted": .string(m.posted.description), "replied": m.replied.map { .string($0.description) } ?? .null,
                        "limitWorkingDays": .int(limit),
                    ]))
        }
        // Days in a year without a calendar file were counted with weekends only: say so.
        for year in missingYears {
            let home = site.homePages.first ?? ""
            out.append(
                Finding(
                    rule: d.id.variant("calendar"), indicator: d.indicator, severity: .advice, url: home,
                    subject: "\(year)年工作日历缺失",
                    message: "缺少 \(year) 年的节假日与调休日历（Rules/calendars/\(year).yaml），该年的工作日只按周末计算",
                    evidence: ["year": .int(year)]))
        }
        return out
    }

    static let list = """
        <h1>咨询留言</h1><table class="list"><tr><th>标题</th><th>留言时间</th><th>答复时间</th></tr>
        <tr><td><a href="/hdjl/1.html">关于停车收费的咨询</a></td><td>2022-10-28</td><td>2022-10-31</td></tr>
        <tr><td><a href="/hdjl/2.html">国庆期间办事咨询</a></td><td>2022-09-30</td><td>2022-10-08</td></tr>
        <tr><td><a href="/hdjl/3.html">关于社保转移的咨询</a></td><td>2022-10-17</td><td>2022-10-24</td></tr>
        <tr><td><a href="/hdjl/4.html">关于学区划分的咨询</a></td><td>2022-10-24</td><td>未答复</td></tr>
        </table>
        """
    static let xicheng = "extends: national-2019\nreplyLimitDays: 1\n"

    package static let description = RuleDescription(
        id: "reply.late", indicator: .replyLate, nameZh: "留言答复超时", nameEn: "Public message answered late",
        summary: """
            Reads public messages (咨询, 留言, 信箱, 问答 pages: a table whose header names 留言时间 and 答复时间, list rows \
            with both labels, or a detail page) and counts working days from the message to its answer with the calendars \
            in Rules/calendars (weekends and holidays off, make-up days on). Beyond the profile's limit: reply-late; \
            unanswered beyond the limit but under 3 months: reply-late too (after 3 months it is reply-missing). A year \
            without a calendar file is reported as advice and counted with weekends only. Interviews, surveys, petitions \
            and discipline reports are skipped.
            """,
        source: "国办秘函〔2019〕19号 互动回应（留言时间、答复时间公开）; 北京市 5 个工作日基准; 西城区2022年政务公开工作要点 第29项（简单咨询 1 个工作日）; points L",
        confidence: "H (limits, seed item 29); L (points)",
        severity: .deduct, points: 0.5,
        parameters: [RuleParameter("limit", profileKey: "replyLimitDays", defaultValue: "5", help: "working days")],
        passing: [
            RuleExample(
                "Friday evening to Monday, and over the National Day holiday to the make-up day: 1 working day",
                pages: [
                    ExamplePage(
                        "/hdjl/",
                        examplePage(
                            list.replacingOccurrences(of: "2022-10-24</td><td>未答复", with: "2022-10-31</td><td>2022-11-01")
                                .replacingOccurrences(of: "2022-10-17</td><td>2022-10-24", with: "2022-10-17</td><td>2022-10-18")))
                ],
                profileYAML: xicheng),
            RuleExample(
                "an interview column is not a consultation channel", pages: [ExamplePage("/ft/", examplePage(title: "在线访谈", list))],
                profileYAML: xicheng),
        ],
        failing: [
            RuleExample(
                "answered after 5 working days; unanswered after 6", pages: [ExamplePage("/hdjl/", examplePage(list))],
                profileYAML: xicheng, subjects: ["关于社保转移的咨询", "关于学区划分的咨询"], severity: .deduct),
            RuleExample(
                "a detail page, national limit of 5 working days",
                pages: [
                    ExamplePage(
                        "/hdjl/9.html",
                        examplePage(
                            """
                            <h1>关于垃圾分类的咨询</h1><p>留言时间：2022-10-10 09:12</p><p>留言内容：……</p>
                            <p>答复时间：2022-10-19 16:00</p><p>答复内容：……</p>
                            """))
                ], subjects: ["关于垃圾分类的咨询"]),
            RuleExample(
                "a year without a calendar is said, not silently wrong",
                pages: [
                    ExamplePage(
                        "/hdjl/",
                        examplePage(
                            """
                            <ul class="list"><li><a href="/hdjl/1.html">关于供暖的咨询</a> 留言时间：2030-01-02 答复时间：2030-01-03</li></ul>
                            """))
                ], asOf: "2030-02-01", subjects: ["2030年工作日历缺失"], severity: .advice),
        ])
}
