import Foundation
import Inspect
import XCTest

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
        let f = footerFindings("<p>主办：示例区人民政府 网站标识码：1101020002 京ICP备19014909号-1 京公网安备11010202007633号 邮编：100032</p><script src=\"https://dcs.conac.cn/js/x.js\"></script><a href=\"http://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=1101020002\">我为政府网站找错</a>")
        XCTAssertEqual(f, ["contact"])
    }

    func testMarkersBelowTheFooterRegionCount() {
        var s = SiteFixture()
        s.add("/", page("""
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
}
