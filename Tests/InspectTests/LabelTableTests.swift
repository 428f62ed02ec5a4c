@testable import Inspect
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
}
