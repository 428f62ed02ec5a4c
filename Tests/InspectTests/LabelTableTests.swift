@testable import Inspect
import InspectTesting
import Parse
import XCTest
@testable import Vocabulary

/// The label reader's skip over characters that begin no label: labels after ASCII, two- and
/// four-byte characters, at the very end of a block, spaced out, and none where none is.
final class LabelTableTests: XCTestCase {
    func fields(_ s: String) -> [String] {
        withUTF8Bytes(s) { PolicyMetadata.table.labels(in: $0).map(\.field) }
    }

    func testLabelsAfterAnyCharacterAndAtTheEnd() {
        XCTAssertEqual(fields("文号"), ["文号"])
        XCTAssertEqual(fields("索引号"), ["索引号"])
        XCTAssertEqual(fields("ab 文号：国发〔2020〕1号"), ["文号"])
        XCTAssertEqual(fields("é 文号：1"), ["文号"])
        XCTAssertEqual(fields("𠀀 索引号：000014349/2020-00001"), ["索引号"])
        XCTAssertEqual(fields("索 引 号：1 发文机关：国务院 有效性：有效"), ["索引号", "发文机关", "有效性"])
        XCTAssertEqual(fields("示范文本示范文本 文号"), ["文号"])
        XCTAssertEqual(fields("a 效力"), ["有效性"])
        XCTAssertEqual(fields("示范文本示范文本，没有标签"), [])
        XCTAssertEqual(fields(""), [])
        XCTAssertEqual(fields("a"), [])
        XCTAssertEqual(fields("文"), [])
    }

    /// The reading with the skip finds what the reading character by character finds, for each
    /// table, on every block of the real pages and on random texts of labels' characters,
    /// spaces and punctuation.
    func testSkipChangesNothing() throws {
        var texts: [String] = []
        for f in RealPage.names where !f.contains("gbk") {
            texts += PageParser.parse(try RealPage.bytes(f), url: "http://www.example.gov.cn/", contentType: "text/html; charset=utf-8").blocks.map(\.text)
        }
        let tables = [PolicyMetadata.table, ServiceGuide.table, MessageTimes.table]
        // Pieces: whole labels, their first characters alone or spaced, separators, other characters.
        var pieces = ["：", ":", " ", "，", "\u{3000}", "\u{00A0}", "\u{2002}", "a", "1", "é", "𠀀", "示", "|"]
        for t in tables {
            for l in t.labelScalars {
                let chars = l.label.map(Character.init)
                pieces += [String(chars), String(chars.prefix(2)), String(chars[0]), chars.map(String.init).joined(separator: " ")]
            }
        }
        var rng = SystemRandomNumberGenerator()
        texts += (0..<5000).map { _ in (0..<Int.random(in: 1...10, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() }
        var found = 0
        for t in texts {
            for table in tables {
                let (with, without) = withUTF8Bytes(t) { (table.labels(in: $0), table.labels(in: $0, skipping: false)) }
                XCTAssertEqual(with.map { "\($0.field)@\($0.start)-\($0.end)\($0.colon)" }, without.map { "\($0.field)@\($0.start)-\($0.end)\($0.colon)" }, t)
                found += with.count
            }
        }
        XCTAssertGreaterThan(found, 200)
    }

    /// The listed characters `Summarizer.clean` drops are exactly those `cleanDrops` names
    /// (Foundation's white space and newlines, and the decoration), over the whole BMP.
    func testCleanDropListIsFoundationsSet() {
        let bits = Summarizer.cleanDropBits
        for v in UInt32(0)..<0x10000 {
            guard let u = Unicode.Scalar(v) else { continue }
            XCTAssertEqual(bits[Int(v) >> 6] >> UInt64(v & 63) & 1 != 0, Summarizer.cleanDrops(u), String(v, radix: 16))
        }
        XCTAssertEqual(Summarizer.clean(" 规划\u{3000}“专栏”\u{2009}【计划】 "), "规划专栏计划")
    }
}
