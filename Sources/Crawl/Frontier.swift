import Foundation
import Store
import Parse
import Vocabulary

/// Why a discovered URL is not fetched.
package enum SkipReason: String, Sendable, CaseIterable {
    case robots
    case excluded
    case maxPages = "max-pages"
    case maxDepth = "max-depth"
    case trapLength = "trap-length"
    case trapDepth = "trap-depth"
    case trapRepeat = "trap-repeat"
    case trapQuery = "trap-query"
    case trapCalendar = "trap-calendar"
    /// A sitemap entry or an href longer than `TrapGuard.maxURLBytes` that is no URL: not
    /// requested. (A page's link that long is a link-broken advice instead, reason `url-too-long`.)
    case urlTooLong = "url-too-long"
    /// An href that is not a URL (a bad host or port, say).
    case unparseable = "unparseable-url"
    /// A link to another scheme than http(s) (ftp:, weixin:, …); javascript:, mailto:, tel: and
    /// data: are not links to pages, and not counted (PageBuilder.linkTarget drops them).
    case unsupportedScheme = "unsupported-scheme"
    // Sitemaps (sitemaps.org limits). URLs:
    /// Listed by a sitemap once the page budget (--max-pages) was covered.
    case sitemapMaxPages = "sitemap-max-pages"
    /// Past the 50,000 URLs one sitemap file may list.
    case sitemapURLLimit = "sitemap-url-limit"
    /// Listed by a sitemap of this sweep's hosts but on another host.
    case sitemapOffSite = "sitemap-off-site"
    // Sitemap files:
    /// Larger than 50 MB uncompressed: read up to there.
    case sitemapTooLarge = "sitemap-too-large"
    /// Listed again (an index listing itself, or indexes listing each other).
    case sitemapCycle = "sitemap-cycle"
    /// Indexes nested deeper than `SitemapWalk.maxIndexDepth`.
    case sitemapDepth = "sitemap-depth"
    /// Past the `SitemapWalk.maxFiles` files one sweep reads.
    case sitemapFiles = "sitemap-files"
    /// Not fetched: the page budget was covered already.
    case sitemapUnread = "sitemap-unread"
}

/// Caps the URL shapes that make a crawl endless: very long URLs, very deep paths,
/// repeating path segments (/a/b/a/b/a/b), endless query permutations of one path,
/// and calendar pages far in the past or future.
struct TrapGuard {
    /// Longer links are never requested, in scope or not (a page's is a link-broken advice, a
    /// sitemap's a skip, both `url-too-long`):
    /// RFC 9110 §4.1 asks only for 8,000 octets, and servers answer longer request lines with
    /// 414 or a reset (curl would send a 20,000-character one all the same).
    static let maxURLBytes = 8 * 1024
    /// In scope, a path and query longer than this is taken for a trap (relative links that
    /// grow at every page); counted as `trap-length`.
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
        let path = url.path
        if path.utf8.count + (url.query?.utf8.count ?? 0) > maxURLLength { return .trapLength }
        if let trap = withUTF8Bytes(path, { segmentTrap($0) }) { return trap }
        if let q = url.query {
            if TrapGuard.isCalendar(query: q, minYear: minYear, maxYear: maxYear) { return .trapCalendar }
            let key = wordHash(url.origin + url.path)
            let n = queriesPerPath[key, default: 0] + 1
            queriesPerPath[key] = n
            if n > maxQueriesPerPath { return .trapQuery }
        }
        return nil
    }

    /// `trapDepth` for a path of more than `maxSegments` segments (the non-empty runs between
    /// slashes), `trapRepeat` when one of them comes `maxRepeats` times. On the path's bytes,
    /// each segment compared with those before it (at most `maxSegments` of them): splitting
    /// every admitted URL's path into Substrings and counting them in a dictionary was two
    /// thirds of reading a 20,000-entry sitemap, the sweep's start, before the crawl.
    func segmentTrap(_ b: UnsafeBufferPointer<UInt8>) -> SkipReason? {
        let limit = maxSegments, repeats = maxRepeats
        return withUnsafeTemporaryAllocation(of: (start: Int, end: Int).self, capacity: limit + 1) { seg -> SkipReason? in
            var count = 0
            var i = 0
            let n = b.count
            while i < n {
                while i < n && b[i] == 0x2F { i += 1 }
                if i >= n { break }
                let start = i
                while i < n && b[i] != 0x2F { i += 1 }
                if count == limit { return .trapDepth }
                seg[count] = (start, i)
                count += 1
            }
            guard count >= repeats else { return nil }
            for k in 1..<count {
                let (s, e) = seg[k]
                var same = 1
                for j in 0..<k {
                    let (s2, e2) = seg[j]
                    guard e2 - s2 == e - s, memcmp(b.baseAddress! + s, b.baseAddress! + s2, e - s) == 0 else { continue }
                    same += 1
                }
                if same >= repeats { return .trapRepeat }
            }
            return nil
        }
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

/// The hash a page body is stored with (and compared by, to reuse an unchanged page's
/// facts): four independent lanes of `wordHash`'s step over 32 bytes at a time (the
/// multiplies overlap instead of waiting on each other), then the tail and the lanes
/// folded in with `wordHash`. Not FNV (a byte a step took a second of CPU on 600 MB).
func contentHash(_ bytes: [UInt8]) -> UInt64 {
    bytes.withUnsafeBytes { raw -> UInt64 in
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h0: UInt64 = 0xcbf2_9ce4_8422_2325, h1: UInt64 = 0x6a09_e667_f3bc_c908
        var h2: UInt64 = 0xbb67_ae85_84ca_a73b, h3: UInt64 = 0x3c6e_f372_fe94_f82b
        var i = 0
        let n = raw.count
        while i + 32 <= n {
            h0 = (h0 ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k; h0 ^= h0 >> 29
            h1 = (h1 ^ raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* k; h1 ^= h1 >> 29
            h2 = (h2 ^ raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* k; h2 ^= h2 >> 29
            h3 = (h3 ^ raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* k; h3 ^= h3 >> 29
            i += 32
        }
        var h = wordHash(UnsafeRawBufferPointer(rebasing: raw[i...])) ^ UInt64(n)
        h = (h ^ h0) &* k; h ^= h >> 32
        h = (h ^ h1) &* k; h ^= h >> 32
        h = (h ^ h2) &* k; h ^= h >> 32
        h = (h ^ h3) &* k; h ^= h >> 32
        return h
    }
}

/// Breadth-first queue of URLs to fetch with a seen-set of 64-bit hashes, so that
/// 100,000 pages cost about 2 MB of seen-set, not the URLs' strings. The queue keeps at
/// most `memoryLimit` entries in memory; past that, entries go through a spill file in
/// FIFO order, so a site whose pages link to tens of thousands of others keeps a
/// bounded memory.
struct Frontier {
    struct Entry { let url: CrawlURL; let depth: Int; let job: JobKind }
    enum JobKind { case crawl, check }

    private var queue: [Entry] = []
    private var head = 0
    /// Entries pushed while older ones wait in the spill file.
    private var tail: [Entry] = []
    private var spill: SpillFile?
    private var seen = KeySet(minimumCapacity: 1024)
    let memoryLimit: Int
    let chunk: Int

    init(memoryLimit: Int = 16_384, chunk: Int = 4096) {
        self.memoryLimit = memoryLimit
        self.chunk = chunk
    }

    var count: Int { queue.count - head + tail.count + (spill?.pending ?? 0) }

    /// Marks a URL as seen; false when it was seen before.
    mutating func markSeen(_ key: UInt64) -> Bool {
        seen.insert(key)
    }

    /// The seen-set key: a hash of the URL with its query parameters sorted.
    static func key(_ url: CrawlURL) -> UInt64 { wordHash(url.dedupKey) }

    mutating func push(_ entry: Entry) {
        // Once anything waits behind the in-memory queue, new entries queue up behind it.
        if tail.isEmpty && (spill?.pending ?? 0) == 0 && queue.count - head < memoryLimit {
            queue.append(entry)
            return
        }
        tail.append(entry)
        if tail.count >= chunk {
            if spill == nil { spill = SpillFile() }
            if let spill, spill.write(tail) {
                tail.removeAll(keepingCapacity: true)
            }
            // If the spill file cannot be written, entries stay in memory: slower, never lost.
        }
    }

    mutating func pop() -> Entry? {
        if head >= queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
            if let spill, spill.pending > 0 {
                queue = spill.read(max: chunk)
            } else if !tail.isEmpty {
                swap(&queue, &tail)
                tail.removeAll(keepingCapacity: false)
                spill?.reset()
            }
            guard !queue.isEmpty else { return nil }
        }
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

/// A temporary file of queued URLs, one per line ("c 3 http://…"), read back in order.
final class SpillFile {
    private let path: String
    private let fd: Int32
    private var writeOffset: Int64 = 0
    private var readOffset: Int64 = 0
    private var leftover: [UInt8] = []
    private(set) var pending = 0

    init?() {
        var template = Array((NSTemporaryDirectory() + "govsweep-frontier-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.path = String(cString: template.map { UInt8(bitPattern: $0) } + [])
        unlink(path)  // gone from the directory at once; the descriptor keeps it until closed
    }

    deinit { close(fd) }

    func write(_ entries: [Frontier.Entry]) -> Bool {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 80)
        for e in entries {
            out.append(e.job == .crawl ? 99 : 107)  // c / k
            out.append(32)
            out.append(contentsOf: String(e.depth).utf8)
            out.append(32)
            out.append(contentsOf: e.url.string.utf8)
            out.append(10)
        }
        let written = out.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(writeOffset)) }
        guard written == out.count else { return false }
        writeOffset += Int64(written)
        pending += entries.count
        return true
    }

    func read(max: Int) -> [Frontier.Entry] {
        var entries: [Frontier.Entry] = []
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while entries.count < max && pending > 0 {
            var line: [UInt8] = []
            if let nl = leftover.firstIndex(of: 10) {
                line = Array(leftover[..<nl])
                leftover.removeSubrange(...nl)
            } else {
                let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(readOffset)) }
                guard n > 0 else { pending = 0; break }
                readOffset += Int64(n)
                leftover.append(contentsOf: buffer[..<n])
                continue
            }
            pending -= 1
            guard line.count > 4 else { continue }
            let job: Frontier.JobKind = line[0] == 99 ? .crawl : .check
            guard let sp = line[2...].firstIndex(of: 32), let depth = Int(String(decoding: line[2..<sp], as: UTF8.self)),
                let url = CrawlURL(String(decoding: line[(sp + 1)...], as: UTF8.self))
            else { continue }
            entries.append(.init(url: url, depth: depth, job: job))
        }
        return entries
    }

    /// Starts over once everything written was read.
    func reset() {
        guard pending == 0 else { return }
        _ = ftruncate(fd, 0)
        writeOffset = 0
        readOffset = 0
        leftover = []
    }
}
