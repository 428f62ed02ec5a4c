import Synchronization
import Parse
package import Vocabulary

/// Finds the dates that government list pages print, in one pass over UTF-8 bytes
/// (no regular expressions: this runs on every block of every page).
///
/// Full dates: `2022-10-28`, `2022/10/28`, `2022.10.28`, `2022年10月28日` (a time may follow).
/// Year-less: `10月28日`, and `10-28`, `[10-28]` with only zero-padded two-digit month and day (so `3-2` in a
/// score or `6601-2345` in a phone number are not dates), read relative to the as-of day:
/// the as-of year, or the year before when that would lie in the future.
package enum DateScanner {
    /// Set while a page's facts are extracted: records whether a year-less date was read,
    /// because such a reading depends on the as-of day (see `PageFacts.asOfDependent`).
    @TaskLocal static var yearlessProbe: YearlessProbe?

    /// `asOf` nil: year-less dates are not read.
    package static func dates(in text: String, asOf: Day?) -> [Day] {
        var out: [Day] = []
        withUTF8Bytes(text) { scan($0, asOf: asOf) { out.append($0) } }
        return out
    }

    /// The newest date in `text`, nil when none.
    package static func newest(in text: String, asOf: Day?) -> Day? {
        var best: Day?
        withUTF8Bytes(text) { scan($0, asOf: asOf) { d in if best == nil || d > best! { best = d } } }
        return best
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func scan(_ b: UnsafeBufferPointer<UInt8>, asOf: Day?, _ found: (Day) -> Void) {
        let n = b.count
        var i = 0
        while i < n {
            guard isDigit(b[i]), i == 0 || !isDigit(b[i - 1]) else { i += 1; continue }
            let (v1, n1) = number(b, i)
            var j = i + n1
            // Templates often glue a title ending in digits to the date (`第3期</a><span>2022-…`
            // reads 第32022-…): a longer run may end in the year.
            let year = n1 > 4 ? number(b, j - 4).0 : v1
            if n1 >= 4, (1990...2099).contains(year), let (sep1, after1) = separator(b, j) {
                j = after1
                let (v2, n2) = number(b, j)
                if (1...2).contains(n2), let (sep2, after2) = separator(b, j + n2), matches(sep1, sep2) {
                    let (v3, n3) = number(b, after2)
                    let end = after2 + n3
                    if (1...2).contains(n3), end >= n || !isDigit(b[end]), let d = Day(year: year, month: v2, day: v3) {
                        found(d)
                        i = end
                        continue
                    }
                }
                i += n1
                continue
            }
            if let asOf, n1 == 2, j < n, b[j] == 0x2D, i == 0 || !isDateGlue(b[i - 1]) {
                let (v2, n2) = number(b, j + 1)
                let end = j + 1 + n2
                if n2 == 2, end >= n || !(isDigit(b[end]) || isDateGlue(b[end])),
                    let d = Day(year: asOf.year, month: v1, day: v2)
                {
                    yearlessProbe?.used.store(true, ordering: .relaxed)
                    found(d > asOf + 1 ? (Day(year: asOf.year - 1, month: v1, day: v2) ?? d) : d)
                    i = end
                    continue
                }
            }
            // 10月28日 without a year (home-page lists print it); 2022年10月28日 was read above.
            if let asOf, (1...2).contains(n1), let (sep, after) = separator(b, j), sep == 4, !precededByYear(b, i) {
                let (v2, n2) = number(b, after)
                let end = after + n2
                if (1...2).contains(n2), end + 2 < n, b[end] == 0xE6, b[end + 1] == 0x97, b[end + 2] == 0xA5,  // 日
                    let d = Day(year: asOf.year, month: v1, day: v2)
                {
                    yearlessProbe?.used.store(true, ordering: .relaxed)
                    found(d > asOf + 1 ? (Day(year: asOf.year - 1, month: v1, day: v2) ?? d) : d)
                    i = end + 3
                    continue
                }
            }
            i += n1
        }
    }

    /// 年 just before position `i`.
    private static func precededByYear(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i >= 3 && b[i - 3] == 0xE5 && b[i - 2] == 0xB9 && b[i - 1] == 0xB4
    }

    /// `-`, `/`, `.` before and after a number would make `10-28` part of something
    /// longer (`2022-10-28` handled above, `1-10-28`, `10-28-3`).
    private static func isDateGlue(_ b: UInt8) -> Bool { b == 0x2D || b == 0x2F || b == 0x2E }

    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> (Int, Int) {
        var v = 0, k = start
        while k < b.count, isDigit(b[k]) {
            if k - start < 9 { v = v * 10 + Int(b[k] - 0x30) }
            k += 1
        }
        return (v, k - start)
    }

    /// 0 for `-`, 1 `/`, 2 `.`, 3 年, 4 月; returns the separator kind and the index after it.
    private static func separator(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> (Int, Int)? {
        guard k < b.count else { return nil }
        switch b[k] {
        case 0x2D: return (0, k + 1)
        case 0x2F: return (1, k + 1)
        case 0x2E: return (2, k + 1)
        case 0xE5 where k + 2 < b.count && b[k + 1] == 0xB9 && b[k + 2] == 0xB4: return (3, k + 3)  // 年
        case 0xE6 where k + 2 < b.count && b[k + 1] == 0x9C && b[k + 2] == 0x88: return (4, k + 3)  // 月
        default: return nil
        }
    }

    private static func matches(_ first: Int, _ second: Int) -> Bool {
        first == 3 ? second == 4 : first == second
    }
}

/// Whether a year-less date was read (set by `DateScanner` when installed as its task-local probe).
final class YearlessProbe: Sendable {
    let used = Atomic<Bool>(false)
}
