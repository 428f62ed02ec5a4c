import Parse
import Vocabulary

/// Labels of a table of page elements (索引号, 发文机关 … of a policy page; 设定依据, 申请条件 …
/// of a service guide), each naming a canonical field, compiled for a scan over a block's
/// UTF-8 bytes: one readers' engine for every element table.
struct LabelTable: Sendable {
    /// (field, label scalars), longest label first (a label that contains another wins).
    let labelScalars: [(field: String, label: [Unicode.Scalar])]
    /// The labels' first characters (their values), and for each the indices in `labelScalars`
    /// of the labels it begins, in that order: a common character (发, 主, 文, 有, 成) is
    /// compared with its own two or three labels, not all of them.
    let startValues: [UInt32]
    let labelsByStart: [[Int]]
    /// The labels' first characters as a bitmap over the BMP (a character tested with one load).
    let labelStartBits: [UInt64]
    /// For each BMP character that begins a label, 1 + its index in `startValues` (0: none): a
    /// common character that passes the bitmap (发, 主, 文, 有 …) finds its labels with one load,
    /// not a search of the start list.
    let startSlot: [UInt8]
    /// The (first, second) character pairs the labels begin with, hashed into 65,536 bits, and
    /// whether a label has one character: a start character followed by a character that is
    /// neither a space (letters may be spaced out) nor a label's second one begins no label.
    /// (Labels begin with common characters, 发, 文, 有, 主, 成, 名: most of them are skipped
    /// without trying their labels.)
    let pairs: PairBits
    let oneCharacterLabel: Bool

    init(_ labels: [(field: String, label: String)]) {
        let scalars = labels.sorted { $0.label.count > $1.label.count }.map { ($0.field, Array($0.label.unicodeScalars)) }
        labelScalars = scalars
        let starts = Array(Set(scalars.map { $0.1[0].value })).sorted()
        startValues = starts
        labelsByStart = starts.map { v in scalars.indices.filter { scalars[$0].1[0].value == v } }
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for l in labels { let v = Int(l.label.unicodeScalars.first!.value); bits[v >> 6] |= 1 << UInt64(v & 63) }
        labelStartBits = bits
        precondition(starts.count < 255, "more label starts than a slot holds")
        var slot = [UInt8](repeating: 0, count: 0x10000)
        for (k, v) in starts.enumerated() where v < 0x10000 { slot[Int(v)] = UInt8(k + 1) }
        startSlot = slot
        var pairs = PairBits()
        for (_, l) in scalars where l.count >= 2 { pairs.insert(Int(l[0].value), Int(l[1].value)) }
        self.pairs = pairs
        oneCharacterLabel = scalars.contains { $0.1.count == 1 }
    }

    /// The labels in one block's UTF-8: (field, start, end of label incl. colon, hasColon), as
    /// byte offsets. (Over the bytes, decoding each scalar where it is read: an array of the
    /// block's scalars for every short block of every page was 8% of a sweep's samples with
    /// this reader, on the realistic portal whose 字号： passes the gate on every article.)
    /// (`skipping`: false only in the tests, which compare the reading without the skip below.)
    func labels(in s: UnsafeBufferPointer<UInt8>, skipping: Bool = true) -> [(field: String, start: Int, end: Int, colon: Bool)] {
        typealias P = PolicyMetadata
        var out: [(String, Int, Int, Bool)] = []
        var i = 0
        let n = s.count
        // The tables held locally: the loop asks the bitmap for every character.
        let bits = labelStartBits, table = labelScalars, byStart = labelsByStart, slots = startSlot
        // Characters that begin no label (most of the text) skipped in a tight loop, ASCII and
        // three-byte ones, unchecked (the rest of the loop takes any other character, as before).
        // (2.3% of a sweep's samples on the realistic portal were this loop's.)
        let pairs = self.pairs, oneCharacterLabel = self.oneCharacterLabel
        let skip: (Int) -> Int = { from in
            bits.withUnsafeBufferPointer { b in
                pairs.words.withUnsafeBufferPointer { pb in
                    guard let p = s.baseAddress, let bits = b.baseAddress, let pairBits = pb.baseAddress else { return from }
                    /// Whether the start character `v`, `length` bytes at i, begins no label: the next
                    /// character (ASCII or three-byte) is no space and no label's second after `v`.
                    func beginsNone(_ v: UInt32, _ i: Int, _ length: Int) -> Bool {
                        guard !oneCharacterLabel, let w = PairBits.asciiOrThreeByte(p, i &+ length, n),
                            let u = Unicode.Scalar(UInt32(w)), !PolicyMetadata.isSpace(u)
                        else { return false }
                        return PairBits.beginsNone(pairBits, Int(v), w)
                    }
                    var i = from
                    while i &+ 2 < n {
                        let c = UInt32(p[i])
                        if c < 0x80 {
                            if bits[Int(c &>> 6)] &>> UInt64(c & 63) & 1 != 0 && !beginsNone(c, i, 1) { break }
                            i &+= 1
                        } else if c &- 0xE0 < 0x10 {
                            let v = (c & 0x0F) << 12 | UInt32(p[i &+ 1] & 0x3F) << 6 | UInt32(p[i &+ 2] & 0x3F)
                            if bits[Int(v &>> 6)] &>> UInt64(v & 63) & 1 != 0 && !beginsNone(v, i, 3) { break }
                            i &+= 3
                        } else {
                            break
                        }
                    }
                    return i
                }
            }
        }
        while i < n {
            if skipping { i = skip(i) }
            if i >= n { break }
            // The value of the scalar at i (and its length) without making a Unicode.Scalar:
            // only a label start is decoded in full.
            let c = UInt32(s[i])
            let v: UInt32, length: Int
            if c < 0x80 {
                v = c; length = 1
            } else if c < 0xE0 {
                v = (c & 0x1F) << 6 | UInt32(s[i + 1] & 0x3F); length = 2
            } else if c < 0xF0 {
                v = (c & 0x0F) << 12 | UInt32(s[i + 1] & 0x3F) << 6 | UInt32(s[i + 2] & 0x3F); length = 3
            } else {
                i += 4; continue
            }  // beyond the BMP: no label starts there
            guard bits[Int(v) >> 6] >> UInt64(v & 63) & 1 != 0 else { i += length; continue }
            var hit: (String, Int)? = nil
            for idx in byStart[Int(slots[Int(v)]) - 1] {
                // Letters may be spaced out (索 引 号). (k in bytes, steps in scalars; the label
                // read in place in the table, not copied out of it.)
                let count = table[idx].label.count
                var k = i, steps = 0, m = 0
                while k < n, m < count {
                    let (u, ul) = P.scalar(s, at: k)
                    if u == table[idx].label[m] {
                        k += ul; steps += 1; m += 1
                    } else if m > 0, P.isSpace(u), steps < count * 3 {
                        k += ul; steps += 1
                    } else {
                        break
                    }
                }
                if m == count { hit = (table[idx].field, k); break }
            }
            guard let (field, labelEnd) = hit else { i += length; continue }
            // A label stands at the block start or after a space / separator …
            let before: Unicode.Scalar? = i > 0 ? P.scalar(s, at: P.start(before: i, in: s)).0 : nil
            let startOK = before == nil || P.isSpace(before!) || "|｜】]】:：;；,，、".unicodeScalars.contains(before!)
            // … and is followed by a colon, or by a space (table cells), or ends the block.
            var k = labelEnd
            var next: (Unicode.Scalar, Int)? = nil
            while k < n {
                let (u, ul) = P.scalar(s, at: k)
                guard P.isSpace(u) else { next = (u, ul); break }
                k += ul
            }
            let colon = next.map { $0.0 == "：" || $0.0 == ":" } ?? false
            let endOK = colon || k == n || (k > labelEnd && startOK)
            if startOK && endOK {
                let end = colon ? k + next!.1 : k
                out.append((field, i, end, colon))
                i = end
            } else {
                i = labelEnd
            }
        }
        return out
    }
}

extension LabelTable {
    /// What a page's blocks label: each field's value ("" when the label stands empty), the
    /// fields labelled, and the characters of running text outside the labels (the body).
    struct Reading: Sendable {
        var values: [String: String] = [:]
        var labelled: Set<String> = []
        /// Characters of body text, counted up to `bodyMinimum` (past it, blocks are not counted).
        var bodyChars = 0
    }
    /// The body a document needs (`PolicyMetadata.Facts.present("正文")`).
    static let bodyMinimum = 80

    /// Reads labels and their values from the shown blocks outside the footer: `label：value`
    /// in one block, or a label standing alone whose value is the next cell (th/td, dt/dd).
    /// Blocks over 600 bytes are running text (a table row of labels is short).
    func read(_ all: [TextBlock]) -> Reading {
        var r = Reading()
        var pendingField: String? = nil  // a label whose value is in the next block (dt/dd)
        for i in all.indices where !all[i].hidden && all[i].region != .footer {
            let text = all[i].text
            if text.utf8.count > 600 { r.bodyChars += text.utf8.count / 3; pendingField = nil; continue }
            // (The block's bytes read in place: no array of its scalars, no copy.)
            withUTF8Bytes(text) { s in
                let found = labels(in: s)
                if found.isEmpty {
                    // A value cell or dd right after a label standing alone. (Body text is counted
                    // only up to what `present("正文")` asks, `bodyMinimum` characters.)
                    guard pendingField != nil || r.bodyChars < LabelTable.bodyMinimum else { return }
                    let count = PolicyMetadata.scalarCount(s)
                    if let p = pendingField, count <= 60, ["dd", "td", "span", "div", "li"].contains(all[i].tag) {
                        r.values[p] = PolicyMetadata.clean(s[...])
                    } else {
                        r.bodyChars += count
                    }
                    pendingField = nil
                    return
                }
                pendingField = nil
                for (idx, l) in found.enumerated() {
                    let valueEnd = idx + 1 < found.count ? found[idx + 1].start : s.count
                    let value = PolicyMetadata.clean(s[l.end..<max(l.end, valueEnd)])
                    r.labelled.insert(l.field)
                    // A value read twice (a label repeated in a sidebar): the non-empty one wins.
                    if (r.values[l.field] ?? "").isEmpty { r.values[l.field] = value }
                    if value.isEmpty && found.count == 1 { pendingField = l.field }
                }
            }
        }
        return r
    }
}
