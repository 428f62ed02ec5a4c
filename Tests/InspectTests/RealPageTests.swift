import Foundation
@testable import Inspect
import Parse
import InspectTesting
import XCTest
@testable import Vocabulary

/// Real government pages (../shared/real-pages, in InspectTesting's RealPages).
final class RealPageTests: XCTestCase {
    func fixture(_ name: String) throws -> [UInt8] { try RealPage.bytes(name) }

    func testPingtanColumnPage() throws {
        let url = "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/"
        let page = PageParser.parse(try fixture("pingtan-column-ghxx-gzjzqk.html"), url: url, contentType: "text/html; charset=utf-8")
        let profile = try Profile.bundled(name: "national-2019")
        let c = Summarizer.columnPage(page, url: url, depth: 2, profile: profile, asOf: Day(iso: "2025-12-01")!)
        XCTAssertEqual(c?.metaName, "工作进展情况")
        XCTAssertEqual(c?.latest?.description, "2025-11-11")
        XCTAssertGreaterThanOrEqual(c?.datedItems ?? 0, 15)
        XCTAssertFalse(c?.blank ?? true)
    }

    func testChaoyangHomePage() throws {
        let url = "http://www.bjchy.gov.cn/"
        let page = PageParser.parse(try fixture("bjchy-index.html"), url: url, contentType: "text/html; charset=utf-8")
        let home = Summarizer.home(page, url: url, asOf: Day(iso: "2018-03-20")!)
        XCTAssertGreaterThan(home.items, 20)
        XCTAssertFalse(home.footerText.isEmpty)
    }
}
