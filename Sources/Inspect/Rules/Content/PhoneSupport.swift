import Parse
import Vocabulary

/// Shared by the two phone rules: the numbers of a page, and the aggregation into one
/// finding per distinct number listing every page it appears on.
enum PhoneSupport {
    /// Every number printed in the page's text blocks. A short block ending in a label
    /// (`<dt>电话：</dt><dd>66012345</dd>`) lends its label to the next block.
    static func matches(in page: PageModel, areaCode: String) -> [PhoneScanner.Match] {
        var out: [PhoneScanner.Match] = []
        var previous = ""
        let blocks = page.blocks
        for i in blocks.indices {
            let text = blocks[i].text  // (by index: the block itself is not copied)
            defer { previous = text }
            guard mayHavePhone(text) else { continue }
            // (A label of a dozen characters: longer blocks are not counted character by character.)
            let lend =
                previous.utf8.count <= 64 && previous.count <= 12
                && (previous.hasSuffix("：") || previous.hasSuffix(":") || previous.count <= 6)
            out += PhoneScanner.scan(lend ? previous + " " + text : text, areaCode: areaCode)
        }
        return out
    }

    static let keywordBytes = ["电话", "传真", "热线", "手机", "联系", "座机", "Tel", "TEL", "tel", "Fax", "FAX"].map { Array($0.utf8) }

    /// The same keywords in one matcher: one pass per block instead of one per keyword.
    static let keywordMatcher = AhoCorasick(keywordBytes.map { String(decoding: $0, as: UTF8.self) })

    /// A cheap test on UTF-8 before the full scan: an area code (0 and 2–3 digits) before a
    /// bracket, dash or space; five digits in a row where some run of digit groups could be a
    /// number (`chainMayBePhone`); or a phone keyword with three digits in a row. Dated list
    /// rows (2022-10-28) fail it, and so do statistics paragraphs (隐患36854处, 投资9353亿元):
    /// letting every five-digit run through sent them all to the scan, 4% of a sweep's samples
    /// on the realistic portal.
    static func mayHavePhone(_ s: String) -> Bool {
        let (areaCode, run5, maxRun) = withUTF8Bytes(s) { buf -> (Bool, Bool, Int) in
            var run = 0, runStart: UInt8 = 0, maxRun = 0
            var areaCode = false, run5 = false
            let n = buf.count
            guard let base = UnsafeRawPointer(buf.baseAddress) else { return (false, false, 0) }
            var i = 0
            while i < n {
                // Eight bytes at a time while no run is open: most text has no digit.
                if run == 0, i + 8 <= n, case let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self), !hasDigit(x) {
                    // Nor a full-width digit (EF BC 90–99, as Word-pasted text prints them).
                    let m = fullWidthDigitCandidates(x)
                    if m == 0 { i += 8; continue }
                    let p = i + m.trailingZeroBitCount / 8  // a BC byte
                    guard p >= 1, buf[p - 1] == 0xEF, p + 1 < n, buf[p + 1] >= 0x90, buf[p + 1] <= 0x99 else { i = p + 1; continue }
                    i = p - 1
                }
                var b = buf[i]
                i += 1
                // A full-width digit (EF BC 90–99) counts as its ASCII digit.
                if b == 0xEF, i + 1 < n, buf[i] == 0xBC, buf[i + 1] >= 0x90, buf[i + 1] <= 0x99 {
                    b = buf[i + 1] - 0x60
                    i += 2
                }
                if b >= 0x30 && b <= 0x39 {
                    if run == 0 { runStart = b }
                    run += 1
                    if run >= 5 { run5 = true }
                } else if run > 0 {
                    if runStart == 0x30 && (run == 3 || run == 4) && (b == 0x29 || b == 0x2D || b == 0x20 || b == 0xEF) { return (true, run5, run) }
                    maxRun = max(maxRun, run)
                    run = 0; runStart = 0
                }
            }
            return (areaCode, run5, max(maxRun, run))
        }
        if areaCode { return true }
        if run5 && chainMayBePhone(s) { return true }
        return maxRun >= 3 && keywordMatcher.containsAny(s)
    }

    /// Whether some run of digit groups in `s` could be read as a number by the scan: its digit
    /// count and first two digits pass `PhoneScanner.mayBePhone`. A superset of the scan's own
    /// reading: a chain may start at any run, and groups are joined across any one character
    /// (the scan joins a group of at most four digits to the next across `-` or a space, once
    /// folded); a run at the very start may continue a label block before it (`matches` scans
    /// `label + " " + text`), so it always counts.
    static func chainMayBePhone(_ s: String) -> Bool {
        withUTF8Bytes(s) { b in
            // The runs: (start, end, first digit, second digit or 0), full-width digits as ASCII.
            var runs: [(start: Int, end: Int, d0: UInt8, d1: UInt8)] = []
            let n = b.count
            var i = 0
            @inline(__always) func digit(at k: Int) -> (UInt8, Int)? {
                let c = b[k]
                if c >= 0x30 && c <= 0x39 { return (c, 1) }
                if c == 0xEF, k + 2 < n, b[k + 1] == 0xBC, b[k + 2] >= 0x90, b[k + 2] <= 0x99 { return (b[k + 2] - 0x60, 3) }
                return nil
            }
            while i < n {
                guard let (d, l) = digit(at: i) else { i += 1; continue }
                if i == 0 { return true }
                let start = i
                var d1: UInt8 = 0, count = 1
                i += l
                while i < n, let (e, m) = digit(at: i) {
                    if count == 1 { d1 = e }
                    count += 1
                    i += m
                }
                runs.append((start, i, d, d1))
            }
            // (Digits per run: their bytes less two for each full-width digit.)
            func digits(_ r: (start: Int, end: Int, d0: UInt8, d1: UInt8)) -> Int {
                var k = r.start, c = 0
                while k < r.end { k += b[k] == 0xEF ? 3 : 1; c += 1 }
                return c
            }
            let counts = runs.map(digits)
            for s in runs.indices {
                var total = 0
                for k in s..<runs.count {
                    if k > s {
                        // Joined only after a group of at most four digits, across one character.
                        let gap = runs[k].start - runs[k - 1].end
                        guard counts[k - 1] <= 4, gap >= 1, gap <= 3, PhoneScanner.scalar(b, at: runs[k - 1].end).1 == gap else { break }
                    }
                    total += counts[k]
                    if total > 13 { break }
                    let second = counts[s] >= 2 ? runs[s].d1 : runs[min(s + 1, k)].d0
                    if total >= 3 && PhoneScanner.mayBePhone(first: runs[s].d0, second: second, count: total) { return true }
                }
            }
            return false
        }
    }

    /// The bytes 0xBC of the eight that are followed by 0x90–0x99 (the last two bytes of a
    /// full-width digit), or that end the word (their next byte is in the next word): 0x80
    /// at each. A superset (the zero-byte trick may flag a byte above a real match); the
    /// caller checks the bytes. Most Chinese text has none: `，：（）` are EF BC 8C/9A/88/89.
    @inline(__always)
    static func fullWidthDigitCandidates(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high = ones &* 0x80
        let y = x ^ (ones &* 0xBC)
        let bc = (y &- ones) & ~y & high
        // Most words have no BC at all. (The gate over the real pages' 8,189 blocks, best of
        // 30 at -O: 3.0 GB/s without full-width digits, 2.2 GB/s with this early return,
        // 2.0 GB/s without it.)
        if bc == 0 { return 0 }
        // Bytes 0x90–0x99: the "has a byte between" trick on x with its high bits flipped.
        let v = x ^ high
        let low = v & (ones &* 127)
        let inRange = ((ones &* (127 + 0x1A)) &- low) & ~v & (low &+ ones &* (127 - 0x0F)) & high
        return ((bc << 8) & inRange) >> 8 | (bc & (0x80 << 56))
    }

    /// Whether any of the eight bytes is an ASCII digit (0x30–0x39): the bit trick
    /// "has a byte between m and n" with m = 0x2F, n = 0x3A.
    @inline(__always)
    static func hasDigit(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low = x & (ones &* 127)
        return ((ones &* (127 + 0x3A)) &- low) & ~x & (low &+ ones &* (127 - 0x2F)) & (ones &* 128) != 0
    }

    /// Notes of every number: key `+digits` (valid) or `!digits` (malformed).
    static func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        matches(in: page, areaCode: context.profile.phoneAreaCode).map { PageNote(key: ($0.valid ? "+" : "!") + $0.digits, text: $0.printed) }
    }

    struct Number { var key: String; var printed: [String]; var pages: [String] }

    /// Notes grouped by number, numbers and pages sorted.
    static func group(_ notes: [CollectedNote], valid: Bool) -> [Number] {
        var byKey: [String: Number] = [:]
        let mark: Character = valid ? "+" : "!"
        for n in notes.sorted(by: { ($0.key, $0.url) < ($1.key, $1.url) }) where n.key.first == mark {
            let key = String(n.key.dropFirst())
            var e = byKey[key] ?? Number(key: key, printed: [], pages: [])
            if !e.printed.contains(n.text) { e.printed.append(n.text) }
            if e.pages.last != n.url { e.pages.append(n.url) }
            byKey[key] = e
        }
        return byKey.values.sorted { $0.key < $1.key }
    }

    static func finding(_ d: RuleDescription, _ number: Number, subject: String, message: String, site: SiteContext) -> Finding {
        let (_, severity, points) = site.profile.settings(for: d)
        let home = site.homeURL(host: hostOf(number.pages[0]))
        return Finding(
            rule: d.id, indicator: d.indicator, severity: severity, points: points, url: home, subject: subject,
            department: site.department(ofPages: number.pages), foundOn: number.pages, message: message,
            evidence: ["printed": .array(number.printed.prefix(5).map { .string($0) }), "pages": .int(number.pages.count)])
    }
}
