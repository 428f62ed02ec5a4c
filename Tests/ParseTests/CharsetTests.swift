import Foundation
import XCTest
@testable import Parse

final class CharsetTests: XCTestCase {
    /// "政府网站" in GBK.
    let gbkWords: [UInt8] = [0xD5, 0xFE, 0xB8, 0xAE, 0xCD, 0xF8, 0xD5, 0xBE]

    func gbkPage(meta: String = "") -> [UInt8] {
        Array("<html><head>\(meta)<title>".utf8) + gbkWords + Array("</title></head><body><p>".utf8) + gbkWords
            + Array("</p></body></html>".utf8)
    }

    func testCharsetFromContentType() {
        XCTAssertEqual(TextDecoding.charset(fromContentType: "text/html; charset=GBK"), "gb18030")
        XCTAssertEqual(TextDecoding.charset(fromContentType: "text/html;charset=\"gb2312\""), "gb18030")
        XCTAssertEqual(TextDecoding.charset(fromContentType: "text/html; Charset = UTF8"), "utf-8")
        XCTAssertEqual(TextDecoding.charset(fromContentType: "text/html; charset=x-gbk; foo=bar"), "gb18030")
        XCTAssertEqual(TextDecoding.charset(fromContentType: "text/html; charset=iso-8859-1"), "windows-1252")
        XCTAssertNil(TextDecoding.charset(fromContentType: "text/html"))
        XCTAssertNil(TextDecoding.charset(fromContentType: "text/html; charset=no-such-thing"))
        for label in ["gb2312", "GBK", "x-gbk", "cp936", "gb_2312-80", "GB18030"] {
            XCTAssertEqual(TextDecoding.canonicalCharset(label), "gb18030", label)
        }
    }

    func testHeaderCharsetDecodesGBK() {
        let page = PageParser.parse(gbkPage(), url: "http://x.gov.cn/", contentType: "text/html; charset=gbk")
        XCTAssertEqual(page.charset, "gb18030")
        XCTAssertEqual(page.charsetSource, .header)
        XCTAssertEqual(page.title, "政府网站")
        XCTAssertEqual(page.blocks.map(\.text), ["政府网站"])
        XCTAssertEqual(page.invalidBytes, 0)
    }

    func testMetaCharsetBothForms() {
        let a = PageParser.parse(gbkPage(meta: "<meta charset='gb2312'>"), url: "http://x.gov.cn/", contentType: "text/html")
        XCTAssertEqual(a.charset, "gb18030")
        XCTAssertEqual(a.charsetSource, .meta)
        XCTAssertEqual(a.title, "政府网站")
        // http-equiv with content first, unquoted attribute, upper case.
        let b = PageParser.parse(
            gbkPage(meta: "<!-- <meta charset=utf-8> --><META content=\"text/html; charset=GBK\" HTTP-EQUIV=Content-Type>"),
            url: "http://x.gov.cn/", contentType: nil)
        XCTAssertEqual(b.charset, "gb18030")
        XCTAssertEqual(b.charsetSource, .meta)
        XCTAssertEqual(b.title, "政府网站")
    }

    func testDetectionWithoutDeclaration() {
        let gb = PageParser.parse(gbkPage(), url: "http://x.gov.cn/", contentType: "text/html")
        XCTAssertEqual(gb.charset, "gb18030")
        XCTAssertEqual(gb.charsetSource, .detected)
        XCTAssertEqual(gb.title, "政府网站")

        let utf = PageParser.parse(Array("<title>政府网站</title>".utf8), url: "http://x.gov.cn/", contentType: nil)
        XCTAssertEqual(utf.charset, "utf-8")
        XCTAssertEqual(utf.charsetSource, .detected)
        XCTAssertEqual(utf.title, "政府网站")

        let ascii = PageParser.parse(Array("<title>Hello</title>".utf8), url: "http://x.gov.cn/", contentType: nil)
        XCTAssertEqual(ascii.charset, "utf-8")
        XCTAssertEqual(ascii.charsetSource, .assumed)

        // Latin text in windows-1252 ("café crème") is not GB18030.
        let latin: [UInt8] =
            Array("<title>caf".utf8) + [0xE9] + Array(" cr".utf8) + [0xE8] + Array("me, na".utf8) + [0xEF]
            + Array("ve</title>".utf8)
        let l = PageParser.parse(latin, url: "http://x.gov.cn/", contentType: nil)
        XCTAssertEqual(l.charset, "windows-1252")
        XCTAssertEqual(l.title, "café crème, naïve")
    }

    func testBOMs() {
        let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<title>标题</title>".utf8)
        let a = PageParser.parse(utf8BOM, url: "http://x.gov.cn/", contentType: nil)
        XCTAssertEqual(a.charset, "utf-8")
        XCTAssertEqual(a.charsetSource, .bom)
        XCTAssertEqual(a.title, "标题")

        var le: [UInt8] = [0xFF, 0xFE]
        for u in "<title>标题</title>".utf16 { le.append(UInt8(u & 0xFF)); le.append(UInt8(u >> 8)) }
        let b = PageParser.parse(le, url: "http://x.gov.cn/", contentType: "text/html; charset=gbk")
        XCTAssertEqual(b.charset, "utf-16le")
        XCTAssertEqual(b.charsetSource, .bom)
        XCTAssertEqual(b.title, "标题")

        var be: [UInt8] = [0xFE, 0xFF]
        for u in "<title>标题</title>".utf16 { be.append(UInt8(u >> 8)); be.append(UInt8(u & 0xFF)) }
        let c = PageParser.parse(be, url: "http://x.gov.cn/", contentType: nil)
        XCTAssertEqual(c.charset, "utf-16be")
        XCTAssertEqual(c.title, "标题")
    }

    func testInvalidGBKBytesAreToleratedAndCounted() {
        // 0xFF is never valid in GB18030; "政府" then a bad byte then "网站", then a lone
        // lead byte cut off at the end of the body.
        let body: [UInt8] =
            Array("<title>".utf8) + [0xD5, 0xFE, 0xB8, 0xAE, 0xFF, 0xCD, 0xF8, 0xD5, 0xBE]
            + Array("</title><p>ok</p>".utf8) + [0xD5]
        let page = PageParser.parse(body, url: "http://x.gov.cn/", contentType: "text/html; charset=gb2312")
        XCTAssertEqual(page.charset, "gb18030")
        XCTAssertEqual(page.title, "政府\u{FFFD}网站")
        XCTAssertEqual(page.invalidBytes, 2)
        XCTAssertEqual(page.blocks.map(\.text), ["ok", "\u{FFFD}"])

        let decoded = TextDecoding.decode(body, declaredCharset: "GBK")
        XCTAssertEqual(decoded.charset, "gb18030")
        XCTAssertEqual(decoded.invalidBytes, 2)
        XCTAssertTrue(decoded.text.contains("政府\u{FFFD}网站"))
    }

    func testInvalidUTF8IsReplacedNotLatin1() {
        // A stray 0xB5 early on would make libxml2 2.9 switch the rest of the page to
        // Latin-1; it must become U+FFFD and the Chinese after it must survive.
        let body: [UInt8] =
            Array("<title>a".utf8) + [0xB5] + Array("b</title><p>中文".utf8) + [0xE4, 0xB8]
            + Array("正文</p>".utf8)
        let page = PageParser.parse(body, url: "http://x.gov.cn/", contentType: "text/html; charset=utf-8")
        XCTAssertEqual(page.charset, "utf-8")
        XCTAssertEqual(page.title, "a\u{FFFD}b")
        XCTAssertEqual(page.blocks.first?.text, "中文\u{FFFD}正文")
        XCTAssertEqual(page.invalidBytes, 3)
    }

    func testDecodeHelperForFeedsAndCSV() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("部门,号码".utf8)
        let a = TextDecoding.decode(bom, declaredCharset: nil)
        XCTAssertEqual(a.text, "部门,号码")
        XCTAssertEqual(a.charset, "utf-8")
        let gbk: [UInt8] = [0xB2, 0xBF, 0xC3, 0xC5]  // 部门
        let b = TextDecoding.decode(gbk, declaredCharset: nil)
        XCTAssertEqual(b.text, "部门")
        XCTAssertEqual(b.charset, "gb18030")
        XCTAssertEqual(b.invalidBytes, 0)
    }

    func testLooksLikeHTML() {
        let html = Array("<!doctype html><html>".utf8)[...]
        XCTAssertTrue(PageParser.looksLikeHTML(contentType: "text/html; charset=utf-8", prefix: html))
        XCTAssertTrue(PageParser.looksLikeHTML(contentType: nil, prefix: html))
        XCTAssertTrue(PageParser.looksLikeHTML(contentType: "application/xhtml+xml", prefix: html))
        XCTAssertFalse(PageParser.looksLikeHTML(contentType: "application/pdf", prefix: html))
        XCTAssertFalse(PageParser.looksLikeHTML(contentType: "image/png", prefix: html))
        // The media type only (parameters ignored), any case, spaces around it trimmed.
        XCTAssertTrue(PageParser.looksLikeHTML(contentType: "  TEXT/HTML ;charset=gbk", prefix: html))
        XCTAssertTrue(PageParser.looksLikeHTML(contentType: "text/hhtml", prefix: html))
        XCTAssertTrue(PageParser.looksLikeHTML(contentType: "", prefix: html))
        XCTAssertTrue(PageParser.looksLikeHTML(contentType: " ; charset=utf-8", prefix: html))
        XCTAssertFalse(PageParser.looksLikeHTML(contentType: "text/plain; note=html", prefix: html))
        XCTAssertFalse(PageParser.looksLikeHTML(contentType: "text/htm", prefix: html))
        XCTAssertFalse(PageParser.looksLikeHTML(contentType: "text/ht ml", prefix: html))
        let binaries: [[UInt8]] = [
            Array("%PDF-1.4\n".utf8), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A], Array("GIF89a".utf8), [0xFF, 0xD8, 0xFF, 0xE0],
            [0x50, 0x4B, 0x03, 0x04, 0x14], [0x1F, 0x8B, 0x08], [0xD0, 0xCF, 0x11, 0xE0, 0xA1],
            Array("<html>".utf8) + [0, 0, 1, 2],
        ]
        for b in binaries {
            XCTAssertFalse(PageParser.looksLikeHTML(contentType: "text/html", prefix: b[...]), "\(b)")
        }
    }
}
