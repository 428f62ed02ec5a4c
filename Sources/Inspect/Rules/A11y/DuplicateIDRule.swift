package import Parse

/// `a11y` / `duplicate-id` (axe duplicate-id).
package struct DuplicateIDRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "duplicate-id", axe: "duplicate-id", zh: "元素 id 重复", en: "Duplicate id",
        summary: "An id value used by more than one element on the page (labels and aria references then point at the wrong element).",
        fix: "修改模板，使页面中每个 id 只出现一次。",
        passing: [RuleExample("unique ids", html: examplePage("<div id=\"a\">一</div><div id=\"b\">二</div>"))],
        failing: [RuleExample("two elements with id=nav", html: examplePage("<div id=\"nav\">一</div><div id=\"nav\">二</div>"), subjects: ["duplicate-id"])])

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.duplicateIDs.map { "id=\"\($0)\"" }
    }
}
