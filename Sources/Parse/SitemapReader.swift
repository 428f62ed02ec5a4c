internal import CLibXML2
import Foundation

/// Reads a sitemap file (sitemaps.org 0.9): a `<urlset>` of page URLs or a `<sitemapindex>`
/// of sitemap files, plain or gzip-compressed (`.xml.gz`), with libxml2's streaming reader.
/// Nothing but the current node is held: a 50 MB file costs its bytes and a few kilobytes,
/// and time linear in its length (the hand-written scanner it replaces copied the rest of
/// the text at every `<loc>`: a quarter of a 20,000-page sweep's CPU went there).
package enum SitemapReader {
    /// sitemaps.org: "no more than 50,000 URLs and must be no larger than 50MB (52,428,800 bytes)"
    /// (uncompressed) per file.
    package static let maxURLs = 50_000
    package static let maxBytes = 52_428_800

    package enum Kind: Sendable, Equatable {
        case urlset
        case index
        /// Another root element (an HTML error page answered with 200, say): nothing is read.
        case other(String)
    }

    /// What one file held, and what of it was cut.
    package struct Outcome: Sendable, Equatable {
        package var kind: Kind = .other("")
        /// `<loc>` entries given to the caller.
        package var entries = 0
        /// `<loc>` entries past `maxURLs`, counted and not given.
        package var pastLimit = 0
        /// The uncompressed text went past `maxBytes`: read up to there.
        package var tooLarge = false
        /// Why reading stopped before the end (malformed XML, a truncated file, a bad gzip stream);
        /// entries before it were given.
        package var error: String?
    }

    /// No network, no DTD loading, no entity substitution, errors silenced (they come back in
    /// the outcome); CDATA read as text.
    static let options = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue)

    /// Calls `each` with every `<loc>` of the file (trimmed, entities decoded) and whether the
    /// file is an index, at most `maxURLs` times; entries past that are only counted. A body starting with the gzip
    /// magic bytes is inflated as it is read, and the inflated text is capped at `maxBytes`.
    package static func read(
        _ body: [UInt8], maxURLs: Int = maxURLs, maxBytes: Int = maxBytes,
        each: (_ loc: String, _ inIndex: Bool) -> Void
    ) -> Outcome {
        var outcome = Outcome()
        guard !body.isEmpty else { outcome.error = "empty file"; return outcome }
        return body.withUnsafeBufferPointer { buf -> Outcome in
            let source = Source(buf, maxBytes: maxBytes)
            defer { source.end() }
            let context = Unmanaged.passUnretained(source).toOpaque()
            // libxml2 calls the close callback itself; the source is freed by the defer.
            guard let reader = xmlReaderForIO(sourceRead, sourceClose, context, "sitemap.xml", nil, options) else {
                outcome.error = "cannot start the XML reader"
                return outcome
            }
            defer { xmlFreeTextReader(reader) }
            var inLoc = false
            var text: [UInt8] = []
            var status: Int32 = 1
            while true {
                status = xmlTextReaderRead(reader)
                guard status == 1 else { break }
                let type = xmlTextReaderNodeType(reader)
                switch type {
                case 1:  // element
                    let depth = xmlTextReaderDepth(reader)
                    if depth == 0, let name = xmlTextReaderConstLocalName(reader) {
                        switch String(cString: name) {
                        case "urlset": outcome.kind = .urlset
                        case "sitemapindex": outcome.kind = .index
                        case let other: outcome.kind = .other(other); return outcome
                        }
                    } else if depth == 2, isLoc(xmlTextReaderConstLocalName(reader)), xmlTextReaderIsEmptyElement(reader) == 0 {
                        // <url><loc> or <sitemap><loc>; an image sitemap's <image:loc> sits deeper.
                        inLoc = true
                        text.removeAll(keepingCapacity: true)
                    }
                case 3, 4, 13, 14:  // text, CDATA, whitespace
                    if inLoc, outcome.entries < maxURLs, let v = xmlTextReaderConstValue(reader) {
                        var p = v
                        while p.pointee != 0 { text.append(p.pointee); p += 1 }
                    }
                case 15:  // end element
                    guard inLoc else { break }
                    inLoc = false
                    if outcome.entries >= maxURLs { outcome.pastLimit += 1; break }
                    var s = 0, e = text.count
                    while s < e, isSpace(text[s]) { s += 1 }
                    while e > s, isSpace(text[e - 1]) { e -= 1 }
                    guard e > s else { break }
                    outcome.entries += 1
                    each(String(decoding: text[s..<e], as: UTF8.self), outcome.kind == .index)
                default:
                    break
                }
            }
            if source.tooLarge {
                outcome.tooLarge = true
                outcome.error = "larger than \(maxBytes) bytes uncompressed"
            } else if let why = source.error {
                outcome.error = why
            } else if status < 0 {
                let why = xmlGetLastError().map { String(cString: $0.pointee.message) } ?? "parse error"
                outcome.error = "malformed XML: " + why.trimmingCharacters(in: [" ", "\n", "\t", "\r"])
            }
            return outcome
        }
    }

    private static func isLoc(_ name: UnsafePointer<xmlChar>?) -> Bool {
        guard let n = name else { return false }
        return n[0] == 108 && n[1] == 111 && n[2] == 99 && n[3] == 0  // "loc"
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }
}

/// The bytes libxml2's reader pulls: the body as it is, or inflated by zlib a piece at a
/// time. Either way at most `maxBytes` are handed over.
private final class Source {
    let input: UnsafeBufferPointer<UInt8>
    let maxBytes: Int
    var offset = 0
    var produced = 0
    var tooLarge = false
    var error: String?
    /// At a fixed address: zlib's state points back at its stream and refuses a moved copy.
    var zstream: UnsafeMutablePointer<z_stream>?
    var finished = false

    init(_ input: UnsafeBufferPointer<UInt8>, maxBytes: Int) {
        self.input = input
        self.maxBytes = maxBytes
        if input.count >= 2 && input[0] == 0x1F && input[1] == 0x8B {
            let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            z.initialize(to: z_stream())
            if gs_inflate_init(z) == Z_OK { zstream = z } else { z.deallocate(); error = "cannot start gzip decoding"; finished = true }
        }
    }

    func end() {
        if let z = zstream { inflateEnd(z); z.deallocate() }
        zstream = nil
    }

    /// Fills `out` with up to `count` bytes; 0 at the end, -1 on an error.
    func read(_ out: UnsafeMutablePointer<CChar>, _ count: Int) -> Int32 {
        guard !finished else { return 0 }
        let room = min(count, maxBytes - produced)
        guard room > 0 else {
            // More text past the cap: stop there (an exact-size file ends here too, and is not cut).
            if hasMore() { tooLarge = true }
            finished = true
            return 0
        }
        var n = 0
        if zstream == nil {
            n = min(room, input.count - offset)
            if n > 0 { out.withMemoryRebound(to: UInt8.self, capacity: n) { $0.update(from: input.baseAddress! + offset, count: n) } }
            offset += n
        } else {
            n = inflateSome(into: out, room)
            if n < 0 { finished = true; return -1 }
        }
        produced += n
        if n == 0 { finished = true }
        return Int32(n)
    }

    private func hasMore() -> Bool {
        if zstream == nil { return offset < input.count }
        var one: CChar = 0
        return inflateSome(into: &one, 1) > 0
    }

    private func inflateSome(into out: UnsafeMutablePointer<CChar>, _ room: Int) -> Int {
        var written = 0
        let z = zstream!
        while written == 0 {
            if offset >= input.count { return 0 }
            z.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
            z.pointee.avail_in = UInt32(min(input.count - offset, Int(UInt32.max)))
            let status = out.withMemoryRebound(to: UInt8.self, capacity: room) { o -> Int32 in
                z.pointee.next_out = o
                z.pointee.avail_out = UInt32(room)
                return inflate(z, Z_NO_FLUSH)
            }
            let consumed = (input.count - offset) - Int(z.pointee.avail_in)
            offset += consumed
            written = room - Int(z.pointee.avail_out)
            switch status {
            case Z_OK: if consumed == 0 && written == 0 { error = "truncated gzip stream"; return 0 }
            case Z_STREAM_END:
                // Concatenated gzip members (allowed by RFC 1952) go on; trailing garbage ends it.
                if offset < input.count, input[offset] == 0x1F { _ = inflateReset(z) } else { offset = input.count }
            case Z_BUF_ERROR: if written == 0 { error = "truncated gzip stream"; return 0 }
            default:
                error = "bad gzip stream"
                return written > 0 ? written : -1
            }
        }
        return written
    }
}

private let sourceRead: xmlInputReadCallback = { context, buffer, length in
    guard let context, let buffer, length > 0 else { return 0 }
    return Unmanaged<Source>.fromOpaque(context).takeUnretainedValue().read(buffer, Int(length))
}

private let sourceClose: xmlInputCloseCallback = { _ in 0 }
