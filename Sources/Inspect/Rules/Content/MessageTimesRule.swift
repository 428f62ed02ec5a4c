package import Parse
package import Vocabulary

/// `message-times`: a public message's page shows the answer without its message time or
/// its reply time (留言公开: 留言时间、答复时间).
package struct MessageTimesRule: CollectingRule {
    package init() {}

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        // A list marking rows answered without a reply-time column: each such row.
        let rows = MessageTimes.answeredRowsWithoutReplyTime(in: page)
        if !rows.isEmpty { return rows.map { PageNote(key: $0, text: "答复时间") } }
        guard let f = MessageTimes.read(page, asOf: context.asOf), f.replyShown, !(f.postedShown && f.repliedShown) else { return [] }
        let missing = [f.postedShown ? nil : "留言时间", f.repliedShown ? nil : "答复时间"].compactMap { $0 }
        return [PageNote(key: f.title, text: missing.joined(separator: ","))]
    }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        return notes.sorted { ($0.url, $0.key) < ($1.url, $1.key) }.map { n in
            let missing = n.text.split(separator: ",").map(String.init)
            return Finding(
                rule: d.id, indicator: d.indicator, severity: severity, points: points, url: n.url, subject: n.key,
                department: site.department(for: n.url),
                message: "留言“\(n.key)”已公开答复，但未显示\(missing.joined(separator: "和"))",
                evidence: ["missing": .array(missing.map { .string($0) })])
        }
    }

    static func letter(_ rows: [(String, String)]) -> String {
        examplePage(
            head: "<meta name=\"ColumnName\" content=\"互动交流\"><meta name=\"ColumnType\" content=\"区长信箱\">",
            "<h1>咨询老旧小区加装电梯申请流程</h1><table class=\"letter\">" + rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined()
                + "</table>")
    }
    static let rows = [
        ("留言标题", "咨询老旧小区加装电梯申请流程"), ("留言时间", "2022-10-25 09:12"), ("留言内容", "请问需要准备哪些材料？"),
        ("答复单位", "区住房和城市建设委员会"), ("答复时间", "2022-10-25 16:30"), ("答复内容", "向所在街道提交申请。"),
    ]

    package static let description = RuleDescription(
        id: "message.times", indicator: .messageTimes, nameZh: "留言未公开留言时间或答复时间", nameEn: "Public message without its times",
        summary: """
            A consultation channel's message page (咨询, 留言, 信箱 … in its title or column; not interviews, surveys, \
            petitions or reports) that shows an answer (答复内容, 回复内容, 答复单位, 办理结果 … labelled) but no date after \
            its message-time label (留言时间, 提问时间, 来信时间 …) or its reply-time label (答复时间, 回复时间, 反馈时间 …). \
            Such a message is answered: reply.late and reply.missing leave it alone. A list whose header names the message \
            time and a status column but no reply time reports each row marked 已答复/已回复/已办结; other lists are judged \
            through their messages' pages.
            """,
        source: "国办秘函〔2019〕19号 互动交流（留言公开：公开留言时间、答复时间）; points L",
        confidence: "H (what must be shown, BRIEF); L (points)",
        severity: .deduct, points: 0.5,
        fix: "在留言详情页同时公开留言时间和答复时间（年月日），与留言内容、答复内容一起显示。",
        passing: [
            RuleExample("both times shown", pages: [ExamplePage("/hdjl/1.html", letter(rows))]),
            RuleExample(
                "synonyms: 提问时间, 回复时间, 回复内容",
                pages: [
                    ExamplePage(
                        "/hdjl/2.html",
                        letter([("提问时间", "2022-10-25"), ("回复时间", "2022-10-26"), ("回复内容", "您好，已转相关部门办理。")]))
                ]),
            RuleExample(
                "a list with both times (the reply rules' layout)",
                pages: [
                    ExamplePage(
                        "/hdjl/",
                        examplePage(
                            title: "咨询留言",
                            """
                            <table class="list"><tr><th>标题</th><th>留言时间</th><th>答复时间</th><th>状态</th></tr>
                            <tr><td><a href="/hdjl/1.html">关于供暖的咨询</a></td><td>2022-10-20</td><td>2022-10-21</td><td>已答复</td></tr></table>
                            """))
                ]),
            RuleExample(
                "an interview's page is not a message",
                pages: [
                    ExamplePage(
                        "/ft/1.html",
                        examplePage(title: "在线访谈", "<h1>在线访谈：优化营商环境</h1><p>网友提问：……</p><p>答复内容：……</p>"))
                ]),
        ],
        failing: [
            RuleExample(
                "the reply time is missing",
                pages: [ExamplePage("/hdjl/1.html", letter(rows.filter { $0.0 != "答复时间" }))],
                subjects: ["咨询老旧小区加装电梯申请流程"], severity: .deduct),
            RuleExample(
                "a list marks rows answered but shows no reply time",
                pages: [
                    ExamplePage(
                        "/hdjl/",
                        examplePage(
                            title: "咨询留言",
                            """
                            <table class="list"><tr><th>标题</th><th>留言时间</th><th>状态</th></tr>
                            <tr><td><a href="/hdjl/1.html">关于供暖的咨询</a></td><td>2022-10-20</td><td>已答复</td></tr>
                            <tr><td><a href="/hdjl/2.html">关于停车的咨询</a></td><td>2022-10-28</td><td>办理中</td></tr></table>
                            """))
                ],
                subjects: ["关于供暖的咨询"]),
            RuleExample(
                "the message time stands empty",
                pages: [ExamplePage("/hdjl/1.html", letter(rows.map { $0.0 == "留言时间" ? ($0.0, "") : $0 }))],
                subjects: ["咨询老旧小区加装电梯申请流程"]),
        ])
}
