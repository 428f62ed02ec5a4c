package import Parse

/// `a11y` / `frame-title` (axe frame-title).
package struct FrameTitleRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "frame-title", axe: "frame-title", zh: "框架缺少标题", en: "Frame without a title",
        summary:
            "An <iframe> or <frame> without an accessible name: a non-empty title, aria-label or aria-labelledby. Hidden frames, frames taken out of the tab order (tabindex below 0) and frames marked role=presentation or none without a title attribute are skipped, as axe skips them.",
        fix: "为 iframe 设置 title 属性，说明其内容。",
        passing: [
            RuleExample("a titled iframe", html: examplePage("<iframe src=\"/map.html\" title=\"办事地图\"></iframe>")),
            RuleExample(
                "an iframe named by aria-labelledby; presentational and tabindex=-1 frames",
                html: examplePage(
                    "<h2 id=\"sp\">视频新闻</h2><iframe src=\"/video.html\" aria-labelledby=\"sp\"></iframe><iframe src=\"/stat.html\" role=\"presentation\"></iframe><iframe src=\"/t.html\" role=\"none\"></iframe><iframe src=\"/x.html\" tabindex=\"-1\"></iframe>"
                )),
        ],
        failing: [
            RuleExample("an untitled iframe", html: examplePage("<iframe src=\"/video.html\"></iframe>"), subjects: ["frame-title"]),
            RuleExample(
                "aria-labelledby naming no element on the page", html: examplePage("<iframe src=\"/video.html\" aria-labelledby=\"nothing\"></iframe>"),
                subjects: ["frame-title"]),
            RuleExample(
                "role=presentation with an empty title attribute", html: examplePage("<iframe src=\"/video.html\" role=\"presentation\" title=\"\"></iframe>"),
                subjects: ["frame-title"]),
        ])

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.frames.filter { f in
            guard !f.hidden, (f.tabIndex ?? 0) >= 0, A11y.blank(f.accessibleName) else { return false }
            // axe's presentational-role check: the role excuses the frame unless a title attribute is written.
            return !(A11y.isPresentational(f.role) && f.title == nil)
        }.map { $0.snippet.isEmpty ? "<\($0.element.rawValue) src=\"\($0.src)\">" : $0.snippet }
    }
}
