/// URLs of the pages the inspector keeps notes or issues of, each once: the stores below name
/// a page by its index. (The Strings the crawl handed over, kept as they are: the crawl holds
/// the same URLs, so copying their bytes into an arena cost 3 MB more at 100,000 pages.)
struct PageURLs: Sendable {
    private var urls: [String] = []

    var count: Int { urls.count }

    /// Adds a page's URL; returns its index.
    mutating func append(_ url: String) -> Int32 {
        urls.append(url)
        return Int32(urls.count - 1)
    }

    subscript(page: Int32) -> String { urls[Int(page)] }
}

/// The collecting rules' notes of a whole sweep, compact: a footer's phone number noted on
/// every one of 100,000 pages costs 8 bytes a note (its page's URL is in `PageURLs`).
/// Notes are turned back into `CollectedNote`s one rule at a time, when its findings are made,
/// and only those the rule keeps.
struct NoteStore: Sendable {
    /// Distinct (key, text) pairs.
    private struct Pair: Hashable, Sendable { var key: String; var text: String }
    private var pairIDs: [Pair: Int32] = [:]
    private var pairs: [Pair] = []
    /// Per rule: page index << 32 | pair index.
    private var notes: [[UInt64]]

    init(rules: Int) { notes = Array(repeating: [], count: rules) }

    var counts: [Int] { notes.map(\.count) }

    /// Adds one page's notes: `byRule` holds (rule index, notes) pairs.
    mutating func add(page: Int32, _ byRule: [(rule: Int, notes: [PageNote])]) {
        let page = UInt64(UInt32(bitPattern: page)) << 32
        for (rule, list) in byRule {
            for n in list {
                let pair = Pair(key: n.key, text: n.text)
                let id: Int32
                if let known = pairIDs[pair] {
                    id = known
                } else {
                    id = Int32(pairs.count)
                    pairs.append(pair)
                    pairIDs[pair] = id
                }
                notes[rule].append(page | UInt64(UInt32(bitPattern: id)))
            }
        }
    }

    /// The notes of `rule` whose key `keep` accepts, in the order they came.
    func collected(rule: Int, urls: PageURLs, keep: (String) -> Bool) -> [CollectedNote] {
        var verdict: [Int32: Bool] = [:]
        var out: [CollectedNote] = []
        for packed in notes[rule] {
            let id = Int32(bitPattern: UInt32(truncatingIfNeeded: packed))
            let pair = pairs[Int(id)]
            let kept: Bool
            if let v = verdict[id] { kept = v } else { kept = keep(pair.key); verdict[id] = kept }
            guard kept else { continue }
            out.append(CollectedNote(url: urls[Int32(bitPattern: UInt32(packed >> 32))], key: pair.key, text: pair.text))
        }
        return out
    }
}

/// The page rules' issues of a whole sweep, compact: an accessibility issue of a template on
/// every one of 100,000 pages costs 20 bytes and its snippet's id, not an array of one id with
/// its header as well (48 bytes more a page).
struct IssueStore: Sendable {
    struct Issue: Sendable {
        var page: Int32
        var rule: Int32
        /// How many offending elements the page has.
        var count: Int32
        var snippetStart: Int32
        var snippetCount: Int32
    }
    private(set) var records: [Issue] = []
    /// The issues' snippets (ids of interned texts), back to back.
    private var snippetIDs: [Int32] = []

    var count: Int { records.count }

    mutating func add(page: Int32, rule: Int, count: Int, snippets: [Int32]) {
        records.append(
            Issue(
                page: page, rule: Int32(rule), count: Int32(clamping: count), snippetStart: Int32(snippetIDs.count),
                snippetCount: Int32(snippets.count)))
        snippetIDs.append(contentsOf: snippets)
    }

    /// At most `Inspector.maxSnippets` of the issue's offending elements, interned.
    func snippets(of issue: Issue) -> ArraySlice<Int32> {
        snippetIDs[Int(issue.snippetStart)..<Int(issue.snippetStart + issue.snippetCount)]
    }
}
