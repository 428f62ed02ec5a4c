import Foundation
package import Vocabulary

/// Reads a feed item's date as a day in China Standard Time (CONTRACT: dates are read in
/// CST). Forms: RFC 822 (RSS `pubDate`: `Mon, 31 Oct 2022 09:00:00 +0800`, zone names
/// GMT/UT/Z, and `CST`, which Chinese feeds use for China Standard Time, not US Central),
/// RFC 3339 (Atom, JSON Feed: `2022-10-31T09:00:00+08:00`, `Z`, fractions), and the
/// Chinese forms some bridges print (`2022年10月31日 09:00`, `2022-10-31 09:00:00`,
/// `2022/10/31`), which carry no zone and are already China time.
package enum FeedDate {
    package static func day(_ text: String) -> Day? {
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let d = rfc3339(s) { return d }
        if let d = rfc822(s) { return d }
        return chinese(s)
    }

    static let months = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
        "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ]

    /// Minutes east of UTC for RFC 822 zone names; CST is China's (see above).
    static let zones = [
        "gmt": 0, "ut": 0, "utc": 0, "z": 0, "cst": 480, "bjt": 480, "ct": 480,
        "est": -300, "edt": -240, "pst": -480, "pdt": -420, "mst": -420, "mdt": -360,
    ]

    /// A date and time with a UTC offset, moved to China time (UTC+8), as a day.
    static func inChina(year: Int, month: Int, day: Int, hour: Int, minute: Int, offsetMinutes: Int) -> Day? {
        guard let d = Day(year: year, month: month, day: day), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        let minutes = hour * 60 + minute - offsetMinutes + 480
        let shift = minutes >= 0 ? minutes / 1440 : -((1439 - minutes) / 1440)
        return d + shift
    }

    /// `2022-10-31T09:00:00+08:00` (also a space for T, lower-case t/z, no seconds, fractions).
    static func rfc3339(_ s: String) -> Day? {
        let c = Array(s.utf8)
        func num(_ from: Int, _ n: Int) -> Int? {
            guard from + n <= c.count else { return nil }
            var v = 0
            for b in c[from..<from + n] { guard b >= 48 && b <= 57 else { return nil }; v = v * 10 + Int(b - 48) }
            return v
        }
        guard c.count >= 10, let y = num(0, 4), c[4] == 45, let m = num(5, 2), c[7] == 45, let d = num(8, 2) else { return nil }
        if c.count == 10 { return Day(year: y, month: m, day: d) }  // a bare date: China time
        guard [84, 116, 32].contains(c[10]), let h = num(11, 2), c.count > 13, c[13] == 58, let mi = num(14, 2) else { return nil }
        var i = 16
        if i < c.count, c[i] == 58 { i += 3 }  // :ss
        if i < c.count, c[i] == 46 { i += 1; while i < c.count, c[i] >= 48 && c[i] <= 57 { i += 1 } }
        var offset = 480  // no zone: China time
        if i < c.count {
            if c[i] == 90 || c[i] == 122 {
                offset = 0
            } else if c[i] == 43 || c[i] == 45, let oh = num(i + 1, 2) {
                let om = (i + 3 < c.count && c[i + 3] == 58) ? num(i + 4, 2) : num(i + 3, 2)
                offset = (oh * 60 + (om ?? 0)) * (c[i] == 45 ? -1 : 1)
            } else {
                return nil
            }
        }
        return inChina(year: y, month: m, day: d, hour: h, minute: mi, offsetMinutes: offset)
    }

    /// `Mon, 31 Oct 2022 09:00:00 +0800` (weekday optional, 2-digit years, no seconds).
    static func rfc822(_ s: String) -> Day? {
        var parts = s.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        if let f = parts.first, f.count >= 3, Int(f) == nil, months[f.prefix(3).lowercased()] == nil { parts.removeFirst() }
        guard parts.count >= 3, let d = Int(parts[0]), let m = months[parts[1].prefix(3).lowercased()], var y = Int(parts[2]) else { return nil }
        if y < 100 { y += y < 50 ? 2000 : 1900 }
        var h = 0, mi = 0, offset = 480
        if parts.count >= 4 {
            let t = parts[3].split(separator: ":").compactMap { Int($0) }
            guard t.count >= 2 else { return nil }
            h = t[0]; mi = t[1]
        }
        if parts.count >= 5 {
            let z = parts[4]
            if let sign = z.first, sign == "+" || sign == "-", z.count == 5, let v = Int(z.dropFirst()) {
                offset = (v / 100 * 60 + v % 100) * (sign == "-" ? -1 : 1)
            } else if let named = zones[z.lowercased()] {
                offset = named
            } else {
                return nil
            }
        }
        return inChina(year: y, month: m, day: d, hour: h, minute: mi, offsetMinutes: offset)
    }

    /// `2022年10月31日`, `2022-10-31 09:00:00`, `2022/10/31`: the date part, China time.
    static func chinese(_ s: String) -> Day? {
        let found = DateScanner.dates(in: String(s.prefix(40)), asOf: nil)
        return found.count == 1 ? found[0] : nil
    }
}
