import Parse

/// The links of one page packed into bytes: for each link, the target's url id, the kind
/// and the text, as LEB128 varints and length-prefixed UTF-8.
enum LinkPack {
    struct Entry {
        var to: Int64
        var kind: String
        var text: String
    }

    static func encode(_ entries: [(to: Int64, kind: String, text: String)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 24)
        for e in entries {
            varint(UInt64(bitPattern: e.to), &out)
            bytes(e.kind, &out)
            bytes(e.text, &out)
        }
        return out
    }

    /// Appends one entry from borrowed UTF-8 (the writer's path: no strings made).
    static func append(to id: Int64, kind: UnsafeRawBufferPointer, text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        varint(UInt64(bitPattern: id), &out)
        varint(UInt64(kind.count), &out)
        out.append(contentsOf: kind)
        varint(UInt64(text.count), &out)
        out.append(contentsOf: text)
    }

    /// Calls `body` with each link's target id and a lazily decoded (kind, text).
    static func forEach(_ data: UnsafeRawBufferPointer, _ body: (Int64, () -> (kind: String, text: String)) throws -> Void) rethrows {
        try walk(data) { to, kind, text in
            try body(to) { (string(data, kind), string(data, text)) }
        }
    }

    /// Calls `body` with each link's target id and kind (the text is skipped, not decoded).
    static func forEachTarget(_ data: UnsafeRawBufferPointer, _ body: (Int64, String) -> Void) {
        walk(data) { to, kind, _ in body(to, string(data, kind)) }
    }

    private static func string(_ data: UnsafeRawBufferPointer, _ r: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: data[r]), as: UTF8.self)
    }

    /// The entries' target ids and the byte ranges of their kind and text; stops at the
    /// first malformed entry.
    private static func walk(_ data: UnsafeRawBufferPointer, _ body: (Int64, Range<Int>, Range<Int>) throws -> Void) rethrows {
        var i = 0
        let n = data.count
        func readVarint() -> UInt64? { LinkPack.readVarint(data, &i) }
        while i < n {
            guard let to = readVarint(), let kl = readVarint(), kl <= UInt64(n - i) else { return }
            let kind = i..<(i + Int(kl))
            i = kind.upperBound
            guard let tl = readVarint(), tl <= UInt64(n - i) else { return }
            let text = i..<(i + Int(tl))
            i = text.upperBound
            try body(Int64(bitPattern: to), kind, text)
        }
    }

    /// A LEB128 varint at `i` (advanced past it); nil when the data ends first or it overflows.
    static func readVarint(_ data: UnsafeRawBufferPointer, _ i: inout Int) -> UInt64? {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while i < data.count {
            let b = data[i]
            i += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }

    /// Length-prefixed bytes at `i` (advanced past them); nil when malformed.
    static func readBytes(_ data: UnsafeRawBufferPointer, _ i: inout Int) -> UnsafeRawBufferPointer? {
        guard let n = readVarint(data, &i), n <= UInt64(data.count - i) else { return nil }
        defer { i += Int(n) }
        return UnsafeRawBufferPointer(rebasing: data[i ..< i + Int(n)])
    }

    static func varint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func bytes(_ s: String, _ out: inout [UInt8]) {
        var s = s
        s.withUTF8 { b in
            varint(UInt64(b.count), &out)
            out.append(contentsOf: b)
        }
    }
}
