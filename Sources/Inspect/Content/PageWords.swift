import Parse
import Vocabulary

/// The words the content rules look for in a page's text, found in one pass over `allText`:
/// the wording dictionary's entries, the phone rules' keywords and phone words, the policy
/// rules' gate and interpretation words, the service guide's stems and the published-date
/// labels. The wording rule scanned `allText` once anyway; the phone rules asked each block
/// with a date or a number (every list row of the realistic portal) for a keyword in passes
/// of their own (1.6% of a sweep's samples, `perf` on the 20,000-page portal), and the others
/// searched the text with memchr once a word (4%).
struct PageWordMatcher: Sendable {
    /// The dictionary's entries and the rules' words in one automaton, each distinct word once.
    let matcher: AhoCorasick
    /// For each of its patterns: the index of the wording entry it is (-1: none), which of the
    /// block lists it is in (`PageWords.keyword` …), the bit of its service-guide stem group
    /// (0: none) and its index in `Summarizer.publishedLabels` (-1: none).
    let wordingIndex: [Int32]
    let flags: [UInt8]
    let stemBits: [UInt8]
    let publishedIndex: [Int8]

    /// nil when the words do not fit the one-pass character automaton (a large `--wording`
    /// file): then each rule scans for its own words as before.
    init?(wording: [String]) {
        var patterns: [String] = []
        var index: [String: Int] = [:]
        var wordingIndex: [Int32] = []
        var flags: [UInt8] = []
        var stemBits: [UInt8] = []
        var publishedIndex: [Int8] = []
        func add(_ w: String, wording: Int32 = -1, flag: UInt8 = 0, stem: UInt8 = 0, published: Int8 = -1) {
            let k: Int
            if let i = index[w] {
                k = i
            } else {
                k = patterns.count; index[w] = k; patterns.append(w)
                wordingIndex.append(-1); flags.append(0); stemBits.append(0); publishedIndex.append(-1)
            }
            if wording >= 0 && wordingIndex[k] < 0 { wordingIndex[k] = wording }
            if published >= 0 && publishedIndex[k] < 0 { publishedIndex[k] = published }
            flags[k] |= flag
            stemBits[k] |= stem
        }
        func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }
        for (i, w) in wording.enumerated() { add(w, wording: Int32(i)) }
        for w in PhoneSupport.keywordBytes { add(text(w), flag: PageWords.keyword) }
        for w in PhoneScanner.phoneWords { add(String(String.UnicodeScalarView(w)), flag: PageWords.phoneWord) }
        for w in PolicyInterpretationRule.interpretationBytes { add(text(w), flag: PageWords.interpretation) }
        for w in PolicyMetadata.gateWords { add(w, flag: PageWords.policyGate) }
        for w in AccountDiscovery.cheapWords { add(w, flag: PageWords.account) }
        for (g, group) in ServiceGuide.coreStems.enumerated() { for w in group { add(text(w), stem: 1 << UInt8(g)) } }
        for (i, (_, w)) in Summarizer.publishedLabels.enumerated() { add(text(w), published: Int8(i)) }
        let matcher = AhoCorasick(patterns)
        guard matcher.dense != nil else { return nil }
        self.matcher = matcher
        self.wordingIndex = wordingIndex
        self.flags = flags
        self.stemBits = stemBits
        self.publishedIndex = publishedIndex
    }

    /// The page's words: one pass over its text.
    func scan(_ page: PageModel) -> PageWords {
        var words = PageWords(wording: [], blockFlags: [UInt8](repeating: 0, count: page.blocks.count))
        guard !page.blocks.isEmpty, let dense = matcher.dense else { return words }
        let hits = withUTF8Bytes(page.allText) { dense.matches($0, stopAtFirst: false) }
        for m in hits {
            let w = wordingIndex[m.pattern]
            if w >= 0 { words.wording.append((Int(w), m.end)) }
            words.stems |= stemBits[m.pattern]
            let f = flags[m.pattern], label = publishedIndex[m.pattern]
            guard f != 0 || label >= 0 else { continue }
            // A word counts for the block that holds it whole (what a scan of each block finds).
            let start = m.end - matcher.patterns[m.pattern].count
            if f != 0, let b = page.block(atBytes: start, m.end) { words.blockFlags[b] |= f }
            if label >= 0 { words.published.append((Int(label), start, m.end)) }
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
    /// (`interpretation`: one of `PolicyInterpretationRule.interpretationBytes`; `policyGate`:
    /// one of `PolicyMetadata.gateWords`; `account`: one of `AccountDiscovery.cheapWords`.)
    var blockFlags: [UInt8]
    /// Bit g set when `allText` holds a stem of `ServiceGuide.coreStems[g]`.
    var stems: UInt8 = 0
    /// Every occurrence of a `Summarizer.publishedLabels` label in `allText`: (label index,
    /// start byte, end byte), in order of the end.
    var published: [(label: Int, start: Int, end: Int)] = []
    static let keyword: UInt8 = 1
    static let phoneWord: UInt8 = 2
    static let interpretation: UInt8 = 4
    static let policyGate: UInt8 = 8
    static let account: UInt8 = 16
}

extension PageContext {
    /// The page's wording entries and phone words, once per page when the context has a memo;
    /// nil when the dictionary is too large for the shared pass.
    func pageWords(_ page: PageModel) -> PageWords? {
        guard let m = content.wording.pageWords else { return nil }
        return memo?.pageWords(page, m) ?? m.scan(page)
    }
}
