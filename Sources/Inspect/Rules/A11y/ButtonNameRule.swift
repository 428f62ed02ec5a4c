package import Parse

/// `a11y` / `button-name` (axe button-name, input-button-name, and aria-command-name for `role="button"`).
package struct ButtonNameRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "button-name", axe: "button-name", zh: "按钮缺少名称", en: "Button without a name",
        summary:
            "A <button>, <input type=button|submit|reset> or role=\"button\" element with no accessible name: visible text, value, a <label>, aria-label, aria-labelledby or title. Submit and reset inputs without a value attribute have the browser's default name and pass; with value=\"\" they have none.",
        fix: "为按钮提供可读的文字或 aria-label。",
        passing: [
            RuleExample(
                "named buttons",
                html: examplePage("<button>搜索</button><button aria-label=\"关闭\">×</button><input type=\"submit\"><input type=\"button\" value=\"长者模式\">")),
            RuleExample(
                "a role=button span with text, one with aria-label",
                html: examplePage("<span role=\"button\" tabindex=\"0\">无障碍</span><div role=\"button\" aria-label=\"展开\"><i></i></div>")),
        ],
        failing: [
            RuleExample(
                "an icon button with no name", html: examplePage("<button class=\"search-btn\"><i class=\"icon\"></i></button>"), subjects: ["button-name"]),
            RuleExample(
                "an empty <span role=\"button\" tabindex=\"0\">", html: examplePage("<span role=\"button\" tabindex=\"0\"></span>"), subjects: ["button-name"]),
            RuleExample(
                "a submit input with value=\"\"", html: examplePage("<form><input type=\"text\" aria-label=\"搜索\"><input type=\"submit\" value=\"\"></form>"),
                subjects: ["button-name"]),
        ])

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        var out = page.controls.filter { c in
            guard !c.hidden, A11y.blank(c.accessibleName) else { return false }
            return c.element == .button || (c.element == .input && ["button", "submit", "reset"].contains(c.type))
        }.map { $0.snippet.isEmpty ? "<\($0.element.rawValue)>" : $0.snippet }
        for e in page.namedElements where e.role == .button && !e.hidden && A11y.blank(e.accessibleName) {
            out.append(e.snippet)
        }
        return out
    }
}
