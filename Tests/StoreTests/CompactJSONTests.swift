import Foundation
@testable import Store
import XCTest
@testable import Vocabulary

/// The findings table's hand-written JSON reads back exactly as JSONEncoder's did.
final class CompactJSONTests: XCTestCase {
    private func viaEncoder<T: Codable>(_ v: T) throws -> T {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try JSONDecoder().decode(T.self, from: e.encode(v))
    }

    private func decoded<T: Decodable>(_ s: String, as _: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(s.utf8))
    }

    func testStringsReadBackAsEncoded() throws {
        let strings = [
            "", "http://h/a.html?x=1&y=2", "引号\"反斜杠\\", "tab\tline\nret\r", "\u{1}\u{1F}\u{7F}",
            "政务公开 /path/ 👍", "\u{2028}\u{2029}", String(repeating: "长", count: 500),
        ]
        let text = CompactJSON.array(strings)
        XCTAssertEqual(try decoded(text, as: [String].self), strings)
        XCTAssertEqual(try decoded(text, as: [String].self), try viaEncoder(strings))
        XCTAssertEqual(CompactJSON.array([]), "[]")
    }

    func testEvidenceReadsBackAsEncoded() throws {
        let evidence: [String: JSONValue] = [
            "printed": .array(["010-6601 2345", "66012345"]), "pages": .int(12), "serious": .bool(true),
            "none": .null, "ratio": .double(0.25), "whole": .double(3), "negative": .int(-7),
            "nested": .object(["b": .array([.int(1), .string("二\"")]), "a": .object([:])]),
            "context": .array([.string("热烈庆祝中华人民共合国成立73周年，大家再接再")]),
        ]
        let text = try CompactJSON.object(evidence)
        XCTAssertEqual(try decoded(text, as: [String: JSONValue].self), try viaEncoder(evidence))
        XCTAssertEqual(try CompactJSON.object([:]), "{}")
    }
}
