/// `footer-marker` / `icp`: the ICP filing number (京ICP备19014909号-1).
package struct ICPMarkerRule: FooterMarkerRule {
    package init() {}
    package static let marker = "icp"

    package static let description = RuleDescription(
        id: "footer.icp", indicator: .footerMarker,
        nameZh: "ICP备案编号", nameEn: "ICP filing number",
        summary:
            "The footer shows a province abbreviation + ICP备 + 6 to 10 digits + 号 (optionally -N), or an ICP证 licence number. Read as sites print it: behind a label (ICP备案编号：, ICP备案号：, 备案号：), with full-width colons, digits and spaces, split over elements or lines, with or without 号. ICP备 with a wrong digit count is malformed.",
        source: "国办发〔2017〕47号 政府网站发展指引 (footer identification); MIIT ICP filing format",
        confidence: "H for the format; L for the points",
        severity: .deduct, points: 0.5,
        fix: "在页脚加注 ICP 备案编号（如 京ICP备XXXXXXXX号），并链接到工信部备案系统。",
        passing: [
            RuleExample(
                "京ICP备19014909号-1", html: examplePage("<footer class=\"footer\"><p><a href=\"https://beian.miit.gov.cn\">京ICP备19014909号-1</a></p></footer>")),
            RuleExample("a label before the number", html: examplePage("<footer class=\"footer\"><p>ICP备案编号：京ICP备19014909号-1</p></footer>")),
            RuleExample(
                "each part in its own element",
                html: examplePage(
                    "<div class=\"footer\"><a href=\"https://beian.miit.gov.cn\">京<span>ICP</span>备<span>19054529</span>号<span>-1</span></a></div>")),
            RuleExample(
                "备案号 label, a space inside, full-width colon",
                html: examplePage("<div class=\"footer\">备案号：<a href=\"https://beian.miit.gov.cn\">京ICP备 15039510号</a></div>")),
            RuleExample("the number on the next line, full-width digits", html: examplePage("<div class=\"footer\"><p>ICP备案号：</p><p>京ICP备１９０１４９０９号</p></div>")),
            RuleExample("no 号", html: examplePage("<div class=\"footer\">蒙ICP备 05006530</div>")),
        ],
        failing: [
            RuleExample("no ICP number", html: examplePage("<footer class=\"footer\"><p>网站标识码：1101020002</p></footer>"), subjects: ["icp"]),
            RuleExample("four digits", html: examplePage("<footer class=\"footer\"><p>京ICP备1901号</p></footer>"), subjects: ["icp"]),
            RuleExample("five digits behind a label", html: examplePage("<footer class=\"footer\"><p>ICP备案编号：京ICP备19014号-1</p></footer>"), subjects: ["icp"]),
            RuleExample("a label and no number", html: examplePage("<footer class=\"footer\"><p>ICP备案号：待办理</p></footer>"), subjects: ["icp"]),
        ])

    package func check(_ home: HomeSummary) -> FooterVerdict {
        FilingNumbers(home.footerText).icp()
    }
}
