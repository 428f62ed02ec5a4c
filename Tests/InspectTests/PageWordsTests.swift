import Foundation
@testable import Inspect
import Parse
import InspectTesting
import XCTest
@testable import Vocabulary

/// The one pass over a page's text for the wording entries and the phone words
/// (`PageWordMatcher`) finds what the rules' own scans found: the dictionary's matcher over
/// `allText`, the phone matchers over each block.
final class PageWordsTests: XCTestCase {
    func parse(_ html: String) -> PageModel {
        PageParser.parse(Array(html.utf8), url: "http://www.example.gov.cn/a.html", contentType: "text/html; charset=utf-8")
    }

    /// Checks one page against the per-rule scans; returns the blocks holding a keyword or a phone word.
    @discardableResult
    func check(_ p: PageModel, _ dict: WordingDictionary = .bundled, _ name: String = "", line: UInt = #line) throws -> Int {
        let m = try XCTUnwrap(dict.pageWords, line: line)
        let words = m.scan(p)
        let want = p.blocks.isEmpty ? [] : dict.matcher.matches(in: p.allText)
        XCTAssertEqual(words.wording.map(\.pattern), want.map(\.pattern), name, line: line)
        XCTAssertEqual(words.wording.map(\.end), want.map(\.end), name, line: line)
        XCTAssertEqual(words.blockFlags.count, p.blocks.count, line: line)
        var flagged = 0
        for (i, b) in p.blocks.enumerated() {
            let keyword = PhoneSupport.keywordMatcher.containsAny(b.text), phoneWord = PhoneSupport.phoneWordMatcher.containsAny(b.text)
            XCTAssertEqual(words.blockFlags[i] & PageWords.keyword != 0, keyword, "\(name) \(b.text.debugDescription)", line: line)
            XCTAssertEqual(words.blockFlags[i] & PageWords.phoneWord != 0, phoneWord, "\(name) \(b.text.debugDescription)", line: line)
            if keyword || phoneWord { flagged += 1 }
        }
        let interpretation = PolicyInterpretationRule.blocks(of: p, naming: PolicyInterpretationRule.interpretationBytes)
        XCTAssertEqual(words.blockFlags.indices.filter { words.blockFlags[$0] & PageWords.interpretation != 0 }, interpretation, name, line: line)
        for (i, b) in p.blocks.enumerated() {
            XCTAssertEqual(words.blockFlags[i] & PageWords.policyGate != 0, PolicyMetadata.gate.containsAny(b.text), name, line: line)
            XCTAssertEqual(words.blockFlags[i] & PageWords.account != 0, AccountDiscovery.mayMention(b.text), name, line: line)
        }
        for (g, group) in ServiceGuide.coreStems.enumerated() {
            XCTAssertEqual(words.stems >> UInt8(g) & 1 != 0, group.contains { ByteMatch.contains(p.allText, $0) }, "\(name) stem \(g)", line: line)
        }
        XCTAssertEqual(DateSuspectRule.labelledDate(p, words: words), DateSuspectRule.labelledDate(p), name, line: line)
        XCTAssertEqual(ServiceGuide.read(p, words: words), ServiceGuide.read(p), name, line: line)
        XCTAssertEqual(AccountDiscovery.accounts(in: p, words: words), AccountDiscovery.accounts(in: p), name, line: line)
        let policy = (PolicyMetadata.read(p, words: words), PolicyMetadata.read(p))
        XCTAssertEqual(policy.0.values, policy.1.values, name, line: line)
        XCTAssertEqual(policy.0.isPolicy, policy.1.isPolicy, name, line: line)
        for areaCode in ["010", "0931", ""] {
            XCTAssertEqual(PhoneSupport.matches(in: p, areaCode: areaCode, words: words), PhoneSupport.matches(in: p, areaCode: areaCode), name, line: line)
        }
        return flagged
    }

    func testRealPagesSameAsTheRulesOwnScans() throws {
        var flagged = 0, interpretation = 0, gate = 0, stems = 0, published = 0, account = 0
        for f in RealPage.names where !f.contains("gbk") {
            let p = PageParser.parse(try RealPage.bytes(f), url: "http://www.example.gov.cn/", contentType: "text/html; charset=utf-8")
            flagged += try check(p, .bundled, f)
            let w = try XCTUnwrap(WordingDictionary.bundled.pageWords).scan(p)
            interpretation += w.blockFlags.filter { $0 & PageWords.interpretation != 0 }.count
            gate += w.blockFlags.filter { $0 & PageWords.policyGate != 0 }.count
            account += w.blockFlags.filter { $0 & PageWords.account != 0 }.count
            stems += w.stems.nonzeroBitCount
            published += w.published.count
        }
        // (The real pages exercise each list.)
        XCTAssertGreaterThan(flagged, 20)
        XCTAssertGreaterThan(interpretation, 0)
        XCTAssertGreaterThan(gate, 5)
        XCTAssertGreaterThan(stems, 5)
        XCTAssertGreaterThan(published, 5)
        XCTAssertGreaterThan(account, 5)
    }

    func testEdgesOfBlocks() throws {
        // A word at a block's end, at the text's end, split across two blocks (in neither),
        // after four-byte and full-width characters, spaced out (电 话), a label lending its word.
        let p = parse(
            """
            <html><body><p>请拨打联系电话</p><div>值班电</div><div>话 66012345</div><p>𠀀电话０１０-66012345</p>
            <dl><dt>传真：</dt><dd>66012346</dd></dl><p>累计排查隐患36854处，值班室66012345</p><p>Tel</p><td>电 话</td>
            <p>中华人民共合国成立</p><li>再接再励 2022-10-28</li><p>庆祝中华人民共合国</p><div>发布</div><div>时间：2023-05-01</div>
            <p>政策解</p><p>读 索引号：1 发布时间：2023-06-02 发布日期：2023-06-03</p><p>设定依据：法 申请条件：无 办理流程</p><footer><p>微信公众号：示范区发布</p><p>示范区发布官方微博</p></footer></body></html>
            """)
        XCTAssertGreaterThanOrEqual(try check(p), 5)
        XCTAssertFalse(p.blocks.contains { $0.text == "值班电话 66012345" }, "the split word stays split")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(WordingDictionary.bundled.pageWords).scan(p).wording.count, 3)
        try check(parse("<html><body></body></html>"))
    }

    /// A user entry that is also a phone word is reported as both; a dictionary too large for
    /// the character automaton has no shared pass (each rule scans for itself).
    func testUserEntriesAndLargeDictionaries() throws {
        let dict = try WordingDictionary.bundled.adding(lines: ["电话,座机", "Tel,tel"], file: "w.csv")
        let p = parse("<html><body><p>电话：010-66012345</p><p>Tel 66012345</p><p>再接再励</p></body></html>")
        try check(p, dict)
        XCTAssertEqual(try XCTUnwrap(dict.pageWords).scan(p).wording.count, 3)
        let many = (0..<300).map { k in "\(Character(Unicode.Scalar(0x4E00 + 2 * k)!))\(Character(Unicode.Scalar(0x4E01 + 2 * k)!)),对" }
        XCTAssertNil(try WordingDictionary.bundled.adding(lines: many, file: "w.csv").pageWords)
    }
}
