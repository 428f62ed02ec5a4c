#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Strings made from the UTF-8 bytes the page builder gathers: a page's visible text,
/// its link targets and texts, attribute values (`trusted`: libxml2's output, valid by
/// construction, not validated again in release builds), and snippets, which may cut a value
/// (`make`: validated first).
///
/// `String(decoding:as:)` validates scalar by scalar (about 600 MB/s here), which for
/// Chinese text cost more than the rest of building the page model. `make` checks the
/// bytes with the parser's own validator instead (`TextDecoding.firstInvalidUTF8`:
/// runs of ASCII eight bytes at a time, runs of three-byte characters without the
/// general decoder), and a valid buffer becomes a String through the standard library's
/// unchecked initialiser, `String._uncheckedFromUTF8(_:)`. That initialiser is internal
/// to the standard library but exported from it (`@usableFromInline`); it is looked up
/// once, by its mangled name, and checked on a probe before it is trusted. When it is
/// absent (another runtime) or the probe disagrees, or the bytes are not valid UTF-8
/// (a cut in the middle of a character, a NUL), the checked, repairing initialiser is
/// used, so the result is always what `String(decoding:as:)` would give.
enum UTF8String {
    private typealias Unchecked = @convention(thin) (UnsafeBufferPointer<UInt8>) -> String

    /// The initialiser's address (0 when not usable), kept as an integer to be Sendable.
    private static let uncheckedAddress: UInt = {
        guard let handle = dlopen(nil, RTLD_NOW),
            let symbol = dlsym(handle, "$sSS18_uncheckedFromUTF8ySSSRys5UInt8VGFZ")
        else { return 0 }
        let f = unsafeBitCast(symbol, to: Unchecked.self)
        // Short (inline) and long (allocated) strings, ASCII and not, must come out equal.
        for probe in ["ok", "政府网站", "govsweep: 网站栏目更新情况 2022-11-01, 二〇二二年"] {
            let bytes = Array(probe.utf8)
            let made = bytes.withUnsafeBufferPointer { f($0) }
            guard made == probe, made.utf8.count == bytes.count, made.unicodeScalars.count == probe.unicodeScalars.count
            else { return 0 }
        }
        return UInt(bitPattern: symbol)
    }()

    /// Whether valid buffers skip the standard library's validation (for the tests).
    static var usesUncheckedInitialiser: Bool { uncheckedAddress != 0 }

    /// The bytes as a String; invalid sequences become U+FFFD as with `String(decoding:as:)`.
    @inline(__always)
    static func make(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.isEmpty { return "" }
        let address = uncheckedAddress
        if address != 0, TextDecoding.firstInvalidUTF8(bytes) == bytes.count,
            let symbol = UnsafeRawPointer(bitPattern: address)
        {
            return unsafeBitCast(symbol, to: Unchecked.self)(bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func make(_ base: UnsafePointer<UInt8>, _ count: Int) -> String {
        make(UnsafeBufferPointer(start: base, count: count))
    }

    /// Bytes that are valid UTF-8 by construction: what libxml2 hands the page builder,
    /// whole. The parser gives libxml2 only validated UTF-8 without NULs (`TextDecoding`
    /// repairs the body first), and libxml2 re-encodes every character it passes on (text,
    /// attribute values, entity and character references, which it drops when they name no
    /// character); the builder joins and trims such pieces only at character boundaries.
    /// So they are not validated a second time, except in debug builds (the tests), where
    /// a wrong assumption stops at this assertion. Anything cut at a byte count goes
    /// through `make`.
    @inline(__always)
    static func trusted(_ base: UnsafePointer<UInt8>, _ count: Int) -> String {
        let bytes = UnsafeBufferPointer(start: base, count: count)
        if count == 0 { return "" }
        assert(TextDecoding.firstInvalidUTF8(bytes) == count || bytes.contains(0), "page builder made invalid UTF-8")
        let address = uncheckedAddress
        if address != 0, let symbol = UnsafeRawPointer(bitPattern: address) {
            return unsafeBitCast(symbol, to: Unchecked.self)(bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A NUL-terminated attribute value from libxml2 (see `trusted`).
    static func trusted(cString: UnsafePointer<UInt8>) -> String {
        trusted(cString, strlen(cString))
    }
}
