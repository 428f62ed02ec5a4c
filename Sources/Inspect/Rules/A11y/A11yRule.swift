extension RuleDescription {
    /// The common shape of the static axe-core checks.
    static func a11y(_ key: String, axe: String, zh: String, en: String, summary: String,
                     passing: [RuleExample], failing: [RuleExample]) -> RuleDescription {
        RuleDescription(
            id: "a11y.\(key)", indicator: .a11y, nameZh: zh, nameEn: en,
            summary: summary + " One finding per page with the count and up to five snippets; an offender on many pages of one template is reported once for the template.",
            source: "GB/T 37668-2019 (shared with WCAG 2.0), as axe-core's `\(axe)` checks it; 2021 政府网站适老化与无障碍改造 (西城区2022年政务公开工作要点 item 41)",
            confidence: "H for the requirement; M for the mapping to axe; points L (advice unless the profile says otherwise)",
            severity: .advice, points: 0, passing: passing, failing: failing)
    }
}

enum A11y {
    /// Absent, empty or only white space.
    static func blank(_ s: String?) -> Bool { s?.isBlank ?? true }
    static func isPresentational(_ role: String?) -> Bool { role == "presentation" || role == "none" }
    /// An element with aria-label, aria-labelledby text or title has a name.
    static func named(ariaLabel: String?, labelledBy: String?, title: String?) -> Bool {
        !blank(ariaLabel) || !blank(labelledBy) || !blank(title)
    }
}
