import CBytes
import Parse
import Vocabulary

/// Shared by the two phone rules: the numbers of a page, and the aggregation into one
/// finding per distinct number listing every page it appears on.
enum PhoneSupport {
    /// Every number printed in the page's text blocks. A short block ending in a label
    /// (`<dt>电话：</dt><dd>66012345</dd>`) lends its label to the next block.
    /// `words`: the page's keywords and phone words block by block (`PageWords`), found in
    /// the pass the wording rule makes; nil: each block is scanned for them.
    static func matches(in page: PageModel, areaCode: String, words: PageWords? = nil) -> [PhoneScanner.Match] {
        var out: [PhoneScanner.Match] = []
        var previous = ""
        let blocks = page.blocks
        for i in blocks.indices {
            let text = blocks[i].text  // (by index: the block itself is not copied)
            defer { previous = text }
            let flags = words?.blockFlags[i]
            let gate = gate(text, hasKeyword: flags.map { $0 & PageWords.keyword != 0 })
            guard gate != .no else { continue }
            // (A label of a dozen characters: longer blocks are not counted character by character.)
            let lend =
                previous.utf8.count <= 64 && previous.count <= 12
                && (previous.hasSuffix("：") || previous.hasSuffix(":") || previous.count <= 6)
            // Numbers that only a phone word makes phone numbers, and none in what the scan reads.
            if gate == .context {
                let here = flags.map { $0 & PageWords.phoneWord != 0 } ?? phoneWordMatcher.containsAny(text)
                let before = lend && i > 0 && (words.map { $0.blockFlags[i - 1] & PageWords.phoneWord != 0 } ?? phoneWordMatcher.containsAny(previous))
                if !here && !before { continue }
            }
            out += PhoneScanner.scan(lend ? previous + " " + text : text, areaCode: areaCode)
        }
        return out
    }

    static let keywordBytes = ["电话", "传真", "热线", "手机", "联系", "座机", "Tel", "TEL", "tel", "Fax", "FAX"].map { Array($0.utf8) }

    /// The same keywords in one matcher: one pass per block instead of one per keyword.
    static let keywordMatcher = AhoCorasick(keywordBytes.map { String(decoding: $0, as: UTF8.self) })

    /// A cheap test on UTF-8 before the full scan: an area code (0 and 2–3 digits) before a
    /// bracket, dash or space; five digits in a row where some run of digit groups could be
    /// read as a number (its count and first digits pass `PhoneScanner.mayBePhone`); or a
    /// phone keyword with three digits in a row. Dated list rows (2022-10-28) fail it, and so
    /// do statistics paragraphs (隐患36854处, 投资9353亿元): letting every five-digit run
    /// through sent them all to the scan, 4% of a sweep's samples on the realistic portal.
    ///
    /// The runs of groups are a superset of the scan's own reading: a run may start at any
    /// group, and a group of at most four digits joins the next across any one character
    /// (the scan joins across `-` or a space, once folded); a group at the very start may
    /// continue a label block before it (`matches` scans `label + " " + text`), so it counts.
    static func mayHavePhone(_ s: String) -> Bool { gate(s) != .no }

    enum Gate { case no, yes, context }
    /// Every word after (or, 热线, before) which the scan takes a number as a phone number's.
    static let phoneWordMatcher = AhoCorasick(PhoneScanner.phoneWords.map { String(String.UnicodeScalarView($0)) })

    /// `mayHavePhone`, and `.context` when the only numbers it lets through are those the scan
    /// reads as phone numbers only after a phone word (`PhoneScanner.classify` with `inContext`:
    /// 12602, 10922, a local 66012345): the caller looks for one in what the scan will read.
    /// `hasKeyword`: whether `s` holds one of `keywordBytes`, when already known.
    static func gate(_ s: String, hasKeyword: Bool? = nil) -> Gate {
        // First as before (stopping at five digits in a row), then, for a text that has them,
        // its runs of groups.
        var (decided, run5, needsContext, maxRun) = withUTF8Bytes(s) { digitRuns($0, chains: false) }
        if run5 && !decided { (decided, run5, needsContext, maxRun) = withUTF8Bytes(s) { digitRuns($0, chains: true) } }
        if decided || maxRun >= 3 && (hasKeyword ?? keywordMatcher.containsAny(s)) { return .yes }
        return needsContext ? .context : .no
    }

    /// (decided, five digits in a row, a number only a phone word makes one, longest run).
    /// Without `chains`, five digits in a row end the walk.
    static func digitRuns(_ buf: UnsafeBufferPointer<UInt8>, chains: Bool) -> (Bool, Bool, Bool, Int) {
        withUnsafeTemporaryAllocation(of: (count: Int, d0: UInt8, d1: UInt8, value: Int, startBad: Bool).self, capacity: 16) { groups in
            var run = 0, runStart: UInt8 = 0, second: UInt8 = 0, value = 0, maxRun = 0
            var run5 = false, chain = false, context = false
            // The current sequence of joined groups (the last 16), where the last one ended.
            var joined = 0, lastEnd = -1, start = 0
            let n = buf.count
            guard let base = buf.baseAddress else { return (false, false, false, 0) }
            var i = 0
            while i < n {
                // Straight to the next digit while no run is open (most text has none, and
                // statistics paragraphs one every few words), 16 bytes a step: the eight-byte
                // loop here before was half of this function's samples (4.1% of a sweep's).
                if run == 0 {
                    let j = gs_next_digit_or_bc(base, i, n)
                    if j >= n { break }
                    if buf[j] == 0xBC {
                        // A full-width digit (EF BC 90–99) from its EF; any other BC is passed.
                        guard j > i, buf[j - 1] == 0xEF, j + 1 < n, buf[j + 1] >= 0x90, buf[j + 1] <= 0x99 else {
                            i = j + 1
                            continue
                        }
                        i = j - 1
                    } else {
                        i = j
                    }
                }
                let at = i
                var b = buf[i]
                i += 1
                // A full-width digit (EF BC 90–99) counts as its ASCII digit.
                if b == 0xEF, i + 1 < n, buf[i] == 0xBC, buf[i + 1] >= 0x90, buf[i + 1] <= 0x99 {
                    b = buf[i + 1] - 0x60
                    i += 2
                }
                let digit = b >= 0x30 && b <= 0x39
                if digit {
                    if run == 0 { runStart = b; start = at; value = 0 } else if run == 1 { second = b }
                    value = value &* 10 &+ Int(b - 0x30)
                    run += 1
                    if run >= 5 {
                        if !chains { return (false, true, false, run) }
                        run5 = true
                    }
                    if i < n { continue }
                }
                guard run > 0 else { continue }
                // A group ended (at `at`, or at the end of the text).
                let end = digit ? n : at
                if !digit && runStart == 0x30 && (run == 3 || run == 4) && (b == 0x29 || b == 0x2D || b == 0x20 || b == 0xEF) {
                    return (true, run5, false, run)
                }
                maxRun = max(maxRun, run)
                if chains {
                    if start == 0 { return (true, true, false, maxRun) }
                    // Joined to the previous group: that one had at most four digits, and one character lies between.
                    let gap = start - lastEnd
                    let joins =
                        joined > 0 && groups[(joined - 1) & 15].count <= 4 && gap >= 1 && gap <= 3
                        && (gap == 1 ? buf[lastEnd] < 0x80 : gap == 2 ? buf[lastEnd] & 0xE0 == 0xC0 : buf[lastEnd] & 0xF0 == 0xE0)
                    if !joins { joined = 0 }
                    groups[joined & 15] = (run, runStart, second, value, start > 0 && Self.rejectsStart(buf, start))
                    joined += 1
                    // Every run of groups ending here, longest last, while it has at most 13 digits.
                    var total = 0, k = joined - 1
                    // (What stands right after the last group turns away every run ending here: 投资12602亿元.)
                    if end < n && Self.rejectsEnd(buf, end) { k = -1 }
                    while k >= max(0, joined - 16) {
                        let g = groups[k & 15]
                        total += g.count
                        if total > 13 { break }
                        let d1 = g.count >= 2 ? g.d1 : (k + 1 < joined ? groups[(k + 1) & 15].d0 : g.d0)
                        if total >= 3 && !g.startBad && PhoneScanner.mayBePhone(first: g.d0, second: d1, count: total) {
                            // (A date, as the scan's `looksLikeDate` reads one: 2023-06-28, 20230628.)
                            let parts = joined - k
                            let date =
                                parts == 3 && g.count == 4
                                ? Self.isDate(g.value, groups[(k + 1) & 15].value, groups[(k + 2) & 15].value)
                                : parts == 1 && g.count == 8 && Self.isDate(g.value / 10000, g.value / 100 % 100, g.value % 100)
                            if !date {
                                // Read without a phone word only as a long-distance number (0 and 11 digits or an area
                                // code apart), a mobile (1 and 11), or a 400/800 service number.
                                let free =
                                    g.d0 == 0x30
                                    ? total >= 11 || (parts >= 2 && (3...4).contains(g.count))
                                    : g.d0 == 0x31 ? total == 11 : total == 10 && (g.d0 == 0x34 || g.d0 == 0x38) && d1 == 0x30
                                if free { return (true, true, false, maxRun) }
                                context = true
                            }
                        }
                        k -= 1
                    }
                }
                lastEnd = end
                run = 0; runStart = 0; second = 0
            }
            return (chain, run5, run5 && context, maxRun)
        }
    }

    /// What the scan turns a number away for by the character before it: a letter, a code's
    /// or an amount's mark (〔, ¥, -, / but not between two numbers …), a decimal's or a
    /// time's digits (3.14, 9:00). On the printed bytes, the character folded as the scan folds it.
    static func rejectsStart(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        let bs = PhoneScanner.start(before: start, in: b)
        let folded = PhoneScanner.foldedByte(b, at: bs).0
        let before = folded.map { Unicode.Scalar($0) } ?? PhoneScanner.scalar(b, at: bs).0
        let digitBefore = bs >= 1 && isDigit(endingAt: bs, in: b)
        if (before.value | 0x20) >= 0x61 && (before.value | 0x20) <= 0x7A { return true }
        if PhoneScanner.codeBeforeBits.contains(before) && !(before == "/" && digitBefore) { return true }
        return (before == ":" || before == "：" || before == "." || before == ",") && digitBefore
    }

    /// What the scan turns a number away for by the character after it: a letter, a quantity's
    /// or a date's unit (处, 亿, 年 … but not 分机), a decimal's or a time's digits.
    static func rejectsEnd(_ b: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        let (after, length) = PhoneScanner.scalar(b, at: end)
        let next = end + length
        if (after.value | 0x20) >= 0x61 && (after.value | 0x20) <= 0x7A { return true }
        if PhoneScanner.quantityAfterBits.contains(after) && !(after == "分" && next < b.count && PhoneScanner.scalar(b, at: next).0 == "机") {
            return true
        }
        return (after == ":" || after == "：" || after == "." || after == ",") && next < b.count && isDigit(startingAt: next, in: b)
    }

    /// A digit, ASCII or full-width, ends just before byte `i` / starts at byte `i`.
    @inline(__always)
    static func isDigit(endingAt i: Int, in b: UnsafeBufferPointer<UInt8>) -> Bool {
        if b[i - 1] >= 0x30 && b[i - 1] <= 0x39 { return true }
        return i >= 3 && b[i - 3] == 0xEF && b[i - 2] == 0xBC && b[i - 1] >= 0x90 && b[i - 1] <= 0x99
    }
    @inline(__always)
    static func isDigit(startingAt i: Int, in b: UnsafeBufferPointer<UInt8>) -> Bool {
        if b[i] >= 0x30 && b[i] <= 0x39 { return true }
        return i + 2 < b.count && b[i] == 0xEF && b[i + 1] == 0xBC && b[i + 2] >= 0x90 && b[i + 2] <= 0x99
    }

    @inline(__always)
    static func isDate(_ y: Int, _ m: Int, _ d: Int) -> Bool { (1900...2100).contains(y) && (1...12).contains(m) && (1...31).contains(d) }

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
        matches(in: page, areaCode: context.profile.phoneAreaCode, words: context.pageWords(page)).map {
            PageNote(key: ($0.valid ? "+" : "!") + $0.digits, text: $0.printed)
        }
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
