import Inspect
import Vocabulary

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
        /// The first findings in rank order (all of them unless the caller asked for fewer).
        var items: [Item]
        /// How many findings the department has.
        var total: Int
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
    /// ranked: vetoes, then by points gained, then by raw points, and `top` of them made
    /// into items (a big site's thousands of findings are ranked by index, not copied).
    func departments(_ findings: [Finding], top: Int = .max) -> [Department] {
        var groups: [String: [Int]] = [:]
        for (i, f) in findings.enumerated() where f.severity != .advice { groups[f.department, default: []].append(i) }
        // The gain of fixing one deduction depends only on its indicator and points.
        struct GainKey: Hashable { var indicator: Indicator; var points: Double }
        var gains: [GainKey: Double] = [:]
        func gainOf(_ f: Finding) -> Double {
            guard f.severity == .deduct else { return 0 }
            let key = GainKey(indicator: f.indicator, points: f.points)
            if let g = gains[key] { return g }
            let g = gain(removing: [f.indicator: f.points])
            gains[key] = g
            return g
        }
        var out: [Department] = []
        for (name, indices) in groups {
            var removed: [Indicator: Double] = [:]
            var vetoes = 0, deducts = 0, points = 0.0
            for i in indices {
                let f = findings[i]
                if f.severity == .veto { vetoes += 1 }
                if f.severity == .deduct { deducts += 1; points += f.points; removed[f.indicator, default: 0] += f.points }
            }
            let ranked = indices.map { ($0, gainOf(findings[$0])) }.sorted { a, b in
                let x = findings[a.0], y = findings[b.0]
                return (x.severity, a.1, x.points, y.message) > (y.severity, b.1, y.points, x.message)
            }
            out.append(
                Department(
                    name: name, vetoes: vetoes, deducts: deducts, gain: gain(removing: removed), points: points,
                    items: ranked.prefix(top).map { item(findings[$0.0]) }, total: indices.count))
        }
        return out.sorted { ($0.vetoes, $0.gain, $0.points, $1.name) > ($1.vetoes, $1.gain, $1.points, $0.name) }
    }
}
