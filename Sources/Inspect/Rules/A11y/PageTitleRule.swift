package import Parse

/// `a11y` / `page-title` (axe document-title).
package struct PageTitleRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "page-title", axe: "document-title", zh: "页面缺少标题", en: "Page without a title",
        summary: "The page has no <title> or an empty one.",
        fix: "为页面设置能说明内容的 <title>。",
        passing: [RuleExample("a title", html: examplePage(title: "首页_示例区人民政府", "<p>正文</p>"))],
        failing: [
            RuleExample(
                "empty title", html: "<!DOCTYPE html><html lang=\"zh-CN\"><head><title> </title></head><body><p>正文</p></body></html>", subjects: ["page-title"])
        ])

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        A11y.blank(page.title) ? ["<title>"] : []
    }
}
