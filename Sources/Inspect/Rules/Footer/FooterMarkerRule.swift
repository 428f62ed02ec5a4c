package import Vocabulary
/// The footer identification markers (网站标识码, ICP, 公安备案, 主办单位, 联系方式,
/// 党政机关标识, 我为政府网站找错): one rule per marker, checked on each start page's footer.
package protocol FooterMarkerRule: SiteRule {
    /// The marker key, the finding's subject (CONTRACT.md).
    static var marker: String { get }
    func check(_ home: HomeSummary) -> FooterVerdict
}

package enum FooterVerdict: Sendable, Equatable {
    case present
    case missing
    /// Present but not in the required form; the value as printed.
    case malformed(String)
}

extension FooterMarkerRule {
    package func findings(in site: SiteContext) -> [Finding] {
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        return site.homes.compactMap { home in
            let verdict = check(home)
            let message: String
            var evidence: [String: JSONValue] = ["footer": .string(String(home.footerText.suffix(300)))]
            switch verdict {
            case .present: return nil
            case .missing: message = "首页页脚缺少\(d.nameZh)"
            case .malformed(let v):
                message = "首页页脚\(d.nameZh)格式不正确：\(v)"
                evidence["printed"] = .string(v)
            }
            return Finding(
                rule: d.id, indicator: .footerMarker, severity: severity, points: points, url: home.url,
                subject: Self.marker, department: site.department(for: home.url), message: message, evidence: evidence)
        }
    }
}

/// Small text helpers for reading footers.
enum FooterText {
    static func digits(_ s: Substring) -> String { String(s.filter(\.isNumber)) }
}
