/// The footer identification markers (网站标识码, ICP, 公安备案, 主办单位, 联系方式,
/// 党政机关标识, 我为政府网站找错): one rule per marker, checked on each start page's footer.
public protocol FooterMarkerRule: SiteRule {
    /// The marker key, the finding's subject (CONTRACT.md).
    static var marker: String { get }
    func check(_ home: HomeSummary) -> FooterVerdict
}

public enum FooterVerdict: Sendable, Equatable {
    case present
    case missing
    /// Present but not in the required form; the value as printed.
    case malformed(String)
}

extension FooterMarkerRule {
    public func findings(in site: SiteContext) -> [Finding] {
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
            return Finding(rule: d.id, indicator: .footerMarker, severity: severity, points: points, url: home.url,
                           subject: Self.marker, department: site.department(for: home.url), message: message, evidence: evidence)
        }
    }
}

/// Small text helpers for reading footers.
enum FooterText {
    static func digits(_ s: Substring) -> String { String(s.filter(\.isNumber)) }

    /// A phone number as sites print them: 010-66012345, (010)66012345, 010 6601 2345,
    /// 13812345678, or a labelled local number (电话：66012345) or hotline (热线：12345).
    /// A 10-digit 网站标识码 or an ICP / filing number is not a phone: area codes begin
    /// with 0 and mobiles have 11 digits beginning 1[3-9].
    static func hasPhone(_ text: String) -> Bool {
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            guard chars[i].isASCII, chars[i].isNumber, i == 0 || !(chars[i - 1].isASCII && chars[i - 1].isNumber) else { i += 1; continue }
            var j = i, digits = ""
            while j < chars.count, digits.count < 16 {
                let c = chars[j]
                if c.isASCII && c.isNumber { digits.append(c) } else if "-— ()（）".contains(c), j + 1 < chars.count, chars[j + 1].isNumber || "(（".contains(chars[j + 1]) {} else { break }
                j += 1
            }
            let before = String(chars[max(0, i - 12)..<i])
            let labelled = ["电话", "热线", "Tel", "TEL", "tel", "传真", "咨询"].contains { before.contains($0) }
            let filing = ["标识码", "ICP", "备", "邮编", "邮政编码"].contains { before.suffix(6).contains($0) }
            if !filing {
                if digits.hasPrefix("0"), (10...12).contains(digits.count) { return true }
                if digits.count == 11, digits.hasPrefix("1"), let second = digits.dropFirst().first, "3456789".contains(second) { return true }
                if labelled, digits.count == 8 || (digits.count == 5 && digits.hasPrefix("12")) { return true }
            }
            i = max(j, i + 1)
        }
        return false
    }
}
