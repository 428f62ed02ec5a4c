/// `footer-marker` / `psb`: the public-security filing (京公网安备11010202007633号).
package struct PSBMarkerRule: FooterMarkerRule {
    package init() {}
    package static let marker = "psb"

    package static let description = RuleDescription(
        id: "footer.psb", indicator: .footerMarker,
        nameZh: "公安机关备案标识", nameEn: "Public-security filing",
        summary:
            "The footer shows 公网安备 + 14 digits (a link to beian.gov.cn with recordcode= counts), read with full-width colons and spaces, split over elements or lines. Another digit count is malformed, and so is a number of the pre-2016 system (公安备案号：35012899001-19002).",
        source: "国办发〔2017〕47号 政府网站发展指引 (footer identification); MPS filing format",
        confidence: "H for the format; L for the points",
        severity: .deduct, points: 0.5,
        fix: "在页脚加注公安机关备案标识和编号（如 京公网安备XXXXXXXXXXXXXX号）。",
        passing: [
            RuleExample("京公网安备11010202007633号", html: examplePage("<footer class=\"footer\"><p>京公网安备 11010202007633号</p></footer>")),
            RuleExample("the number in its own element", html: examplePage("<div class=\"footer\">京公网安备<span>11010602060068</span>号</div>")),
            RuleExample(
                "a full-width colon, the number split over a line", html: examplePage("<div class=\"footer\"><p>京公网安备：</p><p>1101 0202 0076 33</p></div>")),
        ],
        failing: [
            RuleExample("no filing", html: examplePage("<footer class=\"footer\"><p>京ICP备19014909号-1</p></footer>"), subjects: ["psb"]),
            RuleExample("12 digits", html: examplePage("<footer class=\"footer\"><p>京公网安备110102020076号</p></footer>"), subjects: ["psb"]),
            RuleExample(
                "a number of the pre-2016 system", html: examplePage("<footer class=\"footer\"><p>公安备案号：35012899001-19002</p></footer>"), subjects: ["psb"]),
        ])

    package func check(_ home: HomeSummary) -> FooterVerdict {
        // The badge's link (beian.gov.cn …?recordcode=NNNNNNNNNNNNNN) names the number too.
        if let r = home.footerHaystack.range(of: "recordcode=") {
            if FooterText.digits(home.footerHaystack[r.upperBound...].prefix(14)).count == 14 { return .present }
        }
        return FilingNumbers(home.footerText).publicSecurity()
    }
}
