import Inspect
import InspectTesting
import XCTest
import Vocabulary

final class A11yTests: XCTestCase {
    func a11y(_ html: String, depth: Int = 1) -> [Finding] {
        var s = SiteFixture()
        s.add("/p.html", html, depth: depth)
        return s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .a11y }
    }

    func testDecorativeImagesAndNamedInputsAreNotDefects() {
        let html = page(
            """
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
        // As axe's html-lang-valid: the primary subtag against the IANA registry's languages
        // (cmn and yue are there; zho and cn are not); an empty primary subtag ("-CN") passes.
        for ok in ["zh-CN", "zh", "ZH-cn", "cmn-Hans", "yue", " zh-Hans-CN ", "en-US", "-CN"] { XCTAssertFalse(flagged(ok), ok) }
        for bad in ["", " ", "chinese", "z", "中文", "zh_CN", "z1-CN", "cn", "CN", "zho", "chi", "qqq"] { XCTAssertTrue(flagged(bad), bad) }
    }

    func testHTMLLangNeedsLangNotXMLLang() {
        func findings(_ attrs: String) -> [String] {
            a11y("<!DOCTYPE html><html \(attrs)><head><title>首页</title></head><body><p>正文</p></body></html>")
                .filter { $0.subject == "html-lang" }.map(\.message)
        }
        XCTAssertEqual(findings("xml:lang=\"zh-CN\"").count, 1, "xml:lang alone is not enough in an HTML page")
        XCTAssertEqual(findings("lang=\"\" xml:lang=\"zh-CN\"").count, 1)
        XCTAssertEqual(findings("lang=\"zh-CN\" xml:lang=\"zh-CN\"").count, 0)
        XCTAssertEqual(findings("lang=\"zh-CN\" xml:lang=\"cn\"").count, 1, "xml:lang, when written, must be valid too")
    }

    func testMetaViewportAndRefreshAsAxeParsesThem() {
        func flagged(_ head: String, _ subject: String) -> Bool {
            a11y("<!DOCTYPE html><html lang=\"zh-CN\"><head><title>首页</title>\(head)</head><body><p>正文</p></body></html>")
                .contains { $0.subject == subject }
        }
        func viewport(_ c: String) -> Bool { flagged("<meta name=\"viewport\" content=\"\(c)\">", "meta-viewport") }
        for bad in [
            "user-scalable=no", "user-scalable=0", "user-scalable=0.9", "user-scalable=-0.5", "user-scalable=0abc",
            "maximum-scale=1", "maximum-scale=1.9", "maximum-scale=yes", "maximum-scale=1.5x", "maximum-scale=.5",
            "maximum-scale=0", "MAXIMUM-SCALE = 1", "width=device-width;maximum-scale=1", "maximum-scale=1e0",
            "maximum-scale=5, maximum-scale=1", "maximum-scale=1, maximum-scale=-3x",
        ] {
            XCTAssertTrue(viewport(bad), bad)
        }
        for ok in [
            "user-scalable=yes", "user-scalable=1", "user-scalable=-1", "user-scalable=", "maximum-scale=2",
            "maximum-scale=10", "maximum-scale=-1", "maximum-scale=abc", "maximum-scale=infinity", "maximum-scale=2e0",
            "maximum-scale=1, maximum-scale=5",
        ] {
            XCTAssertFalse(viewport(ok), ok)
        }
        func refresh(_ c: String) -> Bool { flagged("<meta http-equiv=\"Refresh\" content=\"\(c)\">", "meta-refresh") }
        for bad in ["5", "5; url=/a.html", "5 url=/a.html", "5,url=/a.html", " 10 ", "1.5", "72000", "3\turl=/x"] { XCTAssertTrue(refresh(bad), bad) }
        for ok in ["0", "0; url=/a.html", "0.0", "72001", "url=/a.html", "", "5s", "-5", "a5"] { XCTAssertFalse(refresh(ok), ok) }
    }

    func testAccessibleNamesAcrossRules() {
        func subjects(_ body: String) -> [String] { a11y(page(body)).map(\.subject).filter { $0 != "elder-entry" }.sorted() }
        // Links: any href, role=link, hidden content left out, a child's name counted.
        XCTAssertEqual(subjects("<a href=\"#\"></a>"), ["link-text"])
        XCTAssertEqual(subjects("<a href=\"\"> </a>"), ["link-text"])
        XCTAssertEqual(subjects("<a href=\"mailto:x@example.gov.cn\"><img src=\"/m.png\"></a>"), ["img-alt", "link-text"])
        XCTAssertEqual(subjects("<a role=\"link\"></a>"), ["link-text"])
        XCTAssertEqual(subjects("<a href=\"/a.html\"><span aria-hidden=\"true\">通知</span></a>"), ["link-text"])
        XCTAssertEqual(
            subjects("<a href=\"#top\" aria-label=\"返回顶部\"></a><a href=\"/x\"><img src=\"/x.png\" alt=\"\" title=\"x\"></a>"), ["link-text"],
            "alt=\"\" makes the image presentational: its title does not name the link")
        XCTAssertEqual(subjects("<div style=\"display:none\"><a href=\"#\"></a><span role=\"button\"></span></div>"), [], "hidden: skipped")
        XCTAssertEqual(subjects("<a href=\"/a\"><i aria-label=\"微博\"></i></a><span id=\"n\">名称</span><a href=\"#\" aria-labelledby=\"n\"></a>"), [])
        // Buttons and role=img.
        XCTAssertEqual(subjects("<span role=\"button\" tabindex=\"0\"> </span>"), ["button-name"])
        XCTAssertEqual(subjects("<label>搜索<button><i></i></button></label>"), [], "a wrapping label names a button")
        XCTAssertEqual(subjects("<span role=\"img\"></span>"), ["img-alt"])
        XCTAssertEqual(subjects("<span role=\"img\" aria-labelledby=\"c\"></span><b id=\"c\">图表</b>"), [])
        // Headings: hidden text does not count; an image's alt does.
        XCTAssertEqual(subjects("<h2><span style=\"display: none\">要闻</span></h2>"), ["empty-heading"])
        XCTAssertEqual(subjects("<h2 role=\"button\"></h2>"), ["button-name"], "a heading made a button is checked as one")
        XCTAssertEqual(subjects("<h2 style=\"display:none\"></h2><h3><img src=\"/t.png\" alt=\"通知\"></h3>"), [])
        // Frames and image inputs.
        XCTAssertEqual(subjects("<span id=\"v\">视频</span><iframe src=\"/v.html\" aria-labelledby=\"v\"></iframe>"), [])
        XCTAssertEqual(subjects("<iframe src=\"/v.html\" role=\"NONE\"></iframe><iframe src=\"/w.html\" tabindex=\" -1\"></iframe>"), [])
        XCTAssertEqual(subjects("<iframe src=\"/v.html\" role=\"presentation\" title=\" \"></iframe>"), ["frame-title"])
        XCTAssertEqual(subjects("<form><input type=\"image\" id=\"s\" src=\"/s.png\"><label for=\"s\">搜索</label></form>"), [])
        XCTAssertEqual(subjects("<form><label for=\"s\"> </label><input type=\"image\" id=\"s\" src=\"/s.png\"></form>"), ["input-image-alt"])
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
