import Fetch
@testable import Inspect
import LocalServer
import Parse
import InspectTesting
import XCTest
@testable import Vocabulary
import Sweep

/// New-media accounts: feed formats and dates, feeds served on 127.0.0.1 (fresh, stale,
/// 404, an HTML page, malformed XML, a hang bounded by the timeout), and discovery of the
/// accounts a portal lists, with its traps.
final class NewMediaTests: XCTestCase {
    // MARK: feeds

    func testFeedFormats() throws {
        let rss = try FeedParser.parse(Array(NewMediaSupport.rss(["Mon, 31 Oct 2022 09:00:00 +0800"]).utf8)).get()
        XCTAssertEqual(rss.format, .rss)
        XCTAssertEqual(rss.items.first?.date, "Mon, 31 Oct 2022 09:00:00 +0800")
        let atom = try FeedParser.parse(Array(NewMediaSupport.atom(["2022-10-31T01:00:00Z"]).utf8)).get()
        XCTAssertEqual(atom.format, .atom)
        XCTAssertEqual(atom.items.count, 1)
        let json = try FeedParser.parse(Array(NewMediaSupport.json(["2022-10-31T09:00:00+08:00"]).utf8)).get()
        XCTAssertEqual(json.format, .json)
        let rdf = """
            <?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
            xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title></channel>
            <item><title>a</title><dc:date>2022-10-30T10:00:00+08:00</dc:date></item></rdf:RDF>
            """
        XCTAssertEqual(try FeedParser.parse(Array(rdf.utf8)).get().items.first?.date, "2022-10-30T10:00:00+08:00")
        let gbk = TextDecodingFixture.gbkRSS
        XCTAssertEqual(try FeedParser.parse(gbk).get().title, "西城发布")
    }

    func testNotFeeds() {
        func error(_ s: String) -> FeedError? {
            if case .failure(let e) = FeedParser.parse(Array(s.utf8)) { return e }
            return nil
        }
        XCTAssertEqual(error("<!DOCTYPE html><html><body><p>404</p></body></html>"), .notAFeed("an HTML page"))
        XCTAssertEqual(error("<html><body><p>登录</p></body></html>"), .notAFeed("an HTML page"))
        if case .malformedXML = error("<rss><channel><item></channel></rss>") {} else { XCTFail("bad XML") }
        XCTAssertEqual(error("<rss version=\"2.0\"></rss>"), .notAFeed("<rss> without <channel>"))
        XCTAssertEqual(error("   "), .empty)
        XCTAssertEqual(error("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaa\">]><rss><channel>&a;</channel></rss>"), .entities)
        if case .badJSON = error("{\"version\": \"1\", \"items\": []}") {} else { XCTFail("bad JSON Feed") }
        XCTAssertEqual(error(String(repeating: " ", count: FeedParser.maxBytes + 1)), .tooLarge(FeedParser.maxBytes + 1))
    }

    func testFeedDatesInChinaTime() {
        XCTAssertEqual(FeedDate.day("Mon, 31 Oct 2022 09:00:00 +0800"), Day(iso: "2022-10-31"))
        XCTAssertEqual(FeedDate.day("Sun, 30 Oct 2022 20:00:00 GMT"), Day(iso: "2022-10-31"))  // 04:00 next day in Beijing
        XCTAssertEqual(FeedDate.day("30 Oct 22 15:59 GMT"), Day(iso: "2022-10-30"))
        XCTAssertEqual(FeedDate.day("Mon, 31 Oct 2022 09:00:00 CST"), Day(iso: "2022-10-31"))
        XCTAssertEqual(FeedDate.day("Sun, 30 Oct 2022 23:00:00 -0500"), Day(iso: "2022-10-31"))
        XCTAssertEqual(FeedDate.day("2022-10-30T16:00:00Z"), Day(iso: "2022-10-31"))
        XCTAssertEqual(FeedDate.day("2022-10-30T15:59:59.123Z"), Day(iso: "2022-10-30"))
        XCTAssertEqual(FeedDate.day("2022-10-31T00:30:00+08:00"), Day(iso: "2022-10-31"))
        XCTAssertEqual(FeedDate.day("2022-10-31"), Day(iso: "2022-10-31"))
        XCTAssertEqual(FeedDate.day("2022年10月31日 09:00"), Day(iso: "2022-10-31"))
        XCTAssertEqual(FeedDate.day("2022-10-31 09:00:00"), Day(iso: "2022-10-31"))
        XCTAssertEqual(FeedDate.day("2022/10/31"), Day(iso: "2022-10-31"))
        XCTAssertNil(FeedDate.day("昨天"))
        XCTAssertNil(FeedDate.day("Mon, 32 Oct 2022 09:00:00 +0800"))
    }

    // MARK: feeds over HTTP

    func testFeedsServedLocally() async throws {
        let asOf = "2022-11-01"
        let server = try LocalServer { req in
            switch req.path {
            case "/fresh.rss": .text(NewMediaSupport.rss(["Mon, 31 Oct 2022 09:00:00 +0800"]), contentType: "application/rss+xml")
            case "/stale.atom": .text(NewMediaSupport.atom(["2022-09-01T09:00:00+08:00"]), contentType: "application/atom+xml")
            case "/fresh.json": .text(NewMediaSupport.json(["2022-10-30T09:00:00+08:00"]), contentType: "application/feed+json")
            case "/empty.rss": .text(NewMediaSupport.rss([]), contentType: "application/rss+xml")
            case "/html": .html("<!DOCTYPE html><html><head><title>首页</title></head><body><p>欢迎</p></body></html>")
            case "/bad.xml": .text("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</channel></rss>", contentType: "application/xml")
            case "/hang": .hang(seconds: 10)
            default: .html("<h1>Not Found</h1>", status: 404)
            }
        }
        defer { server.stop() }
        let base = server.baseURL
        let names = ["fresh.rss", "stale.atom", "fresh.json", "empty.rss", "gone.rss", "html", "bad.xml", "hang"]
        let registry = AccountRegistry(
            entries: names.enumerated().map { i, n in
                .init(platform: "微信", name: n, department: "区融媒体中心", feed: base + n, line: i + 1)
            })
        var config = FetchConfiguration()
        config.totalTimeout = 2
        config.connectTimeout = 2
        config.maxRetries = 0
        let client = try HTTPClient(configuration: config)
        defer { client.shutdown() }
        let started = Date()
        let checks = await AccountFeeds.check(registry, client: client)
        XCTAssertLessThan(Date().timeIntervalSince(started), 8, "the hanging feed is bounded by the timeout")
        XCTAssertEqual(checks.map(\.account.name), names)

        // A site of no pages (its home page is the server's): only the feeds are judged.
        let findings = SiteFixture(host: String(base.dropLast())).inspect(
            profile: SiteFixture.national(), asOf: Day(iso: asOf)!, content: ContentData(accounts: registry), accountChecks: checks)
        let got = Set(findings.filter { $0.indicator.rawValue.hasPrefix("newmedia") }.map { "\($0.indicator.rawValue)|\($0.subject)" })
        XCTAssertEqual(
            got,
            [
                "newmedia-stale|stale.atom", "newmedia-stale|empty.rss", "newmedia-unreachable|gone.rss",
                "newmedia-unreachable|html", "newmedia-unreachable|bad.xml", "newmedia-unreachable|hang",
            ])
        let byName = Dictionary(uniqueKeysWithValues: findings.map { ($0.subject, $0) })
        XCTAssertEqual(byName["stale.atom"]?.severity, .veto)
        XCTAssertEqual(byName["stale.atom"]?.url, base + "stale.atom")
        XCTAssertEqual(byName["stale.atom"]?.department, "区融媒体中心")
        XCTAssertEqual(byName["stale.atom"]?.evidence["latest"], .string("2022-09-01"))
        XCTAssertEqual(byName["gone.rss"]?.evidence["kind"], .string("unreachable"))
        XCTAssertEqual(byName["gone.rss"]?.evidence["status"], .int(404))
        XCTAssertEqual(byName["html"]?.evidence["kind"], .string("not-a-feed"))
        XCTAssertEqual(byName["hang"]?.evidence["kind"], .string("unreachable"))
        XCTAssertEqual(byName["bad.xml"]?.evidence["kind"], .string("not-a-feed"))
    }

    // MARK: discovery

    static func page(_ path: String, title: String, _ body: String) -> PageModel {
        PageParser.parse(Array(examplePage(title: title, body).utf8), url: "http://www.example.gov.cn" + path, contentType: "text/html; charset=utf-8")
    }

    func testDiscoveryOnTheNewMediaPage() {
        let p = Self.page(
            "/xmt/", title: "政务新媒体_示例区",
            """
            <h2>新媒体矩阵</h2><ul>
            <li><img src="/a.png" alt="西城发布微信公众号二维码"><p>微信公众号：北京西城</p></li>
            <li><img src="/b.png" alt="“西城发布”官方微博"><p>新浪微博：@西城发布</p></li>
            <li><p>抖音号：西城融媒 快手：西城快讯</p></li>
            <li><p>头条号:西城头条</p><p>视频号：西城发布</p><p>人民号：北京西城区</p></li>
            <li><p>微信公众号：西城商务新浪微博：@西城商务</p></li></ul>
            """)
        let found = AccountDiscovery.accounts(in: p).map { "\($0.platform.rawValue)|\($0.name)" }
        XCTAssertEqual(
            Set(found),
            [
                "微信|西城发布", "微信|北京西城", "微博|西城发布", "抖音|西城融媒", "快手|西城快讯",
                "头条号|西城头条", "视频号|西城发布", "人民号|北京西城区",
                "微信|西城商务", "微博|西城商务",
            ])
    }

    func testDiscoveryTraps() {
        let article = Self.page(
            "/ywdt/1.html", title: "区长调研",
            """
            <h1>区长调研</h1><p>微信公众号：西城家园 发布了消息，记者在微信中看到。</p>
            <div class="share">分享到：<a href="#">微信</a><a href="#">微博</a><img src="/wx.png" alt="分享到微信"></div>
            <div class="footer"><a href="/zc/">我为政府网站找错</a><p>市民服务热线：12345</p>
            <p>扫码关注微信公众号</p><img src="/qr.png" alt="微信二维码"><p>微信：扫一扫</p>
            <img src="/i1.png" alt="官方微博"><img src="/i2.png" alt="新浪微博"><img src="/i3.png" alt="微信公众号">
            <img src="/i4.png" alt="政务微信二维码"><img src="/i5.png" alt="抖音"><p>官方微博</p><p>手机版 微信 微博</p></div>
            """)
        XCTAssertEqual(AccountDiscovery.accounts(in: article).map(\.name), [])
        let footer = Self.page(
            "/", title: "示例区人民政府",
            """
            <div class="footer"><p>官方微信：北京西城</p><img src="/qr.png" alt="北京西城微信二维码"></div>
            """)
        XCTAssertEqual(AccountDiscovery.accounts(in: footer).map(\.name), ["北京西城"])
    }

    /// Real government pages whose only platform words are share buttons, QR help text and
    /// a 微博、微信 link line: nothing is an account (precision over recall).
    func testRealPagesListNoAccounts() throws {
        let files = [
            "govcn-gazette-2007-23.html", "zj-fgw-article-deqing.html", "bjchy-index.html", "pingtan-column-ghxx-gzjzqk.html",
            "nfra-article-merged-cells.html", "ccgp-article-zhijiang-cjgg.html",
        ]
        for f in files {
            let bytes = try RealPage.bytes(f)
            let page = PageParser.parse(bytes, url: "http://www.example.gov.cn/a.html", contentType: nil)
            XCTAssertEqual(AccountDiscovery.accounts(in: page).map(\.name), [], f)
        }
    }

    /// A 政务新媒体 table as CMS templates print it: platform and name in their own cells,
    /// a QR image whose alt runs name and platform together (issue 13, item 6).
    func testAccountsFromTableCellsBeatAltText() {
        let p = Self.page(
            "/xmt/", title: "政务新媒体_示例区人民政府",
            """
            <div class="main"><h2>政务新媒体</h2><table class="xmt-table"><tbody>
            <tr><th>序号</th><th>平台</th><th>账号名称</th><th>主办单位</th><th>二维码</th></tr>
            <tr><td>1</td><td>今日头条</td><td>示范区发布</td><td>区融媒体中心</td><td><img src="/qr/tt.png" alt="示范区发布今日头条二维码"></td></tr>
            <tr><td>2</td><td>微信公众号</td><td>平安示范</td><td>区公安分局</td><td><img src="/qr/wx.png" alt="平安示范微信二维码"></td></tr>
            <tr><td>3</td><td>抖音</td><td>示范区融媒</td><td>区融媒体中心</td><td><img src="/qr/dy.png" alt="示范区融媒抖音二维码"></td></tr>
            <tr><td>4</td><td>新浪微博</td><td>示范 文旅</td><td>区文化和旅游局</td><td></td></tr>
            </tbody></table></div>
            """)
        let found = AccountDiscovery.accounts(in: p)
        XCTAssertEqual(
            Set(found.map { "\($0.platform.rawValue)|\($0.name)" }),
            ["头条号|示范区发布", "微信|平安示范", "抖音|示范区融媒", "微博|示范"])
        XCTAssertEqual(found.first { $0.platform == .weibo }?.alternate, "示范文旅")
        // Without the header row the platform's neighbour is the name (序号 aside).
        let bare = Self.page(
            "/xmt/", title: "政务新媒体",
            """
            <table><tr><td>1</td><td>今日头条</td><td>示范区发布</td><td>区融媒体中心</td></tr>
            <tr><td>示范区教育</td><td>微信</td><td><img src="/qr/jy.png" alt="示范区教育微信公众号二维码"></td></tr>
            <tr><td>首页</td><td>微信</td><td>微博</td></tr></table>
            """)
        XCTAssertEqual(Set(AccountDiscovery.accounts(in: bare).map { "\($0.platform.rawValue)|\($0.name)" }), ["头条号|示范区发布", "微信|示范区教育"])
        // The alt alone (a header or footer QR code) still names the account, split at 今日头条.
        let footer = Self.page("/", title: "示例区人民政府", "<div class=\"footer\"><img src=\"/qr/tt.png\" alt=\"示范区发布今日头条二维码\"></div>")
        XCTAssertEqual(AccountDiscovery.accounts(in: footer).map { "\($0.platform.rawValue)|\($0.name)" }, ["头条号|示范区发布"])
    }

    /// A Hanweb-style list: each item a QR image, then the name and the platform in their own elements.
    func testAccountsFromListItems() {
        let p = Self.page(
            "/xmt/", title: "新媒体矩阵",
            """
            <div class="xmt-list"><ul>
            <li><div class="pic"><img src="/qr/1.png" alt="二维码"></div><p class="name">示范区融媒</p><p class="type">抖音号</p></li>
            <li><div class="pic"><img src="/qr/2.png" alt="二维码"></div><p class="name">平安示范</p><p class="type">微信公众号</p></li>
            <li><div class="pic"><img src="/qr/3.png" alt="二维码"></div><p class="name">示范区发布</p><p class="type">今日头条</p></li>
            </ul></div>
            """)
        XCTAssertEqual(
            Set(AccountDiscovery.accounts(in: p).map { "\($0.platform.rawValue)|\($0.name)" }),
            ["抖音|示范区融媒", "微信|平安示范", "头条号|示范区发布"])
        let platformFirst = Self.page(
            "/xmt/", title: "政务新媒体",
            """
            <h2>政务新媒体</h2><dl><dt>今日头条</dt><dd>示范区发布</dd><dt>新浪微博</dt><dd>示范区发布</dd></dl>
            """)
        XCTAssertEqual(
            Set(AccountDiscovery.accounts(in: platformFirst).map { "\($0.platform.rawValue)|\($0.name)" }),
            ["头条号|示范区发布", "微博|示范区发布"])
    }

    /// The platform column of --accounts matches through the same aliases as the pages.
    func testPlatformAliases() {
        let same: [(String, NewMediaPlatform)] = [
            ("今日头条", .toutiao), ("头条号", .toutiao), ("头条", .toutiao), ("Toutiao", .toutiao),
            ("微信", .wechat), ("微信公众号", .wechat), ("公众号", .wechat), ("WeChat", .wechat), ("政务微信", .wechat), ("腾讯微信", .wechat),
            ("新浪微博", .weibo), ("微博", .weibo), ("官方微博", .weibo), ("Weibo", .weibo),
            ("抖音", .douyin), ("抖音号", .douyin), ("抖音短视频", .douyin), ("Douyin", .douyin),
            ("微信视频号", .channels), ("视频号", .channels), ("快手号", .kuaishou), ("B站", .bilibili), ("哔哩哔哩", .bilibili),
        ]
        for (label, platform) in same { XCTAssertEqual(NewMediaPlatform(label: label), platform, label) }
        XCTAssertNil(NewMediaPlatform(label: "网站"))
        let r = AccountRegistry(entries: [
            .init(platform: "今日头条", name: "示范区发布", department: "", feed: ""),
            .init(platform: "公众号", name: "平安示范", department: "", feed: ""),
            .init(platform: "抖音号", name: "示范区融媒", department: "", feed: ""),
        ])
        XCTAssertTrue(r.contains(platform: NewMediaPlatform(label: "头条号"), name: "示范区发布"))
        XCTAssertTrue(r.contains(platform: .wechat, name: "平安示范"))
        XCTAssertTrue(r.contains(platform: NewMediaPlatform(label: "抖音"), name: "示范区融媒"))
        XCTAssertFalse(r.contains(platform: .weibo, name: "示范区发布"))
    }

    func testTolerantMatching() {
        let r = AccountRegistry(entries: [
            .init(platform: "微信公众号", name: "西城 发布", department: "", feed: ""),
            .init(platform: "新浪微博", name: "@北京西城", department: "", feed: ""),
        ])
        XCTAssertTrue(r.contains(platform: .wechat, name: "“西城发布”"))
        XCTAssertTrue(r.contains(platform: .wechat, name: "西城发布微信公众号"))
        XCTAssertTrue(r.contains(platform: .weibo, name: "北京西城"))
        XCTAssertFalse(r.contains(platform: .douyin, name: "西城发布"), "a Douyin account needs its own filing")
        XCTAssertFalse(r.contains(platform: .wechat, name: "西城发布厅"))
    }

    func testBadAccountsCSV() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("accounts.csv").path
        try "platform,name,department,feed\n微信,西城发布,区融媒体中心,http://127.0.0.1:1/a.xml\n微博,,区融媒体中心,http://127.0.0.1:1/b.xml\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try InputFiles.accounts(path: path)) { e in
            XCTAssertEqual((e as? InputError)?.description, "\(path):3: empty account name")
        }
        try "微信,西城发布,区融媒体中心,ftp://x/a.xml\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try InputFiles.accounts(path: path)) { e in
            XCTAssertEqual((e as? InputError)?.description, "\(path):1: feed \"ftp://x/a.xml\" is not an http(s) URL")
        }
    }
}

enum TextDecodingFixture {
    /// An RSS feed in GBK, as some older bridges serve it: 西城发布.
    static let gbkRSS: [UInt8] =
        Array("<?xml version=\"1.0\" encoding=\"GBK\"?><rss version=\"2.0\"><channel><title>".utf8)
        + [0xCE, 0xF7, 0xB3, 0xC7, 0xB7, 0xA2, 0xB2, 0xBC]
        + Array("</title><item><title>a</title><pubDate>Mon, 31 Oct 2022 09:00:00 +0800</pubDate></item></channel></rss>".utf8)
}
