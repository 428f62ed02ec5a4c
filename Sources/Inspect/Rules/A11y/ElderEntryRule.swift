package import Parse

/// `a11y` / `elder-entry`: the home page offers no elder-mode or accessibility entry.
package struct ElderEntryRule: PageRule {
    package init() {}
    package static let description = RuleDescription(
        id: "a11y.elder-entry", indicator: .a11y,
        nameZh: "首页缺少适老化/无障碍入口", nameEn: "No elder-mode or accessibility entry",
        summary:
            "A start page with no link, button, image alt or title naming an elder or accessibility mode (the profile's elderKeywords: 长者模式, 关怀版, 适老化, 无障碍 …) and no accessibility toolbar script (elderScripts). Only start pages are checked.",
        source: "2021 互联网应用适老化及无障碍改造专项行动 (政府网站); 西城区2022年政务公开工作要点 item 41",
        confidence: "H for the requirement; L for the keyword list and points",
        severity: .advice, points: 0,
        parameters: [
            RuleParameter("keywords", profileKey: "elderKeywords", defaultValue: "长者, 关怀版, 适老, 无障碍, 老年, 读屏", help: "text of an entry"),
            RuleParameter(
                "scripts", profileKey: "elderScripts", defaultValue: "wza, cniil, assist, barrierfree, aria.js", help: "toolbar script URL fragments"),
        ],
        fix: "在首页醒目位置提供长者模式（关怀版）或无障碍浏览入口。", findingSubject: "elder-entry",
        passing: [
            RuleExample("a 无障碍 link", html: examplePage("<div class=\"top\"><a href=\"javascript:;\" id=\"wza\">无障碍浏览</a> <a href=\"/zzms/\">长者模式</a></div>")),
            RuleExample("a toolbar script", html: examplePage(head: "<script src=\"/wza/aria.js?appid=1\"></script>", "<p>首页</p>")),
            RuleExample(
                "a javascript: toggle in the top bar",
                html: examplePage(
                    "<div class=\"top-bar\"><span class=\"tools\"><a href=\"javascript:;\" id=\"careMode\">长者模式</a> | <a href=\"/xmt/\">政务新媒体</a></span></div>")
            ),
        ],
        failing: [
            RuleExample("no entry", html: examplePage("<div class=\"top\"><a href=\"/en/\">English</a></div>"), subjects: ["elder-entry"]),
            RuleExample(
                "a news headline about 无障碍 in the main content is not an entry",
                html: examplePage("<div class=\"main\"><ul><li><a href=\"/a.html\">区残联开展无障碍设施检查</a> 2022-10-30</li></ul></div>"), subjects: ["elder-entry"]),
        ])

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        guard context.isHome else { return [] }
        let words = context.profile.elderKeywords, scripts = context.profile.elderScripts.map { $0.lowercased() }
        func hit(_ s: String?) -> Bool { guard let s, !s.isEmpty else { return false }; return words.contains { s.contains($0) } }
        // An entry is a short label (长者模式, 无障碍浏览), not a headline that mentions 无障碍.
        func entry(_ s: String?) -> Bool { (s?.utf8.count ?? 0) <= 30 && hit(s) }
        for l in page.links {
            if entry(l.text) || entry(l.title) || entry(l.ariaLabel) { return [] }
            if l.kind == .script || l.kind == .link, case let h = l.href.lowercased(), scripts.contains(where: { h.contains($0) }) { return [] }
        }
        if page.images.contains(where: { entry($0.alt) || entry($0.title) }) { return [] }
        if page.controls.contains(where: { entry($0.accessibleName) }) { return [] }
        // Toggles written as `<a href="javascript:;">长者模式</a>` are not kept as links: read
        // the short text of the page's chrome (header, nav, footer, unlabelled regions).
        if page.blocks.contains(where: { b in b.region != .main && b.region != .aside && b.text.utf8.count <= 300 && hit(b.text) }) { return [] }
        return ["首页未提供长者模式或无障碍入口"]
    }
}
