/// `footer-marker` / `site-code`: 网站标识码, 10 digits or `bm` + 8 digits.
package struct SiteCodeMarkerRule: FooterMarkerRule {
    package init() {}
    package static let marker = "site-code"

    package static let description = RuleDescription(
        id: "footer.site-code", indicator: .footerMarker,
        nameZh: "网站标识码", nameEn: "Site identification code",
        summary:
            "The home page footer shows 网站标识码 (or 网站识别码) followed by 10 digits (beginning with the 6-digit division code) or `bm` + 8 digits. A SiteIDCode meta alone does not replace the footer text; a malformed code is reported with the value printed.",
        source: "国办发〔2017〕47号 政府网站发展指引: 网站标识码 in the footer; format per the national site registry",
        confidence: "H for the format; M for the footer list; L for the points",
        severity: .deduct, points: 0.5,
        fix: "在页脚加注网站标识码（10 位，以行政区划代码开头）。",
        passing: [
            RuleExample("a 10-digit code", html: examplePage("<footer class=\"footer\"><p>政府网站标识码：1101020002 京ICP备19014909号-1</p></footer>")),
            RuleExample("a central department's bm code", html: examplePage("<div class=\"foot\"><p>网站标识码bm01000001</p></div>")),
            RuleExample("a half-width colon, the code in its own element", html: examplePage("<div class=\"footer\">网站标识码: <span>1300000065</span></div>")),
        ],
        failing: [
            RuleExample("no site code", html: examplePage("<footer class=\"footer\"><p>主办：示例区人民政府办公室</p></footer>"), subjects: ["site-code"]),
            RuleExample("a 9-digit code", html: examplePage("<footer class=\"footer\"><p>网站标识码：110102000</p></footer>"), subjects: ["site-code"]),
            RuleExample(
                "a 9-digit code before a year", html: examplePage("<footer class=\"footer\"><p>网站标识码：110102000 2022年</p></footer>"), subjects: ["site-code"]),
        ])

    package func check(_ home: HomeSummary) -> FooterVerdict {
        guard let v = FilingNumbers(home.footerText).siteCode() else { return .missing }
        if v.count == 10, v.allSatisfy(\.isNumber) { return .present }
        if v.count == 10, v.lowercased().hasPrefix("bm"), v.dropFirst(2).allSatisfy(\.isNumber) { return .present }
        return .malformed(v.isEmpty ? "网站标识码" : v)
    }
}
