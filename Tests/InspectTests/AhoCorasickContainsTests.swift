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
        let bytes = patterns.map { Array($0.utf8) }
        var out: [String] = []
        for end in 1...max(1, t.count) where !t.isEmpty {
            for (i, b) in bytes.enumerated() where !b.isEmpty && b.count <= end && t[end - 1] == b[b.count - 1] {
                if t[(end - b.count)..<end].elementsEqual(b) { out.append("\(i)@\(end)") }
            }
        }
        return out.sorted()
    }

    func check(_ patterns: [String], texts: [String], tier: String) {
        let ac = AhoCorasick(patterns)
        XCTAssertEqual(ac.tier, tier)
        for text in texts {
            let expected = bruteForce(patterns, text)
            XCTAssertEqual(ac.matches(in: text).map { "\($0.pattern)@\($0.end)" }.sorted(), expected, text)
            XCTAssertEqual(ac.containsAny(text), !expected.isEmpty, text)
        }
    }

    func testDenseAndSparseAgreeWithBruteForce() {
        let small = ["he", "she", "his", "hers", "中华人名共和国", "共和国", "国务院办公厅", "厅"]
        let texts = ["ushers", "中华人名共和国国务院办公厅", "他说she said his hers", "", "厅厅", "无关"]
        check(small, texts: texts, tier: "scalar-dense")
        var rng = SystemRandomNumberGenerator()
        // Over 255 distinct characters in a small trie: the byte automaton.
        let wide = (0..<400).map { Character(Unicode.Scalar(0x4E00 + $0 * 7)!) }
        var pairs = Set<String>()
        while pairs.count < 250 { pairs.insert(String([wide.randomElement(using: &rng)!, wide.randomElement(using: &rng)!])) }
        let wideTexts =
            (0..<20).map { _ in String((0..<60).map { _ in wide.randomElement(using: &rng)! }) }
            + [Array(pairs).joined(), "x" + Array(pairs)[0] + "中华人名共和国"]
        check(Array(pairs) + small, texts: wideTexts + texts, tier: "bytes")
        // Many patterns over few characters: still the dense scalar automaton.
        let alphabet = Array("政府信息公开工作要点区委办公厅国务院")
        var big = Set<String>()
        while big.count < 1200 { big.insert(String((0..<3).map { _ in alphabet.randomElement(using: &rng)! })) }
        let bigTexts = (0..<20).map { _ in String((0..<40).map { _ in alphabet.randomElement(using: &rng)! }) }
        check(Array(big) + small, texts: bigTexts + texts, tier: "scalar-dense")
        // Too many characters and byte nodes: the anchor matcher.
        var huge = Set<String>()
        while huge.count < 1200 { huge.insert(String((0..<3).map { _ in wide.randomElement(using: &rng)! })) }
        let hugeTexts = (0..<20).map { _ in String((0..<60).map { _ in wide.randomElement(using: &rng)! }) } + [Array(huge)[0...5].joined()]
        check(Array(huge) + small, texts: hugeTexts + texts, tier: "anchor")
        // Mixed scripts, one-character patterns, characters outside the BMP, a pattern at the very end.
        let mixed = Array(big) + small + ["a", "ab", "𠀀中", "中", "é国", "😀"]
        check(mixed, texts: ["ab中国", "x𠀀中😀", "é国é", "a", "办公厅", "国务院办公厅厅"] + bigTexts, tier: "scalar-dense")
        check(Array(huge) + mixed, texts: ["ab中国", "x𠀀中😀", "é国é", "a", "办公厅", "国务院办公厅厅"] + hugeTexts, tier: "anchor")
    }

    /// The scalar automaton and the anchor matcher over 1- to 4-byte characters.
    func testLargeDictionaryOverMixedWidths() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab再接厉励é§😀𠀀政府")
        var big = Set<String>()
        while big.count < 700 { big.insert(String((0..<Int.random(in: 2...4, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })) }
        let texts = (0..<8).map { _ in String((0..<30).map { _ in alphabet.randomElement(using: &rng)! }) } + ["", "😀", "zz再接再励zz"]
        // A random entry equal to a fixed one would be a duplicate pattern, which the automaton
        // reports once (under its last index) while the brute force counts it twice: about one
        // run in a hundred drew "再接再励" and failed.
        big.remove("再接再励")
        let patterns = Array(big) + ["再接再励", "励"]
        let ac = AhoCorasick(patterns)
        XCTAssertNotNil(ac.dense)
        check(patterns, texts: texts, tier: "scalar-dense")
        // The same with enough characters besides to need the anchor matcher.
        let wide = (0..<400).map { Character(Unicode.Scalar(0x4E00 + $0 * 7)!) }
        var huge = Set<String>()
        while huge.count < 1200 { huge.insert(String((0..<3).map { _ in wide.randomElement(using: &rng)! })) }
        check(patterns + Array(huge), texts: texts + [Array(huge)[0...3].joined() + "再接再励"], tier: "anchor")
    }

    /// The root's skip of a start character whose next character continues no pattern: words
    /// that share a first character, one-character words, second characters of every width
    /// (ASCII, é, Chinese, outside the BMP), a start character last in the text or before a
    /// character no word has, over random texts of those characters.
    func testStartCharactersSkippedOnlyWhenNoWordContinues() {
        let patterns = ["发布时间", "发文", "文号", "有效性", "一图读懂", "中", "Tel", "Fax", "aé", "国𠀀", "时效", "发表", "T1"]
        let alphabet = Array("发布时间文号有效性一图读懂中Tel FaxaéT1国𠀀效表示，。😀")
        var rng = SystemRandomNumberGenerator()
        var texts = ["发", "发布", "发布时", "发布时间", "示发", "发😀", "国𠀀", "国", "aé", "a", "T", "Te", "TTel", "发发文", "时时效", "一一图读懂"]
        texts += (0..<3000).map { _ in String((0..<Int.random(in: 1...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }) }
        // Runs of Chinese characters that begin no word (read two at a time) between the words,
        // at every length and offset, and ending the text.
        let plain = Array("示文章内容区委办公室，。")
        for run in 0..<9 {
            for w in ["发布时间", "中", "发", "一图读懂", "Tel", "国𠀀"] {
                texts.append(String(repeating: "示", count: run) + w + String(repeating: "内", count: run))
                texts.append("a" + String(repeating: "容", count: run) + w)
            }
        }
        texts += (0..<1000).map { _ in
            String(
                (0..<Int.random(in: 1...40, using: &rng)).map { _ in
                    Int.random(in: 0..<4, using: &rng) == 0 ? alphabet.randomElement(using: &rng)! : plain.randomElement(using: &rng)!
                })
        }
        check(patterns, texts: texts, tier: "scalar-dense")
    }
}
