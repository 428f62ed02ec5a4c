package import Vocabulary
/// The official scoring: any veto fails the site; otherwise 100 minus the deductions,
/// each indicator's deductions capped at that indicator's total, against the pass mark.
package struct Scoring: Sendable {
    package var passMark: Double = 60
    /// Per-indicator caps on deductions (an indicator absent here is uncapped).
    package var caps: [Indicator: Double] = [.linkBroken: 10]

    package init() {}

    package struct Result: Sendable, Equatable {
        package var score: Double
        package var verdict: Verdict
        /// The indicators of the veto findings, in the order first met.
        package var vetoes: [Indicator]
        package var deductions: [Indicator: Double]
    }

    package func score(_ findings: [Finding]) -> Result {
        var deductions: [Indicator: Double] = [:]
        var vetoes: [Indicator] = []
        for f in findings {
            switch f.severity {
            case .veto: if !vetoes.contains(f.indicator) { vetoes.append(f.indicator) }
            case .deduct: deductions[f.indicator, default: 0] += f.points
            case .advice: break
            }
        }
        for (k, v) in deductions { if let cap = caps[k] { deductions[k] = min(v, cap) } }
        let total = deductions.values.reduce(0, +)
        let score = max(0, (100 - total) * 100).rounded() / 100
        let verdict: Verdict = !vetoes.isEmpty || score < passMark ? .fail : .pass
        return Result(score: score, verdict: verdict, vetoes: vetoes, deductions: deductions)
    }
}
