package import Vocabulary
/// `newmedia-unreachable`: a filed account's feed cannot be fetched, or is not a feed.
package struct NewMediaUnreachableRule: SiteRule {
    package init() {}

    package func findings(in site: SiteContext) -> [Finding] {
        let d = Self.description
        return site.accountChecks.compactMap { check -> Finding? in
            guard case let .unreachable(reason, status) = check.outcome else { return nil }
            let fetched = status >= 200 && status < 300
            let what = fetched ? "订阅源不是有效的 RSS/Atom/JSON Feed（\(reason)）" : "订阅源无法访问（\(reason)）"
            return NewMediaSupport.finding(
                d, check, message: "\(check.account.platform)账号“\(check.account.name)”：\(what)",
                evidence: [
                    "reason": .string(reason), "status": .int(status),
                    "kind": .string(fetched ? "not-a-feed" : "unreachable"),
                ], site: site)
        }
    }

    package static let description = RuleDescription(
        id: "newmedia.unreachable", indicator: .newmediaUnreachable, nameZh: "政务新媒体订阅源不可用", nameEn: "New-media feed unreachable",
        summary: """
            Reports a filed account (`--accounts`) whose feed cannot be checked: no answer, an HTTP error, a timeout, a \
            body over the size limit (evidence kind `unreachable`), or an answer that is not a well-formed feed: an HTML \
            page, malformed XML, an RSS without a channel, JSON that is not a JSON Feed, XML declaring entities (kind \
            `not-a-feed`). A well-formed feed with zero items is not this rule's: it is newmedia-stale.
            """,
        source: "国办秘函〔2019〕19号 政务新媒体（账号须可正常访问、持续更新）; severity and points L (profile setting)",
        confidence: "L (severity, points)",
        severity: .deduct, points: 1,
        passing: [
            RuleExample(
                "RSS, Atom and JSON Feed that parse", pages: [],
                accounts: [
                    ExampleAccount("微信", "示例发布", feed: NewMediaSupport.rss(["Fri, 28 Oct 2022 18:00:00 +0800"])),
                    ExampleAccount("微博", "示例微博", feed: NewMediaSupport.atom(["2022-10-28T10:00:00Z"])),
                    ExampleAccount("抖音", "示例抖音", feed: NewMediaSupport.json(["2022-10-28T10:00:00+08:00"])),
                    ExampleAccount("快手", "空的订阅源", feed: NewMediaSupport.rss([])),
                ])
        ],
        failing: [
            RuleExample(
                "404, timeout, an HTML page, malformed XML, not a feed", pages: [],
                accounts: [
                    ExampleAccount("微信", "已删除", status: 404, feed: "Not Found"),
                    ExampleAccount("微信", "超时", status: 0),
                    ExampleAccount("微博", "网页", feed: "<!DOCTYPE html><html><head><title>登录</title></head><body><p>请登录</p></body></html>"),
                    ExampleAccount("抖音", "坏XML", feed: "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>a</item></channel></rss>"),
                    ExampleAccount("头条号", "坏JSON", feed: "{\"items\": []}"),
                ], subjects: ["已删除", "超时", "网页", "坏XML", "坏JSON"], severity: .deduct)
        ])
}
