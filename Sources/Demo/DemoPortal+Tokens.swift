/// Date and address tokens in the portal files, replaced when a file is served so
/// the portal looks freshly maintained whatever day the demo runs.
///
/// `{{date:-3}}` as-of minus 3 days as 2026-11-26, `{{cn-date:-3}}` 2026年11月26日,
/// `{{md:-3}}` 11-26, `{{year:-3}}` 2026, `{{year+1:-3}}` 2027, `{{ext}}` the external server's base URL,
/// `{{base}}` the portal's own base URL. For feeds: `{{rfc822:-3}}` Thu, 26 Nov 2026 09:30:00 +0800,
/// `{{fri:-14}}` the last Friday on or before as-of minus 14 days (ISO), `{{fri+3:-14}}` the Monday after it. Tokens are ASCII and replaced on bytes, and
/// values are written in the file's encoding (`gbk: true` for the GBK sub-tree), so a
/// GBK file stays GBK. Unknown tokens are left as they are.
enum DemoTokens {
    static func substitute(_ bytes: [UInt8], asOf: DemoDate, externalBase: String, portalBase: String, gbk: Bool = false) -> [UInt8] {
        let open: [UInt8] = [0x7B, 0x7B], close: [UInt8] = [0x7D, 0x7D]
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 256)
        var i = 0
        let n = bytes.count
        while i < n {
            if i + 1 < n, bytes[i] == open[0], bytes[i + 1] == open[1],
                let end = find(close, in: bytes, from: i + 2, limit: min(n, i + 2 + 64))
            {
                let name = String(decoding: bytes[(i + 2)..<end], as: UTF8.self)
                if let value = value(of: name, asOf: asOf, externalBase: externalBase, portalBase: portalBase) {
                    out.append(contentsOf: gbk ? gbkBytes(value) : Array(value.utf8))
                    i = end + 2
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }

    static func value(of token: String, asOf: DemoDate, externalBase: String, portalBase: String) -> String? {
        switch token {
        case "ext": return externalBase
        case "base": return portalBase
        default: break
        }
        let parts = token.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let offset = Int(parts[1]), let day = asOf.adding(days: offset) else { return nil }
        switch parts[0] {
        case "date": return day.iso
        case "cn-date": return day.chinese
        case "md": return day.monthDay
        case "year": return String(day.year)
        case "year+1": return String(day.year + 1)
        case "rfc822": return day.rfc822
        case "fri": return day.lastFriday.iso
        case "fri+3": return day.lastFriday.adding(days: 3)?.iso
        default: return nil
        }
    }

    /// The only non-ASCII characters a value can hold are 年, 月, 日 (cn-date).
    private static let gbkTable: [Character: [UInt8]] = ["年": [0xC4, 0xEA], "月": [0xD4, 0xC2], "日": [0xC8, 0xD5]]

    private static func gbkBytes(_ value: String) -> [UInt8] {
        var out: [UInt8] = []
        for ch in value {
            if ch.isASCII { out.append(contentsOf: ch.utf8) } else { out.append(contentsOf: gbkTable[ch] ?? [0x3F]) }
        }
        return out
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int, limit: Int) -> Int? {
        var j = from
        while j + needle.count <= limit {
            if bytes[j] == needle[0] && bytes[j + 1] == needle[1] { return j }
            j += 1
        }
        return nil
    }
}
