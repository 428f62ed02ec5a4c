public import Parse

/// `a11y` / `img-alt` (axe image-alt): an `<img>` without alt text.
public struct ImageAltRule: PageRule {
    public init() {}
    public static let description = RuleDescription.a11y(
        "img-alt", axe: "image-alt", zh: "图片缺少替代文本", en: "Image without alt text",
        summary: "An <img> with no alt attribute and no aria-label, aria-labelledby or title. alt=\"\" marks a decorative image and is correct, as is role=presentation; hidden images are skipped.",
        passing: [
            RuleExample("described and decorative images", html: examplePage("<img src=\"/logo.png\" alt=\"示例区人民政府\"><img src=\"/line.png\" alt=\"\"><img src=\"/x.png\" role=\"presentation\"><img src=\"/y.png\" aria-label=\"地图\">")),
        ],
        failing: [
            RuleExample("two images without alt", html: examplePage("<img src=\"/banner1.jpg\"><p>正文</p><img src=\"/banner2.jpg\">"), subjects: ["img-alt"]),
        ])

    public func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.images.filter { img in
            img.element == "img" && img.alt == nil && !img.hidden && !A11y.isPresentational(img.role)
                && !A11y.named(ariaLabel: img.ariaLabel, labelledBy: img.labelledByText, title: img.title)
        }.map { $0.snippet.isEmpty ? "<img src=\"\($0.src)\">" : $0.snippet }
    }
}
