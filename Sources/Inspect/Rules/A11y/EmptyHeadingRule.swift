package import Parse

/// `a11y` / `empty-heading` (axe empty-heading).
package struct EmptyHeadingRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "empty-heading", axe: "empty-heading", zh: "空标题元素", en: "Empty heading",
        summary:
            "An <h1>–<h6> or role=\"heading\" element with no visible text (an image inside with alt text counts; text hidden by inline display:none, visibility:hidden, the hidden attribute or aria-hidden=\"true\" does not), aria-label, aria-labelledby or title; hidden headings are skipped, as are h1–h6 given another role (role=button is checked as a button).",
        fix: "删除空标题，或为标题补充文字。",
        passing: [
            RuleExample("a heading with an image alt", html: examplePage("<h1><img src=\"/logo.png\" alt=\"示例区人民政府\"></h1><h2>通知公告</h2>")),
            RuleExample(
                "headings named by aria-label and title; role=heading with text",
                html: examplePage("<h2 aria-label=\"要闻\"></h2><h3 title=\"通知\"></h3><div role=\"heading\" aria-level=\"2\">政策文件</div>")),
        ],
        failing: [
            RuleExample("an empty h2", html: examplePage("<h2 class=\"title\"></h2><p>正文</p>"), subjects: ["empty-heading"]),
            RuleExample(
                "a heading whose only text is hidden by inline display:none", html: examplePage("<h2><span style=\"display:none\">通知公告</span></h2>"),
                subjects: ["empty-heading"]),
            RuleExample(
                "a heading whose only text is hidden by visibility:hidden, hidden and aria-hidden",
                html: examplePage("<h2><span style=\"visibility: hidden\">要闻</span><b hidden>动态</b><i aria-hidden=\"true\">★</i></h2>"),
                subjects: ["empty-heading"]),
            RuleExample("an empty role=heading element", html: examplePage("<div role=\"heading\" aria-level=\"2\"></div>"), subjects: ["empty-heading"]),
        ])

    /// Roles that make an h1–h6 something else (checked by their own rule, or not at all).
    static let otherRoles: Set<String> = ["presentation", "none", "button", "link", "img", "tab", "menuitem", "treeitem", "option"]

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        var out = page.headings.filter { h in
            guard !h.hidden, A11y.blank(h.accessibleName) else { return false }
            guard let role = h.role?.split(separator: " ").first?.lowercased() else { return true }
            return !Self.otherRoles.contains(role)
        }.map { $0.snippet.isEmpty ? "<h\($0.level)>" : $0.snippet }
        for e in page.namedElements where e.role == .heading && !e.hidden && A11y.blank(e.accessibleName) {
            out.append(e.snippet)
        }
        return out
    }
}
