package import Parse

/// `a11y` / `meta-refresh` (axe meta-refresh).
package struct MetaRefreshRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "meta-refresh", axe: "meta-refresh", zh: "页面定时刷新或跳转", en: "Timed refresh",
        summary:
            "<meta http-equiv=refresh> whose delay is above 0 and at most 20 hours (72,000 s): the page reloads or moves under the reader. The delay is read as axe reads it: the content up to the first ';', ',' or white space, digits and dots only. An immediate redirect (0) passes.",
        fix: "去掉 meta refresh 自动刷新或跳转，改用服务器端跳转。",
        passing: [
            RuleExample("an immediate redirect", html: examplePage(head: "<meta http-equiv=\"refresh\" content=\"0; url=/index.html\">", "<p>跳转</p>")),
            RuleExample(
                "a delay over 20 hours; a content that does not start with a number",
                html: examplePage(head: "<meta http-equiv=\"refresh\" content=\"72001\"><meta http-equiv=\"refresh\" content=\"url=/a.html\">", "<p>正文</p>")),
        ],
        failing: [
            RuleExample(
                "reload every 5 minutes", html: examplePage(head: "<meta http-equiv=\"refresh\" content=\"300\">", "<p>正文</p>"), subjects: ["meta-refresh"]),
            RuleExample(
                "a redirect after 5 seconds written without ';'",
                html: examplePage(head: "<meta http-equiv=\"refresh\" content=\"5 url=/index.html\">", "<p>正文</p>"), subjects: ["meta-refresh"]),
        ])

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.metas.compactMap { m -> String? in
            guard m.httpEquiv?.lowercased() == "refresh", let content = m.content else { return nil }
            let delay = content.trimmedSpaces().prefix { !($0 == ";" || $0 == "," || $0.isWhitespace) }
            guard !delay.isEmpty, delay.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }) else { return nil }
            // (".": NaN in axe, which then fails: no comparison holds.)
            if let seconds = A11y.parseFloat(delay), seconds <= 0 || seconds > 72_000 { return nil }
            return "<meta http-equiv=\"refresh\" content=\"\(content)\">"
        }
    }
}
