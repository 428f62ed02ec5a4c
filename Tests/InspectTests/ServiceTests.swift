import Foundation
@testable import Inspect
import Parse
import InspectTesting
import XCTest
@testable import Vocabulary

/// The services and interaction rules (issue 18) on real government pages
/// (../shared/real-pages, in InspectTesting's RealPages).
final class ServiceTests: XCTestCase {
    func real(_ name: String, url: String) throws -> PageModel {
        PageParser.parse([UInt8](try Data(contentsOf: RealPage.url(name))), url: url, contentType: "text/html; charset=utf-8")
    }

    func findings(_ name: String, url: String, asOf: String) throws -> [Finding] {
        SiteFixture.findings(of: try real(name, url: url), url: url, asOf: Day(iso: asOf)!)
            .filter { [.serviceGuide, .consultChannel, .messageTimes].contains($0.indicator) }
    }

    /// gov.cn's home page: its 留言 entries lead to the 互动 platform on other hosts, and it
    /// links to the national 政务服务 platform: neither veto.
    func testGovCNHomeHasChannelAndServices() throws {
        let url = "https://www.gov.cn/"
        let page = try real("govcn-home-20230927.html", url: url)
        let notes = ConsultChannelRule().notes(
            in: page, context: PageContext(profile: SiteFixture.national(), asOf: Day(iso: "2023-09-28")!, url: url, depth: 0))
        XCTAssertTrue(notes.contains { $0.key == "entry\u{1F}https://liuyan.www.gov.cn/hudong/atwls/rmqz.htm" && $0.text == "人民群众留言入口" }, "\(notes)")
        XCTAssertEqual(try findings("govcn-home-20230927.html", url: url, asOf: "2023-09-28").map(\.rule), [])
    }

    /// Yichun's home page names 互动交流, 领导信箱 (the provincial petition platform) and 我要写信;
    /// read alone, the site's own pages are unknown, the platform elsewhere works: no veto.
    func testYichunHomeEntries() throws {
        let url = "https://www.yichun.gov.cn/"
        let page = try real("yichun-home-20231011.html", url: url)
        let notes = ConsultChannelRule().notes(
            in: page, context: PageContext(profile: SiteFixture.national(), asOf: Day(iso: "2023-10-12")!, url: url, depth: 0))
        XCTAssertEqual(Set(notes.filter { $0.key.hasPrefix("entry") }.map(\.text)), ["互动交流", "领导信箱", "我要写信"])
        XCTAssertFalse(try findings("yichun-home-20231011.html", url: url, asOf: "2023-10-12").contains { $0.severity == .veto })
    }

    /// Chaoyang's 2018 home page draws its navigation by script: no entry is visible in the
    /// static page, which is advice to check by hand, never a veto.
    func testScriptFilledHomeIsAdviceNotVeto() throws {
        let f = try findings("bjchy-index.html", url: "http://www.bjchy.gov.cn/", asOf: "2018-03-20")
        XCTAssertEqual(Set(f.map(\.rule)), ["consult.channel.script", "service.guide.script"])
        XCTAssertTrue(f.allSatisfy { $0.severity == .advice })
    }

    /// No real article, column or gazette page is read as a service guide or a message page
    /// (the gazette's 申请材料 and nfra's 留言时间 sidebar included).
    func testRealPagesAreNotGuidesOrMessages() throws {
        let names = RealPage.names
        XCTAssertGreaterThan(names.count, 12)
        for name in names {
            let page = try real(name, url: "http://h/a.html")
            XCTAssertFalse(ServiceGuide.read(page).isGuide, name)
            XCTAssertNil(MessageTimes.read(page, asOf: Day(iso: "2024-01-01")!), name)
            XCTAssertEqual(MessageTimes.answeredRowsWithoutReplyTime(in: page), [], name)
        }
    }

    /// The service-guide settings of a profile, and their one-line errors naming file and line.
    func testServiceGuideProfileKeys() throws {
        func error(_ yaml: String) -> String {
            do { _ = try Profile.load(yaml: yaml, file: "p.yaml"); return "no error" } catch { return "\(error)" }
        }
        let national = try Profile.bundled(name: "national-2019")
        XCTAssertEqual(national.serviceGuideFields, ServiceGuide.canonicalFields)
        XCTAssertEqual(national.serviceGuideVetoShare, 0.5)
        let p = try Profile.load(yaml: "id: x\nextends: national-2019\nserviceGuideFields: [设定依据, 收费标准]\nserviceGuideVetoShare: 0.2\n", file: "a.yaml")
        XCTAssertEqual(p.serviceGuideFields, ["设定依据", "收费标准"])
        XCTAssertEqual(p.serviceGuideVetoShare, 0.2)
        XCTAssertEqual(error("id: x\nserviceGuideVetoShare: 1.5\n"), "p.yaml:2: serviceGuideVetoShare: expected a share above 0 and at most 1")
        XCTAssertTrue(error("id: x\nserviceGuideFields: [收费]\n").hasPrefix("p.yaml:2: serviceGuideFields: unknown element \"收费\""))
    }
}
