package import Fetch
package import Inspect

/// Fetches every filed account's feed through the sweep's HTTP client: all at once, the
/// client keeping to its per-host and total limits and its timeouts.
package enum AccountFeeds {
    package static func check(_ registry: AccountRegistry, client: HTTPClient) async -> [AccountCheck] {
        await withTaskGroup(of: (Int, AccountCheck).self) { group in
            for (i, account) in registry.entries.enumerated() {
                group.addTask {
                    let r = await client.fetch(
                        FetchRequest(
                            url: account.feed,
                            headers: [
                                ("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, */*;q=0.5")
                            ]))
                    let failure = r.reason == .none ? r.detail : r.reason.text
                    if r.truncated {
                        return (i, AccountCheck(account: account, outcome: .unreachable(reason: "body exceeds the size limit", status: r.status)))
                    }
                    return (i, AccountCheck(account: account, status: r.status, body: r.body, failure: failure))
                }
            }
            var out: [(Int, AccountCheck)] = []
            for await r in group { out.append(r) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
