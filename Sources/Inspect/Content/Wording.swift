import Foundation
import Parse
import Vocabulary

/// The wording dictionary: incorrect expressions, their correct forms and a class, from
/// `Rules/dictionaries/*.csv` (embedded) plus `--wording` (CSV `wrong,right[,class]`).
package struct WordingDictionary: Sendable {
    package enum Class: String, Sendable { case serious, common }
    package struct Entry: Sendable, Equatable {
        package var wrong: String
        package var right: String
        package var wordClass: Class
        /// `file:line` the entry came from.
        package var origin: String
    }
    package private(set) var entries: [Entry]
    package private(set) var matcher: AhoCorasick
    /// The entries with the phone rules' words, for one pass over a page's text (nil: too many
    /// characters for it; each rule scans for its own).
    private(set) var pageWords: PageWordMatcher?

    package init(entries: [Entry]) {
        var seen: [String: Int] = [:]
        var unique: [Entry] = []
        for e in entries {  // a later entry (the user's) replaces an earlier one
            if let i = seen[e.wrong] { unique[i] = e } else { seen[e.wrong] = unique.count; unique.append(e) }
        }
        self.entries = unique
        matcher = AhoCorasick(unique.map(\.wrong))
        pageWords = PageWordMatcher(wording: unique.map(\.wrong))
    }

    /// The bundled dictionaries.
    package static let bundled: WordingDictionary = {
        var entries: [Entry] = []
        for (name, text) in BundledData.dictionaries.sorted(by: { $0.key < $1.key }) {
            // The bundled files are checked by the tests; a bad line cannot ship.
            entries += (try? parse(lines: text.components(separatedBy: "\n"), file: "Rules/dictionaries/\(name).csv")) ?? []
        }
        return WordingDictionary(entries: entries)
    }()

    /// This dictionary with more entries (`--wording` lines).
    package func adding(lines: [String], file: String) throws -> WordingDictionary {
        WordingDictionary(entries: entries + (try WordingDictionary.parse(lines: lines, file: file)))
    }

    /// Adds `--wording`: UTF-8 or GBK CSV, header, comments and blank lines allowed; `file`
    /// names it in errors.
    package func adding(csv bytes: [UInt8], file path: String) throws -> WordingDictionary {
        let csv = try InputCSV(bytes: bytes, file: path, columns: ["wrong", "right", "class"], minimum: 2)
        var added: [Entry] = []
        for row in csv.rows { added.append(try WordingDictionary.entry(row.fields, file: path, line: row.line)) }
        return WordingDictionary(entries: entries + added)
    }

    static func parse(lines: [String], file: String) throws -> [Entry] {
        var out: [Entry] = []
        var header = true
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if header { header = false; if fields.first == "wrong" { continue } }
            out.append(try entry(fields, file: file, line: i + 1))
        }
        return out
    }

    static func entry(_ f: [String], file: String, line: Int) throws -> Entry {
        guard f.count >= 2, f.count <= 3 else { throw InputError(file: file, line: line, problem: "expected wrong,right[,class], found \(f.count) columns") }
        guard !f[0].isEmpty else { throw InputError(file: file, line: line, problem: "empty incorrect expression") }
        guard f[0] != f[1] else { throw InputError(file: file, line: line, problem: "\"\(f[0])\" is its own correct form") }
        guard !f[1].contains(f[0]) else {
            throw InputError(file: file, line: line, problem: "\"\(f[0])\" is part of its correct form \"\(f[1])\": every correct text would match")
        }
        var c = Class.common
        if f.count == 3, !f[2].isEmpty {
            switch f[2].lowercased() {
            case "serious", "严重": c = .serious
            case "common", "一般": c = .common
            default: throw InputError(file: file, line: line, problem: "class \"\(f[2])\": expected serious or common")
            }
        }
        return Entry(wrong: f[0], right: f[1], wordClass: c, origin: "\(file):\(line)")
    }
}

/// Every pattern found in one pass over the text, by the cheapest of three matchers:
/// - at most 255 distinct characters (the bundled dictionaries, the content rules' word
///   lists): Aho–Corasick over characters with every transition resolved (`DenseScalarDFA`);
/// - else, up to `denseLimit` byte-trie nodes: Aho–Corasick over UTF-8 bytes, one class
///   lookup and one 16-bit table load per byte, the table indexed by byte *class* (only the
///   bytes the patterns use are distinct), so it stays small enough for the L2 cache; UTF-8
///   is self-synchronising, so byte matches of whole patterns fall on character boundaries;
/// - larger (a 10,000-entry `--wording` file): each pattern filed under its rarest
///   character (`AnchorMatcher`).
package struct AhoCorasick: Sendable {
    /// The byte automaton, for small dictionaries: `dfa[node << classShift | classOf[byte]]`
    /// is the next node, with bit 15 set when a pattern ends there or on its failure chain.
    var dfa: [UInt16] = []
    var classOf: [UInt8] = []
    var classShift = 0
    /// Pattern ending at a node (-1: none) and the nearest node on the failure chain that ends one.
    var output: [Int32] = []
    var outLink: [Int32] = []
    /// For large dictionaries: patterns filed under their rarest character.
    var anchor: AnchorMatcher?
    /// For dictionaries of at most 255 distinct characters (the usual case): resolved
    /// transitions over Unicode scalars, tried first.
    var dense: DenseScalarDFA?
    /// Which matcher runs: "scalar-dense", "bytes" or "anchor" ("none" without patterns).
    var tier: String { dense != nil ? "scalar-dense" : !dfa.isEmpty ? "bytes" : anchor != nil ? "anchor" : "none" }
    /// Byte-trie nodes above which the anchor matcher is used instead.
    static let denseLimit = 2048
    static let outputBit: UInt16 = 0x8000
    package let patterns: [[UInt8]]

    package init(_ patterns: [String]) {
        self.patterns = patterns.map { Array($0.utf8) }
        // The byte trie: root transitions dense, the others by (node << 8 | byte).
        var rootNext = [Int32](repeating: 0, count: 256)
        var next: [Int: Int32] = [:]
        var output: [Int32] = [-1]
        func child(_ node: Int32, _ b: UInt8) -> Int32? {
            if node == 0 { let n = rootNext[Int(b)]; return n == 0 ? nil : n }
            return next[Int(node) << 8 | Int(b)]
        }
        for (p, bytes) in self.patterns.enumerated() where !bytes.isEmpty {
            var node: Int32 = 0
            for b in bytes {
                if let n = child(node, b) { node = n; continue }
                let n = Int32(output.count)
                output.append(-1)
                if node == 0 { rootNext[Int(b)] = n } else { next[Int(node) << 8 | Int(b)] = n }
                node = n
            }
            output[Int(node)] = Int32(p)
        }
        guard output.count > 1 else { return }
        if let d = DenseScalarDFA(self.patterns) {
            dense = d
            return
        }
        if output.count > AhoCorasick.denseLimit {
            anchor = AnchorMatcher(self.patterns)
            return
        }
        // Byte classes: each byte some pattern uses gets its own; the rest share class 0
        // (from any node they lead back to the root).
        var classOf = [UInt8](repeating: 0, count: 256)
        var classes = 1
        for bytes in self.patterns { for b in bytes where classOf[Int(b)] == 0 { classOf[Int(b)] = UInt8(truncatingIfNeeded: classes); classes += 1 } }
        if classes > 255 { for b in 0..<256 { classOf[b] = UInt8(b) }; classes = 256 }
        var shift = 0
        while 1 << shift < classes { shift += 1 }
        // Breadth-first failure links, then every transition resolved into the table.
        var fail = [Int32](repeating: 0, count: output.count)
        var outLink = [Int32](repeating: -1, count: output.count)
        var children: [Int32: [(UInt8, Int32)]] = [:]
        for (k, v) in next { children[Int32(k >> 8), default: []].append((UInt8(k & 0xFF), v)) }
        var queue: [Int32] = []
        for b in 0..<256 where rootNext[b] != 0 { queue.append(rootNext[b]) }
        var head = 0
        while head < queue.count {
            let u = queue[head]; head += 1
            for (b, v) in children[u] ?? [] {
                var f = fail[Int(u)]
                while f != 0 && child(f, b) == nil { f = fail[Int(f)] }
                let target = child(f, b) ?? 0
                fail[Int(v)] = target == v ? 0 : target
                let fv = Int(fail[Int(v)])
                outLink[Int(v)] = output[fv] >= 0 ? Int32(fv) : outLink[fv]
                queue.append(v)
            }
        }
        // One representative byte per class (class 0: a byte no pattern uses).
        var representative = [Int](repeating: -1, count: 1 << shift)
        for b in 0..<256 where representative[Int(classOf[b])] < 0 { representative[Int(classOf[b])] = b }
        let width = 1 << shift
        var table = [Int32](repeating: 0, count: output.count * width)
        for c in 0..<width where representative[c] >= 0 { table[c] = rootNext[representative[c]] }
        // Breadth-first, so a node's failure target is filled in before the node.
        for u in queue {
            let f = Int(fail[Int(u)])
            for c in 0..<width where representative[c] >= 0 {
                table[Int(u) << shift | c] = child(u, UInt8(representative[c])) ?? table[f << shift | c]
            }
        }
        let has = (0..<output.count).map { output[$0] >= 0 || outLink[$0] >= 0 }
        dfa = table.map { UInt16($0) | (has[Int($0)] ? AhoCorasick.outputBit : 0) }
        self.classOf = classOf
        classShift = shift
        self.output = output
        self.outLink = outLink
    }

    /// Whether any pattern occurs in `text` (stops at the first).
    package func containsAny(_ text: String) -> Bool {
        if let dense { return withUTF8Bytes(text) { !dense.matches($0, stopAtFirst: true).isEmpty } }
        return withUTF8Bytes(text) { bytes in containsAny(bytes) }
    }

    /// The same over UTF-8 bytes.
    package func containsAny(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let dense { return !dense.matches(bytes, stopAtFirst: true).isEmpty }
        if let anchor { return !anchor.matches(bytes, stopAtFirst: true).isEmpty }
        guard !dfa.isEmpty, let base = bytes.baseAddress else { return false }
        return dfa.withUnsafeBufferPointer { t in
            classOf.withUnsafeBufferPointer { cls in
                Self.firstOutput(t.baseAddress!, cls.baseAddress!, classShift, base, bytes.count) >= 0
            }
        }
    }

    /// Offset just past the first byte where the automaton reaches a node with an output, -1 when none.
    @inline(__always)
    static func firstOutput(
        _ t: UnsafePointer<UInt16>, _ cls: UnsafePointer<UInt8>, _ shift: Int,
        _ p: UnsafePointer<UInt8>, _ n: Int
    ) -> Int {
        var node = 0
        var i = 0
        while i < n {
            let e = t[node &<< shift | Int(cls[Int(p[i])])]
            i &+= 1
            if e & outputBit != 0 { return i }
            node = Int(e)
        }
        return -1
    }

    /// (pattern index, byte offset of the match's end) for every occurrence.
    package func matches(in text: String) -> [(pattern: Int, end: Int)] {
        withUTF8Bytes(text) { matches($0) }
    }

    /// The same over UTF-8 bytes.
    package func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> [(pattern: Int, end: Int)] {
        if let dense { return dense.matches(bytes, stopAtFirst: false) }
        if let anchor { return anchor.matches(bytes, stopAtFirst: false) }
        guard !dfa.isEmpty, let base = bytes.baseAddress else { return [] }
        var out: [(pattern: Int, end: Int)] = []
        dfa.withUnsafeBufferPointer { t in
            classOf.withUnsafeBufferPointer { cls in
                let t = t.baseAddress!, cls = cls.baseAddress!, shift = classShift
                var node = 0
                var i = 0
                let n = bytes.count
                while i < n {
                    // The common case, no output: a tight loop with the state in registers.
                    var e: UInt16 = 0
                    while i < n {
                        e = t[node &<< shift | Int(cls[Int(base[i])])]
                        i &+= 1
                        node = Int(e & 0x7FFF)
                        if e & Self.outputBit != 0 { break }
                    }
                    guard e & Self.outputBit != 0 else { break }
                    if output[node] >= 0 { out.append((Int(output[node]), i)) }
                    var o = outLink[node]
                    while o > 0 {
                        out.append((Int(output[Int(o)]), i))
                        o = outLink[Int(o)]
                    }
                }
            }
        }
        return out
    }
}
