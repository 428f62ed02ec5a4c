package import Vocabulary
/// The existing link check (`LinkBrokenRule.swift`) as a registered site rule.
extension LinkBrokenRule: SiteRule {
    package static let description = RuleDescription(
        id: LinkBrokenRule.id, indicator: .linkBroken,
        nameZh: "链接不可用", nameEn: "Broken link",
        summary: """
            A link target that the sweep could not reach. Internal broken links cost points (a link on the \
            home page ten times as much); external broken links and blocked links (401/403/429, firewalls: \
            not proof that the target is gone) are advice, and so is a link longer than 8 KiB, which is not \
            requested (servers answer such a request with 414 or not at all). The finding's url is the target; foundOn lists \
            the linking pages, whose department fixes the link.
            """,
        source: "国办秘函〔2019〕19号 扣分指标“链接可用性”",
        confidence: "H for the indicator; L for the points (1 per broken home-page link, 0.1 per other, commonly quoted) and the cap",
        severity: .deduct, points: 0.1,
        parameters: [
            RuleParameter("points", profileKey: "rules.link.broken.points", defaultValue: "0.1", help: "per broken internal link; ×10 on the home page"),
            RuleParameter("cap", profileKey: "caps.link-broken", defaultValue: "10", help: "the indicator's deduction cap"),
        ],
        passing: [RuleExample("no broken link", pages: [ExamplePage("/", examplePage("<a href=\"/a.html\">通知</a>"))])],
        failing: [
            RuleExample(
                "a broken link on the home page", pages: [ExamplePage("/", examplePage("<a href=\"/gone.html\">旧栏目</a>"))],
                brokenLinks: ["/gone.html"], subjects: [""], severity: .deduct)
        ])

    package func findings(in site: SiteContext) -> [Finding] {
        let (_, _, points) = site.profile.settings(for: Self.description)
        var rule = self
        rule.otherPoints = points
        rule.homepagePoints = points * 10
        let homes = Set(site.homePages + site.homes.map(\.url))
        var out = rule.findings(targets: site.linkTargets, homePages: homes, departments: site.departments)
        // The profile's URL map when `--departments` has none.
        for i in out.indices where out[i].department.isEmpty {
            out[i].department = LinkBrokenRule.department(of: out[i].url, linkedFrom: out[i].foundOn) { site.department(for: $0) }
        }
        return out
    }
}
