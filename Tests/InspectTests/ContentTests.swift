import Foundation
@testable import Inspect
import Parse
import InspectTesting
import Sweep
import CBytes
import XCTest
@testable import Vocabulary

/// Phones, policy metadata, wording and the working-day calendar (issue 4).
final class ContentTests: XCTestCase {
    // MARK: Phones

    /// Printed numbers and what they must read as: digits with area code, valid or not.
    static let phones: [(text: String, digits: String, valid: Bool)] = [
        ("联系电话：010-66012345", "01066012345", true),
        ("咨询电话：(010)66012345", "01066012345", true),
        ("电话：（010）66012345", "01066012345", true),
        ("热线 010 6601 2345", "01066012345", true),
        ("电话：66012345", "01066012345", true),
        ("传真：6601 2345", "01066012345", true),
        ("联系方式：13800138000", "13800138000", true),
        ("请联系 138-0013-8000", "13800138000", true),
        ("拨打12345市民服务热线", "12345", true),
        ("消费者投诉热线：12315", "12315", true),
        ("举报电话：0571-87654321", "057187654321", true),
        ("电话：0571-8765432", "05718765432", true),
        ("电话：010-66012345-8001", "01066012345", true),
        ("电话：010-66012345转8001", "01066012345", true),
        ("电话：66012345分机808", "01066012345", true),
        ("值班电话：010-66012345、66012346", "01066012346", true),
        ("服务电话：400-810-5888", "4008105888", true),
        ("Tel: 010-66012345", "01066012345", true),
        // Issue 13, item 11: the forms real contact blocks print.
        ("联系我们：010-66560933/59592471", "01066560933", true),
        ("联系我们：010-66560933/59592471", "01059592471", true),
        ("010-66560933/59592471", "01059592471", true),
        ("邮政编码：730030 0931-8489681", "09318489681", true),
        ("电话：0931-8489681、8489682", "09318489682", true),
        ("电话：0931-8489681或8489683", "09318489683", true),
        ("电话：0931-8489681，8489684", "09318489684", true),
        ("电话：(0931)8489681 / 8489685", "09318489685", true),
        ("电话：０１０－６６０１２３４５", "01066012345", true),
        ("电话：（０１０）６６０１２３４５", "01066012345", true),
        ("电话：６６０１２３４５", "01066012345", true),
        ("联系电话：0931—8826049", "09318826049", true),
        ("联系方式：55597014（传真）", "01055597014", true),
        ("地址：北京市西城区宣武门西大街26号院2号楼 | 邮编：100053 | 局总机：68313344", "01068313344", true),
        ("技术支持电话：（0311）66651000", "031166651000", true),
        ("违法和不良信息举报电话：0478-8655532（工作时间）", "04788655532", true),
        ("联系人：张先生 13800138000", "13800138000", true),
        ("电话：0571-87654321转8001", "057187654321", true),
        ("电话：010-6601234", "0106601234", false),
        ("电话：(010)660123456", "010660123456", false),
        ("手机：1380013800", "1380013800", false),
        ("手机：12800138000", "12800138000", false),
        ("电话：6601234", "6601234", false),
        ("传真：021-0612345", "0210612345", false),
        ("电话：031-66012345", "03166012345", false),
    ]

    /// Texts with digits that are not phone numbers.
    static let notPhones: [String] = [
        "邮编：100032", "邮政编码 100032", "地址：北京市西城区二龙路27号（100032）",
        "发布日期：2022-10-28", "20221028", "2022年10月28日", "成文日期：2022/10/28",
        "索引号：11010200Y/2022-00012", "索 引 号：000014349/2022-00012", "文号：西政发〔2022〕12号", "国办发〔2017〕47号",
        "京ICP备19014909号-1", "京公网安备11010202007633号", "网站标识码：1101020001", "网站标识码bm01000001",
        "投资12345678元", "资金1,234,567元", "面积66012345平方米", "增长12.345%", "共计12345人",
        "身份证号：110102199001011234", "统一社会信用代码：91110102MA01234567", "编号：66012345",
        "办公时间：9:00-17:00", "工作时间 上午8:30-12:00 下午13:30-17:30", "第12345期", "浏览次数：12345",
        "订单号ABC66012345", "2022-2023学年", "截至2022年10月，全区66012345户",
        "电话：010-66012345 邮编：100032",
        "邮编：100032 66012346", "邮政编码：730030", "电话：010-66012345 邮编：100032、100033",
        "网站标识码：1101020002/1101020003", "京ICP备19014909号-1 京公网安备11010202007633号/11010202007634号",
        "发文字号：示政发〔2026〕8号 受理日期20260315", "电话：010-66012345/2022-10-28", "电话：010-66012345 2022年10月28日",
        "年末固定电话用户448.2万户，移动电话用户数为446110户", "年末固定电话用户达到29074户，比上年减少 439户",
        "索引号：11010200Y/2022-00012、00013", "电话：010-66012345、100032（邮编）",
        "统计：２０２２年１０月", "金额：６６０１２３４５元",
    ]

    func testPhoneRecallAndPrecision() {
        var found = 0
        for p in Self.phones {
            let m = PhoneScanner.scan(p.text, areaCode: "010")
            if m.contains(where: { $0.digits == p.digits && $0.valid == p.valid }) { found += 1 } else { XCTFail("\(p.text): got \(m)") }
        }
        var falseAlarms = 0
        for t in Self.notPhones {
            let m = PhoneScanner.scan(t, areaCode: "010").filter { $0.digits != "01066012345" }
            if !m.isEmpty { falseAlarms += 1; XCTFail("\(t): read as \(m)") }
        }
        print("phones: recall \(found)/\(Self.phones.count), false alarms \(falseAlarms) on \(Self.notPhones.count) traps")
    }

    /// The cheap test before the scan lets every number through, full-width digits at any
    /// alignment of the eight-byte words included.
    func testGateLetsEveryPrintedFormThrough() {
        for p in Self.phones where !PhoneScanner.scan(p.text, areaCode: "010").isEmpty {
            for pad in 0..<8 {
                let text = String(repeating: "x", count: pad) + "示例" + p.text
                XCTAssertTrue(PhoneSupport.mayHavePhone(text), text)
            }
        }
        XCTAssertFalse(PhoneSupport.mayHavePhone("（示例）：区人民政府，欢迎您！"))
    }

    /// Words are looked for by their rarest byte in long texts: every occurrence is still found,
    /// in order, at every alignment, as a plain search finds it.
    func testAnchoredSearchFindsEveryOccurrence() {
        let words = ["依据", "时间", "解读", "一图读懂", "答记者问", "a", "ab", "发布时间"].map { Array($0.utf8) }
        XCTAssertEqual(ByteMatch.anchor(Array("依据".utf8)), 1)  // 依 E4 BE 9D: BE (0.23%), not 据 AE (0.64%)
        let pieces = ["依", "据", "时", "间", "解", "读", "一图读懂", "答记者", "问", "a", "b", "发布", "，", "据统计", " "]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...200, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let bytes = Array(text.utf8)
            for w in words {
                var want: [Int] = []
                if w.count <= bytes.count {
                    for s in 0...(bytes.count - w.count) where Array(bytes[s..<(s + w.count)]) == w { want.append(s + w.count) }
                }
                var got: [Int] = []
                bytes.withUnsafeBufferPointer { b in
                    for a in 0..<w.count {
                        got = []
                        ByteMatch.forEachEnd(of: w, anchor: a, in: b) {
                            got.append($0); return true
                        }
                        XCTAssertEqual(got, want, "\(text) \(w) anchor \(a)")
                    }
                }
                XCTAssertEqual(ByteMatch.contains(text, w), !want.isEmpty)
            }
        }
    }

    /// A text with five digits in a row used to go to the scan whatever they were; now only
    /// when some run of digit groups could be a number. Nothing the scan finds in such a text
    /// may be turned away by the gate: random texts of digits, separators and keywords, and
    /// every block of the real pages.
    func testGateTurnsAwayOnlyTextsWithoutANumber() throws {
        var texts: [String] = ["累计排查隐患36854处，整改到位率22.0%", "全市累计完成投资9353亿元，同比增长78.5%"]
        for f in RealPage.names where !f.contains("gbk") {
            texts += PageParser.parse(try RealPage.bytes(f), url: "http://www.example.gov.cn/", contentType: "text/html; charset=utf-8").blocks.map(\.text)
        }
        let pieces = [
            "0", "1", "2", "5", "8", "9", "95", "96", "010", "0931", "66012345", "13800138000", "12345", "36854", "95598", "2023", "06", "28", "20230628", "-",
            " ",
            "(", ")", "（", "）", "０", "１", "６", "９", "－", "—", "/", "、", "，", "或", "转", "分机", "电话：", "邮编：", "热线", "年",
            "号", "：", ":", ".", "。", "a", "示", "\u{3000}", "\u{00A0}", "处", "亿元", "%",
        ]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20000 {
            texts.append("示" + (0..<Int.random(in: 1...10, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        var turnedAway = 0, passed = 0
        for t in texts where t.contains(where: \.isNumber) {
            // (The old gate: any five digits in a row let the text through.)
            var run = 0, five = false
            for u in t.unicodeScalars {
                let digit = (0x30...0x39).contains(u.value) || (0xFF10...0xFF19).contains(u.value)
                run = digit ? run + 1 : 0
                if run >= 5 { five = true }
            }
            guard five else { continue }
            let found = PhoneScanner.scanUncached(t, areaCode: "010")
            let gate = PhoneSupport.gate(t)
            if gate == .yes || gate == .context && PhoneSupport.phoneWordMatcher.containsAny(t) {
                passed += 1
            } else {
                turnedAway += 1
                XCTAssertEqual(found, [], t.debugDescription)
            }
        }
        // The skip to the next digit (or a full-width digit's BC), at every byte value between
        // every kind of byte, at every place in and around the 16-byte steps and the tail.
        for v in 0..<256 {
            for (before, after): (UInt8, UInt8) in [(0x41, 0x41), (0xEF, 0x41), (0xE4, 0x91), (0xEF, 0x8C), (0xEF, 0x90), (0xEF, 0x99), (0xEF, 0x9A)] {
                for n in [1, 15, 16, 17, 18, 33, 40] {
                    for k in 0..<n {
                        var bytes = [UInt8](repeating: 0x41, count: n)
                        if k > 0 { bytes[k - 1] = before }
                        if k + 1 < n { bytes[k + 1] = after }
                        bytes[k] = UInt8(v)
                        let wide = v == 0xBC && k > 0 && before == 0xEF && k + 1 < n && (0x90...0x99).contains(after)
                        let want = (0x30...0x39).contains(v) || wide ? k : n
                        bytes.withUnsafeBufferPointer { b in
                            XCTAssertEqual(gs_next_digit_or_bc(b.baseAddress, 0, n), want, "\(v) between \(before) and \(after) at \(k) of \(n)")
                            XCTAssertEqual(gs_next_digit_or_bc(b.baseAddress, k + 1, n), n, "\(v) before \(k + 1) of \(n)")
                            // Started at the byte itself (the EF before it out of the range, not out of memory).
                            XCTAssertEqual(gs_next_digit_or_bc(b.baseAddress, k, n), want == k ? k : n, "\(v) from \(k) of \(n)")
                        }
                    }
                }
            }
        }
        // Full-width digits wherever the 16-byte steps fall: the same numbers as ASCII ones.
        for pad in 0..<20 {
            let lead = String(repeating: "，", count: pad / 3) + String(repeating: "a", count: pad % 3)
            XCTAssertEqual(PhoneSupport.gate(lead + "请拨打１３８００１３８０００"), .yes, lead)
            XCTAssertEqual(PhoneSupport.gate(lead + "投资１２６０２亿元"), .no, lead)
        }
        XCTAssertFalse(PhoneSupport.mayHavePhone("累计排查隐患36854处，整改到位率22.0%"))
        XCTAssertFalse(PhoneSupport.mayHavePhone("日期：2023-06-28 累计排查隐患36854处，发布于20230628"))
        XCTAssertEqual(PhoneSupport.gate("累计排查隐患36854处，值班室66012345"), .context)
        XCTAssertEqual(PhoneSupport.gate("累计排查隐患36854处，请拨打13800138000"), .yes)
        XCTAssertEqual(PhoneSupport.gate("全市累计完成投资12602亿元，累计排查隐患10922处"), .context)
        XCTAssertEqual(PhoneSupport.gate("全市累计完成投资12602亿元，同比增长16.2%"), .no)
        XCTAssertGreaterThan(turnedAway, 100)
        XCTAssertGreaterThan(passed, 100)
        print("phone gate: \(turnedAway) texts with five digits in a row turned away, \(passed) passed")
    }

    /// The byte-level scanner reads exactly what the scalar one read (PhoneScannerReference):
    /// on the test cases, every block of the real pages, and random texts made of digits,
    /// separators, brackets, full-width forms and keywords, at every position.
    func testByteScannerMatchesTheScalarReference() throws {
        var texts = Self.phones.map(\.text) + Self.notPhones
        for f in RealPage.names where !f.contains("gbk") {
            texts += PageParser.parse(try RealPage.bytes(f), url: "http://www.example.gov.cn/", contentType: "text/html; charset=utf-8").blocks.map(\.text)
        }
        let pieces = [
            "0", "1", "2", "5", "8", "9", "010", "0931", "66012345", "13800138000", "12345", "-", " ", "(", ")", "（", "）",
            "０", "１", "６", "－", "—", "/", "、", "，", "或", "转", "分机", "电话：", "邮编：", "热线", "年", "号", "：", ":",
            ".", "。", "a", "示", "\u{3000}", "\u{00A0}", "ICP备", "索引号", "¥", "〔", "𠀀", "\n",
        ]
        var rng = SystemRandomNumberGenerator()
        for n in 0..<10000 {
            texts.append((n % 2 == 0 ? "电话：" : "") + (0..<Int.random(in: 1...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        var differ = 0, numbers = 0
        for t in texts {
            let got = PhoneScanner.scanUncached(t, areaCode: "010"), want = PhoneScannerReference.scan(t, areaCode: "010")
            numbers += want.count
            if got != want {
                differ += 1
                if differ <= 10 { XCTFail("\(t.debugDescription): bytes \(got), scalars \(want)") }
            }
        }
        XCTAssertEqual(differ, 0, "of \(texts.count) texts")
        XCTAssertGreaterThan(numbers, 1000)
        for u in (0..<0x3100).compactMap(Unicode.Scalar.init) {
            XCTAssertEqual(PhoneScanner.isSentenceEnd(u), PhoneScanner.sentenceEnd.contains(u), "\(u)")
        }
        print("phone scanner: \(texts.count) texts, \(numbers) numbers, \(differ) read differently")
    }

    /// Real contact blocks: Gansu's 邮政编码：730030 0931-8489681 (the postal code not a
    /// number, the phone after it read), the CCDI's 联系我们：010-66560933/59592471 (the
    /// second number shares the area code), Beijing housing's 联系方式：55597014（传真）.
    func testRealContactBlocks() throws {
        func numbers(_ name: String, areaCode: String) throws -> Set<String> {
            let p = PageParser.parse(try fixture(name), url: "http://www.example.gov.cn/a.html", contentType: "text/html; charset=utf-8")
            let found = PhoneSupport.matches(in: p, areaCode: areaCode)
            XCTAssertTrue(found.allSatisfy(\.valid), "\(name): \(found)")
            return Set(found.map(\.digits))
        }
        let gansu = try numbers("fzgg-gansu-article-tzgg.html", areaCode: "0931")
        XCTAssertTrue(gansu.contains("09318489681"), "\(gansu)")
        XCTAssertFalse(gansu.contains { $0.contains("730030") }, "\(gansu)")
        XCTAssertEqual(try numbers("ccdi-article-tt-t20220531_196148.html", areaCode: "010"), ["01066560933", "01059592471"])
        XCTAssertTrue(try numbers("bjjs-zjw-column-fwjy-20210213.html", areaCode: "010").contains("01055597014"))
    }

    func testRepeatedTextsScanAlikeAndTheAreaCodeCounts() {
        // Short texts are cached (footers repeat on every page): the cache must key on the area code too.
        let footer = "联系电话：66012345　邮编：100099"
        let first = PhoneScanner.scan(footer, areaCode: "010")
        XCTAssertEqual(first.map(\.digits), ["01066012345"])
        XCTAssertEqual(PhoneScanner.scan(footer, areaCode: "010"), first)
        XCTAssertEqual(PhoneScanner.scan(footer, areaCode: "").map(\.digits), ["66012345"])
        XCTAssertEqual(PhoneScanner.scan(footer, areaCode: "010"), PhoneScanner.scanUncached(footer, areaCode: "010"))
    }

    func testLocalNumbersWithoutAreaCodeMatchTheRegistryByTail() {
        let m = PhoneScanner.scan("电话：66012345", areaCode: "")
        XCTAssertEqual(m.map(\.digits), ["66012345"])
        XCTAssertTrue(PhoneRegistry.contains("66012345", in: ["01066012345"]))
        XCTAssertFalse(PhoneRegistry.contains("66012345", in: ["01066012346"]))
    }

    func page(_ html: String, _ url: String) -> PageModel {
        PageParser.parse(Array(html.utf8), url: url, contentType: "text/html; charset=utf-8")
    }

    func run(
        _ pages: [(String, String)], profile: String = "xicheng-2022", content: ContentData = ContentData(),
        departments: DepartmentMap = DepartmentMap()
    ) throws -> [Finding] {
        var site = SiteFixture(host: "http://www.bjxch.gov.cn")
        for (path, html) in pages { site.add(path, html) }
        return site.inspect(profile: try Profile.bundled(name: profile), departments: departments, content: content)
    }

    func testOneFindingPerNumberWithEveryPageAndItsDepartment() throws {
        let registry = PhoneRegistry(entries: [.init(department: "区政务服务管理局", number: "010-66012345", label: "总机", line: 2)])
        let depts = DepartmentMap([.init(pattern: "/qfgw/", department: "区发展改革委")])
        let findings = try run(
            [
                ("/", examplePage("<p>电话：66012345</p><div class=\"footer\">联系电话：010-88889999</div>")),
                ("/qfgw/1.html", examplePage("<p>咨询电话：（010）8888 9999</p><p>传真：6601234</p>")),
                ("/qfgw/2.html", examplePage("<p>咨询电话：010-88889999</p><p>邮编：100032</p>")),
            ], content: ContentData(phones: registry), departments: depts)
        let unfiled = findings.filter { $0.indicator == .phoneUnfiled }
        XCTAssertEqual(unfiled.map(\.subject), ["01088889999"])
        XCTAssertEqual(unfiled.first?.foundOn.count, 3)
        XCTAssertEqual(unfiled.first?.department, "区发展改革委")
        XCTAssertEqual(unfiled.first?.url, "http://www.bjxch.gov.cn/")
        XCTAssertEqual(unfiled.first?.severity, .deduct)
        let malformed = findings.filter { $0.indicator == .phoneMalformed }
        XCTAssertEqual(malformed.map(\.subject), ["6601234"])
        XCTAssertEqual(malformed.first?.foundOn, ["http://www.bjxch.gov.cn/qfgw/1.html"])
        // No registry: no phone-unfiled, malformed still checked.
        let without = try run([("/", examplePage("<p>电话：010-88889999 传真：010-6601234</p>"))])
        XCTAssertEqual(without.filter { $0.indicator == .phoneUnfiled }.count, 0)
        XCTAssertEqual(without.filter { $0.indicator == .phoneMalformed }.map(\.subject), ["010-6601234"])
    }

    func testRegistryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("phones-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.csv")
        try "\u{FEFF}department,number,label\n# 总机\n区政务服务管理局,010-66012345,总机\n区市场监管局,12315\n区卫生健康委,66012346,值班\n".write(
            to: good, atomically: true, encoding: .utf8)
        let r = try InputFiles.phones(path: good.path, areaCode: "010")
        XCTAssertEqual(r.normalized(areaCode: "010"), ["01066012345", "12315", "01066012346"])
        let bad = dir.appendingPathComponent("bad.csv")
        try "区政务服务管理局,010-66012345\n区财政局,010-6601234\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try InputFiles.phones(path: bad.path, areaCode: "010")) { e in
            XCTAssertEqual("\(e)", "\(bad.path):2: \"010-6601234\" is not a valid phone number")
        }
    }

    // MARK: Policy metadata

    func fixture(_ name: String) throws -> [UInt8] { try RealPage.bytes(name) }

    func testRealNfraPageIsAPolicyPageWithEmptyLabels() throws {
        let p = PageParser.parse(
            try fixture("nfra-article-merged-cells.html"), url: "https://www.nfra.gov.cn/cn/view/pages/ItemDetail.html", contentType: "text/html; charset=utf-8"
        )
        let f = PolicyMetadata.read(p)
        XCTAssertTrue(f.isPolicy)
        // Angular left 索引号, 主题分类, 办文部门 and 发文日期 empty; 公文名称 and 发布时间 are filled; 文号 is hidden.
        XCTAssertEqual(f.values["索引号"], "")
        XCTAssertEqual(f.values["主题分类"], "")
        XCTAssertEqual(f.values["发文机关"], "")
        XCTAssertTrue(f.values["名称"]?.hasPrefix("国家金融监督管理总局浙江监管局行政处罚信息公开表") ?? false, "\(f.values)")
        XCTAssertTrue(f.present("发布日期"), "\(f.values)")
        let profile = try Profile.bundled(name: "xicheng-2022")
        let missing = PolicyMetadata.canonicalFields.filter { profile.policyFields.contains($0) && !f.present($0) }
        // 文号 stands alone in an ng-hide div that the parser cannot know is hidden; its value is
        // read from the next short div (a title line): missing 文号 is not reported here. A
        // label standing alone always takes the next short block, so a div layout
        // (<div>文号：</div><div>…</div>) is never reported as missing (precision first).
        XCTAssertEqual(missing, ["发文机关", "有效性", "关键词", "主题分类"])
    }

    func testRealNewsAndGazettePagesAreNotPolicyPages() throws {
        for (name, url) in [
            ("zj-fgw-article-deqing.html", "http://fgw.zj.gov.cn/art/2016/11/22/art_1.html"),
            ("govcn-gazette-2007-23.html", "http://www.gov.cn/gongbao/content/2007/content_1.htm"),
        ] {
            let p = PageParser.parse(try fixture(name), url: url, contentType: "text/html; charset=utf-8")
            XCTAssertFalse(PolicyMetadata.read(p).isPolicy, name)
        }
    }

    func testPolicyAttachmentByExtensionInAnyCase() throws {
        XCTAssertTrue(ByteMatch.hasSuffixIgnoringCase("/zcwj/附件1.PDF", PolicyMetadata.attachmentSuffixes))
        XCTAssertTrue(ByteMatch.hasSuffixIgnoringCase("/a/b.DocX", PolicyMetadata.attachmentSuffixes))
        XCTAssertFalse(ByteMatch.hasSuffixIgnoringCase("/a/pdf", PolicyMetadata.attachmentSuffixes))
        XCTAssertFalse(ByteMatch.hasSuffixIgnoringCase("/a/b.pdf.html", PolicyMetadata.attachmentSuffixes))
        XCTAssertFalse(ByteMatch.hasSuffixIgnoringCase("", PolicyMetadata.attachmentSuffixes))
        let page = { (href: String) in
            PageParser.parse(
                Array(
                    ("<body><h1>关于印发某某办法的通知</h1><table><tr><th>索引号</th><td>11010200Y/2022-00012</td>"
                        + "<th>发文字号</th><td>西政发〔2022〕12号</td></tr></table><p><a href=\"\(href)\">附件</a></p></body>").utf8),
                url: "http://h/zcwj/1.html", contentType: "text/html")
        }
        XCTAssertTrue(PolicyMetadata.read(page("/zcwj/办法.XLSX")).hasAttachment)
        XCTAssertFalse(PolicyMetadata.read(page("/zcwj/2.html")).hasAttachment)
    }

    func testPolicyFindingsCarryDepartmentAndSubject() throws {
        let html = examplePage(
            """
            <h1>关于印发某某办法的通知</h1>
            <table><tr><th>索引号</th><td>11010200Y/2022-00012</td><th>发布机构</th><td>北京市西城区人民政府</td></tr>
            <tr><th>发文字号</th><td>西政发〔2022〕12号</td><th>发布日期</th><td>2022-10-28</td></tr>
            <tr><th>主题</th><td>综合政务</td><th>时效性</th><td>有效</td></tr></table>
            <p><a href="/zcwj/1.pdf">附件</a></p>
            """)
        let depts = DepartmentMap([.init(pattern: "/zcwj/", department: "区司法局")])
        let f = try run([("/zcwj/1.html", html)], departments: depts).filter { $0.indicator == .policyMetadata }
        XCTAssertEqual(f.map(\.subject), ["关键词"])
        XCTAssertEqual(f.first?.department, "区司法局")
        XCTAssertEqual(f.first?.url, "http://www.bjxch.gov.cn/zcwj/1.html")
        // The national profile requires fewer fields: nothing missing.
        XCTAssertEqual(try run([("/zcwj/1.html", html)], profile: "national-2019").filter { $0.indicator == .policyMetadata }.count, 0)
    }

    // MARK: Wording

    func testAhoCorasickFindsOverlappingPatterns() {
        let ac = AhoCorasick(["he", "she", "his", "hers", "人民", "中华人民共合国", "共合"])
        let found = ac.matches(in: "ushers 中华人民共合国").map { ac.patterns[$0.pattern] }.map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(Set(found), ["she", "he", "hers", "人民", "中华人民共合国", "共合"])
        XCTAssertTrue(AhoCorasick([]).matches(in: "anything").isEmpty)
    }

    func testBundledDictionaryIsCleanAndNeverMatchesItsOwnCorrections() throws {
        var total = 0
        for (name, text) in BundledData.dictionaries {
            let entries = try WordingDictionary.parse(lines: text.components(separatedBy: "\n"), file: name)
            total += entries.count
        }
        let dict = WordingDictionary.bundled
        XCTAssertEqual(dict.entries.count, total)
        XCTAssertGreaterThan(dict.entries.filter { $0.wordClass == .serious }.count, 10)
        // Every correct form is clean text: no entry matches any correction.
        let rights = dict.entries.map(\.right).joined(separator: "。")
        XCTAssertTrue(dict.matcher.matches(in: rights).isEmpty, "\(dict.matcher.matches(in: rights).map { dict.entries[$0.pattern].wrong })")
    }

    func testUserWordingFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wording-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("w.csv")
        try "wrong,right,class\n# 区名\n西城区人民政俯,西城区人民政府,serious\n二龙路街道办事出,二龙路街道办事处\n".write(to: good, atomically: true, encoding: .utf8)
        let d = try InputFiles.wording(path: good.path)
        XCTAssertEqual(d.entries.count, WordingDictionary.bundled.entries.count + 2)
        let bad = dir.appendingPathComponent("bad.csv")
        try "错字,对字,fatal\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try InputFiles.wording(path: bad.path)) { e in
            XCTAssertEqual("\(e)", "\(bad.path):1: class \"fatal\": expected serious or common")
        }
        let lines = dir.appendingPathComponent("dup.csv")
        try "中华人民共和国,中华人民共和国\n".write(to: lines, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try InputFiles.wording(path: lines.path))
    }

    func testWordingFindingsWithContext() throws {
        let f = try run([
            ("/", examplePage("<p>热烈庆祝中华人民共合国成立73周年，大家再接再励</p>")),
            ("/b.html", examplePage("<p>中华人民共和国，再接再厉</p>")),
        ]).filter { $0.indicator == .wording }
        XCTAssertEqual(f.map(\.subject), ["中华人民共合国", "再接再励"])
        XCTAssertEqual(f.first?.severity, .veto)
        XCTAssertEqual(f.first?.evidence["context"], .array([.string("热烈庆祝中华人民共合国成立73周年，大家再接再")]))
        XCTAssertEqual(f.last?.severity, .advice)
    }

    /// The rule scans the page's text in one pass: a wrong word split between two blocks is
    /// no word (as when each block was read alone), and a hit's context stays in its block.
    func testWordingOnePassKeepsBlocks() throws {
        let f = try run([("/", examplePage("<p>中华人民</p><p>共合国成立</p><ul><li>  首页 </li><li><a href=\"/x.html\"></a></li><li> 大家再接再励，继续努力</li></ul>"))])
            .filter { $0.indicator == .wording }
        XCTAssertEqual(f.map(\.subject), ["再接再励"])
        XCTAssertEqual(f.first?.evidence["context"], .array([.string("大家再接再励，继续努力")]))
    }

    // MARK: Working days

    func testCalendarRequiredCases() throws {
        let cal = WorkCalendar.bundled
        XCTAssertEqual(cal.years.sorted(), [2022, 2023, 2024, 2025, 2026])
        // Friday evening → Monday morning: within 1 working day.
        XCTAssertEqual(cal.workingDaysBetween(Day(iso: "2022-10-28")!, Day(iso: "2022-10-31")!), 1)
        // 2022-09-30 → 2022-10-08 (a make-up working day): within 1 working day.
        XCTAssertEqual(cal.workingDaysBetween(Day(iso: "2022-09-30")!, Day(iso: "2022-10-08")!), 1)
        XCTAssertFalse(cal.isWorkingDay(Day(iso: "2022-10-03")!))
        XCTAssertTrue(cal.isWorkingDay(Day(iso: "2022-10-09")!))  // Sunday, make-up day
        XCTAssertFalse(cal.isWorkingDay(Day(iso: "2022-12-31")!))
        XCTAssertFalse(cal.isWorkingDay(Day(iso: "2023-01-02")!))  // Monday, holiday
        XCTAssertTrue(cal.isWorkingDay(Day(iso: "2024-02-18")!))  // Sunday, make-up day
        XCTAssertEqual(cal.workingDaysBetween(Day(iso: "2024-02-09")!, Day(iso: "2024-02-19")!), 2)  // 2/18, 2/19
        XCTAssertEqual(WorkCalendar.weekday(Day(iso: "2022-10-28")!), 4)
        XCTAssertEqual(cal.missingYears(Day(iso: "2026-12-30")!, Day(iso: "2027-01-03")!), [2027])
        XCTAssertFalse(cal.isWorkingDay(Day(iso: "2026-02-16")!))  // Monday, Spring Festival
        XCTAssertTrue(cal.isWorkingDay(Day(iso: "2026-02-28")!))  // Saturday, make-up day
        XCTAssertEqual(cal.missingYears(Day(iso: "2022-12-30")!, Day(iso: "2023-01-03")!), [])
    }

    func testCalendarFilesAreValidAndEmbedded() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for year in ["2022", "2023", "2024"] {
            let text = try String(contentsOf: dir.appendingPathComponent("Rules/calendars/\(year).yaml"), encoding: .utf8)
            XCTAssertEqual(text, BundledData.calendars[year].map { $0 + "\n" } ?? BundledData.calendars[year], "run Rules/embed-profiles.sh")
            var c = WorkCalendar()
            XCTAssertNoThrow(try c.add(yaml: text, file: year))
        }
        var c = WorkCalendar()
        XCTAssertThrowsError(try c.add(yaml: "year: 2025\nholidays: [2025-13-01]\n", file: "2025.yaml")) { e in
            XCTAssertEqual("\(e)", "2025.yaml:2: \"2025-13-01\": expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD")
        }
    }
}

// MARK: Public messages
extension ContentTests {
    func testRequiredReplyCasesWithinOneWorkingDay() throws {
        let html = examplePage(
            """
            <ul class="list">
            <li><a href="/hdjl/1.html">周五晚上的咨询</a> 留言时间：2022-10-28 21:30 答复时间：2022-10-31 09:05</li>
            <li><a href="/hdjl/2.html">国庆前的咨询</a> 留言时间：2022-09-30 18:00 答复时间：2022-10-08 10:00</li>
            <li><a href="/hdjl/3.html">拖了两天的咨询</a> 留言时间：2022-10-26 10:00 答复时间：2022-10-28 10:00</li>
            </ul>
            """)
        let f = try run([("/hdjl/", html)])  // xicheng-2022: 1 working day
        XCTAssertEqual(f.filter { $0.indicator == .replyLate }.map(\.subject), ["拖了两天的咨询"])
        XCTAssertEqual(try run([("/hdjl/", html)], profile: "national-2019").filter { $0.indicator == .replyLate }.count, 0)
    }

    func testListAndDetailPageCountOnceAndReplyMissingIsAVeto() throws {
        let list = examplePage(
            """
            <table class="list"><tr><th>标题</th><th>留言时间</th><th>答复时间</th><th>状态</th></tr>
            <tr><td><a href="/hdjl/7.html">关于供暖的咨询</a></td><td>2022-07-20</td><td></td><td>未答复</td></tr></table>
            """)
        let detail = examplePage("<h1>关于供暖的咨询</h1><p>留言时间：2022-07-20</p><p>留言内容：何时供暖？</p><p>答复时间：</p>")
        let depts = DepartmentMap([.init(pattern: "/hdjl/", department: "区城市管理委")])
        let f = try run([("/hdjl/", list), ("/hdjl/7.html", detail)], departments: depts)
        let missing = f.filter { $0.indicator == .replyMissing }
        XCTAssertEqual(missing.map(\.subject), ["关于供暖的咨询"])
        XCTAssertEqual(missing.first?.severity, .veto)
        XCTAssertEqual(missing.first?.department, "区城市管理委")
        XCTAssertEqual(f.filter { $0.indicator == .replyLate }.count, 0)
        // A petition channel is excluded.
        let petition = examplePage(title: "信访信箱", "<ul class=\"list\"><li><a href=\"/x/1.html\">来信</a> 来信时间：2022-07-20 答复时间：</li></ul>")
        XCTAssertEqual(try run([("/xf/", petition)]).filter { $0.indicator == .replyMissing || $0.indicator == .replyLate }.count, 0)
    }

    func testMonthsLater() {
        XCTAssertEqual(MessageReader.monthsLater(Day(iso: "2022-11-30")!, 3).description, "2023-02-28")
        XCTAssertEqual(MessageReader.monthsLater(Day(iso: "2022-07-20")!, 3).description, "2022-10-20")
    }
}

// MARK: Real pages
extension ContentTests {
    /// A real procurement notice: every contact number read (area-code landline, two mobiles
    /// separated by a space, the 400 service line), and none of the project codes, the site
    /// code, the ICP number spaced out (京 ICP 备 19054529 号 -1) or the 公网安备 number.
    func testRealCcgpPagePhones() throws {
        let p = PageParser.parse(try fixture("ccgp-article-zhijiang-cjgg.html"), url: "http://www.ccgp.gov.cn/x.htm", contentType: "text/html; charset=utf-8")
        let found = Set(PhoneSupport.matches(in: p, areaCode: "").map(\.digits))
        XCTAssertEqual(found, ["07452210959", "18975079580", "18627455418", "4008101996"])
        XCTAssertTrue(PhoneSupport.matches(in: p, areaCode: "").allSatisfy(\.valid))
    }

    /// A statistical bulletin carries an index table (索引号, 发布机构, 发文日期) but is not a
    /// policy document: no number or validity label, no document-type title.
    func testRealStatisticalBulletinIsNotAPolicyDocument() throws {
        let p = PageParser.parse(
            try fixture("yichun-article-tjgb-2022.html"), url: "https://www.yichun.gov.cn/x.shtml", contentType: "text/html; charset=utf-8")
        let f = PolicyMetadata.read(p)
        XCTAssertEqual(f.values["索引号"], "014717475N/2023-0040295")
        XCTAssertEqual(f.values["发文机关"], "宜春市统计局")
        XCTAssertFalse(f.isPolicy)
    }
}

// MARK: GBK
extension ContentTests {
    /// A page in GBK bytes (charset in a meta only): the content checks read its decoded text.
    func testGBKPage() throws {
        let bytes: [UInt8] = [
            0x3C, 0x68, 0x74, 0x6D, 0x6C, 0x3E, 0x3C, 0x68, 0x65, 0x61, 0x64, 0x3E, 0x3C, 0x6D, 0x65, 0x74, 0x61, 0x20, 0x63, 0x68, 0x61, 0x72, 0x73, 0x65,
            0x74, 0x3D, 0x22, 0x67, 0x62, 0x6B, 0x22, 0x3E, 0x3C, 0x74, 0x69, 0x74, 0x6C, 0x65, 0x3E, 0xC1, 0xAA, 0xCF, 0xB5, 0xCE, 0xD2, 0xC3, 0xC7, 0x3C,
            0x2F, 0x74, 0x69, 0x74, 0x6C, 0x65, 0x3E, 0x3C, 0x2F, 0x68, 0x65, 0x61, 0x64, 0x3E, 0x3C, 0x62, 0x6F, 0x64, 0x79, 0x3E, 0x3C, 0x70, 0x3E, 0xD7,
            0xC9, 0xD1, 0xAF, 0xB5, 0xE7, 0xBB, 0xB0, 0xA3, 0xBA, 0x30, 0x31, 0x30, 0x2D, 0x38, 0x38, 0x38, 0x38, 0x39, 0x39, 0x39, 0x39, 0x3C, 0x2F, 0x70,
            0x3E, 0x3C, 0x70, 0x3E, 0xC7, 0xEC, 0xD7, 0xA3, 0xD6, 0xD0, 0xBB, 0xAA, 0xC8, 0xCB, 0xC3, 0xF1, 0xB9, 0xB2, 0xBA, 0xCF, 0xB9, 0xFA, 0xB3, 0xC9,
            0xC1, 0xA2, 0x3C, 0x2F, 0x70, 0x3E, 0x3C, 0x2F, 0x62, 0x6F, 0x64, 0x79, 0x3E, 0x3C, 0x2F, 0x68, 0x74, 0x6D, 0x6C, 0x3E,
        ]
        let url = "http://www.bjxch.gov.cn/gbk/lxwm.html"
        let inspector = Inspector(
            profile: try Profile.bundled(name: "xicheng-2022"), asOf: Day(iso: "2022-11-01")!,
            content: ContentData(phones: PhoneRegistry(entries: [])))
        inspector.inspect(page: PageParser.parse(bytes, url: url, contentType: "text/html"), url: url, depth: 1)
        let f = inspector.finish(linkTargets: [], homePages: ["http://www.bjxch.gov.cn/"])
        XCTAssertEqual(f.filter { $0.indicator == .phoneUnfiled }.map(\.subject), ["01088889999"])
        XCTAssertEqual(f.filter { $0.indicator == .wording }.map(\.subject), ["中华人民共合国"])
    }
}

extension ContentTests {
    /// A policy interpretation filed under the policy column (the demo portal's 图解 page)
    /// is not a policy document; the document it explains is.
    func testInterpretationIsNotAPolicyDocument() {
        let head = "<meta name=\"ColumnName\" content=\"政策文件\"><meta name=\"ColumnType\" content=\"政策解读\"><meta name=\"ArticleTitle\" content=\"图解：若干措施\">"
        let jd = page(examplePage(title: "图解：若干措施", head: head, "<h1>图解：若干措施</h1><p>发布时间：2022-10-28 来源：区发展改革委</p>"), "http://h/zcwj/1_jd.html")
        XCTAssertFalse(PolicyMetadata.read(jd).isPolicy)
        let docHead = "<meta name=\"ColumnName\" content=\"政策文件\"><meta name=\"ArticleTitle\" content=\"关于印发若干措施的通知\">"
        let doc = page(examplePage(title: "关于印发若干措施的通知", head: docHead, "<h1>关于印发若干措施的通知</h1><p>发布时间：2022-10-28</p>"), "http://h/zcwj/1.html")
        XCTAssertTrue(PolicyMetadata.read(doc).isPolicy)
    }
}

extension ContentTests {
    /// A notice with a date after a time label is not a message page.
    func testNoticeWithDateLabelsIsNotAMessage() throws {
        let notice = examplePage(title: "关于申报补贴的通知", "<h1>关于申报补贴的通知</h1><p>材料提交时间：2022-07-01至2022-07-31</p><p>咨询时间：工作日9:00-17:00</p>")
        let f = try run([("/tzgg/1.html", notice)])
        XCTAssertEqual(f.filter { $0.indicator == .replyMissing || $0.indicator == .replyLate }.count, 0)
        XCTAssertTrue(MessageReader.messages(in: page(notice, "http://h/tzgg/1.html"), asOf: Day(iso: "2022-11-01")!).isEmpty)
    }
}

extension ContentTests {
    /// Correct official prose that contains the heads of dictionary forms matches nothing.
    func testCorrectProseMatchesNothing() {
        let prose = """
            推动科学发展关键在人。社会主义核心价值观关乎国家前途。国家发展和改革委员会、国家发展改革委。
            中国共产党第二十次全国代表大会。国务院办公厅关于印发通知。中国人民政治协商会议全国委员会。
            马克思列宁主义、毛泽东思想、邓小平理论。中国化时代化。再接再厉，按部就班，一鼓作气。
            """
        let d = WordingDictionary.bundled
        XCTAssertTrue(d.matcher.matches(in: prose).isEmpty, "\(d.matcher.matches(in: prose).map { d.entries[$0.pattern].wrong })")
    }
}

extension ContentTests {
    /// Messages laid out as separate blocks for each label cannot be paired with their
    /// replies: nothing is guessed.
    func testUnpairableListIsNotRead() {
        let html = examplePage(
            title: "咨询留言",
            """
            <div class="item"><div><a href="/1.html">一</a></div><div>留言时间：2022-10-10</div><div>答复时间：</div></div>
            <div class="item"><div><a href="/2.html">二</a></div><div>留言时间：2022-10-12</div><div>答复时间：2022-10-31</div></div>
            """)
        XCTAssertTrue(MessageReader.messages(in: page(html, "http://h/hdjl/"), asOf: Day(iso: "2022-11-01")!).isEmpty)
    }
}

extension ContentTests {
    /// A note's tab-separated fields, split on the bytes: empty fields kept, Chinese text as it
    /// is, the same fields as the Character-wise split it replaces.
    func testNoteFieldsSplitOnTabs() {
        XCTAssertEqual(ByteMatch.fields("关于印发《规划》的通知\t规划\t\thttp://a.gov.cn/1.html\t"), ["关于印发《规划》的通知", "规划", "", "http://a.gov.cn/1.html", ""])
        XCTAssertEqual(ByteMatch.fields(""), [""])
        XCTAssertEqual(ByteMatch.fields("无制表符"), ["无制表符"])
        for text in ["a\tb", "政策\t解读\t", "\t\t", "x"] {
            XCTAssertEqual(ByteMatch.fields(text), text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init), text)
        }
    }
}

extension ContentTests {
    /// The requirements a text names, in one pass of one automaton over the normalised text,
    /// are those a search of each needle in it finds (the bundled profiles' needles; texts
    /// made of needles, their pieces, spaces, brackets and quotes that normalising drops).
    func testRequirementNamesInOnePassAgreeWithEachNeedlesSearch() throws {
        for name in ["national-2019", "xicheng-2022"] {
            let needles = Summarizer.RequirementNeedles(try Profile.bundled(name: name))
            let words = needles.needles.flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) }
            let pieces = words + words.map { String($0.prefix(1)) } + ["《", "》", " ", "\u{3000}", "“", "【", "栏目", "的通知", "\"", "a"]
            var rng = SystemRandomNumberGenerator()
            var named = 0
            for _ in 0..<3000 {
                let text = (0..<Int.random(in: 1...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
                let hay = ByteMatch.normalized(text)
                let want = needles.names.indices.filter { i in needles.needles[i].contains { ByteMatch.contains(hay, $0) } }.map(Int32.init)
                XCTAssertEqual(Summarizer.requirementMatchIndices(text, needles: needles), want, text)
                if !want.isEmpty { named += 1 }
            }
            XCTAssertGreaterThan(named, 1000, name)
        }
        XCTAssertEqual(ByteMatch.normalized("《规划 计划》\u{3000}“专栏”"), Array("规划计划专栏".utf8))
        XCTAssertEqual(ByteMatch.normalized(""), [])
    }
}
