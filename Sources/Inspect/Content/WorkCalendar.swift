import Foundation
internal import Yams
package import Vocabulary

/// Working days: weekends and public holidays off, make-up days (调休) on. One YAML file
/// a year in `Rules/calendars/` (embedded), so a new year is a data change.
package struct WorkCalendar: Sendable {
    package private(set) var holidays: Set<Day> = []
    package private(set) var workdays: Set<Day> = []
    /// Years with a calendar file.
    package private(set) var years: Set<Int> = []

    package init() {}

    /// The bundled calendars (2022–2024).
    package static let bundled: WorkCalendar = {
        var c = WorkCalendar()
        for (name, text) in BundledData.calendars.sorted(by: { $0.key < $1.key }) {
            try? c.add(yaml: text, file: "Rules/calendars/\(name).yaml")  // checked by the tests
        }
        return c
    }()

    /// Adds one year's file: `year`, `holidays` and `workdays` (days or `from..to` ranges).
    package mutating func add(yaml: String, file: String) throws {
        guard let node = try? Yams.compose(yaml: yaml), let m = node.mapping else {
            throw InputError(file: file, problem: "a calendar is a mapping of year, holidays, workdays")
        }
        var year: Int?
        for (k, v) in m {
            let line = k.mark?.line
            switch k.scalar?.string {
            case "year": year = v.scalar.flatMap { Int($0.string) }
            case "holidays": holidays.formUnion(try days(v, file: file, line: line))
            case "workdays": workdays.formUnion(try days(v, file: file, line: line))
            default: throw InputError(file: file, line: line, problem: "unknown key \"\(k.scalar?.string ?? "")\" (expected year, holidays, workdays)")
            }
        }
        guard let year, (1900...2200).contains(year) else { throw InputError(file: file, problem: "missing or bad year") }
        years.insert(year)
    }

    func days(_ v: Node, file: String, line: Int?) throws -> [Day] {
        guard let seq = v.sequence else { throw InputError(file: file, line: line, problem: "expected a list of days") }
        var out: [Day] = []
        for item in seq {
            let s = item.scalar?.string ?? ""
            let parts = s.components(separatedBy: "..")
            guard (1...2).contains(parts.count), let a = Day(iso: parts[0]), let b = Day(iso: parts.last!), a <= b, b - a < 60 else {
                throw InputError(file: file, line: item.mark?.line ?? line, problem: "\"\(s)\": expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD")
            }
            for v in a.value...b.value { out.append(Day(value: v)) }
        }
        return out
    }

    /// Monday = 0 … Sunday = 6.
    package static func weekday(_ d: Day) -> Int { ((d.value + 3) % 7 + 7) % 7 }

    package func isWorkingDay(_ d: Day) -> Bool {
        if workdays.contains(d) { return true }
        if holidays.contains(d) { return false }
        return WorkCalendar.weekday(d) < 5
    }

    /// Working days after `from` up to and including `to` (0 when `to` ≤ `from`): a message
    /// of Friday evening answered on Monday morning took 1 working day.
    package func workingDaysBetween(_ from: Day, _ to: Day) -> Int {
        guard to > from else { return 0 }
        var n = 0
        for v in (from.value + 1)...to.value where isWorkingDay(Day(value: v)) { n += 1 }
        return n
    }

    /// Years between the two days that have no calendar file (counted with weekends only).
    package func missingYears(_ from: Day, _ to: Day) -> [Int] {
        let a = min(from, to).year, b = max(from, to).year
        return (a...b).filter { !years.contains($0) }
    }
}
