/// The collecting rules' notes of a whole sweep, compact: a footer's phone number noted on
/// every one of 100,000 pages costs 8 bytes a note plus the page's URL once, in one byte
/// arena (not a String object per page). Notes are turned back into `CollectedNote`s one
/// rule at a time, when its findings are made, and only those the rule keeps.
struct NoteStore: Sendable {
    /// URLs of the pages that have notes, back to back; `urlEnds[i]` ends page i's.
    private var urlBytes: [UInt8] = []
    private var urlEnds: [Int] = []
    /// Distinct (key, text) pairs.
    private struct Pair: Hashable, Sendable { var key: String; var text: String }
    private var pairIDs: [Pair: Int32] = [:]
    private var pairs: [Pair] = []
    /// Per rule: page index << 32 | pair index.
    private var notes: [[UInt64]]

    init(rules: Int) { notes = Array(repeating: [], count: rules) }

    var counts: [Int] { notes.map(\.count) }

    /// Adds one page's notes: `byRule` holds (rule index, notes) pairs.
    mutating func add(url: String, _ byRule: [(rule: Int, notes: [PageNote])]) {
        guard byRule.contains(where: { !$0.notes.isEmpty }) else { return }
        urlBytes.append(contentsOf: url.utf8)
        urlEnds.append(urlBytes.count)
        let page = UInt64(urlEnds.count - 1) << 32
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

    private func url(_ page: Int) -> String {
        let start = page == 0 ? 0 : urlEnds[page - 1]
        return urlBytes[start..<urlEnds[page]].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// The notes of `rule` whose key `keep` accepts, in the order they came; a page's URL
    /// is made once however many notes it has.
    func collected(rule: Int, keep: (String) -> Bool) -> [CollectedNote] {
        var verdict: [Int32: Bool] = [:]
        var urls: [Int: String] = [:]
        var out: [CollectedNote] = []
        for packed in notes[rule] {
            let id = Int32(bitPattern: UInt32(truncatingIfNeeded: packed))
            let pair = pairs[Int(id)]
            let kept: Bool
            if let v = verdict[id] { kept = v } else { kept = keep(pair.key); verdict[id] = kept }
            guard kept else { continue }
            let page = Int(packed >> 32)
            let u: String
            if let known = urls[page] { u = known } else { u = url(page); urls[page] = u }
            out.append(CollectedNote(url: u, key: pair.key, text: pair.text))
        }
        return out
    }
}
