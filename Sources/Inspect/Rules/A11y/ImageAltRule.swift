package import Parse

/// `a11y` / `img-alt` (axe image-alt, and role-img-alt for `role="img"`): an image without alt text.
package struct ImageAltRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "img-alt", axe: "image-alt, role-img-alt", zh: "图片缺少替代文本", en: "Image without alt text",
        summary:
            "An <img> with no alt attribute and no aria-label, aria-labelledby or title. alt=\"\" marks a decorative image and is correct, as is role=presentation; hidden images are skipped. An element with role=\"img\" (a CSS background, an icon font) needs aria-label, aria-labelledby or title: its text does not name it (<svg role=img>, named by its <title>, is not checked).",
        fix: "为有意义的图片补充 alt 替代文本；装饰性图片写 alt=\"\"。",
        passing: [
            RuleExample(
                "described and decorative images",
                html: examplePage(
                    "<img src=\"/logo.png\" alt=\"示例区人民政府\"><img src=\"/line.png\" alt=\"\"><img src=\"/x.png\" role=\"presentation\"><img src=\"/y.png\" aria-label=\"地图\">"
                )),
            RuleExample(
                "role=img named by aria-label and title",
                html: examplePage("<div class=\"banner\" role=\"img\" aria-label=\"区政府大楼\"></div><i class=\"icon\" role=\"img\" title=\"电话\"></i>")),
        ],
        failing: [
            RuleExample("two images without alt", html: examplePage("<img src=\"/banner1.jpg\"><p>正文</p><img src=\"/banner2.jpg\">"), subjects: ["img-alt"]),
            RuleExample(
                "a role=img element with only text inside", html: examplePage("<div class=\"banner\" role=\"img\"><span>区政府大楼</span></div>"),
                subjects: ["img-alt"]),
        ])

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        var out = page.images.filter { img in
            img.element == .img && img.alt == nil && !img.hidden && !A11y.isPresentational(img.role) && A11y.blank(img.accessibleName)
        }.map { $0.snippet.isEmpty ? "<img src=\"\($0.src)\">" : $0.snippet }
        for e in page.namedElements where e.role == .img && !e.hidden && A11y.blank(e.accessibleName) {
            out.append(e.snippet)
        }
        return out
    }
}
