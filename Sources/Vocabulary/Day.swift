package import Foundation

/// A calendar day in China Standard Time (`ChinaTime`), as days since 1970-01-01. Freshness checks
/// only compare days, so no time zone arithmetic is needed once a date is read.
package struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var value: Int

    package init(value: Int) { self.value = value }

    /// nil for an impossible date (month 13, 30 February …).
    package init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month), day >= 1,
            day <= Day.daysIn(month: month, year: year)
        else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        value = era * 146_097 + doe - 719_468
    }

    /// Reads `YYYY-MM-DD`, the one spelling of a day: `--as-of`, site and profile files, and
    /// what govsweep writes (`description`). nil for any other form or an impossible date.
    package init?(iso text: String) {
        var digits: [Int] = []
        var at = 0
        for b in text.utf8 {
            if at == 4 || at == 7 {
                guard b == UInt8(ascii: "-") else { return nil }
            } else {
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
                digits.append(Int(b - UInt8(ascii: "0")))
            }
            at += 1
            if at > 10 { return nil }
        }
        guard at == 10 else { return nil }
        func number(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + digits[$1] } }
        self.init(year: number(0..<4), month: number(4..<6), day: number(6..<8))
    }

    package var components: (year: Int, month: Int, day: Int) {
        let z = value + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    package var year: Int { components.year }

    package var description: String {
        // Written into a small string's own storage: a re-sweep binds its as-of day for every
        // baseline page it reads, and an interpolation allocated each time.
        let c = components
        return String(unsafeUninitializedCapacity: 10) { b in
            var y = c.year
            for i in (0..<4).reversed() {
                b[i] = UInt8(ascii: "0") + UInt8(y % 10)
                y /= 10
            }
            b[4] = UInt8(ascii: "-")
            b[5] = UInt8(ascii: "0") + UInt8(c.month / 10)
            b[6] = UInt8(ascii: "0") + UInt8(c.month % 10)
            b[7] = UInt8(ascii: "-")
            b[8] = UInt8(ascii: "0") + UInt8(c.day / 10)
            b[9] = UInt8(ascii: "0") + UInt8(c.day % 10)
            return 10
        }
    }

    package static func < (a: Day, b: Day) -> Bool { a.value < b.value }
    package static func - (a: Day, b: Day) -> Int { a.value - b.value }
    package static func - (a: Day, days: Int) -> Day { Day(value: a.value - days) }
    package static func + (a: Day, days: Int) -> Day { Day(value: a.value + days) }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// China Standard Time (UTC+8, no daylight saving): the one place the offset is written.
/// Every as-of day, probe window and timestamp of the sweep is on this clock.
package enum ChinaTime {
    package static let offsetSeconds = 8 * 3_600
    package static let timeZone = TimeZone(secondsFromGMT: offsetSeconds)!

    /// ISO 8601 with the China offset ("2022-11-01T08:00:00+08:00").
    package static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return f.string(from: date)
    }
}

extension Day {
    /// The China calendar day of an instant.
    package init(_ date: Date) {
        value = Int(((date.timeIntervalSince1970 + Double(ChinaTime.offsetSeconds)) / 86_400).rounded(.down))
    }

    /// Today in China.
    package static func today(now: Date = Date()) -> Day { Day(now) }

    /// The instant the day begins in China (00:00 UTC+8).
    package var start: Date { Date(timeIntervalSince1970: Double(value * 86_400 - ChinaTime.offsetSeconds)) }
}

/// A day in JSON is its `YYYY-MM-DD` text (findings.json's `asOf`), nothing else.
extension Day: Codable {
    package init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let day = Day(iso: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\"\(text)\" is no YYYY-MM-DD day")
        }
        self = day
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
