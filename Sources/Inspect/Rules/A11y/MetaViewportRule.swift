package import Parse

/// `a11y` / `meta-viewport` (axe meta-viewport).
package struct MetaViewportRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "meta-viewport", axe: "meta-viewport", zh: "页面禁止缩放", en: "Zoom disabled",
        summary:
            "<meta name=viewport> with user-scalable=no or a number from above -1 to below 1 (0, 0.5), or maximum-scale below 2 (yes counts as 1; a negative one is ignored): older readers cannot zoom. Values are read as axe reads them: parts split at ',' or ';', the last of a repeated key wins, numbers by JavaScript's parseFloat (1.5x is 1.5). A page without a viewport meta passes.",
        fix: "不要在 viewport 中禁止缩放（去掉 user-scalable=no、maximum-scale=1）。",
        passing: [
            RuleExample("zoom allowed", html: examplePage("<p>正文</p>")),
            RuleExample(
                "user-scalable=yes, maximum-scale=5; a negative maximum-scale is ignored",
                html:
                    "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>首页</title><meta name=\"viewport\" content=\"width=device-width, user-scalable=yes, maximum-scale=5\"><meta name=\"viewport\" content=\"maximum-scale=-1\"></head><body><p>正文</p></body></html>"
            ),
        ],
        failing: [
            RuleExample(
                "user-scalable=no",
                html:
                    "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>首页</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no\"></head><body><p>正文</p></body></html>",
                subjects: ["meta-viewport"]),
            RuleExample(
                "user-scalable=0.5",
                html:
                    "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>首页</title><meta name=\"viewport\" content=\"width=device-width; user-scalable=0.5\"></head><body><p>正文</p></body></html>",
                subjects: ["meta-viewport"]),
            RuleExample(
                "maximum-scale=yes and maximum-scale=1.5x",
                html:
                    "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>首页</title><meta name=\"viewport\" content=\"maximum-scale=yes\"><meta name=\"viewport\" content=\"Maximum-Scale = 1.5x\"></head><body><p>正文</p></body></html>",
                subjects: ["meta-viewport"]),
        ])

    static let userScalable = Array("user-scalable".utf8)
    static let maximumScale = Array("maximum-scale".utf8)

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.metas.compactMap { m -> String? in
            guard let name = m.name, name.utf8.count == 8, name.lowercased() == "viewport", let content = m.content else { return nil }
            let lower = content.lowercased()
            // Most viewports name neither setting: no split into parts.
            guard ByteMatch.contains(lower, Self.userScalable) || ByteMatch.contains(lower, Self.maximumScale) else { return nil }
            return Self.disablesZoom(lower) ? "<meta name=\"viewport\" content=\"\(content)\">" : nil
        }
    }

    /// axe's meta-viewport-scale-evaluate on the lowercased content.
    static func disablesZoom(_ content: String) -> Bool {
        var scalable: Substring?, maximum: Substring?
        for item in content.split(whereSeparator: { $0 == "," || $0 == ";" }) {
            // `key=value` as JavaScript's split("=") gives the first two parts; both must be non-empty.
            let parts = item.trimmedSpaces().split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else { continue }
            let key = parts[0].trimmedSpaces()
            var value = parts[1].trimmedSpaces()
            if key == "maximum-scale" {
                if value == "yes" { value = "1" }
                if let v = A11y.parseFloat(value), v < 0 { continue }
                maximum = value
            } else if key == "user-scalable" {
                scalable = value
            }
        }
        if scalable == "no" { return true }
        if let s = scalable, !s.isEmpty, let v = A11y.parseFloat(s), v > -1, v < 1 { return true }
        if let m = maximum, !m.isEmpty, let v = A11y.parseFloat(m), v < 2 { return true }
        return false
    }
}
