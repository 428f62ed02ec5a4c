package import Foundation

/// One availability sample of a URL (`govsweep probe`), independent of runs: what the store
/// keeps and what the availability rule (`site.unavailable`) judges.
package struct ProbeRecord: Sendable, Equatable {
    /// Assigned by the store; 0 before recording.
    package var id: Int64
    package var url: String
    /// When the probe was sent.
    package var at: Date
    package var status: Int
    package var seconds: Double
    package var linkClass: LinkClass
    package var reason: FetchReason

    /// (The defaults are a quick success, as the rule's examples and tests write one.)
    package init(
        id: Int64 = 0, url: String, at: Date, status: Int = 200, seconds: Double = 0.1, linkClass: LinkClass = .ok,
        reason: FetchReason = .none
    ) {
        self.id = id; self.url = url; self.at = at; self.status = status; self.seconds = seconds
        self.linkClass = linkClass; self.reason = reason
    }
}
