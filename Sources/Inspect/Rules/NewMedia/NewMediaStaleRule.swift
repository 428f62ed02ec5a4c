package import Vocabulary
/// `newmedia-stale`: a filed account whose newest post is older than the window.
package struct NewMediaStaleRule: SiteRule {
    package init() {}

    package func findings(in site: SiteContext) -> [Finding] {
        let window = site.profile.newmediaWindowDays
        let d = Self.description
        return site.accountChecks.compactMap { check -> Finding? in
            guard case let .read(newest, items, undated, format) = check.outcome else { return nil }
            var evidence: [String: JSONValue] = ["windowDays": .int(window), "items": .int(items), "format": .string(format)]
            if let newest {
                guard site.asOf - newest > window else { return nil }
                evidence["latest"] = .string(newest.description)
                return NewMediaSupport.finding(
                    d, check, message: "\(check.account.platform)账号“\(check.account.name)”最近发文于 \(newest)，已 \(site.asOf - newest) 天未更新（超过 \(window) 天）",
                    evidence: evidence, site: site)
            }
            evidence["latest"] = .null
            let why = items == 0 ? "订阅源可以读取，但没有任何文章" : "订阅源中 \(undated) 篇文章都没有可识别的发布日期"
            return NewMediaSupport.finding(
                d, check, message: "\(check.account.platform)账号“\(check.account.name)”：\(why)，视为 \(window) 天内未更新",
                evidence: evidence, site: site)
        }
    }

    static let fresh = ExampleAccount("微信", "示例发布", feed: NewMediaSupport.rss(["Fri, 28 Oct 2022 18:00:00 +0800", "Mon, 10 Oct 2022 09:00:00 +0800"]))

    package static let description = RuleDescription(
        id: "newmedia.stale", indicator: .newmediaStale, nameZh: "政务新媒体不更新", nameEn: "Filed new-media account not updated",
        summary: """
            Fetches the feed of every account in `--accounts` (RSS 2.0, Atom or JSON Feed from a feed bridge) and reports \
            an account whose newest post is older than the window, counted back from the as-of date in China time. A \
            well-formed feed with no items, or with no item whose date can be read, counts as not updated (as an undated \
            home-page item does); a feed that cannot be fetched or is not a feed is newmedia-unreachable instead. Without \
            `--accounts` it reports nothing.
            """,
        source: "国办秘函〔2019〕19号 政务新媒体单项否决：监测时间点前2周内无更新; 西城区2022年政务公开工作要点 第41项",
        confidence: "H (2 weeks, veto)",
        severity: .veto, points: 0,
        parameters: [RuleParameter("window", profileKey: "newmediaWindowDays", defaultValue: "14", help: "days within which an account must have posted")],
        passing: [
            RuleExample("an RSS 2.0 feed with a post 4 days before the as-of date", pages: [], accounts: [fresh]),
            RuleExample(
                "Atom and JSON Feed, posts exactly 14 days old (UTC time that is already the next day in China)", pages: [],
                accounts: [
                    ExampleAccount("新浪微博", "示例微博", feed: NewMediaSupport.atom(["2022-10-17T16:30:00Z"])),
                    ExampleAccount("抖音", "示例抖音", feed: NewMediaSupport.json(["2022-10-18T08:00:00+08:00"])),
                ]),
            RuleExample(
                "a Chinese-style date; no feed at all is not this rule's (unreachable)", pages: [],
                accounts: [
                    ExampleAccount("头条号", "示例头条", feed: NewMediaSupport.rss(["2022年10月30日 10:00"])),
                    ExampleAccount("快手", "示例快手", status: 404, feed: "<html><body>Not Found</body></html>"),
                ]),
        ],
        failing: [
            RuleExample(
                "newest post 15 days old (Atom), and an RSS whose newest item is old though listed last", pages: [],
                accounts: [
                    fresh,
                    ExampleAccount("新浪微博", "示例微博", feed: NewMediaSupport.atom(["2022-10-17T08:00:00+08:00"])),
                    ExampleAccount("微信", "示例服务号", feed: NewMediaSupport.rss(["Sat, 01 Oct 2022 10:00:00 GMT", "Mon, 12 Sep 2022 10:00:00 GMT"])),
                ], subjects: ["示例微博", "示例服务号"], severity: .veto),
            RuleExample(
                "a feed with no items, and one whose dates cannot be read", pages: [],
                accounts: [
                    ExampleAccount("抖音", "示例抖音", feed: NewMediaSupport.json([])),
                    ExampleAccount("微信", "示例服务号", feed: NewMediaSupport.rss(["昨天"])),
                ], subjects: ["示例抖音", "示例服务号"]),
        ])
}
