// Byte-level helpers shared by the crawler, the run store and the inspection: a
// word-at-a-time hash, FNV-1a for stable ids and fingerprints, LEB128 varints, a string's
// UTF-8 in place.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 64-bit hash of bytes, eight a step, each word mixed in with a multiply and a shift,
/// then the tail and the length: the run store's URL-id cache key, the frontier's URL key,
/// the stored page-body hash and the inspection's text-cache keys. (FNV took sixty dependent multiplies for a URL of sixty
/// bytes, and a second of CPU on 600 MB of bodies.)
@inlinable @inline(__always)
package func wordHash(_ raw: UnsafeRawBufferPointer) -> UInt64 {
    let n = raw.count
    var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(n)
    var i = 0
    while i + 8 <= n {
        h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < n { tail |= UInt64(raw[i]) << shift; shift += 8; i += 1 }
    h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
    h ^= h >> 32
    return h
}

/// The same over a string's UTF-8.
@inlinable @inline(__always)
package func wordHash(_ s: String) -> UInt64 {
    withUTF8Bytes(s) { wordHash(UnsafeRawBufferPointer($0)) }
}

/// `body` over a string's UTF-8 without copying the string first (`withUTF8` is mutating, so
/// callers made a `var` copy, a retain and a release, on every call: hundreds a page).
/// Bridged or otherwise non-contiguous strings take the copy.
@inlinable @inline(__always)
package func withUTF8Bytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    if let r = try s.utf8.withContiguousStorageIfAvailable(body) { return r }
    var copy = s
    return try copy.withUTF8(body)
}

/// A cache key for a text: hashed with `wordHash` once, when made (String's own hashing
/// normalises Chinese text to NFC on every lookup; made outside a cache's lock, the hash is
/// not computed inside it), and compared by its bytes, so that two texts whose hashes collide
/// never share an answer.
package struct TextKey: Hashable, Sendable {
    package let text: String
    package let hash: Int
    package init(_ text: String) {
        self.init(text, hash: Int(truncatingIfNeeded: wordHash(text)))
    }
    /// With a hash of the caller's (tests: two texts whose hashes collide).
    package init(_ text: String, hash: Int) {
        self.text = text
        self.hash = hash
    }
    package func hash(into h: inout Hasher) { h.combine(hash) }
    package static func == (a: TextKey, b: TextKey) -> Bool {
        // (memcmp: a footer found in a cache is compared byte by byte on every page, and the
        // generic elementsEqual walked it one index at a time.)
        a.hash == b.hash && a.text.utf8.count == b.text.utf8.count
            && withUTF8Bytes(a.text) { x in withUTF8Bytes(b.text) { y in x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }
}

/// Unsigned LEB128 varints: seven bits a byte, low first, the high bit set on all but the
/// last. The run store's packed links and the inspection's stored page facts both use them.
package enum LEB128 {
    @inlinable
    package static func append(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// The varint at `i` (advanced past it); nil when the data ends first or it overflows.
    @inlinable
    package static func read<Bytes: RandomAccessCollection>(_ data: Bytes, _ i: inout Int) -> UInt64?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while i < data.endIndex {
            let b = data[i]
            i += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }
}

/// FNV-1a, a byte a step: for ids and fingerprints that must come out the same on every
/// machine and run (Swift's `Hasher` is seeded per process). Not for hot paths: `wordHash`
/// takes eight bytes a step.
package struct FNV1a: Sendable {
    package var value: UInt64
    /// Added after each multiply: 0 for FNV-1a itself (a finding id's second lane adds one).
    package let increment: UInt64

    @inlinable
    package init(basis: UInt64 = 0xcbf2_9ce4_8422_2325, increment: UInt64 = 0) {
        value = basis
        self.increment = increment
    }

    @inlinable
    package mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ increment
    }

    @inlinable
    package mutating func add<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for b in bytes { add(b) }
    }
}
