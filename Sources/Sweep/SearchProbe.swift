package import Crawl
package import Fetch
package import Inspect
import Vocabulary

/// Sends the site-search queries (`Inspector.searchPlans`) after the crawl, through the
/// sweep's HTTP client (its per-host limits and timeouts): one query a start page, and a
/// second only when the first finds nothing. robots.txt is kept as the crawl kept it: a
/// query it disallows is not sent, and its Crawl-delay spaces the two.
package enum SearchProbe {
    package static func check(_ plans: [SiteSearch.Plan], client: HTTPClient, robots: [String: Robots] = [:]) async -> [SiteSearch.Check] {
        await SearchQueries.send(plans) { q in
            let url = CrawlURL(q.url)
            let rules = url.flatMap { robots[$0.authority] }
            if let url, let rules, !rules.allows(url) { return SiteSearch.Check(query: q, disallowedByRobots: ()) }
            let delay = min(rules?.crawlDelay ?? 0, 30)
            let r = await client.fetch(
                FetchRequest(url: q.url, headers: [("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")], hostDelay: delay))
            let failure = r.status != 0 ? "" : r.reason == .none ? r.detail : r.reason.text
            return SiteSearch.Check(query: q, status: r.status, body: r.body, contentType: r.contentType, failure: failure)
        }
    }
}
