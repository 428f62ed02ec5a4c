/// Why a discovered URL is not fetched.
public enum SkipReason: String, Sendable, CaseIterable {
    case robots
    case excluded
    case maxPages = "max-pages"
    case maxDepth = "max-depth"
    case trapLength = "trap-length"
    case trapDepth = "trap-depth"
    case trapRepeat = "trap-repeat"
    case trapQuery = "trap-query"
    case trapCalendar = "trap-calendar"
}

/// Caps the URL shapes that make a crawl endless: very long URLs, very deep paths,
/// repeating path segments (/a/b/a/b/a/b), endless query permutations of one path,
/// and calendar pages far in the past or future.
struct TrapGuard {
    var maxURLLength = 1024
    var maxSegments = 20
    var maxRepeats = 3
    var maxQueriesPerPath = 250
    /// Years outside [minYear, maxYear] in calendar-like parameters are traps.
    var minYear = 1990
    var maxYear: Int
    private var queriesPerPath: [UInt64: Int] = [:]

    init(asOfYear: Int) { maxYear = asOfYear + 1 }

    mutating func check(_ url: CrawlURL) -> SkipReason? {
        if url.path.utf8.count + (url.query?.utf8.count ?? 0) > maxURLLength { return .trapLength }
        let segments = url.path.split(separator: "/")
        if segments.count > maxSegments { return .trapDepth }
        if segments.count >= maxRepeats {
            var counts: [Substring: Int] = [:]
            for s in segments {
                counts[s, default: 0] += 1
                if counts[s]! >= maxRepeats { return .trapRepeat }
            }
        }
        if let q = url.query {
            if TrapGuard.isCalendar(query: q, minYear: minYear, maxYear: maxYear) { return .trapCalendar }
            let key = fnv1a(url.origin + url.path)
            let n = queriesPerPath[key, default: 0] + 1
            queriesPerPath[key] = n
            if n > maxQueriesPerPath { return .trapQuery }
        }
        return nil
    }

    static let calendarKeys: Set<Substring> = ["year", "y", "yy", "yyyy", "date", "month", "ym", "day", "cal", "calendar", "d", "time", "riqi"]

    /// A calendar-like parameter whose value holds a year out of range.
    static func isCalendar(query: String, minYear: Int, maxYear: Int) -> Bool {
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, calendarKeys.contains(Substring(kv[0].lowercased())) else { continue }
            let digits = kv[1].prefix { $0.isASCII && $0.isNumber }
            if digits.count >= 4, let year = Int(digits.prefix(4)), year < minYear || year > maxYear { return true }
        }
        return false
    }
}

/// FNV-1a, 64 bits: stable, cheap, good enough for a seen-set of a few million URLs.
@inline(__always)
func fnv1a(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
}

func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    bytes.withUnsafeBufferPointer { p in
        for b in p { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    }
    return h
}

/// Breadth-first queue of URLs to fetch with a seen-set of 64-bit hashes, so that
/// 100,000 pages cost about 2 MB of seen-set, not the URLs' strings.
struct Frontier {
    struct Entry { let url: CrawlURL; let depth: Int; let job: JobKind }
    enum JobKind { case crawl, check }

    private var queue: [Entry] = []
    private var head = 0
    private var seen: Set<UInt64> = []

    var count: Int { queue.count - head }
    var seenCount: Int { seen.count }

    /// Marks a URL as seen; false when it was seen before.
    mutating func markSeen(_ key: UInt64) -> Bool {
        seen.insert(key).inserted
    }

    /// The seen-set key: a hash of the URL with its query parameters sorted.
    static func key(_ url: CrawlURL) -> UInt64 { fnv1a(url.dedupKey) }

    mutating func push(_ entry: Entry) {
        queue.append(entry)
    }

    mutating func pop() -> Entry? {
        guard head < queue.count else { return nil }
        let e = queue[head]
        head += 1
        // Drop the consumed prefix now and then so the array does not grow forever.
        if head > 4096 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return e
    }
}
