/// The sweep's conclusion (findings.json's `verdict`): fail when any veto finding exists or
/// the score is under the profile's pass mark.
package enum Verdict: String, Sendable, Codable, CaseIterable {
    case pass
    case fail

    /// 合格 / 不合格, as the report and summary.md print it.
    package var nameZh: String { self == .pass ? "合格" : "不合格" }
}
