package import Parse

/// `a11y` / `link-text` (axe link-name, and aria-command-name for `role="link"`).
package struct LinkTextRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "link-text", axe: "link-name", zh: "链接缺少可识别文字", en: "Link without text",
        summary:
            "An <a href> (any href: #, javascript: and mailto: included) or role=\"link\" element without an accessible name: no visible text (an image inside with alt, or a child's aria-label, counts; text hidden by display:none, visibility:hidden, hidden or aria-hidden does not), aria-label, aria-labelledby or title. A link holding only a decorative image (alt=\"\") has no name; role=presentation does not excuse a link. Hidden links are skipped.",
        fix: "为链接提供可读的文字（图片链接补充 alt 或 aria-label）。",
        passing: [
            RuleExample(
                "text, image alt and title name links",
                html: examplePage(
                    "<a href=\"/a.html\">通知公告</a><a href=\"/\"><img src=\"/logo.png\" alt=\"首页\"></a><a href=\"/wx.html\" title=\"微信公众号\"><i></i></a>")),
            RuleExample(
                "named # and javascript: links, a named role=link, a child's aria-label, an image title",
                html: examplePage(
                    """
                    <a href="#">返回顶部</a><a href="javascript:;" aria-label="关闭"><i></i></a><span role="link" tabindex="0">长者模式</span>
                    <a href="/wb.html"><i class="icon" aria-label="政务微博"></i></a><a href="/wx.html"><img src="/wx.png" title="微信"></a>
                    <span id="l1">办事指南</span><a href="/bszn/" aria-labelledby="l1"></a>
                    """)),
            RuleExample(
                "template links whose text a script binds to data (ms-text, v-text): named once rendered",
                html: examplePage(
                    """
                    <ul><li ms-repeat-el="list"><a href="javascript:;" ms-text="el.title"></a></li></ul>
                    <ul><li v-for="x in items"><a href="#" :href="x.url"><span v-text="x.title"></span></a></li></ul>
                    """)),
        ],
        failing: [
            RuleExample("an icon link", html: examplePage("<a href=\"/weibo.html\"><i class=\"icon-weibo\"></i></a>"), subjects: ["link-text"]),
            RuleExample("an empty <a href=\"#\">", html: examplePage("<a href=\"#\"></a>"), subjects: ["link-text"]),
            RuleExample("a white-space-only javascript: link", html: examplePage("<a href=\"javascript:void(0)\"> &nbsp;　</a>"), subjects: ["link-text"]),
            RuleExample(
                "an image without alt as a # link's only content", html: examplePage("<a href=\"#\"><img src=\"/qr.png\"></a>"), subjects: ["link-text"]),
            RuleExample("an empty role=link element", html: examplePage("<span role=\"link\" tabindex=\"0\"></span>"), subjects: ["link-text"]),
            RuleExample(
                "a link whose only text is hidden by inline display:none",
                html: examplePage("<a href=\"/a.html\"><span style=\"display:none\">通知公告</span></a>"), subjects: ["link-text"]),
            RuleExample(
                "role=presentation does not excuse an empty link", html: examplePage("<a href=\"/a.html\" role=\"presentation\"></a>"), subjects: ["link-text"]),
        ])

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        // By index, fields read in place: copying a Link (a dozen fields) for each one cost
        // more than the test.
        var out: [String] = []
        let links = page.links
        for i in links.indices where links[i].kind == .a && !links[i].hidden && A11y.blank(links[i].accessibleName) {
            out.append(links[i].snippet.isEmpty ? "<a href=\"\(links[i].href)\">" : links[i].snippet)
        }
        for e in page.namedElements where e.role == .link && !e.hidden && A11y.blank(e.accessibleName) {
            out.append(e.snippet)
        }
        return out
    }
}
