import CBytes

/// A growable byte buffer with manual storage: appends in the SAX hot path must not pay
/// for Array's per-element checks. Owned by one `PageBuilder`, freed by it.
struct ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    var count = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    func free() { base.deallocate() }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var cap = capacity * 2
        while cap < needed { cap *= 2 }
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
        new.update(from: base, count: count)
        base.deallocate()
        base = new
        capacity = cap
    }

    @inline(__always)
    mutating func append(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        reserve(n)
        (base + count).update(from: p, count: n)
        count += n
    }

    /// Appends text with HTML whitespace collapsed to single spaces (no leading space
    /// at the buffer start). NBSP and the ideographic space count as whitespace.
    @inline(__always)
    mutating func appendCollapsed(_ src: UnsafePointer<UInt8>, _ len: Int) {
        reserve(len + 1)
        let p = base
        var c = count
        var i = 0
        while i < len {
            // Eight bytes at a time while none is white space (<= 0x20) or can start NBSP
            // (C2) or U+3000 (E3): most text is copied as it is. A word with such a byte is
            // stored whole too and its bytes up to that one kept (its lowest flagged byte is
            // exact): Chinese punctuation (E3 80 82 …) ended the fast path a byte at a time,
            // and text took 570 instructions a call (callgrind, portal pages).
            // Sixteen bytes a step first (SSE2, in CBytes): it stops at a break (white space,
            // NBSP, U+3000; not the rest of CJK punctuation), or with under 18 bytes left, which
            // the steps below take. (saxCharacters, whose copy this is, was 2.1% of a sweep's
            // samples on the realistic portal, then 1.7%.)
            let copied = gs_copy_to_break(p + c, src + i, len &- i)
            c &+= copied
            i &+= copied
            while len &- i < 16, i &+ 8 <= len {
                let w = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
                UnsafeMutableRawPointer(p + c).storeBytes(of: w, as: UInt64.self)  // (capacity: c + 8 <= count + len)
                let m = ByteBuffer.breaks(UInt64(littleEndian: w))
                if m == 0 {
                    c &+= 8
                    i &+= 8
                    continue
                }
                let k = m.trailingZeroBitCount &>> 3
                c &+= k
                i &+= k
                break
            }
            if i >= len { break }
            let b = src[i]
            if b <= 0x20 {
                if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                    if c > 0 && p[c - 1] != 0x20 { p[c] = 0x20; c += 1 }
                    i += 1
                    continue
                }
            } else if b == 0xC2, i + 1 < len, src[i + 1] == 0xA0 {
                if c > 0 && p[c - 1] != 0x20 { p[c] = 0x20; c += 1 }
                i += 2
                continue
            } else if b == 0xE3, i + 2 < len, src[i + 1] == 0x80, src[i + 2] == 0x80 {
                if c > 0 && p[c - 1] != 0x20 { p[c] = 0x20; c += 1 }
                i += 3
                continue
            }
            p[c] = b
            c += 1
            i += 1
        }
        count = c
    }

    /// The bytes of `x` (little-endian) that are <= 0x20, 0xC2 or 0xE3, flagged by their high
    /// bit (the bit tricks "has a byte less than n" and "has a zero byte"); bytes above the
    /// lowest flagged one may be flagged wrongly (a borrow), the lowest is exact.
    @inline(__always)
    static func breaks(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let less = (x &- ones &* 0x21) & ~x & high
        let c2 = x ^ (ones &* 0xC2)
        let e3 = x ^ (ones &* 0xE3)
        return less | ((c2 &- ones) & ~c2 & high) | ((e3 &- ones) & ~e3 & high)
    }

    /// A space separator unless the buffer is empty or already ends in one.
    @inline(__always)
    mutating func separate() {
        if count > 0 && base[count - 1] != 0x20 { append(0x20) }
    }

    /// The bytes in `start ..< count` with surrounding spaces trimmed, as a String.
    func string(from start: Int, to end: Int? = nil) -> String {
        var s = start
        var e = end ?? count
        while s < e, base[s] == 0x20 { s += 1 }
        while e > s, base[e - 1] == 0x20 { e -= 1 }
        if e <= s { return "" }
        return UTF8String.trusted(base + s, e - s)
    }
}
