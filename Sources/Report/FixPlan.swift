import Inspect

/// "先改这些": what each fix gives back. Deductions within one indicator are capped, so a
/// fix gains points only as far as it brings the indicator's total under its cap; the
/// gains here are computed against the capped score, not the raw points.
struct FixPlan {
    struct Item {
        var finding: Finding
        /// Points the score gains when this finding alone is fixed.
        var gain: Double
        /// A sentence on what the fix removes (veto, cap).
        var note: String
    }

    struct Department {
        var name: String
        var vetoes: Int
        var deducts: Int
        /// Points the score gains when every finding of the department is fixed.
        var gain: Double
        /// Raw points of its deduction findings (before caps).
        var points: Double
        var items: [Item]
    }

    let caps: [Indicator: Double]
    /// Raw deduction totals per indicator.
    let totals: [Indicator: Double]
    let vetoCounts: [Indicator: Int]

    init(findings: [Finding], caps: [Indicator: Double]) {
        self.caps = caps
        var totals: [Indicator: Double] = [:]
        var vetoCounts: [Indicator: Int] = [:]
        for f in findings {
            if f.severity == .deduct { totals[f.indicator, default: 0] += f.points }
            if f.severity == .veto { vetoCounts[f.indicator, default: 0] += 1 }
        }
        self.totals = totals
        self.vetoCounts = vetoCounts
    }

    /// The deduction score (100 minus capped deductions, floored at 0) with `removed`
    /// points taken out of each indicator's raw total.
    func score(removing removed: [Indicator: Double] = [:]) -> Double {
        var total = 0.0
        for (ind, raw) in totals {
            let left = max(0, raw - (removed[ind] ?? 0))
            total += caps[ind].map { min(left, $0) } ?? left
        }
        return max(0, 100 - total)
    }

    /// The capped deduction of an indicator.
    func capped(_ ind: Indicator) -> Double {
        let raw = totals[ind] ?? 0
        return caps[ind].map { min(raw, $0) } ?? raw
    }

    func gain(removing removed: [Indicator: Double]) -> Double {
        let g = score(removing: removed) - score()
        return (g * 100).rounded() / 100
    }

    func item(_ f: Finding) -> Item {
        switch f.severity {
        case .veto:
            let n = vetoCounts[f.indicator] ?? 1
            let why: String
            if f.indicator == .columnStale || f.indicator == .columnBlank {
                why = "栏目不更新单项否决（共 \(n) 处）：整改到低于否决门槛即解除否决"
            } else {
                why = n == 1 ? "整改后解除该项单项否决" : "该项单项否决共 \(n) 处，须全部整改才能解除"
            }
            return Item(finding: f, gain: 0, note: why)
        case .deduct:
            let g = gain(removing: [f.indicator: f.points])
            var note = "挽回 \(Summary.points(g)) 分"
            if g < f.points, let cap = caps[f.indicator], let raw = totals[f.indicator], raw > cap {
                note += "（本指标扣分 \(Summary.points(raw)) 超出上限 \(Summary.points(cap))，须再整改 \(Summary.points(raw - cap)) 分以上的问题才见效）"
            }
            return Item(finding: f, gain: g, note: note)
        case .advice:
            return Item(finding: f, gain: 0, note: "提示，不扣分")
        }
    }

    /// Departments with vetoes or deductions, most urgent first; each with its findings
    /// ranked: vetoes, then by points gained, then by raw points.
    func departments(_ findings: [Finding]) -> [Department] {
        let groups = Dictionary(grouping: findings.filter { $0.severity != .advice }, by: \.department)
        var out: [Department] = []
        for (name, fs) in groups {
            var removed: [Indicator: Double] = [:]
            for f in fs where f.severity == .deduct { removed[f.indicator, default: 0] += f.points }
            let items = fs.map(item).sorted {
                ($0.finding.severity, $0.gain, $0.finding.points, $1.finding.message)
                    > ($1.finding.severity, $1.gain, $1.finding.points, $0.finding.message)
            }
            out.append(Department(name: name, vetoes: fs.filter { $0.severity == .veto }.count,
                                  deducts: fs.filter { $0.severity == .deduct }.count,
                                  gain: gain(removing: removed), points: fs.filter { $0.severity == .deduct }.reduce(0) { $0 + $1.points }, items: items))
        }
        return out.sorted { ($0.vetoes, $0.gain, $0.points, $1.name) > ($1.vetoes, $1.gain, $1.points, $0.name) }
    }
}
