package import Parse
package import Vocabulary

/// `mobile`: a start page shows no sign of mobile adaptation (移动端适配): no viewport
/// meta, no CSS media query on a width, no link to a mobile version.
package struct MobileRule: CollectingRule {
    package init() {}

    /// Text of a link to a mobile version.
    static let mobileWords = ["手机版", "移动版", "手机端", "移动端", "触屏版", "WAP版", "wap版"]

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        guard context.isHome else { return [] }
        return Self.signal(page) == nil ? [PageNote(key: "none")] : []
    }

    /// The first sign of mobile adaptation on a page, nil when none: `viewport`, `media-query`
    /// or `mobile-site`.
    static func signal(_ page: PageModel) -> String? {
        if let v = page.meta("viewport"), v.lowercased().contains("width") { return "viewport" }
        if page.widthMediaQuery { return "media-query" }
        if page.mobileRedirectScript { return "mobile-redirect" }
        let host = hostOf(page.url)
        let base = CrawlURL(page.url)
        for l in page.links where l.kind == .a {
            if mobileWords.contains(where: { l.text.contains($0) || (l.title ?? "").contains($0) }) { return "mobile-site" }
            // A mobile sub-site: m.<domain>, wap.<domain>, or /m/, /wap/, /mobile/ on the host.
            guard let u = base?.resolve(l.href) else { continue }
            let h = hostOf(u.string)
            let domain = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
            if h == "m." + domain || h == "wap." + domain || h == "mobile." + domain { return "mobile-site" }
            if h == host, let seg = u.string.split(separator: "/", maxSplits: 3).dropFirst(2).first,
                ["m", "wap", "mobile"].contains(seg.lowercased())
            {
                return "mobile-site"
            }
        }
        return nil
    }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        return notes.map(\.url).sorted().map { url in
            Finding(
                rule: d.id, indicator: d.indicator, severity: severity, points: points, url: url, subject: "static",
                department: site.department(for: url),
                message: "首页未见移动端适配：无 viewport 设置、无按屏幕宽度的 CSS 媒体查询、无手机跳转脚本、无手机版入口",
                evidence: ["checked": .array(["viewport", "media-query", "mobile-redirect", "mobile-site"].map { .string($0) })])
        }
    }

    static func bare(head: String = "", _ body: String) -> String {
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>示例</title>\(head)</head><body>\(body)</body></html>"
    }

    package static let description = RuleDescription(
        id: "mobile.static", indicator: .mobile, nameZh: "未适配移动端", nameEn: "No mobile adaptation",
        summary: """
            A start page with none of the static signs of mobile adaptation: a viewport meta naming a width, a CSS media \
            query on a width in a <style> element or a <link media>, an inline script that sends phones elsewhere by their \
            user agent, a link to a mobile version (手机版/移动版/WAP版 text, \
            or an m./wap./mobile. host or a /m/, /wap/, /mobile/ path of the site). Stylesheets linked from the page are \
            not read. A rendered check at phone width is for later (it needs the renderer). Only start pages are checked.
            """,
        source: "国办秘函〔2019〕19号 扣分指标 移动端适配; 国办发〔2017〕47号 (适配移动终端); points L",
        confidence: "H (the requirement); L (static signs only, points)",
        severity: .deduct, points: 2,
        fix: "为页面设置 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"> 并采用响应式布局（按屏幕宽度的媒体查询），或提供手机版网站并在首页给出入口。",
        passing: [
            RuleExample("a viewport meta", html: examplePage("<p>首页</p>")),
            RuleExample(
                "a width media query in a style element",
                html: bare(head: "<style>.nav{float:left}@media screen and (max-width: 768px){.nav{float:none}}</style>", "<p>首页</p>")),
            RuleExample("a link media query", html: bare(head: "<link rel=\"stylesheet\" href=\"/m.css\" media=\"(max-width:640px)\">", "<p>首页</p>")),
            RuleExample(
                "a script sending phones to the mobile site",
                html: bare(
                    head:
                        "<script>if(/iPhone|Android|Mobile/i.test(navigator.userAgent)){window.location.href=\"http://m.example.gov.cn/\";}</script>",
                    "<p>首页</p>")),
            RuleExample("a 手机版 link", html: bare("<div class=\"top\"><a href=\"http://m.example.gov.cn/\">手机版</a></div>")),
            RuleExample(
                "an m. sub-site link without the word",
                html: bare("<div class=\"top\"><a href=\"http://m.example.gov.cn/\"><img src=\"/phone.png\" alt=\"扫码访问\"></a></div>")),
        ],
        failing: [
            RuleExample("nothing at all", html: bare("<p>首页</p>"), subjects: ["static"], severity: .deduct),
            RuleExample(
                "a print media query and a fixed-width viewport-less page",
                html: bare(head: "<style>@media print{.nav{display:none}} body{width:1200px}</style>", "<p>首页</p><a href=\"/mobile-payment.html\">移动支付</a>"),
                subjects: ["static"], severity: .deduct),
        ])
}
