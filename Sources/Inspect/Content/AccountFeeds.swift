public import Fetch
import Foundation
import Parse

/// The outcome of fetching and reading one filed account's feed.
public struct AccountCheck: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The feed was read: its newest dated item (nil: no item, or none with a readable date).
        case read(newest: Day?, items: Int, undated: Int, format: String)
        /// The feed could not be fetched (`status` 0: no HTTP answer) or is not a feed.
        case unreachable(reason: String, status: Int)
    }
    public var account: AccountRegistry.Entry
    public var outcome: Outcome

    public init(account: AccountRegistry.Entry, outcome: Outcome) { self.account = account; self.outcome = outcome }

    /// Reads a fetched feed. A response is unreachable when it is not a 2xx, or its body is
    /// not a well-formed feed (an HTML error page, bad XML, an RSS without a channel, JSON
    /// that is not a JSON Feed). A well-formed feed with zero items is *read* (newest nil):
    /// the account shows no post at all, which the stale rule reports.
    public init(account: AccountRegistry.Entry, status: Int, body: [UInt8], failure: String = "") {
        self.account = account
        guard (200..<300).contains(status) else {
            let why = status == 0 ? (failure.isEmpty ? "no response" : failure) : "HTTP \(status)"
            outcome = .unreachable(reason: why, status: status)
            return
        }
        switch FeedParser.parse(body) {
        case .failure(let e):
            outcome = .unreachable(reason: e.description, status: status)
        case .success(let feed):
            let days = feed.items.map { $0.date.flatMap(FeedDate.day) }
            outcome = .read(newest: days.compactMap { $0 }.max(), items: feed.items.count,
                            undated: days.filter { $0 == nil }.count, format: feed.format.rawValue)
        }
    }
}

/// Fetches every filed account's feed through the sweep's HTTP client: all at once, the
/// client keeping to its per-host and total limits and its timeouts.
public enum AccountFeeds {
    public static func check(_ registry: AccountRegistry, client: HTTPClient) async -> [AccountCheck] {
        await withTaskGroup(of: (Int, AccountCheck).self) { group in
            for (i, account) in registry.entries.enumerated() {
                group.addTask {
                    let r = await client.fetch(FetchRequest(url: account.feed, headers: [
                        ("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, */*;q=0.5"),
                    ]))
                    let failure = r.reason.isEmpty ? r.detail : r.reason
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
