/// `footer-marker` / `error-report`: the 我为政府网站找错 entry.
package struct ErrorReportMarkerRule: FooterMarkerRule {
    package init() {}
    package static let marker = "error-report"

    package static let description = RuleDescription(
        id: "footer.error-report", indicator: .footerMarker,
        nameZh: "我为政府网站找错", nameEn: "Error-report entry",
        summary: "The home page links the national 我为政府网站找错 service: its script (pucha.kaipuyun.cn … jiucuo.js) or a link whose text or title says 找错.",
        source: "国办发〔2017〕47号 政府网站发展指引; 国务院办公厅 我为政府网站找错 platform",
        confidence: "H for the entry; L for the points",
        severity: .deduct, points: 0.5,
        fix: "在页脚放置“我为政府网站找错”入口并链接到国办平台。",
        passing: [
            RuleExample(
                "the kaipuyun script",
                html: examplePage(
                    "<footer class=\"footer\"><span id=\"_span_jiucuo\"></span><script src=\"//pucha.kaipuyun.cn/exposure/jiucuo.js\"></script></footer>"))
        ],
        failing: [RuleExample("no entry", html: examplePage("<footer class=\"footer\"><p>主办：示例区人民政府</p></footer>"), subjects: ["error-report"])])

    package func check(_ home: HomeSummary) -> FooterVerdict {
        let hay = home.footerHaystack.lowercased()
        return hay.contains("找错") || hay.contains("jiucuo") || hay.contains("kaipuyun") ? .present : .missing
    }
}
