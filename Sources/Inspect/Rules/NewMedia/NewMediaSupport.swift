import Vocabulary
/// Shared by the new-media rules: findings on a filed account, and example feeds.
enum NewMediaSupport {
    static func finding(
        _ d: RuleDescription, _ check: AccountCheck, message: String, evidence: [String: JSONValue],
        site: SiteContext
    ) -> Finding {
        let (_, severity, points) = site.profile.settings(for: d)
        var ev = evidence
        ev["platform"] = .string(check.account.platform)
        ev["feed"] = .string(check.account.feed)
        return Finding(
            rule: d.id, indicator: d.indicator, severity: severity, points: points, url: check.account.feed,
            subject: check.account.name, department: check.account.department, message: message, evidence: ev)
    }

    /// An RSS 2.0 feed whose items carry these `pubDate`s.
    static func rss(_ dates: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>示例发布</title><link>http://example.com/</link>
        \(dates.enumerated().map { "<item><title>文章\($0.offset + 1)</title><pubDate>\($0.element)</pubDate></item>" }.joined())
        </channel></rss>
        """
    }

    /// An Atom feed whose entries were updated on these dates.
    static func atom(_ dates: [String]) -> String {
        """
        <?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>示例发布</title>
        \(dates.enumerated().map { "<entry><title>文章\($0.offset + 1)</title><updated>\($0.element)</updated></entry>" }.joined())
        </feed>
        """
    }

    /// A JSON Feed 1.1 whose items were published on these dates.
    static func json(_ dates: [String]) -> String {
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"示例发布\",\"items\":["
            + dates.enumerated().map { "{\"id\":\"\($0.offset)\",\"title\":\"文章\",\"date_published\":\"\($0.element)\"}" }.joined(separator: ",")
            + "]}"
    }
}
