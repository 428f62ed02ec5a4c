package import Parse

/// `a11y` / `form-label` (axe label): a form field without a name.
package struct FormLabelRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "form-label", axe: "label", zh: "表单控件缺少标签", en: "Form field without a label",
        summary:
            "A text-like <input>, <select> or <textarea> with no accessible name: <label for>, a wrapping <label>, aria-label, aria-labelledby, title and (as axe accepts) a non-empty placeholder all name it. Hidden fields and buttons are not checked here.",
        fix: "为每个输入框设置 <label> 或 aria-label。",
        passing: [
            RuleExample(
                "inputs named by aria-label, a wrapping label, label for and placeholder",
                html: examplePage(
                    """
                    <form><input type="text" name="q" aria-label="站内搜索"><label>姓名 <input type="text" name="n"></label>
                    <label for="p">电话</label><input id="p" type="tel"><input type="text" name="k" placeholder="请输入关键词"><input type="hidden" name="t" value="1"></form>
                    """))
        ],
        failing: [
            RuleExample(
                "a search box without a name", html: examplePage("<form><input type=\"text\" name=\"q\"><input type=\"submit\" value=\"搜索\"></form>"),
                subjects: ["form-label"])
        ])

    static let unlabelledTypes: Set<String> = ["hidden", "submit", "reset", "button", "image"]

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.controls.filter { c in
            guard !c.hidden, A11y.blank(c.accessibleName) else { return false }
            switch c.element {
            case .input: return !FormLabelRule.unlabelledTypes.contains(c.type) && !FormLabelRule.hasPlaceholder(c.snippet)
            case .select: return true
            case .textarea: return !FormLabelRule.hasPlaceholder(c.snippet)
            default: return false
            }
        }.map { $0.snippet.isEmpty ? "<\($0.element.rawValue) name=\"\($0.name ?? "")\">" : $0.snippet }
    }

    /// `placeholder="…"` with text, read from the opening tag.
    static func hasPlaceholder(_ tag: String) -> Bool {
        guard let r = tag.range(of: "placeholder", options: .caseInsensitive) else { return false }
        let rest = tag[r.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let q = rest.first, q == "\"" || q == "'" else { return false }
        return rest.dropFirst().prefix { $0 != q }.contains { !$0.isWhitespace }
    }
}
