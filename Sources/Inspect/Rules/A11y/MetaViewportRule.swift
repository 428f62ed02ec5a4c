public import Parse

/// `a11y` / `meta-viewport` (axe meta-viewport).
public struct MetaViewportRule: PageRule {
    public init() {}
    public static let description = RuleDescription.a11y(
        "meta-viewport", axe: "meta-viewport", zh: "页面禁止缩放", en: "Zoom disabled",
        summary: "<meta name=viewport> with user-scalable=no (or 0) or maximum-scale below 2: older readers cannot zoom. A page without a viewport meta passes.",
        passing: [RuleExample("zoom allowed", html: examplePage("<p>正文</p>"))],
        failing: [RuleExample("user-scalable=no", html: "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>首页</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no\"></head><body><p>正文</p></body></html>", subjects: ["meta-viewport"])])

    static let userScalable = Array("user-scalable".utf8)
    static let maximumScale = Array("maximum-scale".utf8)

    public func offenders(in page: PageModel, context: PageContext) -> [String] {
        page.metas.compactMap { m -> String? in
            guard let name = m.name, name.utf8.count == 8, name.lowercased() == "viewport", let content = m.content else { return nil }
            let lower = content.lowercased()
            // Most viewports name neither setting: no split into parts.
            guard ByteMatch.contains(lower, Self.userScalable) || ByteMatch.contains(lower, Self.maximumScale) else { return nil }
            var bad = false
            for part in lower.split(whereSeparator: { $0 == "," || $0 == ";" }) {
                let kv = part.split(separator: "=", maxSplits: 1).map { String($0.trimmedSpaces()) }
                guard kv.count == 2 else { continue }
                if kv[0] == "user-scalable", kv[1] == "no" || kv[1] == "0" { bad = true }
                if kv[0] == "maximum-scale", let v = Double(kv[1]), v < 2 { bad = true }
            }
            return bad ? "<meta name=\"viewport\" content=\"\(content)\">" : nil
        }
    }
}
