import XCTest
import Foundation
import LocalServer
import Demo

/// The demo portal, driven through its handlers (no sockets). The link walk at the
/// end keeps `EXPECTED.json` honest: every planted broken target 404s, every page
/// said to link to it does, and every other internal link resolves.
final class DemoPortalTests: XCTestCase {
    let asOf = DemoDate(year: 2026, month: 11, day: 29)
    let ext = "http://127.0.0.1:9/"

    // MARK: - serving

    func testHomePageIsServedWithSubstitutedDates() throws {
        let (status, headers, body) = get("/")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(headers["content-type"], "text/html; charset=utf-8")
        let html = try XCTUnwrap(String(bytes: body, encoding: .utf8))
        XCTAssertFalse(html.contains("{{"), "a token was left unsubstituted")
        XCTAssertTrue(html.contains("2026-11-28"), "{{date:-1}} of the newest news item")
        XCTAssertTrue(html.contains("今天是 2026年11月29日"))
        XCTAssertTrue(html.contains("\(ext)www.gov.cn/"), "{{ext}} replaced by the external base URL")
        for marker in [
            "网站标识码：1101990001", "京ICP备19990001号-1",
            "主办单位：北京市示范区人民政府办公室", "010-69990000", "我为政府网站找错", "alt=\"党政机关\"",
            "<meta name=\"SiteIDCode\" content=\"1101990001\">",
        ] {
            XCTAssertTrue(html.contains(marker), marker)
        }
        // The planted footer-marker defect: the home page's filing number lost two digits;
        // the inner pages' template prints the site's real one.
        XCTAssertTrue(html.contains("京公网安备110199020001号"))
        XCTAssertFalse(html.contains(DemoPortal.expected.site.psb))
        let inner = try XCTUnwrap(String(bytes: get("/tzgg/").body, encoding: .utf8))
        XCTAssertTrue(inner.contains(DemoPortal.expected.site.psb))
    }

    // MARK: - the planted rule-engine defects and their traps, as served

    func testPlantedColumnDefectsAndTraps() throws {
        func page(_ path: String) throws -> String { try XCTUnwrap(String(bytes: get(path).body, encoding: .utf8), path) }
        func dates(_ html: Substring) -> [String] {
            let regex = try! NSRegularExpression(pattern: "<span class=\"date\">(\\d{4}-\\d{2}-\\d{2})</span>")
            let s = String(html)
            return regex.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { String(s[Range($0.range(at: 1), in: s)!]) }
        }
        // column-stale: the column's own list is 243+ days old (6-month window); the sidebar is fresh.
        let stale = try page("/zwgk/zfcg/")
        let parts = stale.components(separatedBy: "<div class=\"side\">")
        XCTAssertEqual(parts.count, 2)
        XCTAssertEqual(dates(Substring(parts[0])).max(), asOf.adding(days: -243)!.iso)
        XCTAssertEqual(dates(Substring(parts[1])).max(), asOf.adding(days: -1)!.iso)
        XCTAssertTrue(stale.contains("<meta name=\"ColumnName\" content=\"政府采购公告\">"))
        // column-blank: a titled column with an empty list; the trap's 暂无信息 is in a sidebar.
        let blank = try page("/zwgk/zdxm/")
        XCTAssertTrue(blank.contains("<p class=\"no-data\">暂无信息</p>"))
        XCTAssertTrue(blank.contains("<meta name=\"ColumnName\" content=\"重大建设项目\">"))
        let hdjl = try page("/hdjl/")
        XCTAssertTrue(hdjl.components(separatedBy: "<div class=\"side\">").last?.contains("暂无信息") ?? false)
        XCTAssertFalse(dates(Substring(hdjl.components(separatedBy: "<div class=\"side\">")[0])).isEmpty)
        // trap: the plans column is 300 days old, inside its 1-year window.
        XCTAssertEqual(dates(Substring(try page("/ghjh/"))).max(), asOf.adding(days: -300)!.iso)
        // column-missing 政策解读: no page names a 解读 column (ColumnName, ColumnType, title, heading, link text).
        for path in try pagePaths() where !DemoPortal.expected.gbkPrefixes.contains(where: { path.hasPrefix($0) }) {
            let html = try page(path)
            for pattern in ["content=\"政策解读\"", ">政策解读<", "<title>政策解读", "解读</a>"] {
                XCTAssertFalse(html.contains(pattern), "\(path) names a 政策解读 column: \(pattern)")
            }
        }
        // a11y: one chart image without alt beside decorative alt="" icons; one unlabelled
        // input beside one named by aria-label.
        let zwfw = try page("/zwfw/")
        XCTAssertTrue(zwfw.contains("<img src=\"/images/zwfw-lct.png\" width=\"600\" height=\"120\">"))
        XCTAssertEqual(zwfw.components(separatedBy: "<img src=\"/images/icon-dot.png\" alt=\"\"").count - 1, 2)
        let letter = try page("/hdjl/xx.html")
        XCTAssertTrue(letter.contains("<input name=\"email\" type=\"email\">"))
        XCTAssertTrue(letter.contains("<input name=\"name\" type=\"text\" aria-label=\"姓名\">"))
        for trap in DemoPortal.expected.clean.traps ?? [] {
            XCTAssertEqual(get(trap.url).status, 200, trap.url)
        }
    }

    func testNoTokenIsLeftOnAnyPage() throws {
        for page in try pagePaths() + ["/robots.txt", "/sitemap.xml"] {
            let (status, _, body) = get(page)
            XCTAssertEqual(status, 200, page)
            XCTAssertFalse(contains(body, Array("{{".utf8)), "token left on \(page)")
        }
    }

    func testDatesFollowTheAsOfDateAcrossMonthAndYear() throws {
        XCTAssertEqual(DemoDate("2027-01-02")?.adding(days: -3), DemoDate(year: 2026, month: 12, day: 30))
        XCTAssertEqual(DemoDate("2028-03-01")?.adding(days: -1)?.iso, "2028-02-29")
        XCTAssertNil(DemoDate("2026-02-30"))
        XCTAssertNil(DemoDate("2026-2-3"))
        let (_, _, body) = get("/ywdt/art_1012.html", asOf: DemoDate(year: 2027, month: 1, day: 1))
        let html = try XCTUnwrap(String(bytes: body, encoding: .utf8))
        XCTAssertTrue(html.contains("<meta name=\"PubDate\" content=\"2026-12-31 09:30\">"))
        XCTAssertTrue(html.contains("2026年12月31日"))
        // A feed's pubDate: RFC 822 on the China clock ({{rfc822:-2}}).
        let feed = try XCTUnwrap(String(bytes: get("/xmt/feeds/sfqfb-wx.rss", asOf: DemoDate(year: 2027, month: 1, day: 1)).body, encoding: .utf8))
        XCTAssertTrue(feed.contains("<pubDate>Wed, 30 Dec 2026 09:30:00 +0800</pubDate>"), feed)
    }

    func testGBKSubtreeIsGBKBytesWithoutCharsetInContentType() throws {
        let (status, headers, body) = get("/bm/jw/招生公告.html")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(headers["content-type"], "text/html", "no charset: the page's meta must decide")
        let gbkJiaoYu: [UInt8] = [0xBD, 0xCC, 0xD3, 0xFD]  // 教育 in GBK
        let utf8JiaoYu: [UInt8] = Array("教育".utf8)
        XCTAssertTrue(contains(body, gbkJiaoYu))
        XCTAssertFalse(contains(body, utf8JiaoYu))
        XCTAssertTrue(contains(body, Array("<meta charset=\"gbk\">".utf8)))
        XCTAssertFalse(contains(body, Array("{{".utf8)))
        XCTAssertNil(String(bytes: body, encoding: .utf8), "GBK bytes are not valid UTF-8")
        // Decodes cleanly as GBK (iconv exits non-zero on an invalid sequence).
        let iconv = "/usr/bin/iconv"
        if FileManager.default.isExecutableFile(atPath: iconv) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("demo-gbk-\(UUID().uuidString).html")
            try Data(body).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let decoded = try run(iconv, ["-f", "GBK", "-t", "UTF-8", file.path])
            XCTAssertEqual(decoded.status, 0)
            let text = try XCTUnwrap(String(bytes: decoded.output, encoding: .utf8))
            XCTAssertTrue(text.contains("示范区2027年义务教育阶段入学工作招生公告"))
            XCTAssertTrue(text.contains("北京市示范区教育委员会"))
            XCTAssertTrue(text.contains("今天是 2026年11月29日"), "{{cn-date:0}} written in GBK")
            XCTAssertTrue(text.contains("<meta name=\"PubDate\" content=\"2026-11-27 10:00\">"))
        }
    }

    func testMissingPageRedirectsAndDirectories() {
        XCTAssertEqual(get("/no/such/page.html").status, 404)
        XCTAssertEqual(get("/EXPECTED.json").status, 404, "the manifest is not part of the site")
        XCTAssertEqual(get("/departments.csv").status, 404)
        XCTAssertEqual(get("/../Package.swift").status, 404)
        let old = get("/xwzx/")
        XCTAssertEqual(old.status, 301)
        XCTAssertEqual(old.headers["location"], "/ywdt/")
        let noSlash = get("/ywdt")
        XCTAssertEqual(noSlash.status, 301)
        XCTAssertEqual(noSlash.headers["location"], "/ywdt/")
        XCTAssertEqual(get("/ywdt/index_1.html").status, 200)
        XCTAssertEqual(get("/images/dzjg.png").headers["content-type"], "image/png")
    }

    func testDepartmentsCSVAttributesThePlantedFindings() throws {
        let path = try XCTUnwrap(DemoPortal.departmentsCSVPath)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var prefixes: [(String, String)] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("pattern,") {
            let cols = line.split(separator: ",", maxSplits: 1).map(String.init)
            XCTAssertEqual(cols.count, 2, String(line))
            prefixes.append((cols[0], cols[1]))
        }
        for finding in DemoPortal.expected.findings where finding.department != nil && !finding.url.hasPrefix("{{ext}}") {
            // A filed account's department is the registry's (accounts.csv); phone and wording
            // findings sit on the home page and take the department of the pages they were found on.
            if ["newmedia-stale", "newmedia-unreachable"].contains(finding.indicator) { continue }
            let url = ["phone-unfiled", "phone-malformed", "wording"].contains(finding.indicator) ? finding.foundOn?.first ?? finding.url : finding.url
            let best = prefixes.filter { url.hasPrefix($0.0) }.max { $0.0.count < $1.0.count }
            XCTAssertEqual(best?.1, finding.department, url)
        }
        XCTAssertNil(DemoDate("2026-13-01"))
    }

    func testRobotsAndSitemap() throws {
        let robots = try XCTUnwrap(String(bytes: get("/robots.txt", host: "127.0.0.1:8080").body, encoding: .utf8))
        XCTAssertTrue(robots.contains("Sitemap: http://127.0.0.1:8080/sitemap.xml"))
        for path in DemoPortal.expected.clean.robotsDisallowed where path.hasSuffix("/") {
            XCTAssertTrue(robots.contains("Disallow: \(path)"), path)
        }
        let sitemap = try XCTUnwrap(String(bytes: get("/sitemap.xml", host: "127.0.0.1:8080").body, encoding: .utf8))
        XCTAssertFalse(sitemap.contains("{{"))
        for path in DemoPortal.expected.clean.sitemapOnly {
            XCTAssertTrue(sitemap.contains("<loc>http://127.0.0.1:8080\(path)</loc>"), path)
            XCTAssertEqual(get(path).status, 200, path)
            XCTAssertFalse(try allLinks().contains { $0.target == path }, "\(path) must be reachable only through the sitemap")
        }
        let everyLink = try allLinks()
        for path in DemoPortal.expected.clean.robotsDisallowed {
            XCTAssertEqual(get(path).status, 200, path)
            XCTAssertTrue(everyLink.contains { $0.target == path }, "\(path) should be linked, so that obeying robots.txt is visible")
        }
    }

    func testExternalServerAnswers() {
        func external(_ path: String) -> (status: Int, headers: [String: String]) {
            let r = unpack(DemoPortal.respondExternal(request(path)))
            return (r.status, r.headers)
        }
        XCTAssertEqual(external("/www.gov.cn/").status, 200)
        XCTAssertEqual(external("/zwfw.beijing.gov.cn/").status, 403)
        let limited = external("/rexian.beijing.gov.cn/")
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.headers["retry-after"], "3600")
        XCTAssertEqual(external("/jgbz.sfq.gov.cn/").status, 404)
        XCTAssertEqual(external("/anything-else").status, 404)
    }

    // MARK: - the manifest

    func testManifestPlantedInternalBrokenLinks() throws {
        let planted = DemoPortal.expected.findings(indicator: "link-broken").filter { $0.scope == "internal" }
        XCTAssertEqual(planted.count, 3)
        XCTAssertTrue(planted.contains { ($0.foundOn ?? []).count >= 2 }, "one target is linked from two pages")
        for finding in planted {
            XCTAssertEqual(finding.class, "broken")
            XCTAssertEqual(get(finding.url).status, 404, finding.url)
            let foundOn = try XCTUnwrap(finding.foundOn)
            XCTAssertFalse(foundOn.isEmpty)
            for page in foundOn {
                XCTAssertEqual(get(page).status, 200, page)
                XCTAssertTrue(try links(onPage: page).contains(finding.url), "\(page) should link to \(finding.url)")
            }
            // and no page outside foundOn links to it
            let linkers = Set(try allLinks().filter { $0.target == finding.url }.map(\.page))
            XCTAssertEqual(linkers, Set(foundOn), finding.url)
        }
    }

    func testManifestPlantedExternalLinks() throws {
        let planted = DemoPortal.expected.findings(indicator: "link-broken").filter { $0.scope == "external" }
        XCTAssertEqual(planted.filter { $0.class == "broken" }.count, 1)
        XCTAssertEqual(planted.filter { $0.class == "blocked" }.count, 2)
        for finding in planted {
            XCTAssertTrue(finding.url.hasPrefix("{{ext}}"))
            let path = "/" + finding.url.dropFirst("{{ext}}".count)
            let answer = unpack(DemoPortal.respondExternal(request(path)))
            XCTAssertEqual(answer.status, finding.status, path)
            if let retry = finding.retryAfter { XCTAssertEqual(answer.headers["retry-after"], String(retry)) }
            for page in finding.foundOn ?? [] {
                let html = try XCTUnwrap(String(bytes: get(page).body, encoding: .utf8))
                XCTAssertTrue(html.contains("href=\"\(ext)\(path.dropFirst())\""), "\(page) links to \(path)")
            }
        }
        // every external link in the portal goes to a known address of the external server
        let known = Set(DemoPortal.expected.external.map(\.path))
        for link in try allLinks(includeExternal: true) where link.target.hasPrefix("{{ext}}") {
            let path = "/" + String(link.target.dropFirst("{{ext}}".count).split(separator: "?")[0])
            XCTAssertTrue(known.contains(path), "\(link.page) links to unknown external \(path)")
        }
    }

    func testEveryOtherInternalLinkResolves() throws {
        let planted = Set(DemoPortal.expected.findings(indicator: "link-broken").map(\.url))
        let redirects = Dictionary(uniqueKeysWithValues: DemoPortal.expected.redirects.map { ($0.from, $0.to) })
        let everyLink = try allLinks()
        XCTAssertGreaterThan(everyLink.count, 300)
        var pages = Set<String>()
        for link in everyLink where !planted.contains(link.target) {
            let target = redirects[link.target] ?? link.target
            XCTAssertEqual(get(target).status, 200, "\(link.page) links to \(link.target)")
            pages.insert(link.page)
        }
        XCTAssertTrue((30...70).contains(pages.count), "about 30-70 pages: \(pages.count)")
        for redirect in DemoPortal.expected.redirects {
            for page in redirect.linkedFrom {
                XCTAssertTrue(try links(onPage: page).contains(redirect.from), "\(page) links to \(redirect.from)")
            }
        }
    }

    // MARK: - helpers

    struct Link { var page: String; var target: String }

    private func request(_ path: String, host: String = "127.0.0.1") -> ServerRequest {
        ServerRequest(method: "GET", target: path, path: path, query: nil, headers: ["host": host])
    }

    private func unpack(_ response: ServerResponse) -> (status: Int, headers: [String: String], body: [UInt8]) {
        guard case let .full(status, headers, body) = response else {
            XCTFail("expected a full response"); return (0, [:], [])
        }
        var h: [String: String] = [:]
        for (k, v) in headers { h[k.lowercased()] = v }
        return (status, h, body)
    }

    private func get(_ path: String, asOf: DemoDate? = nil, host: String = "127.0.0.1") -> (status: Int, headers: [String: String], body: [UInt8]) {
        unpack(DemoPortal.respond(request(path, host: host), asOf: asOf ?? self.asOf, externalBase: ext))
    }

    /// Every page's URL path, from the files ("ywdt/index.html" is "/ywdt/").
    private func pagePaths() throws -> [String] {
        let root = try XCTUnwrap(DemoPortal.portalRoot)
        let files = try XCTUnwrap(FileManager.default.subpaths(atPath: root.path))
        return files.filter { $0.hasSuffix(".html") }.sorted().map { file in
            file == "index.html" ? "/" : file.hasSuffix("/index.html") ? "/" + file.dropLast("index.html".count) : "/" + file
        }
    }

    /// The raw file (tokens unsubstituted) of a page path, decoded for href extraction.
    private func source(ofPage page: String) throws -> String {
        let root = try XCTUnwrap(DemoPortal.portalRoot)
        let file = page.hasSuffix("/") ? page + "index.html" : page
        let data = try XCTUnwrap(FileManager.default.contents(atPath: root.path + file), page)
        let gbk = DemoPortal.expected.gbkPrefixes.contains { page.hasPrefix($0) }
        // GBK pages keep their hrefs ASCII; Latin-1 maps those bytes one to one.
        return try XCTUnwrap(String(data: data, encoding: gbk ? .isoLatin1 : .utf8), page)
    }

    /// Percent-decoded paths of the internal href/src targets of one page; external
    /// links come back as "{{ext}}..." when asked for.
    private func links(onPage page: String, includeExternal: Bool = false) throws -> [String] {
        let html = try source(ofPage: page)
        let regex = try NSRegularExpression(pattern: "(?:href|src|action)=\"([^\"]*)\"")
        let ns = html as NSString
        let base = try XCTUnwrap(URL(string: "http://127.0.0.1" + percentEncode(page)))
        var out: [String] = []
        for match in regex.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let raw = ns.substring(with: match.range(at: 1)).replacingOccurrences(of: "&amp;", with: "&")
            if raw.hasPrefix("{{ext}}") {
                if includeExternal { out.append(raw) }
                continue
            }
            if raw.isEmpty || raw.hasPrefix("#") || raw.hasPrefix("javascript:") || raw.hasPrefix("mailto:") || raw.hasPrefix("http") {
                continue
            }
            let url = try XCTUnwrap(URL(string: percentEncode(raw), relativeTo: base), raw)
            var path = url.absoluteURL.path
            if url.absoluteString.split(separator: "?")[0].hasSuffix("/") && !path.hasSuffix("/") { path += "/" }
            out.append(path)
        }
        return out
    }

    private func allLinks(includeExternal: Bool = false) throws -> [Link] {
        try pagePaths().flatMap { page in
            try links(onPage: page, includeExternal: includeExternal).map { Link(page: page, target: $0) }
        }
    }

    private func percentEncode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            if byte < 0x80 { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += String(format: "%%%02X", byte) }
        }
        return out
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }

    private func run(_ tool: String, _ args: [String]) throws -> (status: Int32, output: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = args
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, [UInt8](output))
    }
}
