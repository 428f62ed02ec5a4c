public import Parse

/// `a11y` / `empty-heading` (axe empty-heading).
public struct EmptyHeadingRule: PageRule {
    public init() {}
    public static let description = RuleDescription.a11y(
        "empty-heading", axe: "empty-heading", zh: "空标题元素", en: "Empty heading",
        summary: "An <h1>–<h6> with no text (an image inside with alt text counts); hidden headings are skipped.",
        passing: [RuleExample("a heading with an image alt", html: examplePage("<h1><img src=\"/logo.png\" alt=\"示例区人民政府\"></h1><h2>通知公告</h2>"))],
        failing: [RuleExample("an empty h2", html: examplePage("<h2 class=\"title\"></h2><p>正文</p>"), subjects: ["empty-heading"])])

    public func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.headings.filter { !$0.hidden && A11y.blank($0.text) }.map { $0.snippet.isEmpty ? "<h\($0.level)>" : $0.snippet }
    }
}
