import Foundation
@testable import Inspect
import Parse
import InspectTesting
import XCTest
@testable import Vocabulary

/// The topic check on real government pages (InspectTests and ParseTests fixtures): which
/// items are a page's own, their dates, and which xicheng-2022 topics they speak of.
final class WorkPointRealPageTests: XCTestCase {
    static let matcher = TopicMatcher(try! Profile.bundled(name: "xicheng-2022").workPoints)

    func parse(_ name: String, url: String) throws -> PageModel {
        PageParser.parse([UInt8](try Data(contentsOf: RealPage.url(name))), url: url, contentType: "text/html")
    }

    /// Item numbers the page's notes name.
    func topics(_ page: PageModel, url: String, asOf: String = "2026-01-01") -> Set<Int> {
        Set(TopicItems.notes(page, url: url, depth: 1, asOf: Day(iso: asOf)!, matcher: Self.matcher).map { Int($0.key.prefix { $0 != " " })! })
    }

    /// A statistical bulletin (宜春市2022年国民经济和社会发展统计公报): its body speaks of
    /// employment, so it shows item 13; its notes say 本公报, which is not the government
    /// gazette of item 43: the exclusion 统计公报 in its title rules the whole article out.
    func testStatisticalBulletinIsNotTheGazette() throws {
        let url = "http://www.yichun.gov.cn/zwgk/tjgb/t20230516_1.html"
        let page = try parse("yichun-article-tjgb-2022.html", url: url)
        let item = try XCTUnwrap(TopicItems.article(page, url: url, asOf: Day(iso: "2026-01-01")!))
        XCTAssertEqual(item.title, "宜春市2022年国民经济和社会发展统计公报")
        XCTAssertEqual(item.date, Day(iso: "2023-05-16"))
        XCTAssertTrue(item.body.contains { $0.contains("本公报") }, "the trap is on the page")
        let found = topics(page, url: url)
        XCTAssertTrue(found.contains(13), "全年城镇新增就业人口4.33万人")
        XCTAssertFalse(found.contains(43))
    }

    /// A column of 75 dated notices (平潭 规划信息/工作进展情况): every row is an item with its date.
    func testColumnRowsAreItems() throws {
        let url = "http://www.pingtan.gov.cn/ghxx/gzjzqk/"
        let items = TopicItems.items(of: try parse("pingtan-column-ghxx-gzjzqk.html", url: url), url: url, depth: 1, asOf: Day(iso: "2026-01-01")!)
        XCTAssertEqual(items.count, 75)
        XCTAssertEqual(items.first?.date, Day(iso: "2025-11-11"))
        XCTAssertTrue(items.allSatisfy { $0.url.hasPrefix("http") && !$0.title.isEmpty && $0.body.isEmpty })
    }

    /// An ArticleTitle holding markup (巴彦淖尔) reads as its text; a gazette page's own article
    /// (gov.cn 2007) has its date.
    func testArticleTitlesAndDates() throws {
        let bynr = "http://www.bynr.gov.cn/zwdt/t20220211_1.html"
        let a = try XCTUnwrap(TopicItems.article(try parse("bynr-article-zwdt-20220211.html", url: bynr), url: bynr, asOf: Day(iso: "2026-01-01")!))
        XCTAssertEqual(a.title, "为现代化巴彦淖尔建设凝聚强大智慧和力量——热烈祝贺市政协五届一次会议开幕")
        XCTAssertEqual(a.date, Day(iso: "2022-02-11"))
        let gov = "http://www.gov.cn/gongbao/content/2007/content_1.htm"
        let g = try XCTUnwrap(TopicItems.article(try parse("govcn-gazette-2007-23.html", url: gov), url: gov, asOf: Day(iso: "2026-01-01")!))
        XCTAssertEqual(g.date, Day(iso: "2007-08-20"))
    }
}
