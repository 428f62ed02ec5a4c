/// Aho–Corasick over Unicode scalars with every transition resolved in advance, for small
/// dictionaries (the bundled wording lists, the content rules' word lists): at most 255
/// distinct characters. A character no pattern contains, which is most of a page's text,
/// sends the automaton to the root without touching the table, so the loop only decodes
/// UTF-8 and looks the character up; the others take one 16-bit load. One step a
/// character instead of three for Chinese text. Matches are reported as byte offsets.
final class DenseScalarDFA: Sendable {
    /// Symbol of each BMP scalar (0: in no pattern); astral scalars through `astral`.
    let symbolOf: [UInt8]
    /// One bit per BMP scalar, set when some pattern has it: 8 KB that stay in the L1
    /// cache, looked at before the 64 KB symbol table (most characters are in no pattern).
    let present: [UInt64]
    /// The same for the characters that begin a pattern: at the root (most of the text)
    /// only these can move the automaton, and they are fewer than the characters used.
    let starts: [UInt64]
    let astral: [UInt32: UInt8]
    let shift: Int
    /// `table[node << shift | symbol]`: the next node, bit 15 set when a pattern ends there
    /// or on its failure chain.
    let table: [UInt16]
    let output: [Int32]
    let outLink: [Int32]
    /// The (first symbol, second character) pairs the patterns begin with, hashed into 65,536
    /// bits (`pairBit`), and whether a symbol is a pattern by itself: at the root, a start
    /// character whose next character continues no pattern leaves the automaton where reading
    /// the next character from the root would, so it is skipped like any other character. (The
    /// content rules' words begin with common characters, 发, 文, 有, 一, 时: 35% of the pass's
    /// samples were steps away from the root that went back to it.)
    let pairs: PairBits
    let single: [Bool]
    static let outputBit: UInt16 = 0x8000

    @inline(__always)
    static let maxEntries = 1 << 20

    init?(_ patterns: [[UInt8]]) {
        var symbolOf = [UInt8](repeating: 0, count: 0x10000)
        var astral: [UInt32: UInt8] = [:]
        var symbols = 0
        var scalarsOf: [[Int]] = []
        var starts = [UInt64](repeating: 0, count: 0x10000 / 64)
        var astralStarts = false
        for p in patterns {
            var syms: [Int] = []
            for u in String(decoding: p, as: UTF8.self).unicodeScalars {
                let v = u.value
                if syms.isEmpty {
                    if v < 0x10000 { starts[Int(v) >> 6] |= 1 << UInt64(v & 63) } else { astralStarts = true }
                }
                var s = Int(v < 0x10000 ? symbolOf[Int(v)] : (astral[v] ?? 0))
                if s == 0 {
                    symbols += 1
                    if symbols > 255 { return nil }
                    s = symbols
                    if v < 0x10000 { symbolOf[Int(v)] = UInt8(s) } else { astral[v] = UInt8(s) }
                }
                syms.append(s)
            }
            scalarsOf.append(syms)
        }
        guard symbols > 0 else { return nil }
        var shift = 0
        while 1 << shift <= symbols { shift += 1 }
        // The trie.
        var next: [Int: Int] = [:]  // node << 8 | symbol → child
        var output: [Int32] = [-1]
        for (p, syms) in scalarsOf.enumerated() where !syms.isEmpty {
            var node = 0
            for s in syms {
                if let n = next[node << 8 | s] { node = n; continue }
                let n = output.count
                output.append(-1)
                next[node << 8 | s] = n
                node = n
            }
            if output[node] < 0 { output[node] = Int32(p) }
        }
        let nodes = output.count
        guard nodes < 0x8000, nodes << shift <= DenseScalarDFA.maxEntries else { return nil }
        // Failure links breadth-first, then every transition resolved.
        var children = [[(Int, Int)]](repeating: [], count: nodes)
        for (k, v) in next { children[k >> 8].append((k & 0xFF, v)) }
        var fail = [Int](repeating: 0, count: nodes)
        var outLink = [Int32](repeating: -1, count: nodes)
        var table = [Int](repeating: 0, count: nodes << shift)
        var queue: [Int] = []
        for (s, v) in children[0] { table[s] = v; queue.append(v) }
        var head = 0
        while head < queue.count {
            let u = queue[head]; head += 1
            let f = fail[u]
            // Missing transitions follow the failure target's (already resolved: breadth-first).
            for s in 0..<(1 << shift) { table[u << shift | s] = table[f << shift | s] }
            for (s, v) in children[u] {
                fail[v] = table[f << shift | s]
                let fv = fail[v]
                outLink[v] = output[fv] >= 0 ? Int32(fv) : outLink[fv]
                table[u << shift | s] = v
                queue.append(v)
            }
        }
        // Symbol 0 always goes back to the root (the matcher does not even look).
        for u in 0..<nodes { table[u << shift] = 0 }
        let has = (0..<nodes).map { output[$0] >= 0 || outLink[$0] >= 0 }
        self.table = table.map { UInt16($0) | (has[$0] ? DenseScalarDFA.outputBit : 0) }
        self.symbolOf = symbolOf
        var present = [UInt64](repeating: 0, count: 0x10000 / 64)
        for v in 0..<0x10000 where symbolOf[v] != 0 { present[v >> 6] |= 1 << UInt64(v & 63) }
        self.present = present
        // A pattern beginning outside the BMP: every character may start one (the astral
        // path does not look at the bitmaps).
        self.starts = astralStarts ? present : starts
        self.astral = astral
        self.shift = shift
        self.output = output
        self.outLink = outLink
        var pairs = PairBits()
        var single = [Bool](repeating: false, count: 256)
        for (s, v) in children[0] where output[v] >= 0 { single[s] = true }
        for (p, syms) in scalarsOf.enumerated() where syms.count >= 2 {
            let second = Array(String(decoding: patterns[p], as: UTF8.self).unicodeScalars)[1].value
            pairs.insert(syms[0], Int(second))
        }
        self.pairs = pairs
        self.single = single
    }

    /// Every (pattern, byte offset of the match's end) in `bytes` (UTF-8), in order of the
    /// end; with `stopAtFirst`, only the first.
    func matches(_ bytes: UnsafeBufferPointer<UInt8>, stopAtFirst: Bool) -> [(pattern: Int, end: Int)] {
        var out: [(pattern: Int, end: Int)] = []
        guard let p = bytes.baseAddress else { return out }
        let n = bytes.count
        let shift = self.shift
        let hasAstral = !astral.isEmpty
        symbolOf.withUnsafeBufferPointer { symbols in
            table.withUnsafeBufferPointer { table in
                present.withUnsafeBufferPointer { bits in
                    starts.withUnsafeBufferPointer { startBits in
                        pairs.words.withUnsafeBufferPointer { pairBits in
                            single.withUnsafeBufferPointer { single in
                                let sym = symbols.baseAddress!, t = table.baseAddress!, bits = bits.baseAddress!, startBits = startBits.baseAddress!
                                let pairBits = pairBits.baseAddress!, single = single.baseAddress!
                                /// Whether the start character `v`, `length` bytes at i, can be skipped: it is no
                                /// pattern by itself and the next character (ASCII or three-byte) continues none.
                                @inline(__always) func skippable(_ v: Int, _ i: Int, _ length: Int) -> Bool {
                                    guard let w = PairBits.asciiOrThreeByte(p, i &+ length, n) else { return false }
                                    let s = Int(sym[v])
                                    return !single[s] && PairBits.beginsNone(pairBits, s, w)
                                }
                                var node = 0
                                var i = 0
                                while i < n {
                                    if node == 0 {
                                        // At the root (most of the text): skip characters that begin no pattern in a
                                        // tight loop, ASCII and three-byte (Chinese) ones, and those that begin one but
                                        // are not followed by its second character; anything else takes the step below.
                                        while i &+ 2 < n {
                                            let c = UInt32(p[i])
                                            if c &- 0xE0 < 0x10 {
                                                let v = Int((c & 0x0F) << 12 | UInt32(p[i &+ 1] & 0x3F) << 6 | UInt32(p[i &+ 2] & 0x3F))
                                                if startBits[v &>> 6] &>> UInt64(v & 63) & 1 == 0 || skippable(v, i, 3) { i &+= 3; continue }
                                            } else if c < 0x80 {
                                                if startBits[Int(c) &>> 6] &>> UInt64(c & 63) & 1 == 0 || skippable(Int(c), i, 1) { i &+= 1; continue }
                                            }
                                            break
                                        }
                                        if i >= n { break }
                                    }
                                    let b0 = UInt32(p[i])
                                    var s = 0
                                    if b0 < 0x80 {
                                        s = Int(sym[Int(b0)]); i &+= 1
                                    } else if b0 >= 0xE0 && b0 < 0xF0 && i + 2 < n {
                                        let v = Int((b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F))
                                        i &+= 3
                                        // At the root only a pattern's first character matters; elsewhere any of its characters.
                                        if (node == 0 ? startBits : bits)[v &>> 6] &>> UInt64(v & 63) & 1 == 0 { node = 0; continue }
                                        s = Int(sym[v])
                                    } else if b0 >= 0xC0 && b0 < 0xE0 && i + 1 < n {
                                        let v = (b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F)
                                        s = Int(sym[Int(v)]); i &+= 2
                                    } else if b0 >= 0xF0 && i + 3 < n {
                                        let v = (b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F)
                                        s = hasAstral ? Int(astral[v] ?? 0) : 0; i &+= 4
                                    } else {
                                        i &+= 1  // a stray byte: no pattern runs through it
                                    }
                                    if s == 0 { node = 0; continue }
                                    let e = t[node &<< shift | s]
                                    node = Int(e & 0x7FFF)
                                    guard e & DenseScalarDFA.outputBit != 0 else { continue }
                                    if output[node] >= 0 {
                                        out.append((Int(output[node]), i))
                                        if stopAtFirst { return }
                                    }
                                    var o = outLink[node]
                                    while o > 0 {
                                        out.append((Int(output[Int(o)]), i))
                                        if stopAtFirst { return }
                                        o = outLink[Int(o)]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
