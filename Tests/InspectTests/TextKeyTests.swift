import Vocabulary
import XCTest

/// The inspection's text cache (the phone scan of repeated footers) keys a text by its
/// `wordHash`; a hit must be the same text, byte for byte.
final class TextKeyTests: XCTestCase {
    func testTextsWhoseHashesCollideKeepTheirOwnAnswers() {
        // Two texts forced onto one hash: the cache holds both, each with its own answer.
        let a = TextKey("政务公开", hash: 42)
        let b = TextKey("政务公告", hash: 42)
        XCTAssertNotEqual(a, b)
        var cache: [TextKey: [Int32]] = [:]
        cache[a] = [1]
        cache[b] = []
        XCTAssertEqual(cache.count, 2)
        XCTAssertEqual(cache[TextKey("政务公开", hash: 42)], [1])
        XCTAssertEqual(cache[TextKey("政务公告", hash: 42)], [])
    }

    func testSameTextIsOneKey() {
        XCTAssertEqual(TextKey("联系我们"), TextKey("联系我们"))
        XCTAssertEqual(TextKey(""), TextKey(""))
        XCTAssertNotEqual(TextKey("联系我们"), TextKey("联系我们 "))
        // Bytes, not canonical equivalence: the cache may miss a differently normalised text, never mix two.
        XCTAssertNotEqual(TextKey("e\u{301}"), TextKey("\u{e9}"))
    }
}
