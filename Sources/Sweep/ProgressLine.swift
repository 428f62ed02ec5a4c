import Crawl
import Foundation
import Synchronization

/// The live progress line on a terminal: pages done, queued, rate, errors, current host.
final class ProgressLine: Sendable {
    let enabled: Bool
    private let shown = Mutex(false)

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ p: CrawlProgress) {
        guard enabled else { return }
        let rate = p.elapsed > 0 ? Double(p.fetched) / p.elapsed : 0
        let line = String(
            format: "\r\u{1B}[K%d pages, %d queued, %.0f/s, %d errors, %d checked, %d skipped  %@",
            p.fetched, p.queued, rate, p.failed, p.checked, p.skipped, p.currentHost)
        FileHandle.standardError.write(Data(line.utf8))
        shown.withLock { $0 = true }
    }

    func finish() {
        if enabled, shown.withLock({ $0 }) { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
