/// `footer-marker` / `sponsor`: 主办单位.
package struct SponsorMarkerRule: FooterMarkerRule {
    package init() {}
    package static let marker = "sponsor"

    package static let description = RuleDescription(
        id: "footer.sponsor", indicator: .footerMarker,
        nameZh: "主办单位", nameEn: "Sponsoring organisation",
        summary: "The footer names the sponsoring organisation (主办单位 / 主办：).",
        source: "国办发〔2017〕47号 政府网站发展指引 (footer identification)",
        confidence: "M for the footer list; L for the points",
        severity: .deduct, points: 0.5,
        fix: "在页脚注明主办单位。",
        passing: [RuleExample("主办：", html: examplePage("<footer class=\"footer\"><p>主办：北京市西城区人民政府办公室</p></footer>"))],
        failing: [RuleExample("承办 only", html: examplePage("<footer class=\"footer\"><p>承办：北京市西城区政务服务管理局</p></footer>"), subjects: ["sponsor"])])

    package func check(_ home: HomeSummary) -> FooterVerdict {
        home.footerText.contains("主办") ? .present : .missing
    }
}
