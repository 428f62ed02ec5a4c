import Foundation
@testable import Inspect
import Parse
import InspectTesting
import XCTest
@testable import Vocabulary

final class FooterTests: XCTestCase {
    func footerFindings(_ footer: String) -> [String] {
        var s = SiteFixture()
        s.add("/", page("<ul><li><a href=\"/a.html\">要闻</a> 2022-10-30</li></ul><div class=\"footer\">\(footer)</div>"))
        return s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .footerMarker }.map(\.subject).sorted()
    }

    func testCompleteFooterOfTheSeedDistrict() {
        let footer = """
            <p>主办：北京市西城区人民政府办公室 承办：北京市西城区政务服务管理局</p>
            <p>政府网站标识码：1101020002 <a href="https://beian.miit.gov.cn">京ICP备19014909号-1</a> 京公网安备：11010202007633</p>
            <p>联系电话：010-66012345</p>
            <span id="_ideConac"><script src="https://dcs.conac.cn/js/01/000/0000/60429971/CA010000000604299710002.js"></script></span>
            <span id="_span_jiucuo"><script src="//pucha.kaipuyun.cn/exposure/jiucuo.js"></script></span>
            """
        XCTAssertEqual(footerFindings(footer), [])
    }

    func testTenDigitSiteCodeIsNotAPhone() {
        // Trap: 1101020002 is the site code, 100032 a postal code: no contact.
        let f = footerFindings(
            "<p>主办：示例区人民政府 网站标识码：1101020002 京ICP备19014909号-1 京公网安备11010202007633号 邮编：100032</p><script src=\"https://dcs.conac.cn/js/x.js\"></script><a href=\"http://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=1101020002\">我为政府网站找错</a>"
        )
        XCTAssertEqual(f, ["contact"])
    }

    func testMarkersBelowTheFooterRegionCount() {
        var s = SiteFixture()
        s.add(
            "/",
            page(
                """
                <ul><li><a href="/a.html">要闻</a> 2022-10-30</li></ul>
                <div class="footer"><p>主办：示例区人民政府 联系电话：010-66012345</p></div>
                <div class="bq"><p>网站标识码：1101020002 京ICP备19014909号-1 京公网安备11010202007633号</p>
                <script src="https://dcs.conac.cn/js/x.js"></script><script src="//pucha.kaipuyun.cn/exposure/jiucuo.js"></script></div>
                """))
        XCTAssertEqual(s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .footerMarker }.map(\.subject), [])
    }

    func testMalformedMarkers() {
        var s = SiteFixture()
        s.add("/", page("<div class=\"footer\"><p>主办：示例区 网站标识码：11010200 京ICP备1901号 京公网安备110102号 电话：(010)66012345</p></div>"))
        let f = s.inspect(profile: SiteFixture.national()).filter { $0.indicator == .footerMarker }
        XCTAssertEqual(Set(f.map(\.subject)), ["site-code", "icp", "psb", "party-gov-mark", "error-report"])
        XCTAssertTrue(f.first { $0.subject == "site-code" }!.message.contains("格式不正确"))
        XCTAssertTrue(f.first { $0.subject == "party-gov-mark" }!.message.contains("缺少"))
    }

    // MARK: Filing numbers as real sites print them (issue 13, item 5)

    func verdicts(_ footer: String) -> (icp: FooterVerdict, psb: FooterVerdict, code: FooterVerdict) {
        let home = Summarizer.home(model(page("<div class=\"footer\">\(footer)</div>")), url: SiteFixture.host + "/", asOf: Day(iso: "2022-11-01")!)
        return (ICPMarkerRule().check(home), PSBMarkerRule().check(home), SiteCodeMarkerRule().check(home))
    }

    func testICPNumbersAsPrinted() {
        let present = [
            "ICP备案编号：京ICP备19014909号-1", "ICP备案号：京ICP备19014909号", "备案号：京ICP备19014909号-1",
            "备案编号：陇ICP备05003927号-4", "备案序号:京ICP备13027807号", "ICP备案编号 ： 京ICP备19014909号－1",
            "京ICP备 15039510号", "京<span>ICP</span>备<span>19054529</span>号<span>-1</span>", "<p>京ICP备</p><p>19014909号-1</p>",
            "京ICP备１９０１４９０９号", "蒙ICP备 05006530", "京icp备19014909号", "京ICP证030173号", "ICP备案号：19014909号-1",
            "京ICP备1901 4909号",
        ]
        for f in present { XCTAssertEqual(verdicts(f).icp, .present, f) }
        let malformed: [(String, String)] = [
            ("京ICP备1901号", "ICP备1901号"), ("ICP备案编号：京ICP备19014号-1", "ICP备19014号-1"), ("ICP备案号：待办理", "ICP备案号：待办理"),
            ("京ICP备190149091234号", "ICP备190149091234号"), ("京ICP 19014909号", "ICP19014909号"),
        ]
        for (f, printed) in malformed { XCTAssertEqual(verdicts(f).icp, .malformed(printed), f) }
        // The next line's own digits do not lengthen a number without 号.
        XCTAssertEqual(verdicts("<p>蒙ICP备 05006530</p><p>2022 版权所有</p>").icp, .present)
        XCTAssertEqual(verdicts("主办：示例区人民政府 网站标识码：1101020002").icp, .missing)
    }

    func testPublicSecurityNumbersAsPrinted() {
        let present = [
            "京公网安备11010202007633号", "京公网安备 11010202007633号", "京公网安备：11010202007633", "京公网安备<span>11010602060068</span>号",
            "<p>京公网安备：</p><p>1101 0202 0076 33</p>", "京公网安备案号：11010202007633", "京公网安备１１０１０２０２００７６３３号",
        ]
        for f in present { XCTAssertEqual(verdicts(f).psb, .present, f) }
        XCTAssertEqual(verdicts("京公网安备110401300020号").psb, .malformed("公网安备110401300020号"))
        XCTAssertEqual(verdicts("公安备案号：35012899001-19002").psb, .malformed("公安备案号：35012899001-19002"))
        XCTAssertEqual(verdicts("京ICP备19014909号-1 网站标识码：1101020002").psb, .missing)
    }

    func testSiteCodesAsPrinted() {
        for f in [
            "网站标识码：1101020002", "网站标识码: 1300000065", "网站标识码：<span>bm14000002</span>", "政府网站标识码：1500000001 京ICP备19014909号",
            "网站标识码bm01000001", "<p>网站标识码：</p><p>1101020002</p>", "网站标识码：１１０１０２０００２", "网站识别码：1101020002",
        ] {
            XCTAssertEqual(verdicts(f).code, .present, f)
        }
        XCTAssertEqual(verdicts("网站标识码：110102000").code, .malformed("110102000"))
        XCTAssertEqual(verdicts("网站标识码：110102000 2022年").code, .malformed("110102000"))
    }

    /// Real footers (../shared/real-pages): the Ministry of Finance's parts in their own
    /// spans, Bayannur's ICP number without 号 and its pre-2016 公安机关备案号, Pingtan's
    /// 公安备案号, Beijing housing's 12-digit 公网安备 (malformed on the site itself).
    func testRealFooters() throws {
        func home(_ name: String) throws -> HomeSummary {
            let bytes = [UInt8](try Data(contentsOf: RealPage.url(name)))
            let url = "http://www.example.gov.cn/"
            return Summarizer.home(PageParser.parse(bytes, url: url, contentType: "text/html; charset=utf-8"), url: url, asOf: Day(iso: "2022-11-01")!)
        }
        let ccgp = try home("ccgp-article-zhijiang-cjgg.html")
        XCTAssertEqual([ICPMarkerRule().check(ccgp), PSBMarkerRule().check(ccgp), SiteCodeMarkerRule().check(ccgp)], [.present, .present, .present])
        let bynr = try home("bynr-article-zwdt-20220211.html")
        XCTAssertEqual(ICPMarkerRule().check(bynr), .present)
        XCTAssertEqual(SiteCodeMarkerRule().check(bynr), .present)
        XCTAssertEqual(PSBMarkerRule().check(bynr), .malformed("公安机关备案号：15081599004-00001"))
        let pingtan = try home("pingtan-column-ghxx-gzjzqk.html")
        XCTAssertEqual(ICPMarkerRule().check(pingtan), .present)
        XCTAssertEqual(PSBMarkerRule().check(pingtan), .malformed("公安备案号：35012899001-19002"))
        let bjjs = try home("bjjs-column-fwjy-20180519.html")
        XCTAssertEqual(ICPMarkerRule().check(bjjs), .present)
        XCTAssertEqual(PSBMarkerRule().check(bjjs), .malformed("公网安备110401300020号"))
    }
}
