package import Parse

/// `a11y` / `input-image-alt`: an image button without alternative text.
package struct InputImageAltRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "input-image-alt", axe: "input-image-alt", zh: "图片按钮缺少替代文本", en: "Image button without alt text",
        summary:
            "An <input type=image> whose alt is missing or empty and that has no aria-label, aria-labelledby, title or <label> (for= or wrapping, as axe's implicit-label and explicit-label accept); an image button is never decorative.",
        fix: "为图片按钮（input type=image）补充 alt 文本，说明按钮作用。",
        passing: [
            RuleExample("alt on the image button", html: examplePage("<form><input type=\"image\" src=\"/go.png\" alt=\"搜索\"></form>")),
            RuleExample(
                "image buttons named by a <label for> and a wrapping <label>",
                html: examplePage(
                    "<form><label for=\"go\">搜索</label><input id=\"go\" type=\"image\" src=\"/go.png\"><label>提交<input type=\"image\" src=\"/ok.png\" alt=\"\"></label></form>"
                )),
        ],
        failing: [
            RuleExample(
                "alt=\"\" on an image button", html: examplePage("<form><input type=\"image\" src=\"/go.png\" alt=\"\"></form>"), subjects: ["input-image-alt"])
        ])

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.images.filter { img in
            img.element == .input && !img.hidden && A11y.blank(img.accessibleName)
        }.map { $0.snippet.isEmpty ? "<input type=\"image\" src=\"\($0.src)\">" : $0.snippet }
    }
}
