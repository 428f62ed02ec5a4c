import Foundation
import XCTest
@testable import Parse

/// Pages written by real government CMSs (see Fixtures and /work/shared/real-pages/SOURCES.md).
final class RealPageTests: XCTestCase {
    func testBjchyGB18030BytesDecodeLikeTheUTF8Copy() throws {
        let gbk = try Fixture.page("bjchy-index.gbk.html", url: "http://www.bjchy.gov.cn/")
        let utf8 = try Fixture.page("bjchy-index.html", url: "http://www.bjchy.gov.cn/")
        // The gb2312 label comes from the meta prescan and maps to gb18030.
        XCTAssertEqual(gbk.charset, "gb18030")
        XCTAssertEqual(gbk.charsetSource, .meta)
        XCTAssertEqual(gbk.invalidBytes, 0)
        XCTAssertEqual(gbk.title, "北京朝阳")
        // Undeclared, the UTF-8 copy is read by its stale gb2312 meta and comes out garbled.
        XCTAssertNotEqual(utf8.title, "北京朝阳")
        // The UTF-8 copy still says gb2312 in its meta; the bytes are what they are: a
        // header saying utf-8 must win over the stale meta.
        let utf8Declared = PageParser.parse(
            try Fixture.bytes("bjchy-index.html"), url: "http://www.bjchy.gov.cn/",
            contentType: "text/html; charset=UTF-8")
        XCTAssertEqual(utf8Declared.charset, "utf-8")
        XCTAssertEqual(utf8Declared.charsetSource, .header)
        XCTAssertEqual(utf8Declared.title, gbk.title)
        XCTAssertEqual(utf8Declared.blocks.map(\.text), gbk.blocks.map(\.text))
        XCTAssertEqual(utf8Declared.links.map(\.href), gbk.links.map(\.href))

        XCTAssertTrue(gbk.blocks.contains { $0.text.contains("交通安全示范社区创建让居民享便利") })
        XCTAssertEqual(gbk.headings.first?.text, "朝阳要闻 部门动态 基层动态 大型活动")
        XCTAssertEqual(gbk.links.count, 182)
        XCTAssertEqual(gbk.links.filter { $0.kind == .a }.count, 140)
        XCTAssertEqual(gbk.links.filter { $0.kind == .script }.count, 28)
        XCTAssertEqual(gbk.links.filter { $0.kind == .link }.count, 4)
        XCTAssertFalse(gbk.links.contains { $0.href.lowercased().hasPrefix("javascript:") })
        // Hrefs are trimmed (the CMS writes href="  /chaoyang/tsjq/… ").
        XCTAssertTrue(gbk.links.contains { $0.href == "/chaoyang/tsjq/8a24f09a2c762578012c81218c5900ca.html" })
        XCTAssertEqual(gbk.duplicateIDs, ["n_1", "n_2"])
    }

    func testBjchyFooterIsWrittenByScriptSoNoFooterRegionExists() throws {
        // The 2018 bjchy home page draws its header and footer with home_top.js and
        // home_bottom.js: the HTML carries no footer text. The parser must not invent
        // one, and must list the script so a rule can say where the footer comes from.
        let page = try Fixture.page("bjchy-index.gbk.html", url: "http://www.bjchy.gov.cn/")
        XCTAssertFalse(page.blocks.contains { $0.region == .footer })
        XCTAssertFalse(page.blocks.contains { $0.text.contains("ICP") })
        XCTAssertTrue(page.links.contains { $0.kind == .script && $0.href == "/resource/js/home_bottom.js" })
        // Its news tabs are lists in the main region; the hidden tabs are marked hidden.
        let news = page.blocks.filter { $0.text.contains("[2018-03-16]") }
        XCTAssertEqual(news.count, 24)
        XCTAssertTrue(news.allSatisfy { $0.region == .main && $0.tag == "li" && $0.list >= 0 })
        XCTAssertEqual(Set(news.map(\.list)).count, 3)
        XCTAssertEqual(news.filter { !$0.hidden }.count, 8)
        // The "热点问答" box sits in a right column: aside.
        let qa = page.blocks.filter { $0.text.contains("临时救助政策问答") }
        XCTAssertEqual(qa.first?.region, .aside)
    }

    func testZhejiangArticleGovernmentMetas() throws {
        let page = try Fixture.page("zj-fgw-article-deqing.html", url: "http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html")
        XCTAssertEqual(page.charset, "utf-8")
        XCTAssertEqual(page.charsetSource, .meta)
        XCTAssertEqual(page.meta("SiteName"), "浙江省发展和改革委员会")
        XCTAssertEqual(page.meta("sitedomain"), "fgw.zj.gov.cn,www.zjdpc.gov.cn")
        XCTAssertEqual(page.meta("SiteIDCode"), "")
        XCTAssertEqual(page.meta("ColumnName"), "投资运行")
        XCTAssertEqual(page.meta("ArticleTitle"), "1-10月德清县固定资产投资结构趋稳趋优")
        XCTAssertEqual(page.meta("PubDate"), "2016-11-22 09:53")
        XCTAssertEqual(page.meta("ContentSource"), "省发改委")
        XCTAssertEqual(page.meta("Keywords"), "投资 完成 亿元")
        XCTAssertEqual(page.httpEquiv("Content-Type"), "text/html; charset=UTF-8")
        XCTAssertTrue(page.blocks.contains { $0.tag == "p" && $0.text.hasPrefix("1-10月，全县固定资产投资完成246.79亿元") })
    }

    func testGovCnGazetteFooterAndLinks() throws {
        let page = try Fixture.page("govcn-gazette-2007-23.html", url: "https://www.gov.cn/gongbao/content/2007/content_711039.htm")
        XCTAssertEqual(page.meta("lanmu"), "2007年第23号")
        XCTAssertEqual(page.meta("firstpublishedtime"), "2007-08-20-23:59:59")
        XCTAssertTrue(page.metas.contains { $0.property == "og:image" })
        let footer = page.blocks.filter { $0.region == .footer }.map(\.text).joined(separator: "\n")
        XCTAssertTrue(footer.contains("京ICP备05070218号"), footer)
        XCTAssertTrue(footer.contains("京公网安备11010202000001号"))
        XCTAssertTrue(footer.contains("网站标识码bm01000001"))
        XCTAssertTrue(footer.contains("主办单位：国务院办公厅"))
        // The ICP link sits in the footer, pointing at the registry.
        XCTAssertTrue(page.links.contains { $0.region == .footer && $0.href.hasPrefix("https://beian.miit.gov.cn") && $0.text == "京ICP备05070218号" })
        XCTAssertFalse(page.blocks.filter { $0.region != .footer }.contains { $0.text.contains("京ICP备05070218号") && !$0.hidden })
    }

    func testPingtanColumnListHas75DatedItemsInOneList() throws {
        let page = try Fixture.page("pingtan-column-ghxx-gzjzqk.html", url: "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/")
        XCTAssertEqual(page.title, "工作进展情况_平潭综合实验区党工委管委会")
        XCTAssertEqual(page.meta("ColumnName"), "工作进展情况")
        XCTAssertEqual(page.meta("SiteIDCode"), "3590000001")
        let date = try NSRegularExpression(pattern: "20[0-9]{2}-[0-9]{2}-[0-9]{2}$")
        let dated = page.blocks.filter {
            $0.tag == "li" && date.firstMatch(in: $0.text, range: NSRange($0.text.startIndex..., in: $0.text)) != nil
        }
        XCTAssertEqual(dated.count, 75)
        XCTAssertEqual(Set(dated.map(\.list)).count, 1)
        XCTAssertTrue(dated.allSatisfy { $0.region == .main && $0.linkCount == 1 })
        XCTAssertEqual(dated.first?.text, "平潭综合实验区社会事业局关于2025年中小学教育装备产品“双随机、一公开”抽查工作情况的通报 2025-11-11")
        let firstLink = page.links[dated[0].firstLink]
        XCTAssertEqual(firstLink.href, "../../zdlyxxgk/ssjygk/sjccjg/202511/t20251111_103189.htm")
        XCTAssertEqual(firstLink.block, page.blocks.firstIndex(of: dated[0]))
        // No other list on the page holds dated items in the main region.
        let footer = page.blocks.filter { $0.region == .footer }.map(\.text).joined(separator: "\n")
        XCTAssertTrue(footer.contains("闽ICP备09032658号"), footer)
        XCTAssertTrue(footer.contains("网站标识码：3590000001"))
    }
}

final class ConcurrentParseTests: XCTestCase {
    /// The crawler parses on several threads at once: libxml2 contexts are per call and
    /// iconv descriptors per decode, so results must not depend on what runs beside.
    func testParallelParsesAgree() throws {
        let names = ["bjchy-index.gbk.html", "pingtan-column-ghxx-gzjzqk.html", "govcn-gazette-2007-23.html", "zj-fgw-article-deqing.html"]
        let inputs = try names.map { try Fixture.bytes($0) }
        let expected = inputs.map { PageParser.parse($0, url: "http://x.gov.cn/", contentType: nil) }
        let results = UnsafeMutableBufferPointer<Int>.allocate(capacity: 64)
        results.initialize(repeating: 0)
        defer { results.deallocate() }
        let box = UncheckedBox(results)
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let k = i % inputs.count
            let page = PageParser.parse(inputs[k], url: "http://x.gov.cn/", contentType: nil)
            let ok = page.blocks == expected[k].blocks && page.links == expected[k].links && page.title == expected[k].title
            box.value[i] = ok ? 1 : 0
        }
        XCTAssertEqual(results.reduce(0, +), 64)
    }
}

private final class UncheckedBox: @unchecked Sendable {
    let value: UnsafeMutableBufferPointer<Int>
    init(_ value: UnsafeMutableBufferPointer<Int>) { self.value = value }
}
