import Foundation

/// A score or a finding's points as every output prints it (the report, summary.md, the
/// department lists, `history`, `diff`, `rules`, the sweep's summary): a whole number bare
/// (100, 5), else two decimals without trailing zeros (90.8, 0.25). There were three
/// spellings: `String(p)`, a regular expression that dropped one zero, and this one.
package func pointsText(_ p: Double) -> String {
    if p == p.rounded() { return String(Int(p)) }
    // No regular expression: it runs per finding.
    var t = String(format: "%.2f", p)
    while t.hasSuffix("0") { t.removeLast() }
    if t.hasSuffix(".") { t.removeLast() }
    return t
}
