import CBytes
import XCTest
@testable import Parse

/// The page builder's Strings skip the standard library's validation only for bytes its
/// own validator passed; whatever the bytes, the result must be `String(decoding:as:)`'s.
final class UTF8StringTests: XCTestCase {
    func made(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { UTF8String.make($0) }
    }

    func testTheUncheckedInitialiserIsFoundOnThisRuntime() {
        // Linux toolchains export it; when a runtime does not, the checked path is used
        // and the other tests still hold. This one says which path they measured.
        XCTAssertTrue(UTF8String.usesUncheckedInitialiser)
    }

    func testValidTextComesOutEqualAndUsable() {
        for text in [
            "", "a", "短", "政府网站", String(repeating: "x", count: 15), String(repeating: "x", count: 16),
            "发布日期：2022-11-01　来源：区政府办公室", String(repeating: "协调群众考核完善", count: 200),
            "emoji 🇨🇳 and 𠀀 (four bytes)", "é composed, e\u{301} decomposed",
        ] {
            let s = made(Array(text.utf8))
            XCTAssertEqual(s, text)
            XCTAssertEqual(s.count, text.count)
            XCTAssertEqual(s.unicodeScalars.count, text.unicodeScalars.count)
            XCTAssertEqual(Array(s.utf8), Array(text.utf8))
            XCTAssertEqual(s.hashValue, text.hashValue)
            XCTAssertEqual(s.contains("政府"), text.contains("政府"))
            XCTAssertEqual(s + "尾", text + "尾")
        }
    }

    func testInvalidBytesAreRepairedAsTheStandardLibraryDoes() {
        let cases: [[UInt8]] = [
            [0xE6, 0x94],  // cut in the middle of 政
            Array("政府".utf8) + [0xE7],  // cut at the end
            [0x61, 0x00, 0x62],  // NUL
            [0xED, 0xA0, 0x80],  // a surrogate
            [0xC0, 0xAF],  // overlong
            [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
            [0xFF, 0xFE, 0x41],
            [0xD5, 0xFE, 0xB8, 0xAE],  // GBK bytes
        ]
        for bytes in cases {
            XCTAssertEqual(Array(made(bytes).utf8), Array(String(decoding: bytes, as: UTF8.self).utf8), "\(bytes)")
        }
    }

    func testRandomBytesMatchTheCheckedInitialiser() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x00, 0x20, 0x41, 0x7F, 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xE6, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F, 0x90, 0x8F]
        for _ in 0..<5000 {
            let n = Int.random(in: 0...24, using: &rng)
            var bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            // Mix in valid Chinese so that valid runs are common too.
            if Bool.random(using: &rng) { bytes.insert(contentsOf: Array("政务公开".utf8), at: Int.random(in: 0...bytes.count, using: &rng)) }
            XCTAssertEqual(Array(made(bytes).utf8), Array(String(decoding: bytes, as: UTF8.self).utf8), "\(bytes)")
        }
    }

    func testCStrings() {
        let text = "无障碍 alt"
        let s = text.withCString { p in
            p.withMemoryRebound(to: UInt8.self, capacity: text.utf8.count + 1) { UTF8String.trusted(cString: $0) }
        }
        XCTAssertEqual(s, text)
    }

    /// The builder's Strings skip validation (`trusted`), on the argument that libxml2 only
    /// passes on what it re-encoded from validated input. Hostile bytes and references must
    /// not break that: in this debug build `trusted` asserts, so a wrong argument stops here.
    func testHostileBytesAndReferencesComeOutValid() {
        var body: [UInt8] = Array("<html><head><title>标题&#xD800;&#0;&#x110000;</title></head><body>".utf8)
        body += [0xE6, 0x94, 0x3C, 0x70, 0x3E, 0xFF, 0xFE, 0x00, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80]
        body += Array(#"<a href="/x&#0;y" title="a&#xDFFF;b&#65;">链接&#x1F600;&#xFFFE;&amp;&nbsp;&#12288;</a>"#.utf8)
        body += Array(#"<p id="&#xD800;" class="x&#0;">"#.utf8) + [0xD5, 0xFE, 0xB8, 0xAE] + Array(#"</p><img alt=""#.utf8)
        body += [0xE6, 0x94] + Array(#"" src="/i.png"></body></html>"#.utf8)
        for contentType in ["text/html; charset=utf-8", "text/html; charset=gbk", "text/html"] {
            let page = PageParser.parse(body, url: "http://h/", contentType: contentType)
            var all = page.blocks.map(\.text) + page.links.flatMap { [$0.href, $0.text, $0.title ?? ""] }
            all += page.images.map { $0.alt ?? "" } + [page.title ?? ""]
            for s in all {
                XCTAssertEqual(Array(String(decoding: Array(s.utf8), as: UTF8.self).utf8), Array(s.utf8), contentType)
            }
            XCTAssertFalse(page.links.isEmpty, contentType)
        }
    }

    func testAllTextHoldsEveryBlock() {
        let html =
            "<html><body><div class=\"nav\"><a href=\"/\">首页</a></div><p>留言时间：2022-10-01</p><ul><li>答复时间：2022-10-08</li></ul><footer>电话 010-1234567</footer></body></html>"
        let page = PageParser.parse(Array(html.utf8), url: "http://h/", contentType: "text/html")
        XCTAssertFalse(page.blocks.isEmpty)
        for b in page.blocks where !b.text.isEmpty { XCTAssertTrue(page.allText.contains(b.text), b.text) }
    }

    /// Each block's text sits in allText at its textStart, and block(atBytes:) finds the block
    /// of a span inside it and nothing for a span across two blocks.
    func testTextStartPlacesEveryBlock() {
        let html = "<body>  <p>  一段 文字 </p><ul><li><a href=\"/a\"></a></li><li>\n 第二行 </li></ul><table><tr><td>甲</td><td>乙</td></tr></table>尾</body>"
        let page = PageParser.parse(Array(html.utf8), url: "http://h/", contentType: "text/html")
        let all = Array(page.allText.utf8)
        XCTAssertGreaterThanOrEqual(page.blocks.filter { !$0.text.isEmpty }.count, 4)
        for (i, b) in page.blocks.enumerated() where !b.text.isEmpty {
            let n = b.text.utf8.count
            XCTAssertEqual(Array(all[b.textStart..<b.textStart + n]), Array(b.text.utf8), b.text)
            XCTAssertEqual(page.block(atBytes: b.textStart, b.textStart + n), i, b.text)
            XCTAssertEqual(page.block(atBytes: b.textStart + n - 1, b.textStart + n), i, b.text)
        }
        let first = page.blocks.first { !$0.text.isEmpty }!
        XCTAssertNil(page.block(atBytes: first.textStart, first.textStart + first.text.utf8.count + 2))
    }

    /// The validator's fast paths (ASCII eight bytes at a time, Chinese two characters at a
    /// time) agree with the standard library's UTF-8 validation on random mixes of valid text
    /// and single corrupted bytes at every alignment, and stop at the first bad byte.
    func testValidatorAgreesWithStandardLibrary() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            "政务公开", "a", "ab cd", "。", "€", "😀", "é", "\u{E000}", "\u{FFFD}", "\u{800}", "\u{D7FF}",
            "<a href=\"/xxgk/index.html\">", "江临市人民政府办公室关于印发", "\u{3000}", "\u{A0}",
        ]
        .map { Array($0.utf8) }
        let bad: [UInt8] = [0x80, 0xBF, 0xC0, 0xC1, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF, 0x00]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &rng) { bytes += pieces.randomElement(using: &rng)! }
            if !bytes.isEmpty, Bool.random(using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[at] = bad.randomElement(using: &rng)!
            }
            // Surrogates and overlongs spelled out, sometimes.
            if Int.random(in: 0..<10, using: &rng) == 0 { bytes += [0xED, 0xA0, 0x80] + Array("中文".utf8) }
            if Int.random(in: 0..<10, using: &rng) == 0 { bytes += [0xE0, 0x80, 0xAF] + Array("中文".utf8) }
            let got = bytes.withUnsafeBufferPointer { TextDecoding.firstInvalidUTF8($0) }
            // The standard library's answer: the longest valid prefix (NUL counts as invalid here),
            // which ends where the first invalid sequence starts.
            let expected = (0...bytes.count).last {
                String(validating: bytes[..<$0], as: UTF8.self) != nil && !bytes[..<$0].contains(0)
            }!
            XCTAssertEqual(got, expected, "\(bytes)")
        }
    }
    /// The SIMD check (`gs_utf8_valid`, 16 bytes a step) says valid exactly when the standard
    /// library does and there is no NUL: every byte value after every kind of lead, at every
    /// offset around a 16-byte step (and cut off at the end), and random mixes of 1-4-byte
    /// characters with one byte changed, up to 300 bytes.
    func testSIMDCheckAgreesWithStandardLibrary() {
        func valid(_ b: [UInt8]) -> Bool { String(validating: b, as: UTF8.self) != nil && !b.contains(0) }
        func simd(_ b: [UInt8]) -> Int32 { b.withUnsafeBufferPointer { gs_utf8_valid($0.baseAddress, $0.count) } }
        guard simd(Array("a".utf8)) != -1 else { return }  // (no SSSE3: the byte loop answers alone)
        let leads: [[UInt8]] = [
            [], [0x41], [0xC2], [0xDF], [0xE0], [0xE1], [0xED], [0xEF], [0xF0], [0xF1], [0xF4], [0xF5], [0xE0, 0xA0], [0xED, 0x9F], [0xF0, 0x90], [0xF4, 0x8F],
            [0xF0, 0x90, 0x80], [0x80],
        ]
        for offset in [0, 1, 11, 12, 13, 14, 15, 16, 17, 29, 30, 31, 32] {
            let prefix = [UInt8](repeating: 0x61, count: offset)
            for lead in leads {
                for b in 0...255 {
                    for tail: [UInt8] in [[], [0x80], [0x80, 0x80], [0x41], Array("中文字".utf8) + [UInt8](repeating: 0x62, count: 20)] {
                        let bytes = prefix + lead + [UInt8(b)] + tail
                        XCTAssertEqual(simd(bytes) == 1, valid(bytes), "\(bytes)")
                    }
                }
            }
        }
        var rng = SystemRandomNumberGenerator()
        let pieces = ["政务公开", "a", "ab cd ", "。", "€", "😀", "é", "\u{10FFFF}", "\u{FFFD}", "\u{800}", "\u{D7FF}", "\u{E000}", "江临市人民政府办公室关于印发"].map {
            Array($0.utf8)
        }
        for _ in 0..<20000 {
            var bytes: [UInt8] = []
            while bytes.count < Int.random(in: 0...300, using: &rng) { bytes += pieces.randomElement(using: &rng)! }
            if !bytes.isEmpty, Int.random(in: 0..<3, using: &rng) > 0 {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            XCTAssertEqual(simd(bytes) == 1, valid(bytes), "\(bytes)")
        }
    }

    /// `ByteBuffer.appendCollapsed`'s sixteen- and eight-byte paths agree with collapsing a byte at a
    /// time, on random mixes of text, white space, NBSP, U+3000 and Chinese punctuation
    /// appended in random pieces.
    func testCollapsedAppendAgreesWithBytewise() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            "政务公开", "a", "ab cd", "。", "、", " ", "\n  \t", "\u{A0}", "\u{3000}", "\u{3001}", "\u{80}", "2022年11月01日",
            "<江临市>", "\r\n", "x\u{0C}y", "\u{A0}\u{A0}", "\u{3000} \u{3000}",
            // (Long runs for the sixteen-byte steps; breaks that are kept: a control, © = C2 A9, 【 = E3 80 90.)
            "中华人民共和国国务院办公厅关于印发", "\u{01}", "©", "【通知】", "abcdefghijklmnopqrstuvwxyz0123456789",
        ].map { Array($0.utf8) }
        func bytewise(_ input: [[UInt8]]) -> [UInt8] {
            var out: [UInt8] = []
            for piece in input {
                var i = 0
                while i < piece.count {
                    let b = piece[i]
                    var skip = 0
                    if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                        skip = 1
                    } else if b == 0xC2, i + 1 < piece.count, piece[i + 1] == 0xA0 {
                        skip = 2
                    } else if b == 0xE3, i + 2 < piece.count, piece[i + 1] == 0x80, piece[i + 2] == 0x80 {
                        skip = 3
                    }
                    if skip > 0 {
                        if let last = out.last, last != 0x20 { out.append(0x20) }
                        i += skip
                    } else {
                        out.append(b)
                        i += 1
                    }
                }
            }
            return out
        }
        for _ in 0..<3000 {
            var input: [[UInt8]] = []
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                var piece: [UInt8] = []
                for _ in 0..<Int.random(in: 0...12, using: &rng) { piece += pieces.randomElement(using: &rng)! }
                input.append(piece)
            }
            var buffer = ByteBuffer(capacity: 16)
            for piece in input where !piece.isEmpty { piece.withUnsafeBufferPointer { buffer.appendCollapsed($0.baseAddress!, $0.count) } }
            let got = Array(UnsafeBufferPointer(start: buffer.base, count: buffer.count))
            buffer.free()
            XCTAssertEqual(got, bytewise(input), "\(input)")
        }
        // Each break, and each byte sequence that only looks like the start of one, at every place
        // in and around the sixteen-byte steps (which read two bytes past their sixteen).
        let marks: [[UInt8]] = [
            [0x20], [0x0A], [0x01], [0xC2, 0xA0], [0xC2, 0xA9], [0xC2], [0xE3, 0x80, 0x80], [0xE3, 0x80, 0x82], [0xE3, 0x80], [0xE3], [0xE4, 0xB8, 0x80],
        ]
        for n in [15, 16, 17, 18, 19, 20, 33, 34, 35, 40] {
            for k in 0..<n {
                for mark in marks {
                    var piece = [UInt8](repeating: 0x61, count: n)
                    piece.replaceSubrange(k..<min(n, k + mark.count), with: mark.prefix(n - k))
                    var buffer = ByteBuffer(capacity: 16)
                    piece.withUnsafeBufferPointer { buffer.appendCollapsed($0.baseAddress!, $0.count) }
                    let got = Array(UnsafeBufferPointer(start: buffer.base, count: buffer.count))
                    buffer.free()
                    XCTAssertEqual(got, bytewise([piece]), "\(mark) at \(k) of \(n)")
                }
            }
        }
    }
    /// `PageBuilder.nonBlank` (an anchor's title or aria-label that names it, read on the
    /// attribute's bytes) never says "not blank" of a value `String.isBlank` finds blank.
    func testNonBlankAttributeAgreesWithIsBlank() {
        for value in ["", " ", "\t\n", "\u{A0}", "\u{3000}", " \u{3000} ", "\u{2003}x", "a", " 首页 ", "é", "\u{1}", "\u{85}"] {
            let nonBlank = Array(value.utf8 + [0]).withUnsafeBufferPointer { PageBuilder.nonBlank($0.baseAddress!) }
            if nonBlank { XCTAssertFalse(value.isBlank, value) }
        }
        XCTAssertTrue(Array("首页".utf8 + [0]).withUnsafeBufferPointer { PageBuilder.nonBlank($0.baseAddress!) })
        XCTAssertTrue(Array(" Home".utf8 + [0]).withUnsafeBufferPointer { PageBuilder.nonBlank($0.baseAddress!) })
        XCTAssertFalse(PageBuilder.nonBlank(nil))
    }
}
