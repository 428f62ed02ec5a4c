public import Parse

/// `a11y` / `frame-title` (axe frame-title).
public struct FrameTitleRule: PageRule {
    public init() {}
    public static let description = RuleDescription.a11y(
        "frame-title", axe: "frame-title", zh: "框架缺少标题", en: "Frame without a title",
        summary: "An <iframe> or <frame> without a non-empty title or aria-label (hidden frames are skipped).",
        passing: [RuleExample("a titled iframe", html: examplePage("<iframe src=\"/map.html\" title=\"办事地图\"></iframe>"))],
        failing: [RuleExample("an untitled iframe", html: examplePage("<iframe src=\"/video.html\"></iframe>"), subjects: ["frame-title"])])

    public func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.frames.filter { !$0.hidden && A11y.blank($0.title) && A11y.blank($0.ariaLabel) }.map { $0.snippet.isEmpty ? "<\($0.element) src=\"\($0.src)\">" : $0.snippet }
    }
}
