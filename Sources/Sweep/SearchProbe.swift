public import Fetch
public import Inspect

/// Sends the site-search queries (`Inspector.searchPlans`) after the crawl, through the
/// sweep's HTTP client (its per-host limits and timeouts): one query a start page, and a
/// second only when the first finds nothing.
public enum SearchProbe {
    public static func check(_ plans: [SiteSearch.Plan], client: HTTPClient) async -> [SiteSearch.Check] {
        await SearchQueries.send(plans) { q in
            let r = await client.fetch(FetchRequest(url: q.url, headers: [("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")]))
            let failure = r.status != 0 ? "" : r.reason.isEmpty ? r.detail : r.reason
            return SiteSearch.Check(query: q, status: r.status, body: r.body, contentType: r.contentType, failure: failure)
        }
    }
}
