public import Parse

/// `a11y` / `link-text` (axe link-name).
public struct LinkTextRule: PageRule {
    public init() {}
    public static let description = RuleDescription.a11y(
        "link-text", axe: "link-name", zh: "链接缺少可识别文字", en: "Link without text",
        summary: "An <a href> with no text (an image inside with alt text counts), aria-label, aria-labelledby or title. A link holding only a decorative image (alt=\"\") has no name. Hidden links are skipped.",
        passing: [RuleExample("text, image alt and title name links", html: examplePage("<a href=\"/a.html\">通知公告</a><a href=\"/\"><img src=\"/logo.png\" alt=\"首页\"></a><a href=\"/wx.html\" title=\"微信公众号\"><i></i></a>"))],
        failing: [RuleExample("an icon link", html: examplePage("<a href=\"/weibo.html\"><i class=\"icon-weibo\"></i></a>"), subjects: ["link-text"])])

    public func offenders(in page: PageModel, context: PageContext) -> [String] {
        // By index, fields read in place: copying a Link (a dozen fields) for each one cost
        // more than the test.
        var out: [String] = []
        let links = page.links
        for i in links.indices where links[i].kind == .a && !links[i].hidden && A11y.blank(links[i].text) {
            let l = links[i]
            guard !l.href.isEmpty, !A11y.isPresentational(l.role),
                  !A11y.named(ariaLabel: l.ariaLabel, labelledBy: l.labelledByText, title: l.title) else { continue }
            out.append(l.snippet.isEmpty ? "<a href=\"\(l.href)\">" : l.snippet)
        }
        return out
    }
}
