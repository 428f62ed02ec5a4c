package import Vocabulary

/// The links of one page packed into bytes: for each link, the target's url id, the kind
/// and the text, as LEB128 varints and length-prefixed UTF-8.
package enum LinkPack {
    struct Entry {
        var to: Int64
        var kind: String
        var text: String
    }

    static func encode(_ entries: [(to: Int64, kind: String, text: String)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 24)
        for e in entries {
            LEB128.append(UInt64(bitPattern: e.to), to: &out)
            bytes(e.kind, &out)
            bytes(e.text, &out)
        }
        return out
    }

    /// Appends one entry from borrowed UTF-8 (the writer's path: no strings made).
    package static func append(to id: Int64, kind: UnsafeRawBufferPointer, text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        LEB128.append(UInt64(bitPattern: id), to: &out)
        LEB128.append(UInt64(kind.count), to: &out)
        out.append(contentsOf: kind)
        LEB128.append(UInt64(text.count), to: &out)
        out.append(contentsOf: text)
    }

    /// Calls `body` with each link's target id and a lazily decoded (kind, text).
    package static func forEach(_ data: UnsafeRawBufferPointer, _ body: (Int64, () -> (kind: String, text: String)) throws -> Void) rethrows {
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
        func readVarint() -> UInt64? { LEB128.read(data, &i) }
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

    /// Length-prefixed bytes at `i` (advanced past them); nil when malformed.
    static func readBytes(_ data: UnsafeRawBufferPointer, _ i: inout Int) -> UnsafeRawBufferPointer? {
        guard let n = LEB128.read(data, &i), n <= UInt64(data.count - i) else { return nil }
        defer { i += Int(n) }
        return UnsafeRawBufferPointer(rebasing: data[i..<i + Int(n)])
    }

    static func bytes(_ s: String, _ out: inout [UInt8]) {
        withUTF8Bytes(s) { b in
            LEB128.append(UInt64(b.count), to: &out)
            out.append(contentsOf: b)
        }
    }

    /// A stored kind's bytes as the `LinkKind` they were written from (`a` for bytes no
    /// govsweep wrote).
    package static func kind(_ bytes: UnsafeRawBufferPointer) -> LinkKind {
        LinkKind(rawValue: String(decoding: bytes, as: UTF8.self)) ?? .a
    }

    package static func kind(_ text: String) -> LinkKind { LinkKind(rawValue: text) ?? .a }
}
