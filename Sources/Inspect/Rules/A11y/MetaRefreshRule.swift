public import Parse

/// `a11y` / `meta-refresh` (axe meta-refresh).
public struct MetaRefreshRule: PageRule {
    public init() {}
    public static let description = RuleDescription.a11y(
        "meta-refresh", axe: "meta-refresh", zh: "页面定时刷新或跳转", en: "Timed refresh",
        summary: "<meta http-equiv=refresh> with a delay above 0 (and below 20 hours): the page reloads or moves under the reader. An immediate redirect (0) passes.",
        passing: [RuleExample("an immediate redirect", html: examplePage(head: "<meta http-equiv=\"refresh\" content=\"0; url=/index.html\">", "<p>跳转</p>"))],
        failing: [RuleExample("reload every 5 minutes", html: examplePage(head: "<meta http-equiv=\"refresh\" content=\"300\">", "<p>正文</p>"), subjects: ["meta-refresh"])])

    public func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.metas.compactMap { m -> String? in
            guard m.httpEquiv?.lowercased() == "refresh", let content = m.content else { return nil }
            let delay = content.split(whereSeparator: { $0 == ";" || $0 == "," }).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard let seconds = Double(delay), seconds > 0, seconds < 72_000 else { return nil }
            return "<meta http-equiv=\"refresh\" content=\"\(content)\">"
        }
    }
}
