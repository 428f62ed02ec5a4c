package import Vocabulary

/// `link-broken`: a link's target is unreachable. Internal broken links cost points
/// (more when the home page carries them); external broken links and blocked links
/// (401/403/429, firewalls: not proof that the target is gone) are advice.
///
/// Source: 国办秘函〔2019〕19号, 链接可用性 (deduction part). Points are the commonly
/// quoted 1 per broken home-page link and 0.1 per other broken link (confidence L:
/// not confirmed in the official text; a profile setting).
package struct LinkBrokenRule: Sendable {
    package static let id: RuleID = "link.broken"
    package var homepagePoints: Double = 1
    package var otherPoints: Double = 0.1
    /// At most this many linking pages are listed in `foundOn`; the evidence keeps the count.
    package var maxFoundOn = 50

    package init() {}

    package func findings(targets: [LinkTarget], homePages: Set<String>, departments: DepartmentMap) -> [Finding] {
        var out: [Finding] = []
        for t in targets where t.linkClass != .ok {
            let pages = Array(Set(t.sources.map(\.from))).sorted()
            let linking = max(pages.count, t.pageCount)
            let onHome = pages.contains { homePages.contains($0) }
            let kinds = Array(Set(t.sources.map(\.kind.rawValue))).sorted()
            let text = t.sources.lazy.map(\.text).first { !$0.isEmpty } ?? ""
            var evidence: [String: JSONValue] = [
                "status": .int(t.status), "class": .string(t.linkClass.rawValue), "reason": .string(t.reason.text),
                "internal": .bool(t.isInternal), "linkingPages": .int(max(pages.count, t.pageCount)),
                "kinds": .array(kinds.map { .string($0) }),
            ]
            if !text.isEmpty { evidence["linkText"] = .string(text) }
            if onHome { evidence["onHomepage"] = true }

            let severity: Severity
            let points: Double
            let message: String
            let what = t.status > 0 ? "HTTP \(t.status)" : t.reason.nameZh
            switch (t.linkClass, t.isInternal) {
            case _ where t.reason == .failure(.urlTooLong):
                // Not requested (the crawler's cap, RFC 9110's 8,000 octets): a defect of the link
                // to check, not proof that the target is gone.
                severity = .advice; points = 0
                message = "链接地址过长（\(t.url.utf8.count) 字节，超过 8 KiB），未访问：服务器通常拒绝这样的地址，出现在 \(linking) 个页面，请核实"
            case (.blocked, _):
                severity = .advice; points = 0
                message = "链接被拒绝访问（\(what)），可能是访问频率限制或防火墙拦截，不能确定为失效链接，请人工核实"
            case (_, false):
                severity = .advice; points = 0
                message = "外部链接无法访问（\(what)），出现在 \(linking) 个页面"
            case (.tlsError, true), (.broken, true), (.ok, true):
                severity = .deduct; points = onHome ? homepagePoints : otherPoints
                message =
                    onHome
                    ? "首页链接无法访问（\(what)），出现在 \(linking) 个页面"
                    : "链接无法访问（\(what)），出现在 \(linking) 个页面"
            }
            let department = Self.department(of: t.url, linkedFrom: pages) { departments.department(for: $0) }
            out.append(
                Finding(
                    rule: LinkBrokenRule.id, indicator: .linkBroken, severity: severity, points: points,
                    url: t.url, subject: "", department: department,
                    foundOn: Array(pages.prefix(maxFoundOn)), message: message, evidence: evidence))
        }
        return out.sorted { ($0.severity, $1.url) > ($1.severity, $0.url) }
    }

    /// The department answering for a broken link: the one owning the target's path, else (an
    /// external target) the first linking page's owner; `owner` is the lookup (`--departments`,
    /// then the profile's map in a second pass for the findings still without one).
    static func department(of target: String, linkedFrom pages: [String], owner: (String) -> String) -> String {
        let d = owner(target)
        return !d.isEmpty ? d : pages.lazy.map(owner).first { !$0.isEmpty } ?? ""
    }
}
