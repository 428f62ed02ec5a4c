import Foundation
@testable import Inspect
import InspectTesting
import XCTest

/// A defect shared by many pages is one finding for the template that names its pages
/// (issue 13, item 10): a department can then check the fix page by page.
final class TemplateFindingTests: XCTestCase {
    func testTemplateFindingNamesItsPages() {
        var s = SiteFixture()
        // The same banner without alt on 7 pages (added out of URL order), one page with its own defect.
        for i in [4, 1, 6, 0, 3, 5, 2] {
            let own = i == 3 ? "<img src=\"/only-here.jpg\">" : ""
            s.add("/p\(i).html", page("<div class=\"header\"><img src=\"/banner.jpg\"></div><p>正文\(i)</p>\(own)"))
        }
        s.add("/clean.html", page("<p>正文</p>"))
        let f = s.inspect(profile: SiteFixture.national()).filter { $0.subject == "img-alt" }
        let template = f.first { $0.evidence["template"] == true }
        XCTAssertEqual(template?.evidence["pages"], 7)
        XCTAssertEqual(template?.url, SiteFixture.host + "/p0.html")
        XCTAssertEqual(template?.foundOn, (0..<7).map { SiteFixture.host + "/p\($0).html" })
        // The page with a defect of its own keeps its own finding, naming no other page.
        XCTAssertEqual(f.first { $0.evidence["template"] == nil }?.foundOn, [])
    }

    func testALargeTemplateNamesABoundedSampleAndCountsAll() {
        var s = SiteFixture()
        let n = 60
        for i in (0..<n).reversed() {
            s.add(String(format: "/a/%03d.html", i), page("<div class=\"header\"><img src=\"/banner.jpg\"></div><p>正文\(i)</p>"))
        }
        let template = s.inspect(profile: SiteFixture.national()).first { $0.subject == "img-alt" && $0.evidence["template"] == true }
        XCTAssertEqual(template?.evidence["pages"], .int(n))
        XCTAssertEqual(template?.foundOn.count, Inspector.templateSample)
        XCTAssertEqual(template?.foundOn, (0..<Inspector.templateSample).map { SiteFixture.host + String(format: "/a/%03d.html", $0) })
    }

    func testKeepFirstKeepsTheSmallestSorted() {
        var sample: [String] = []
        for u in ["m", "c", "x", "a", "c", "b", "z", "d"] { Inspector.keepFirst(u, in: &sample, limit: 4) }
        XCTAssertEqual(sample, ["a", "b", "c", "d"])
    }
}
