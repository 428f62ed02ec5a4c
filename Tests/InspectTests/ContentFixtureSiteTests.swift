import Foundation
@testable import Inspect
import Parse
import XCTest

/// A site with planted content defects and a look-alike trap beside each; the content
/// checks must report exactly the planted ones. Prints each check's recall and precision.
final class ContentFixtureSiteTests: XCTestCase {
    static let host = "http://www.example.gov.cn"

    static func pages() -> [(String, String)] {
        [
            ("/", examplePage(title: "示例区人民政府", """
                <div class="news"><ul><li><a href="/xwdt/1.html">区长调研</a> 2022-10-28</li></ul></div>
                <div class="footer"><p>联系电话：010-66012345 邮编：100032</p>
                <p>网站标识码：1101020002 京ICP备19014909号-1 京公网安备11010202007633号</p></div>
                """)),
            ("/bm/fgw/lxwm.html", examplePage(title: "联系我们", """
                <p>咨询电话：(010)6601 2345</p><p>传真：010-88887777</p><p>值班电话：66013333</p>
                <p>监督电话：010-6601234</p><p>市民服务热线：12345</p>
                <p>依据西政发〔2022〕12号，2022-10-28起，面积12345678平方米，投资66012345元。</p>
                """)),
            ("/zcwj/1.html", examplePage(title: "关于印发示例办法的通知", """
                <h1>关于印发示例办法的通知</h1>
                <table class="xxgk"><tr><td>索引号：</td><td>11010200Y/2022-00012</td><td>主题分类：</td><td>综合政务</td></tr>
                <tr><td>发文机关：</td><td>示例区人民政府</td><td>成文日期：</td><td>2022年10月20日</td></tr>
                <tr><td>发文字号：</td><td>西政发〔2022〕12号</td><td>发布日期：</td><td>2022年10月28日</td></tr>
                <tr><td>有效性：</td><td>有效</td><td>主题词：</td><td>营商环境</td></tr></table>
                <p><a href="/zcwj/1.pdf">附件：示例办法（全文）</a></p>
                """)),
            ("/zcwj/2.html", examplePage(title: "关于印发另一办法的通知", """
                <h1>关于印发另一办法的通知</h1>
                <dl><dt>索 引 号：</dt><dd>11010200Y/2022-00013</dd><dt>发布机构：</dt><dd>示例区人民政府</dd>
                <dt>主题：</dt><dd>综合政务</dd><dt>关键词：</dt><dd>营商</dd><dt>发布时间：</dt><dd>2022-10-28</dd>
                <dt>文　　号：</dt><dd></dd></dl>
                <p><a href="/zcwj/2.pdf">附件</a></p>
                """)),
            ("/xwdt/1.html", examplePage(title: "区长调研", "<h1>区长调研</h1><p>发布日期：2022-10-28 来源：区政府办</p><p>区长到街道调研文号管理和主题教育。</p>")),
            ("/tjgb/1.html", examplePage(title: "示例区2021年国民经济和社会发展统计公报", """
                <h1>示例区2021年国民经济和社会发展统计公报</h1><dl><dt>索引号：</dt><dd>11010200Y/2022-00020</dd>
                <dt>发布机构：</dt><dd>区统计局</dd><dt>发文日期：</dt><dd>2022-03-20</dd></dl><p>全区生产总值……</p>
                """)),
            ("/hdjl/", examplePage(title: "咨询留言", """
                <table class="list"><tr><th>标题</th><th>留言时间</th><th>答复时间</th></tr>
                <tr><td><a href="/hdjl/1.html">周五晚上的咨询</a></td><td>2022-10-28</td><td>2022-10-31</td></tr>
                <tr><td><a href="/hdjl/2.html">国庆前的咨询</a></td><td>2022-09-30</td><td>2022-10-08</td></tr>
                <tr><td><a href="/hdjl/3.html">答复慢的咨询</a></td><td>2022-10-17</td><td>2022-10-20</td></tr>
                <tr><td><a href="/hdjl/4.html">两周未答复的咨询</a></td><td>2022-10-18</td><td>未答复</td></tr>
                <tr><td><a href="/hdjl/5.html">七月的咨询</a></td><td>2022-07-20</td><td>未答复</td></tr>
                <tr><td><a href="/hdjl/6.html">去年的咨询</a></td><td>2021-06-01</td><td>未答复</td></tr>
                </table>
                """)),
            ("/ft/", examplePage(title: "在线访谈", """
                <table class="list"><tr><th>标题</th><th>留言时间</th><th>答复时间</th></tr>
                <tr><td><a href="/ft/1.html">访谈提问</a></td><td>2022-07-20</td><td>未答复</td></tr></table>
                """)),
            ("/xwdt/2.html", examplePage(title: "庆祝大会", """
                <h1>庆祝大会</h1><p>庆祝中华人民共合国成立73周年。希望大家再接再励。</p>
                <p>中华人民共和国国务院办公厅，再接再厉，社会主义核心价值观。西城区人民政俯。</p>
                """)),
        ]
    }

    static let planted: Set<String> = [
        "phone-unfiled|01088887777", "phone-unfiled|01066013333", "phone-malformed|010-6601234",
        "policy-metadata|文号,有效性",
        "reply-late|答复慢的咨询", "reply-late|两周未答复的咨询", "reply-missing|七月的咨询",
        "wording|中华人民共合国", "wording|再接再励", "wording|区人民政俯",
    ]

    func testExactlyThePlantedContentDefects() throws {
        var content = ContentData(phones: PhoneRegistry(entries: [
            .init(department: "区政务服务管理局", number: "010-66012345", label: "总机", line: 1),
            .init(department: "区政务服务管理局", number: "12345", label: "热线", line: 2),
        ]))
        content.wording = try WordingDictionary.bundled.adding(lines: ["区人民政俯,区人民政府,serious"], file: "user.csv")
        let inspector = Inspector(profile: try Profile.bundled(name: "xicheng-2022"), asOf: Day(iso: "2022-11-01")!,
                                  departments: DepartmentMap([.init(pattern: "/bm/fgw/", department: "区发展改革委")]), content: content)
        for (path, html) in Self.pages() {
            let url = Self.host + path
            inspector.inspect(page: PageParser.parse(Array(html.utf8), url: url, contentType: "text/html; charset=utf-8"), url: url,
                              depth: path == "/" ? 0 : 1)
        }
        let indicators: [Indicator] = [.phoneUnfiled, .phoneMalformed, .policyMetadata, .replyLate, .replyMissing, .wording]
        let got = inspector.finish(linkTargets: [], homePages: [Self.host + "/"]).filter { indicators.contains($0.indicator) }
        let keys = Set(got.map { "\($0.indicator.rawValue)|\($0.subject)" })
        for ind in indicators {
            let p = Self.planted.filter { $0.hasPrefix(ind.rawValue + "|") }
            let g = keys.filter { $0.hasPrefix(ind.rawValue + "|") }
            let hit = p.intersection(g).count
            print("content fixture \(ind.rawValue): recall \(hit)/\(p.count), precision \(hit)/\(g.count)")
        }
        XCTAssertEqual(keys, Self.planted)
        XCTAssertEqual(got.first { $0.subject == "01088887777" }?.department, "区发展改革委")
        XCTAssertEqual(got.first { $0.subject == "中华人民共合国" }?.severity, .veto)
        XCTAssertEqual(got.first { $0.indicator == .replyMissing }?.severity, .veto)
    }
}
