public import Foundation
public import Vocabulary

/// A calendar day in China Standard Time (UTC+8): the demo's as-of date.
public struct DemoDate: Sendable, Hashable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year; self.month = month; self.day = day
    }

    /// The same day as the sweep takes it (a demo date is always a real day).
    public var calendarDay: Day { Day(year: year, month: month, day: day)! }

    /// Parses "YYYY-MM-DD"; nil when malformed or not a real day.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        let candidate = DemoDate(year: y, month: m, day: d)
        guard let back = candidate.adding(days: 0), back == candidate else { return nil }
        self = candidate
    }

    /// Today in China Standard Time.
    public static func today(now: Date = Date()) -> DemoDate {
        let c = Self.calendar.dateComponents([.year, .month, .day], from: now)
        return DemoDate(year: c.year!, month: c.month!, day: c.day!)
    }

    /// This day moved by `days` (negative: earlier). Nil only for impossible input days.
    public func adding(days: Int) -> DemoDate? {
        // Noon avoids any edge effect at midnight; CST has no daylight saving anyway.
        guard let base = Self.calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12)),
            let moved = Self.calendar.date(byAdding: .day, value: days, to: base)
        else { return nil }
        let c = Self.calendar.dateComponents([.year, .month, .day], from: moved)
        return DemoDate(year: c.year!, month: c.month!, day: c.day!)
    }

    /// "2026-11-26"
    public var description: String { iso }
    public var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }
    /// "2026年11月26日"
    public var chinese: String { "\(year)年\(month)月\(day)日" }
    /// "11-26"
    public var monthDay: String { String(format: "%02d-%02d", month, day) }

    /// 1 Sunday … 7 Saturday.
    var weekday: Int {
        DemoDate.calendar.component(.weekday, from: DemoDate.calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!)
    }

    /// This day if it is a Friday, else the Friday before it.
    var lastFriday: DemoDate { adding(days: -((weekday + 1) % 7)) ?? self }

    /// "Thu, 26 Nov 2026 09:30:00 +0800" (an RSS pubDate).
    var rfc822: String {
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(format: "%@, %02d %@ %04d 09:30:00 +0800", days[weekday - 1], day, months[month - 1], year)
    }

    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = ChinaTime.timeZone
        return c
    }()
}
