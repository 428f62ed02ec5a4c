/// `footer-marker` / `party-gov-mark`: the red 党政机关 badge.
package struct PartyGovMarkerRule: FooterMarkerRule {
    package init() {}
    package static let marker = "party-gov-mark"

    package static let description = RuleDescription(
        id: "footer.party-gov-mark", indicator: .footerMarker,
        nameZh: "党政机关网站标识", nameEn: "Party and government badge",
        summary: "The footer carries the 党政机关 badge: the registry's script or link (dcs.conac.cn / www.conac.cn) or an image whose alt or title names 党政机关.",
        source: "国办发〔2017〕47号 政府网站发展指引 (党政机关网站标识, issued by 中央编办 conac.cn)",
        confidence: "H for the badge; L for the points",
        severity: .deduct, points: 0.5,
        fix: "在页脚放置党政机关网站标识（红色徽标），并链接到注册机构的验证页面。",
        passing: [
            RuleExample(
                "the conac script",
                html: examplePage(
                    "<footer class=\"footer\"><span id=\"_ideConac\"></span><script src=\"https://dcs.conac.cn/js/01/000/0000/60429971/CA010000000604299710002.js\"></script></footer>"
                ))
        ],
        failing: [RuleExample("no badge", html: examplePage("<footer class=\"footer\"><p>主办：示例区人民政府</p></footer>"), subjects: ["party-gov-mark"])])

    package func check(_ home: HomeSummary) -> FooterVerdict {
        let hay = home.footerHaystack
        return hay.lowercased().contains("conac") || hay.contains("党政机关") ? .present : .missing
    }
}
