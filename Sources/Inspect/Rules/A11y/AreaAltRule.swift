package import Parse

/// `a11y` / `area-alt`: an image-map area without alternative text.
package struct AreaAltRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "area-alt", axe: "area-alt", zh: "热区缺少替代文本", en: "Image-map area without alt text",
        summary: "An <area href> whose alt is missing or empty and that has no aria-label, aria-labelledby or title.",
        fix: "为图片热区（area）补充 alt 文本。",
        passing: [
            RuleExample(
                "named areas",
                html: examplePage(
                    "<img src=\"/map.png\" alt=\"辖区地图\" usemap=\"#m\"><map name=\"m\"><area shape=\"rect\" coords=\"0,0,10,10\" href=\"/jd/1.html\" alt=\"德胜街道\"></map>"
                ))
        ],
        failing: [
            RuleExample(
                "an area without alt",
                html: examplePage(
                    "<img src=\"/map.png\" alt=\"辖区地图\" usemap=\"#m\"><map name=\"m\"><area shape=\"rect\" coords=\"0,0,10,10\" href=\"/jd/1.html\"></map>"),
                subjects: ["area-alt"])
        ])

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.images.filter { img in
            img.element == .area && !img.hidden && A11y.blank(img.accessibleName)
        }.map { $0.snippet.isEmpty ? "<area href=\"\($0.src)\">" : $0.snippet }
    }
}
