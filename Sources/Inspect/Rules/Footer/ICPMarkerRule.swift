/// `footer-marker` / `icp`: the ICP filing number (京ICP备19014909号-1).
public struct ICPMarkerRule: FooterMarkerRule {
    public init() {}
    public static let marker = "icp"

    public static let description = RuleDescription(
        id: "footer.icp", indicator: .footerMarker,
        nameZh: "ICP备案编号", nameEn: "ICP filing number",
        summary: "The footer shows a province abbreviation + ICP备 + 6 to 10 digits + 号 (optionally -N), or an ICP证 licence number. ICP备 with a wrong digit count is malformed.",
        source: "国办发〔2017〕47号 政府网站发展指引 (footer identification); MIIT ICP filing format",
        confidence: "H for the format; L for the points",
        severity: .deduct, points: 0.5,
        passing: [
            RuleExample("京ICP备19014909号-1", html: examplePage("<footer class=\"footer\"><p><a href=\"https://beian.miit.gov.cn\">京ICP备19014909号-1</a></p></footer>")),
        ],
        failing: [
            RuleExample("no ICP number", html: examplePage("<footer class=\"footer\"><p>网站标识码：1101020002</p></footer>"), subjects: ["icp"]),
            RuleExample("four digits", html: examplePage("<footer class=\"footer\"><p>京ICP备1901号</p></footer>"), subjects: ["icp"]),
        ])

    public func check(_ home: HomeSummary) -> FooterVerdict {
        let text = home.footerText
        if text.contains("ICP证") { return .present }
        guard let r = text.range(of: "ICP备", options: .caseInsensitive) else {
            return text.range(of: "ICP", options: .caseInsensitive) == nil ? .missing : .malformed("ICP")
        }
        let rest = text[r.upperBound...].drop { $0 == " " || $0 == "：" || $0 == ":" }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        let after = rest.dropFirst(digits.count)
        if (6...10).contains(digits.count), after.hasPrefix("号") { return .present }
        return .malformed("ICP备" + String(rest.prefix { !$0.isWhitespace }.prefix(14)))
    }
}
