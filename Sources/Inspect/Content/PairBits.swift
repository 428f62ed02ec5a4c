/// Character pairs hashed into 65,536 bits: the (first, second) characters a list of words
/// begins with, so that a scan at a common first character (发, 文, 有 …) tells in one load
/// that the next character continues none of them. A pair that is not in the set may share
/// a bit with one that is: the answer "none" is exact, "maybe" is not. (Shared by the label
/// table's and the word automaton's skips, which wrote it twice.)
struct PairBits: Sendable {
    private(set) var words = [UInt64](repeating: 0, count: 0x10000 / 64)

    @inline(__always)
    static func bit(_ first: Int, _ second: Int) -> Int { (second ^ (first &* 0x9E5)) & 0xFFFF }

    mutating func insert(_ first: Int, _ second: Int) {
        let h = Self.bit(first, second)
        words[h >> 6] |= 1 << UInt64(h & 63)
    }

    /// Whether no word begins with (first, second), on the bits of `words` held by the caller's loop.
    @inline(__always)
    static func beginsNone(_ words: UnsafePointer<UInt64>, _ first: Int, _ second: Int) -> Bool {
        let h = bit(first, second)
        return words[h &>> 6] &>> UInt64(h & 63) & 1 == 0
    }

    /// The character at byte `j` of `p` (`n` bytes) when it is ASCII or three bytes long (all
    /// of Chinese), unchecked; nil for any other, or when the text ends inside it.
    @inline(__always)
    static func asciiOrThreeByte(_ p: UnsafePointer<UInt8>, _ j: Int, _ n: Int) -> Int? {
        guard j < n else { return nil }
        let d = UInt32(p[j])
        if d < 0x80 { return Int(d) }
        guard d &- 0xE0 < 0x10, j &+ 2 < n else { return nil }
        return Int((d & 0x0F) << 12 | UInt32(p[j &+ 1] & 0x3F) << 6 | UInt32(p[j &+ 2] & 0x3F))
    }
}
