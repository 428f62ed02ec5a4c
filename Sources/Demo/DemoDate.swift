package import Foundation
package import Vocabulary

/// A calendar day in China Standard Time (UTC+8): the demo's as-of date.
package struct DemoDate: Sendable, Hashable, CustomStringConvertible {
    package let year: Int
    package let month: Int
    package let day: Int

    package init(year: Int, month: Int, day: Int) {
        self.year = year; self.month = month; self.day = day
    }

    /// The same day as the sweep takes it (a demo date is always a real day).
    package var calendarDay: Day { Day(year: year, month: month, day: day)! }

    /// The same day as a demo date.
    package init(_ calendarDay: Day) { (year, month, day) = calendarDay.components }

    /// Parses "YYYY-MM-DD"; nil when malformed or not a real day.
    package init?(_ text: String) {
        guard let d = Day(iso: text) else { return nil }
        (year, month, day) = d.components
    }

    /// Today in China Standard Time.
    package static func today(now: Date = Date()) -> DemoDate {
        let c = Self.calendar.dateComponents([.year, .month, .day], from: now)
        return DemoDate(year: c.year!, month: c.month!, day: c.day!)
    }

    /// This day moved by `days` (negative: earlier). Nil only for impossible input days.
    package func adding(days: Int) -> DemoDate? {
        // Noon avoids any edge effect at midnight; CST has no daylight saving anyway.
        guard let base = Self.calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12)),
            let moved = Self.calendar.date(byAdding: .day, value: days, to: base)
        else { return nil }
        let c = Self.calendar.dateComponents([.year, .month, .day], from: moved)
        return DemoDate(year: c.year!, month: c.month!, day: c.day!)
    }

    /// "2026-11-26"
    package var description: String { iso }
    package var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }
    /// "2026年11月26日"
    package var chinese: String { "\(year)年\(month)月\(day)日" }
    /// "11-26"
    package var monthDay: String { String(format: "%02d-%02d", month, day) }

    /// 1 Sunday … 7 Saturday.
    var weekday: Int {
        DemoDate.calendar.component(.weekday, from: DemoDate.calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!)
    }

    /// This day if it is a Friday, else the Friday before it.
    var lastFriday: DemoDate { adding(days: -((weekday + 1) % 7)) ?? self }

    /// "Thu, 26 Nov 2026 09:30:00 +0800" (an RSS pubDate).
    var rfc822: String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = ChinaTime.timeZone
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return f.string(from: Self.calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 9, minute: 30))!)
    }

    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = ChinaTime.timeZone
        return c
    }()
}
