/// `footer-marker` / `psb`: the public-security filing (京公网安备11010202007633号).
public struct PSBMarkerRule: FooterMarkerRule {
    public init() {}
    public static let marker = "psb"

    public static let description = RuleDescription(
        id: "footer.psb", indicator: .footerMarker,
        nameZh: "公安机关备案标识", nameEn: "Public-security filing",
        summary: "The footer shows 公网安备 + 14 digits (a link to beian.gov.cn with recordcode= counts). Another digit count is malformed.",
        source: "国办发〔2017〕47号 政府网站发展指引 (footer identification); MPS filing format",
        confidence: "H for the format; L for the points",
        severity: .deduct, points: 0.5,
        passing: [
            RuleExample("京公网安备11010202007633号", html: examplePage("<footer class=\"footer\"><p>京公网安备 11010202007633号</p></footer>")),
        ],
        failing: [
            RuleExample("no filing", html: examplePage("<footer class=\"footer\"><p>京ICP备19014909号-1</p></footer>"), subjects: ["psb"]),
            RuleExample("12 digits", html: examplePage("<footer class=\"footer\"><p>京公网安备110102020076号</p></footer>"), subjects: ["psb"]),
        ])

    public func check(_ home: HomeSummary) -> FooterVerdict {
        if let r = home.footerHaystack.range(of: "recordcode=") {
            if FooterText.digits(home.footerHaystack[r.upperBound...].prefix(14)).count == 14 { return .present }
        }
        guard let r = home.footerText.range(of: "公网安备") else { return .missing }
        let rest = home.footerText[r.upperBound...].drop { " ：:　".contains($0) }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        return digits.count == 14 ? .present : .malformed("公网安备" + String(rest.prefix { !$0.isWhitespace }.prefix(16)))
    }
}
