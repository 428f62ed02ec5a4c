import Foundation
import Parse
package import Vocabulary

/// The outcome of fetching and reading one filed account's feed.
package struct AccountCheck: Sendable, Equatable {
    package enum Outcome: Sendable, Equatable {
        /// The feed was read: its newest dated item (nil: no item, or none with a readable date).
        case read(newest: Day?, items: Int, undated: Int, format: String)
        /// The feed could not be fetched (`status` 0: no HTTP answer) or is not a feed.
        case unreachable(reason: String, status: Int)
    }
    package var account: AccountRegistry.Entry
    package var outcome: Outcome

    package init(account: AccountRegistry.Entry, outcome: Outcome) { self.account = account; self.outcome = outcome }

    /// Reads a fetched feed. A response is unreachable when it is not a 2xx, or its body is
    /// not a well-formed feed (an HTML error page, bad XML, an RSS without a channel, JSON
    /// that is not a JSON Feed). A well-formed feed with zero items is *read* (newest nil):
    /// the account shows no post at all, which the stale rule reports.
    package init(account: AccountRegistry.Entry, status: Int, body: [UInt8], failure: String = "") {
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
            outcome = .read(
                newest: days.compactMap { $0 }.max(), items: feed.items.count,
                undated: days.filter { $0 == nil }.count, format: feed.format.rawValue)
        }
    }
}
