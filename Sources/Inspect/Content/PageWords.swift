import Parse
import Vocabulary

/// The words two content rules look for in a page's text, found in one pass over `allText`:
/// the wording dictionary's entries and the phone rules' keywords and phone words. The
/// wording rule scanned `allText` once anyway; the phone rules asked each block with a date or
/// a number (every list row of the realistic portal) for a keyword, and some for a phone word,
/// in passes of their own (1.6% of a sweep's samples, `perf` on the 20,000-page portal).
struct PageWordMatcher: Sendable {
    /// The dictionary's entries and the phone words in one automaton, each distinct word once.
    let matcher: AhoCorasick
    /// For each of its patterns: the index of the wording entry it is (-1: none) and which of
    /// the phone rules' lists it is in (`PageWords.keyword`, `PageWords.phoneWord`).
    let wordingIndex: [Int32]
    let flags: [UInt8]

    /// nil when the words do not fit the one-pass character automaton (a large `--wording`
    /// file): then each rule scans for its own words as before.
    init?(wording: [String]) {
        var patterns: [String] = []
        var index: [String: Int] = [:]
        var wordingIndex: [Int32] = []
        var flags: [UInt8] = []
        func add(_ w: String, wording: Int32, flag: UInt8) {
            let k: Int
            if let i = index[w] {
                k = i
            } else {
                k = patterns.count; index[w] = k; patterns.append(w); wordingIndex.append(-1); flags.append(0)
            }
            if wording >= 0 && wordingIndex[k] < 0 { wordingIndex[k] = wording }
            flags[k] |= flag
        }
        for (i, w) in wording.enumerated() { add(w, wording: Int32(i), flag: 0) }
        for w in PhoneSupport.keywordBytes { add(String(decoding: w, as: UTF8.self), wording: -1, flag: PageWords.keyword) }
        for w in PhoneScanner.phoneWords { add(String(String.UnicodeScalarView(w)), wording: -1, flag: PageWords.phoneWord) }
        let matcher = AhoCorasick(patterns)
        guard matcher.dense != nil else { return nil }
        self.matcher = matcher
        self.wordingIndex = wordingIndex
        self.flags = flags
    }

    /// The page's words: one pass over its text.
    func scan(_ page: PageModel) -> PageWords {
        var words = PageWords(wording: [], blockFlags: [UInt8](repeating: 0, count: page.blocks.count))
        guard !page.blocks.isEmpty, let dense = matcher.dense else { return words }
        let hits = withUTF8Bytes(page.allText) { dense.matches($0, stopAtFirst: false) }
        for m in hits {
            let w = wordingIndex[m.pattern]
            if w >= 0 { words.wording.append((Int(w), m.end)) }
            let f = flags[m.pattern]
            // A phone word counts for the block that holds it whole (what the per-block scan found).
            if f != 0, let b = page.block(atBytes: m.end - matcher.patterns[m.pattern].count, m.end) { words.blockFlags[b] |= f }
        }
        return words
    }
}

/// What `PageWordMatcher` found in one page.
struct PageWords: Sendable {
    /// The wording entries found in `allText`: (entry index, end byte), in order of the end,
    /// as the dictionary's own matcher reports them.
    var wording: [(pattern: Int, end: Int)]
    /// For each block, `keyword` when one of `PhoneSupport.keywordBytes` lies in its text,
    /// `phoneWord` when one of `PhoneScanner.phoneWords` does.
    var blockFlags: [UInt8]
    static let keyword: UInt8 = 1
    static let phoneWord: UInt8 = 2
}

extension PageContext {
    /// The page's wording entries and phone words, once per page when the context has a memo;
    /// nil when the dictionary is too large for the shared pass.
    func pageWords(_ page: PageModel) -> PageWords? {
        guard let m = content.wording.pageWords else { return nil }
        return memo?.pageWords(page, m) ?? m.scan(page)
    }
}
