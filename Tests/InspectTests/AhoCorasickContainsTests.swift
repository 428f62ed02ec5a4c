import XCTest
@testable import Inspect

final class AhoCorasickContainsTests: XCTestCase {
    func testContainsAnyAgreesWithMatches() {
        let ac = AhoCorasick(["索引", "发文字号", "字号", "有效性", "he", "she", "hers"])
        for text in ["", "索引号：11010200Y/2022-00012", "【字号：大 中 小】", "无关的正文", "ushers", "有效", "发文字", "x有效性"] {
            XCTAssertEqual(ac.containsAny(text), !ac.matches(in: text).isEmpty, text)
        }
        XCTAssertFalse(AhoCorasick([]).containsAny("anything"))
    }
}
