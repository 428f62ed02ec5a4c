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

final class AhoCorasickDenseTests: XCTestCase {
    /// Every (pattern, end) occurrence, by brute force over the UTF-8 bytes.
    func bruteForce(_ patterns: [String], _ text: String) -> [String] {
        let t = Array(text.utf8)
        var out: [String] = []
        for end in 1...max(1, t.count) where !t.isEmpty {
            for (i, p) in patterns.enumerated() {
                let b = Array(p.utf8)
                if !b.isEmpty, b.count <= end, Array(t[(end - b.count)..<end]) == b { out.append("\(i)@\(end)") }
            }
        }
        return out.sorted()
    }

    func check(_ patterns: [String], texts: [String], expectDense: Bool) {
        let ac = AhoCorasick(patterns)
        XCTAssertEqual(!ac.dfa.isEmpty, expectDense)
        for text in texts {
            XCTAssertEqual(ac.matches(in: text).map { "\($0.pattern)@\($0.end)" }.sorted(), bruteForce(patterns, text), text)
            XCTAssertEqual(ac.containsAny(text), !bruteForce(patterns, text).isEmpty, text)
        }
    }

    func testDenseAndSparseAgreeWithBruteForce() {
        let small = ["he", "she", "his", "hers", "中华人名共和国", "共和国", "国务院办公厅", "厅"]
        let texts = ["ushers", "中华人名共和国国务院办公厅", "他说she said his hers", "", "厅厅", "无关"]
        check(small, texts: texts, expectDense: true)
        // Enough distinct patterns that the automaton stays sparse.
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("政府信息公开工作要点区委办公厅国务院")
        var big = Set<String>()
        while big.count < 1200 { big.insert(String((0..<3).map { _ in alphabet.randomElement(using: &rng)! })) }
        let bigTexts = (0..<20).map { _ in String((0..<40).map { _ in alphabet.randomElement(using: &rng)! }) }
        check(Array(big) + small, texts: bigTexts + texts, expectDense: false)
        // Mixed scripts, one-character patterns, characters outside the BMP, a pattern at the very end.
        let mixed = Array(big) + small + ["a", "ab", "𠀀中", "中", "é国", "😀"]
        check(mixed, texts: ["ab中国", "x𠀀中😀", "é国é", "a", "办公厅", "国务院办公厅厅"] + bigTexts, expectDense: false)
    }

    /// The scalar automaton of large dictionaries over 1- to 4-byte characters.
    func testLargeDictionaryOverMixedWidths() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab再接厉励é§😀𠀀政府")
        var big = Set<String>()
        while big.count < 700 { big.insert(String((0..<Int.random(in: 2...4, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })) }
        let texts = (0..<8).map { _ in String((0..<30).map { _ in alphabet.randomElement(using: &rng)! }) } + ["", "😀", "zz再接再励zz"]
        let patterns = Array(big) + ["再接再励", "励"]
        let ac = AhoCorasick(patterns)
        XCTAssertNotNil(ac.scalar)
        check(patterns, texts: texts, expectDense: false)
    }
}
