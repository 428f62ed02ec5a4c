internal import CLibXML2

/// Turns a response body into a `PageModel` with libxml2's HTML parser in SAX mode
/// (no tree is built). The charset is settled first and libxml2 only ever sees UTF-8.
package enum PageParser {
    /// Parses `bytes` (the raw body) of the page at `url`; `contentType` is the
    /// Content-Type header, used for the charset.
    package static func parse(_ bytes: [UInt8], url: String, contentType: String?) -> PageModel {
        bytes.withUnsafeBytes { parse($0, url: url, contentType: contentType) }
    }

    /// A page as a browser rendered it: its lists are what the browser shows, so data islands
    /// are not read again (the script that wrote them leaves them in the DOM) and no sign of a
    /// script-filled list is kept.
    package static func parseRendered(_ bytes: [UInt8], url: String) -> PageModel {
        var model = bytes.withUnsafeBytes { raw in
            let input = TextDecoding.toUTF8(raw, declared: "utf-8", prescanMeta: false)
            return input.withUTF8 { utf8 in
                let builder = PageBuilder(url: url, bodyBytes: utf8.count)
                builder.readsIslands = false
                runSAX(utf8, builder: builder)
                return builder.finish()
            }
        }
        model.charset = "utf-8"
        model.charsetSource = .header
        model.scriptFill = nil
        return model
    }

    /// The same, over borrowed bytes (no copy when the body is valid UTF-8).
    package static func parse(_ bytes: UnsafeRawBufferPointer, url: String, contentType: String?) -> PageModel {
        let declared = contentType.flatMap(TextDecoding.charset(fromContentType:))
        let input = TextDecoding.toUTF8(bytes, declared: declared, prescanMeta: true)
        var model = input.withUTF8 { utf8 in
            let builder = PageBuilder(url: url, bodyBytes: utf8.count)
            runSAX(utf8, builder: builder)
            return builder.finish()
        }
        model.charset = input.charset
        model.charsetSource = input.source
        model.invalidBytes = input.invalidBytes
        return model
    }

    /// Whether a response is an HTML page worth parsing: the content type says HTML
    /// (or is missing) and the body does not look binary (NUL bytes in the first 1 KB,
    /// or the magic numbers of PDF, PNG, GIF, JPEG, ZIP / Office, GZIP).
    package static func looksLikeHTML(contentType: String?, prefix: ArraySlice<UInt8>) -> Bool {
        prefix.withUnsafeBytes { looksLikeHTML(contentType: contentType, prefix: $0) }
    }

    /// The same, over borrowed bytes.
    package static func looksLikeHTML(contentType: String?, prefix: UnsafeRawBufferPointer) -> Bool {
        if let ct = contentType, !mimeMayBeHTML(ct) { return false }
        let b = prefix.bindMemory(to: UInt8.self)
        func starts(_ magic: [UInt8]) -> Bool {
            b.count >= magic.count && zip(b, magic).allSatisfy { $0 == $1 }
        }
        if starts([0x25, 0x50, 0x44, 0x46, 0x2D]) { return false }  // %PDF-
        if starts([0x89, 0x50, 0x4E, 0x47]) { return false }  // PNG
        if starts([0x47, 0x49, 0x46, 0x38]) { return false }  // GIF8
        if starts([0xFF, 0xD8, 0xFF]) { return false }  // JPEG
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return false }  // ZIP, docx, xlsx
        if starts([0xD0, 0xCF, 0x11, 0xE0]) { return false }  // old Office (doc, xls)
        if starts([0x1F, 0x8B]) { return false }  // gzip
        // UTF-16 text carries NULs legitimately; anything else with a NUL is binary.
        let utf16BOM = starts([0xFF, 0xFE]) || starts([0xFE, 0xFF])
        if !utf16BOM, b.prefix(1024).contains(0) { return false }
        return true
    }

    /// The media type (before any `;`, spaces trimmed) is empty or contains "html", in any case.
    static func mimeMayBeHTML(_ contentType: String) -> Bool {
        var sawType = false
        var run = 0  // how much of "html" the last bytes spell
        for b in contentType.utf8 {
            if b == UInt8(ascii: ";") { break }
            if b == 0x20 || b == 0x09 { run = 0; continue }
            sawType = true
            let c = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            switch (run, c) {
            case (0, UInt8(ascii: "h")), (1, UInt8(ascii: "h")), (2, UInt8(ascii: "h")), (3, UInt8(ascii: "h")): run = 1
            case (1, UInt8(ascii: "t")): run = 2
            case (2, UInt8(ascii: "m")): run = 3
            case (3, UInt8(ascii: "l")): return true
            default: run = 0
            }
        }
        return !sawType
    }

    // MARK: - libxml2

    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// NOIMPLIED: no implied html/head/body events, which the page model does not need
    /// (text outside any block is the body's anyway), and libxml2 then skips a dozen string
    /// comparisons on every start tag.
    private static let options: Int32 = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
            | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_NOIMPLIED.rawValue)

    /// A fragment of markup (a data island's records) parsed into a builder that is inside
    /// a parse already: its elements open in the builder's current element.
    static func feed(_ utf8: UnsafeBufferPointer<UInt8>, into builder: PageBuilder) {
        runSAX(utf8, builder: builder)
    }

    private static func runSAX(_ utf8: UnsafeBufferPointer<UInt8>, builder: PageBuilder) {
        _ = initialized
        var sax = htmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElement = saxStartElement
        sax.endElement = saxEndElement
        sax.characters = saxCharacters
        sax.ignorableWhitespace = saxCharacters
        sax.cdataBlock = saxScript
        sax.serror = saxSilence
        let context = Unmanaged.passUnretained(builder).toOpaque()
        parseMemory(utf8, sax: &sax, context: context)
        withExtendedLifetime(builder) {}
    }
}

extension PageParser {
    /// libxml2 alone, with callbacks that do nothing: the floor the builder's cost is
    /// measured against (used by the timing test).
    static func baselineSAX(_ bytes: UnsafeRawBufferPointer) {
        _ = initialized
        var sax = htmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElement = { _, _, _ in }
        sax.endElement = { _, _ in }
        sax.characters = { _, _, _ in }
        sax.ignorableWhitespace = { _, _, _ in }
        sax.cdataBlock = saxIgnore
        sax.serror = saxSilence
        parseMemory(bytes.bindMemory(to: UInt8.self), sax: &sax, context: nil)
    }

    /// One parse of UTF-8 bytes with a memory parser context whose SAX handler is
    /// replaced (the push parser of libxml2 2.9 rescans its buffer and is several times
    /// slower). The context never leaves this function.
    private static func parseMemory(
        _ utf8: UnsafeBufferPointer<UInt8>, sax: inout htmlSAXHandler,
        context: UnsafeMutableRawPointer?
    ) {
        guard utf8.count > 0, utf8.count < Int(Int32.max), let base = utf8.baseAddress else { return }
        let ctxt = base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
            htmlCreateMemoryParserCtxt($0, Int32(utf8.count))
        }
        guard let ctxt else { return }
        defer { htmlFreeParserCtxt(ctxt) }
        guard let handler = ctxt.pointee.sax else { return }
        handler.pointee = sax
        ctxt.pointee.userData = context
        _ = htmlCtxtUseOptions(ctxt, options)
        _ = xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8)
        _ = htmlParseDocument(ctxt)
    }
}

// C callbacks: plain functions in a library file (not main-actor isolated).

private func saxStartElement(
    _ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?,
    _ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
    guard let ctx, let name else { return }
    Unmanaged<PageBuilder>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.startElement(name, atts) }
}

private func saxEndElement(_ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?) {
    guard let ctx else { return }
    Unmanaged<PageBuilder>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.endElement() }
}

private func saxCharacters(_ ctx: UnsafeMutableRawPointer?, _ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
    guard let ctx, let ch, len > 0 else { return }
    Unmanaged<PageBuilder>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.characters(ch, Int(len)) }
}

/// Script and style text (libxml2's HTML parser hands it to `cdataBlock`): kept for
/// inline scripts only, to see whether they fill lists.
private func saxScript(_ ctx: UnsafeMutableRawPointer?, _ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
    guard let ctx, let ch, len > 0 else { return }
    Unmanaged<PageBuilder>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.scriptCharacters(ch, Int(len)) }
}

private func saxIgnore(_ ctx: UnsafeMutableRawPointer?, _ ch: UnsafePointer<xmlChar>?, _ len: Int32) {}

private func saxSilence(_ ctx: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {}
