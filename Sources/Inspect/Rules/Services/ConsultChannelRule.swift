package import Parse
package import Vocabulary

/// `consult-channel`: the home page offers no working online consultation channel (互动回应差,
/// its first half): no 咨询/留言/信箱/互动 entry, or none leading to a form or a platform page
/// that loads.
package struct ConsultChannelRule: CollectingRule {
    package init() {}

    /// Words of a consultation entry's link text.
    static let entryWords = ["咨询", "留言", "信箱", "互动", "问政", "写信", "来信", "诉求", "建言", "接诉即办", "12345"].map { Array($0.utf8) }
    /// Look-alikes: a phone number to call, interviews, surveys, petitions and reports are
    /// not an online consultation channel.
    static let notEntryWords = ["电话", "访谈", "调查", "征集", "举报", "信访", "纪检", "须知", "指南"].map { Array($0.utf8) }
    static let maxEntryLength = 12
    static let notEntrySchemes = ["tel:", "mailto:", "javascript:"]
    /// Words of a consultation page's title or column (the message reader's channel words).
    static let pageWords = ["咨询", "留言", "信箱", "问答", "互动", "来信", "写信", "诉求", "问政"].map { Array($0.utf8) }
    /// Words of a link to the form on a consultation page (我要写信, 我要留言 …).
    static let writeWords = ["我要写信", "我要留言", "我要咨询", "我要提问", "写信", "在线咨询", "在线留言", "我要建议"].map { Array($0.utf8) }

    static func has(_ s: String, _ words: [[UInt8]]) -> Bool { words.contains { ByteMatch.contains(s, $0) } }

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        var out: [PageNote] = []
        if context.isHome {
            // (A script-filled home page may show its entries only in the browser: "script".)
            out.append(PageNote(key: "home", text: page.scriptFilled ? "script" : ""))
            let base = CrawlURL(context.url)
            var seen = Set<String>()
            for l in page.links where l.kind == .a && !l.hidden {
                let text = l.text.isEmpty ? (l.title ?? "") : l.text
                // An entry is a short label (区长信箱, 我要咨询, 12345市民服务热线); a news title that
                // names 接诉即办 or 咨询 is an article, not a channel.
                guard text.unicodeScalars.count <= Self.maxEntryLength, Self.has(text, Self.entryWords), !Self.has(text, Self.notEntryWords),
                    !Self.notEntrySchemes.contains(where: { l.href.lowercased().hasPrefix($0) }),
                    let target = Summarizer.pageKey(l.href, relativeTo: base), target.hasPrefix("http"), seen.insert(target).inserted
                else { continue }
                // (A key once a page: the target is in it.)
                out.append(PageNote(key: "entry\u{1F}" + target, text: String(text.prefix(40))))
            }
        }
        // A consultation page: what it offers ("form", "write": a link to the form, "board": its
        // published messages, "": none of them). Only pages one click from a start page can be
        // an entry's target: the thousands of message pages deeper down note nothing.
        guard context.depth <= 1 else { return out }
        let context =
            (page.title ?? "") + (page.meta("ColumnName") ?? "") + (page.meta("ColumnType") ?? "")
            + (page.headings.first { $0.level <= 2 }?.text ?? "")
        guard Self.has(context, Self.pageWords), !Self.has(context, Self.notEntryWords) else { return out }
        let content = { (r: Region) in r != .header && r != .nav && r != .footer }
        let shown = page.controls.filter { !$0.hidden && content($0.region) }
        let form =
            shown.contains { $0.element == .textarea } || shown.filter { $0.element == .input && ["", "text", "tel", "email"].contains($0.type) }.count >= 2
        let write = page.links.contains { !$0.hidden && content($0.region) && Self.has($0.text, Self.writeWords) }
        // A board showing its messages (留言时间 labels) is the platform itself, working.
        let board = !form && !write && MessageReader.hasPostedLabel(page.allText)
        out.append(PageNote(key: "page", text: form ? "form" : write ? "write" : board ? "board" : ""))
        return out
    }

    /// What an entry leads to.
    /// (`unknown`: a page of the site the sweep did not read, or read and found no
    /// consultation page: not proof of a channel, nor of its absence.)
    enum State: String { case works, broken, notChannel = "not-channel", unknown }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        let pages = Dictionary(notes.filter { $0.key == "page" }.map { ($0.url, $0.text) }, uniquingKeysWith: { a, b in a.isEmpty ? b : a })
        let targets = Dictionary(site.linkTargets.map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [Finding] = []
        let scripted = Set(notes.filter { $0.key == "home" && $0.text == "script" }.map(\.url))
        for home in notes.filter({ $0.key == "home" }).map(\.url).sorted() {
            let host = hostOf(home)
            var judged: [(url: String, text: String, state: State, status: Int)] = []
            for n in notes where n.key.hasPrefix("entry\u{1F}") && n.url == home {
                let (url, text) = (String(n.key.dropFirst("entry\u{1F}".count)), n.text)
                let state: State
                if let t = targets[url], t.linkClass == .broken {
                    state = .broken
                } else if hostOf(url) != host {
                    state = .works  // a platform elsewhere, checked as a link only (blocked is not broken)
                } else if let p = pages[url] {
                    state = p.isEmpty ? .notChannel : .works
                } else {
                    state = .unknown
                }
                judged.append((url, text, state, targets[url]?.status ?? 0))
            }
            let evidence: JSONValue = .array(
                judged.map { .object(["url": .string($0.url), "text": .string($0.text), "state": .string($0.state.rawValue), "status": .int($0.status)]) })
            // An entry whose page was not judged keeps the veto off (precision over recall).
            if judged.contains(where: { $0.state == .unknown }) && !judged.contains(where: { $0.state == .works }) { continue }
            if !judged.contains(where: { $0.state == .works }) {
                // Entries a script draws cannot be seen: advice to check by hand, never a veto.
                let unseen = judged.isEmpty && scripted.contains(home)
                out.append(
                    Finding(
                        rule: unseen ? d.id.variant("script") : d.id, indicator: d.indicator, severity: unseen ? .advice : severity,
                        points: unseen ? 0 : points, url: home,
                        subject: judged.isEmpty ? "no-channel" : "broken-channel", department: site.department(for: home),
                        message: unseen
                            ? "首页由脚本生成列表，静态页面中未见在线咨询入口：请人工核对是否提供在线咨询渠道"
                            : judged.isEmpty
                                ? "首页未提供在线咨询渠道（咨询、留言、信箱等入口）（互动回应差）"
                                : "首页的在线咨询入口均不可用：" + judged.map { "“\($0.text)”" }.joined(separator: "、") + "（互动回应差）",
                        evidence: ["entries": evidence]))
                continue
            }
            // A channel works; an entry beside it that leads nowhere is advice (a broken one is
            // also a link-broken finding).
            for e in judged where e.state == .broken || e.state == .notChannel {
                out.append(
                    Finding(
                        rule: d.id.variant("entry"), indicator: d.indicator, severity: .advice, url: e.url, subject: e.text,
                        department: site.department(for: e.url), foundOn: [home],
                        message: e.state == .broken
                            ? "首页的咨询入口“\(e.text)”链接不可用（HTTP \(e.status)）"
                            : "首页的咨询入口“\(e.text)”打开的页面没有留言表单或写信入口",
                        evidence: ["state": .string(e.state.rawValue), "status": .int(e.status)]))
            }
        }
        return out
    }

    static let board = examplePage(
        head: "<meta name=\"ColumnName\" content=\"互动交流\">",
        "<h1>互动交流</h1><p><a href=\"/hdjl/xx.html\">我要写信</a></p><ul class=\"list\"><li><a href=\"/hdjl/1.html\">关于供暖的咨询</a></li></ul>")
    static let letter = examplePage(
        head: "<meta name=\"ColumnName\" content=\"互动交流\">",
        "<h1>区长信箱</h1><form action=\"/hdjl/xx.html\" method=\"post\"><label>标题<input name=\"t\" type=\"text\"></label><label>内容<textarea name=\"c\"></textarea></label><button>提交</button></form>"
    )

    package static let description = RuleDescription(
        id: "consult.channel", indicator: .consultChannel, nameZh: "无可用的在线咨询渠道", nameEn: "No working online consultation channel",
        summary: """
            Reads the home page's consultation entries (links whose text names 咨询, 留言, 信箱, 互动, 问政, 写信, 来信, 诉求, \
            12345 …; not 电话, 访谈, 调查, 征集, 举报, 信访, nor tel:, mailto: or javascript: links) and what each leads to: \
            a page of the site whose title or column names a consultation channel and which shows a form (a textarea, or two \
            text fields outside the header) or a link to one (我要写信, 我要留言 …) or its published messages (留言时间 labels), \
            or a platform on another host that answers \
            (checked as a link only; blocked is not broken). No entry, or none that works: veto (互动回应差), with each entry's \
            target and status as evidence. Entries that lead nowhere beside a working one: advice (consult.channel.entry). \
            An entry to a page of the site that the sweep did not read as a consultation page keeps the veto off. \
            A 咨询电话 printed on the page is not a channel. A script-filled home page without any entry in its static \
            HTML is advice to check by hand (consult.channel.script), not a veto.
            """,
        source: "国办秘函〔2019〕19号 单项否决“互动回应差”（无有效的在线咨询渠道）; 国办发〔2017〕47号 互动交流",
        confidence: "H (the veto); M (what counts as an entry and a channel: words and form signals, profile-independent)",
        severity: .veto, points: 0,
        fix: "在首页提供可用的在线咨询入口（留言板、信箱表单或省市政务服务平台的咨询页面），并修复失效的入口链接。",
        passing: [
            RuleExample(
                "互动交流 leads to a board with 我要写信",
                pages: [
                    ExamplePage("/", examplePage("<nav class=\"nav\"><a href=\"/hdjl/\">互动交流</a></nav>")),
                    ExamplePage("/hdjl/", board), ExamplePage("/hdjl/xx.html", letter, depth: 2),
                ]),
            RuleExample(
                "区长信箱 leads straight to the form; the 12345 platform elsewhere counts as a link; a news title naming 接诉即办 is no entry",
                pages: [
                    ExamplePage(
                        "/",
                        examplePage(
                            """
                            <ul><li><a href="/hdjl/xx.html">区长信箱</a></li><li><a href="http://rexian.beijing.gov.cn/">12345市民服务热线</a></li></ul>
                            <ul class="news"><li><a href="/xw/1.html">示范区“接诉即办”改革工作推进会召开</a> 2022-10-30</li></ul>
                            """)),
                    ExamplePage("/hdjl/xx.html", letter),
                ]),
            RuleExample(
                "the entry's page was not read (beyond --max-pages): not proof of a missing channel",
                pages: [ExamplePage("/", examplePage("<ul><li><a href=\"/hdjl/\">政民互动</a></li></ul>"))]),
        ],
        failing: [
            RuleExample(
                "only a 咨询电话 (text and a tel: link): no channel",
                pages: [
                    ExamplePage("/", examplePage("<p>咨询电话：<a href=\"tel:01069990000\">010-69990000</a></p><p><a href=\"/zxdh.html\">咨询电话</a></p>"))
                ],
                subjects: ["no-channel"], severity: .veto),
            RuleExample(
                "the only entry is broken",
                pages: [ExamplePage("/", examplePage("<ul><li><a href=\"/hdjl/xx.html\">区长信箱</a></li></ul>"))],
                brokenLinks: ["/hdjl/xx.html"], subjects: ["broken-channel"], severity: .veto),
            RuleExample(
                "a second entry's page loads but offers no form",
                pages: [
                    ExamplePage("/", examplePage("<ul><li><a href=\"/hdjl/xx.html\">区长信箱</a></li><li><a href=\"/hdjl/zx.html\">网上咨询</a></li></ul>")),
                    ExamplePage("/hdjl/xx.html", letter),
                    ExamplePage("/hdjl/zx.html", examplePage(title: "网上咨询", "<h1>网上咨询</h1><p>系统升级中，暂停使用。</p>")),
                ],
                subjects: ["网上咨询"], severity: .advice),
        ])
}
