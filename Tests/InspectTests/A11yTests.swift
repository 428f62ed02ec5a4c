import Inspect
import XCTest
import Vocabulary

final class A11yTests: XCTestCase {
    func a11y(_ html: String, depth: Int = 1) -> [Finding] {
        var s = SiteFixture()
        s.add("/p.html", html, depth: depth)
        return s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .a11y }
    }

    func testDecorativeImagesAndNamedInputsAreNotDefects() {
        let html = page("""
            <img src="/line.png" alt=""><img src="/logo.png" alt="示例区"><img src="/x.png" role="presentation">
            <form><input type="text" aria-label="站内搜索"><input type="text" id="q2" aria-labelledby="l2"><span id="l2">关键词</span>
            <label>姓名<input type="text"></label><input type="text" title="电话"><input type="submit"><button aria-label="搜索"></button></form>
            """)
        XCTAssertEqual(a11y(html).map(\.subject), [])
    }

    func testOneFindingPerPageAndCheckWithCountAndSnippets() {
        let f = a11y(page("<img src=\"/a.jpg\"><img src=\"/b.jpg\"><img src=\"/c.jpg\" alt=\"\"><input type=\"text\" name=\"q\">"))
        XCTAssertEqual(f.map(\.subject).sorted(), ["form-label", "img-alt"])
        let img = f.first { $0.subject == "img-alt" }!
        XCTAssertEqual(img.evidence["count"], 2)
        guard case .array(let snippets)? = img.evidence["snippets"] else { return XCTFail("no snippets") }
        XCTAssertEqual(snippets.count, 2)
        XCTAssertEqual(img.severity, .advice)
    }

    func testHTMLLangPrimarySubtag() {
        func flagged(_ lang: String) -> Bool {
            let html = "<!DOCTYPE html><html lang=\"\(lang)\"><head><title>首页</title></head><body><p>正文</p></body></html>"
            return a11y(html).contains { $0.subject == "html-lang" }
        }
        for ok in ["zh-CN", "zh", "ZH-cn", "zho", " zh-Hans-CN ", "en-US"] { XCTAssertFalse(flagged(ok), ok) }
        for bad in ["", "chinese", "z", "中文", "zh_CN", "z1-CN", "-CN"] { XCTAssertTrue(flagged(bad), bad) }
    }

    func testTemplateRollUp() {
        var s = SiteFixture()
        // The same header image without alt on 6 pages, and one page with its own defect.
        for i in 0..<6 {
            let own = i == 3 ? "<img src=\"/only-here.jpg\">" : ""
            s.add("/p\(i).html", page("<div class=\"header\"><img src=\"/banner.jpg\"></div><p>正文\(i)</p>\(own)"))
        }
        let f = s.inspect(profile: SiteFixture.national()).filter { $0.subject == "img-alt" }
        XCTAssertEqual(f.count, 2, "\(f.map(\.message))")
        let template = f.first { $0.evidence["template"] == true }
        XCTAssertEqual(template?.evidence["pages"], 6)
        XCTAssertEqual(template?.url, SiteFixture.host + "/p0.html")
        let own = f.first { $0.evidence["template"] == nil }
        XCTAssertEqual(own?.url, SiteFixture.host + "/p3.html")
        XCTAssertEqual(own?.evidence["count"], 1)
        XCTAssertNotEqual(template?.id, own?.id)
    }

    func testElderEntryOnlyOnHomePages() {
        XCTAssertEqual(a11y(page("<p>栏目页</p>"), depth: 1).map(\.subject), [])
        XCTAssertEqual(a11y(page("<p>首页</p>"), depth: 0).filter { $0.subject == "elder-entry" }.count, 1)
        XCTAssertEqual(a11y(page("<a href=\"/old/\">关怀版</a>"), depth: 0).filter { $0.subject == "elder-entry" }.count, 0)
    }
}
