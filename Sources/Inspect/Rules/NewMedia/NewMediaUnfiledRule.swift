package import Parse
package import Vocabulary

/// `newmedia-unfiled`: an account the portal lists that `--accounts` does not (瞒报漏报).
package struct NewMediaUnfiledRule: CollectingRule {
    package init() {}

    /// Key `platform|normalised name`; text `L|name` on a listing page, `-|name` elsewhere,
    /// then a tab and the name joined with the word after a space, when one follows.
    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        let found = AccountDiscovery.accounts(in: page, words: context.pageWords(page))
        guard !found.isEmpty else { return [] }
        let mark = AccountDiscovery.isListingPage(page) ? "L|" : "-|"
        return found.map { l in
            PageNote(
                key: "\(l.platform.rawValue)|\(NewMediaPlatform.normalizedName(l.name))",
                text: mark + l.name + (l.alternate.map { "\t" + $0 } ?? ""))
        }
    }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        guard let registry = site.content.accounts else { return [] }
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        var out: [Finding] = []
        for (key, group) in Dictionary(grouping: notes, by: \.key).sorted(by: { $0.key < $1.key }) {
            let platform = NewMediaPlatform(rawValue: String(key.prefix { $0 != "|" }))
            // The listing page first, then by URL.
            let ordered = group.sorted { ($0.text.hasPrefix("L|") ? 0 : 1, $0.url) < ($1.text.hasPrefix("L|") ? 0 : 1, $1.url) }
            // (The name and its alternate after the two-byte mark, split on the bytes as every note's
            // fields are; empty ones left out.)
            func spelled(_ n: CollectedNote) -> [String] { ByteMatch.fields(String(n.text.dropFirst(2))).filter { !$0.isEmpty } }
            let name = spelled(ordered[0])[0]
            let names = group.map(spelled)
            guard !names.joined().contains(where: { registry.contains(platform: platform, name: $0) }) else { continue }
            let pages = Array(Set(group.map(\.url))).sorted()
            let url = ordered[0].url
            out.append(
                Finding(
                    rule: d.id, indicator: d.indicator, severity: severity, points: points, url: url, subject: name,
                    department: site.department(for: url), foundOn: pages,
                    message: "网站列出的\(platform?.rawValue ?? "")账号“\(name)”不在备案账号清单中",
                    evidence: ["platform": .string(platform?.rawValue ?? ""), "pages": .int(pages.count)]))
        }
        return out
    }

    static let registry = [ExampleAccount("微信", "示范区发布"), ExampleAccount("新浪微博", "示范区发布")]

    package static let description = RuleDescription(
        id: "newmedia.unfiled", indicator: .newmediaUnfiled, nameZh: "政务新媒体未备案", nameEn: "Listed new-media account not filed",
        summary: """
            Reads the accounts the portal lists, on its new-media page (政务新媒体, 新媒体矩阵) and in every page's header and \
            footer: a platform label, a colon and a name (`微信公众号：示范区发布`, `新浪微博：@示范区发布`), or an image alt or \
            short line ending in the platform (`“示范区发布”微信公众号二维码`). On the new-media page a table's or list's own \
            platform and name cells come first (placed by the header row when there is one) and alt text last: a QR alt \
            `示范区发布今日头条二维码` beside the cells never makes an account `示范区发布今日`. Platforms match through their \
            aliases on the page and in the registry's platform column (今日头条/头条号, 微信/微信公众号/公众号, 新浪微博/微博, \
            抖音/抖音号, WeChat …). Reports each account whose name (spacing, \
            quotes, punctuation and platform suffix ignored) is not filed in `--accounts` on the same platform. Precision \
            over recall: share buttons, sentences that mention a platform and article bodies are not read. Without \
            `--accounts` there is no registry and it reports nothing.
            """,
        source: "西城区2022年政务公开工作要点 第41项（政务新媒体须备案，杜绝瞒报漏报）; 国办秘函〔2019〕19号; severity and points L",
        confidence: "H (requirement); L (severity, points)",
        severity: .deduct, points: 1,
        passing: [
            RuleExample(
                "filed accounts listed as text and as alt, spacing and quotes differ",
                pages: [
                    ExamplePage(
                        "/xmt/",
                        examplePage(
                            title: "政务新媒体",
                            """
                            <ul><li><img src="/wx.png" alt="“示范区发布”微信公众号二维码"><p>微信公众号 ： “示范区发布”</p></li>
                            <li><img src="/wb.png" alt="示范区发布官方微博"><p>新浪微博：@示范区发布</p></li></ul>
                            """))
                ], accounts: registry),
            RuleExample(
                "traps: a share button, a sentence in an article, the 找错 entry, a hotline",
                pages: [
                    ExamplePage(
                        "/",
                        examplePage(
                            """
                            <div class="footer"><a href="#">分享到微信</a> <a href="#">分享到微博</a><img src="/share.png" alt="分享到微信">
                            <a href="/zc/">我为政府网站找错</a><p>市民服务热线：12345</p></div>
                            """)),
                    ExamplePage(
                        "/ywdt/1.html",
                        examplePage(
                            title: "区长调研",
                            """
                            <h1>区长调研</h1><p>详情请关注微信公众号：西城家园，或在抖音搜索相关视频。</p>
                            """)),
                ], accounts: registry),
            RuleExample(
                "a table with platform and name cells and QR alts, filed under the platform's other name",
                pages: [
                    ExamplePage(
                        "/xmt/",
                        examplePage(
                            title: "政务新媒体",
                            """
                            <table><tr><th>序号</th><th>平台</th><th>账号名称</th><th>二维码</th></tr>
                            <tr><td>1</td><td>今日头条</td><td>示范区发布</td><td><img src="/tt.png" alt="示范区发布今日头条二维码"></td></tr>
                            <tr><td>2</td><td>公众号</td><td>示范区发布</td><td><img src="/wx.png" alt="示范区发布微信公众号二维码"></td></tr></table>
                            """))
                ], accounts: [ExampleAccount("头条号", "示范区发布"), ExampleAccount("微信", "示范区发布")]),
            RuleExample(
                "no registry: nothing to compare",
                pages: [
                    ExamplePage("/xmt/", examplePage(title: "政务新媒体", "<p>抖音号：示范区融媒</p>"))
                ]),
        ],
        failing: [
            RuleExample(
                "an unfiled Douyin account on the new-media page and in the footer, one finding",
                pages: [
                    ExamplePage(
                        "/xmt/",
                        examplePage(
                            title: "政务新媒体",
                            """
                            <ul><li><p>微信公众号：示范区发布</p></li><li><p>抖音号：示范区融媒</p></li>
                            <li><img src="/tt.png" alt="示范区头条头条号二维码"></li></ul>
                            """)),
                    ExamplePage("/", examplePage("<div class=\"footer\"><p>抖音： 示范区融媒</p></div>")),
                ], accounts: registry, subjects: ["示范区融媒", "示范区头条"]),
            RuleExample(
                "a table row of an unfiled account, its QR alt not read apart",
                pages: [
                    ExamplePage(
                        "/xmt/",
                        examplePage(
                            title: "政务新媒体",
                            """
                            <table><tr><th>平台</th><th>账号名称</th><th>二维码</th></tr>
                            <tr><td>微信</td><td>示范区发布</td><td><img src="/wx.png" alt="示范区发布微信二维码"></td></tr>
                            <tr><td>今日头条</td><td>示范文旅</td><td><img src="/tt.png" alt="示范文旅今日头条二维码"></td></tr></table>
                            """))
                ], accounts: registry, subjects: ["示范文旅"]),
        ])
}
