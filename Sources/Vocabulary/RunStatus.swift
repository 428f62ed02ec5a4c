/// Where a stored run stands (`runs.status`; the store's triggers refuse anything else).
package enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// Started and not ended: still going, or killed without a chance to say so.
    case running
    /// Finished: its findings, score and verdict are stored. Only done runs are compared.
    case done
    /// Stopped by SIGINT or SIGTERM; `--resume` continues it.
    case interrupted
    /// Ended before inspection: no start URL could be fetched (exit 3).
    case failed
}
