import Foundation
import Parse
import XCTest
@testable import Crawl
@testable import Vocabulary

final class CrawlURLTests: XCTestCase {
    func n(_ s: String) -> String? { CrawlURL(s)?.string }

    func testSchemeAndHostLowercasedDefaultPortDropped() {
        XCTAssertEqual(n("HTTP://WWW.Example.GOV.cn:80/a"), "http://www.example.gov.cn/a")
        XCTAssertEqual(n("https://example.gov.cn:443"), "https://example.gov.cn/")
        XCTAssertEqual(n("http://127.0.0.1:8080/x"), "http://127.0.0.1:8080/x")
        XCTAssertEqual(CrawlURL("http://127.0.0.1:8080/x")?.authority, "127.0.0.1:8080")
    }

    func testFragmentDroppedAndDotSegmentsResolved() {
        XCTAssertEqual(n("http://a.cn/b/c/./../d.html#top"), "http://a.cn/b/d.html")
        XCTAssertEqual(n("http://a.cn/../../x"), "http://a.cn/x")
        XCTAssertEqual(n("http://a.cn/a/b/.."), "http://a.cn/a/")
        XCTAssertEqual(n("http://a.cn/a/%2e%2E/b"), "http://a.cn/b")
    }

    func testPercentEncodingNormalised() {
        // Unreserved characters decoded, other escapes upper-cased.
        XCTAssertEqual(n("http://a.cn/%7euser/%61bc?q=%2f%2F"), "http://a.cn/~user/abc?q=%2F%2F")
        // A stray percent sign is encoded.
        XCTAssertEqual(n("http://a.cn/100%/x"), "http://a.cn/100%25/x")
    }

    func testChineseFileNamesAndSpaces() {
        let base = CrawlURL("http://127.0.0.1:8080/bm/jw/index.html")!
        XCTAssertEqual(base.resolve("招生公告.html")?.string, "http://127.0.0.1:8080/bm/jw/%E6%8B%9B%E7%94%9F%E5%85%AC%E5%91%8A.html")
        // Already encoded and raw spellings are the same URL.
        XCTAssertEqual(base.resolve("%E6%8B%9B%E7%94%9F%E5%85%AC%E5%91%8A.html"), base.resolve("招生公告.html"))
        XCTAssertEqual(base.resolve(" 工作 报告.pdf ")?.string, "http://127.0.0.1:8080/bm/jw/%E5%B7%A5%E4%BD%9C%20%E6%8A%A5%E5%91%8A.pdf")
        XCTAssertEqual(base.resolve("\u{3000}/a.html")?.string, "http://127.0.0.1:8080/a.html")
    }

    func testRelativeResolution() {
        let base = CrawlURL("http://a.cn/xwzx/tzgg/index.html?x=1")!
        XCTAssertEqual(base.resolve("index_1.html")?.string, "http://a.cn/xwzx/tzgg/index_1.html")
        XCTAssertEqual(base.resolve("../zcwj/")?.string, "http://a.cn/xwzx/zcwj/")
        XCTAssertEqual(base.resolve("/")?.string, "http://a.cn/")
        XCTAssertEqual(base.resolve("?page=2")?.string, "http://a.cn/xwzx/tzgg/index.html?page=2")
        XCTAssertEqual(base.resolve("//b.cn/y")?.string, "http://b.cn/y")
        XCTAssertEqual(base.resolve("#top")?.string, "http://a.cn/xwzx/tzgg/index.html?x=1")
        XCTAssertEqual(base.resolve("..\\img\\a.png")?.string, "http://a.cn/xwzx/img/a.png")
        XCTAssertEqual(base.resolve("./\n2022/a.html")?.string, "http://a.cn/xwzx/tzgg/2022/a.html")
        XCTAssertEqual(base.resolve("HTTPS://B.cn")?.string, "https://b.cn/")
    }

    func testNonHTTPSchemesRejected() {
        let base = CrawlURL("http://a.cn/")!
        XCTAssertNil(base.resolve("javascript:void(0)"))
        XCTAssertNil(base.resolve("mailto:x@a.cn"))
        XCTAssertNil(base.resolve("ftp://a.cn/f"))
        XCTAssertNil(CrawlURL("not a url"))
        XCTAssertNil(CrawlURL("http://a.cn:99999/"))
    }

    func testQueryPermutationsShareOneKey() {
        XCTAssertEqual(CrawlURL("http://a.cn/l?b=2&a=1")!.dedupKey, CrawlURL("http://a.cn/l?a=1&b=2")!.dedupKey)
        XCTAssertNotEqual(CrawlURL("http://a.cn/l?a=1")!.dedupKey, CrawlURL("http://a.cn/l?a=2")!.dedupKey)
    }

    func testShortcutAgreesWithFullAlgorithm() {
        let bases = ["http://a.cn/", "http://a.cn/x/y/index.html?q=1", "https://a.cn:8443/x/", "http://127.0.0.1:8080/bm/jw/a.html"]
        let refs = [
            "a.html", "/b/c.html", "?page=2", "index_1.html", "x/y/z.shtml?a=1&b=2", "/", "a-b_c~d.html",
            "list.jsp?id=3&x=/a/../b", "a!$&'()*+,;=@.html", "/a/b/", "c", "..", ".", "./a", "../a", "/a/./b",
            "//b.cn/x", "http://c.cn/y", "a%20b", "a b", "中文.html", "#frag", "a#frag", "", "?", "/x?",
            // A leading "./" (TRS pagers) is taken by the shortcut when what follows starts a segment.
            "./index_2.html", "./a/b.html?x=1&y=./z", "./?q", ".//x", "./", "././a", "./../a", "./a#f", "./:x", "./.a",
            "./a/./b", "http://a.cn/x/./y", "HTTP://A.cn/x", "https://a.cn:443/x", "http://a.cn:8080/", "http:x",
        ]
        for b in bases {
            let base = CrawlURL(b)!
            for r in refs {
                let fast = CrawlURL.resolve(r, against: base), full = CrawlURL.resolveGeneral(r, against: base)
                XCTAssertEqual(fast, full, "\(b) + \(r)")
                XCTAssertEqual(fast?.authority, full?.authority, "\(b) + \(r)")
                XCTAssertEqual(fast?.path, full?.path, "\(b) + \(r)")
                XCTAssertEqual(fast?.query, full?.query, "\(b) + \(r)")
            }
        }
        XCTAssertEqual(CrawlURL("http://a.cn/x/y/index.html")!.resolve("./index_2.html")?.string, "http://a.cn/x/y/index_2.html")
    }

    /// `<link rel>` hints to the browser are not links: read on bytes as lowercased().contains read them.
    func testBrowserHintRels() {
        for rel in ["dns-prefetch", "DNS-Prefetch", "preconnect", "x preconnect y", "Canonical", "alternate canonical"] {
            XCTAssertTrue(Crawler.isBrowserHint(rel: rel), rel)
        }
        for rel in ["stylesheet", "icon", "canonica", "pre-connect", "", "dns", "prefetch", "规范"] {
            XCTAssertFalse(Crawler.isBrowserHint(rel: rel), rel)
        }
        for rel in ["stylesheet", "Canonical", "dns-prefetch preconnect", "PRECONNECT", "canon ical", "prefetch"] {
            let old = rel.lowercased()
            XCTAssertEqual(
                Crawler.isBrowserHint(rel: rel),
                old.contains("dns-prefetch") || old.contains("preconnect") || old.contains("canonical"), rel)
        }
    }

    /// Absolute URLs already in normal form skip the full parse (stored URLs, sitemap entries,
    /// template links); anything else takes it, and both give the same URL, parts and all.
    func testNormalFormShortcutAgreesWithFullAlgorithm() {
        let urls = [
            "http://a.cn/", "https://a.cn/x/y.html?q=1&r=2", "http://127.0.0.1:8080/bm/jw/a.html", "http://a.cn/x?",
            "http://a.cn/a:b@c/d!$&'()*+,;=.html", "http://a.cn/x?y=./z/../w", "http://a-b.c.cn/~u/_v",
            // Not normal form (or not a URL): the full parse decides.
            "http://a.cn", "http://a.cn?x", "http://A.cn/x", "HTTP://a.cn/x", "http://a.cn:80/x", "https://a.cn:443/x",
            "http://a.cn:0/x", "http://a.cn:08080/x", "http://a.cn:99999/x", "http://a.cn:/x", "http://a.cn./x",
            "http://:80/x", "http://a.cn/./x", "http://a.cn/x/../y", "http://a.cn/.x", "http://a.cn/%7ex", "http://a.cn/a b",
            "http://a.cn/中文", "http://a.cn/x#f", "http://u@a.cn/x", "http://[::1]/x", "http://a.cn\\x", "http:/a.cn/x",
            "http:a.cn/x", "https:/a.cn/x", "ftp://a.cn/x", " http://a.cn/x", "http://a.cn/x ", "http://a_b.cn/x",
            "http://a.cn:8080:9/x", "http://a.cn/x\"y", "http://a.cn/{x}",
        ]
        for s in urls {
            let fast = CrawlURL.normalAbsolute(s), full = CrawlURL.resolveGeneral(s, against: nil)
            if let fast {
                XCTAssertEqual(fast, full, s)
                XCTAssertEqual(fast.authority, full?.authority, s)
                XCTAssertEqual(fast.path, full?.path, s)
                XCTAssertEqual(fast.query, full?.query, s)
                XCTAssertEqual(fast.scheme, full?.scheme, s)
            }
            XCTAssertEqual(CrawlURL(s), full, s)
            XCTAssertEqual(CrawlURL(s)?.query, full?.query, s)
        }
        XCTAssertNotNil(CrawlURL.normalAbsolute("http://127.0.0.1:8080/bm/jw/a.html"))
        XCTAssertNil(CrawlURL.normalAbsolute("http://a.cn:80/x"))
    }

    func testStoredURLsParseAsTheyWereNormalised() {
        let written = [
            "http://a.cn/", "https://Example.gov.cn:8443/a/b.html?x=1&y=2", "http://127.0.0.1:8080/bm/中文.html",
            "http://a.cn/l?b=2&a=1", "http://[::1]:8080/x", "http://a.cn/a%20b?q=%E4%B8%AD",
        ]
        for w in written {
            let u = CrawlURL(w)!
            XCTAssertEqual(CrawlURL(stored: u.string), u, w)
            XCTAssertEqual(CrawlURL(stored: u.string)?.authority, u.authority, w)
        }
        // Not as this program stores URLs: the full parse decides.
        XCTAssertEqual(CrawlURL(stored: "HTTP://A.cn/x"), CrawlURL("HTTP://A.cn/x"))
        XCTAssertEqual(CrawlURL(stored: "http://A.cn/x#f"), CrawlURL("http://a.cn/x"))
        XCTAssertEqual(CrawlURL(stored: "http://a.cn"), CrawlURL("http://a.cn/"))
        XCTAssertNil(CrawlURL(stored: "mailto:a@b.cn"))
    }

    func testParts() {
        let u = CrawlURL("https://Example.gov.cn:8443/a/b.html?x=1")!
        XCTAssertEqual(u.scheme, "https")
        XCTAssertEqual(u.host, "example.gov.cn")
        XCTAssertEqual(u.port, 8443)
        XCTAssertEqual(u.authority, "example.gov.cn:8443")
        XCTAssertEqual(u.origin, "https://example.gov.cn:8443")
        XCTAssertEqual(u.path, "/a/b.html")
        XCTAssertEqual(u.query, "x=1")
        XCTAssertNil(CrawlURL("http://a.cn/")!.port)
        XCTAssertNil(CrawlURL("http://a.cn/")!.query)
        XCTAssertTrue(u.sameOrigin(as: CrawlURL("https://example.gov.cn:8443/c?d")!))
        XCTAssertFalse(u.sameOrigin(as: CrawlURL("http://example.gov.cn:8443/a/b.html")!))
        XCTAssertFalse(u.sameOrigin(as: CrawlURL("https://example.gov.cn/a/b.html")!))
        XCTAssertFalse(u.sameOrigin(as: CrawlURL("https://example.gov.cm:8443/a/b.html")!))
    }

    func testPathExtension() {
        XCTAssertEqual(CrawlURL("http://a.cn/f/报告.PDF")!.pathExtension, "pdf")
        XCTAssertEqual(CrawlURL("http://a.cn/f/")!.pathExtension, "")
        XCTAssertEqual(CrawlURL("http://a.cn/.hidden")!.pathExtension, "")
        for page in ["http://a.cn/", "http://a.cn/a/b.html", "http://a.cn/a/B.HTM?x=1.pdf", "http://a.cn/c.shtml", "http://a.cn/d/"] {
            XCTAssertTrue(CrawlURL(page)!.hasPagePath, page)
        }
        for other in ["http://a.cn/f.pdf", "http://a.cn/f.xhtml5", "http://a.cn/html", "http://a.cn/a.html/x", "http://a.cn/a.php?p=/"] {
            XCTAssertFalse(CrawlURL(other)!.hasPagePath, other)
        }
    }
}

final class RobotsTests: XCTestCase {
    func testGroupsAndLongestMatch() {
        let r = Robots(
            parsing: """
                # comment
                User-agent: *
                Disallow: /private/
                Allow: /private/open/
                Disallow: /*.php$
                Crawl-delay: 2

                User-agent: otherbot
                Disallow: /

                Sitemap: http://a.cn/sitemap.xml
                """)
        XCTAssertFalse(r.allows("/private/x.html"))
        XCTAssertTrue(r.allows("/private/open/x.html"))
        XCTAssertFalse(r.allows("/a/b.php"))
        XCTAssertTrue(r.allows("/a/b.php?x=1"))
        XCTAssertTrue(r.allows("/public/"))
        XCTAssertEqual(r.crawlDelay, 2)
        XCTAssertEqual(r.sitemaps, ["http://a.cn/sitemap.xml"])
    }

    func testOwnGroupWinsOverStar() {
        let r = Robots(parsing: "User-agent: *\nDisallow: /\n\nUser-agent: govsweep\nDisallow: /tmp/\n")
        XCTAssertTrue(r.allows("/index.html"))
        XCTAssertFalse(r.allows("/tmp/a"))
    }

    func testEmptyDisallowAllowsAll() {
        XCTAssertTrue(Robots(parsing: "User-agent: *\nDisallow:\n").allows("/x"))
        XCTAssertTrue(Robots.allowAll.allows("/anything"))
    }
}

final class SitemapTests: XCTestCase {
    func read(_ text: String) -> (SitemapReader.Outcome, [String]) {
        var locs: [String] = []
        let outcome = SitemapReader.read(Array(text.utf8)) { loc, _ in locs.append(loc) }
        return (outcome, locs)
    }

    func testURLSet() {
        let (m, locs) = read(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
              <url><loc>http://a.cn/a.html</loc><lastmod>2022-10-01</lastmod></url>
              <url><loc> http://a.cn/b.html?x=1&amp;y=2 </loc></url>
              <url><loc><![CDATA[http://a.cn/c.html]]></loc><image:image><image:loc>http://a.cn/i.png</image:loc></image:image></url>
              <url><loc/></url>
            </urlset>
            """)
        XCTAssertEqual(m.kind, .urlset)
        XCTAssertNil(m.error)
        XCTAssertEqual(locs, ["http://a.cn/a.html", "http://a.cn/b.html?x=1&y=2", "http://a.cn/c.html"])
    }

    func testIndex() {
        let (m, locs) = read("<sitemapindex><sitemap><loc>http://a.cn/s1.xml</loc></sitemap></sitemapindex>")
        XCTAssertEqual(m.kind, .index)
        XCTAssertEqual(locs, ["http://a.cn/s1.xml"])
    }

    func testNotASitemapAndMalformed() {
        XCTAssertEqual(read("<html><body><loc>x</loc></body></html>").0.kind, .other("html"))
        let (m, locs) = read("<urlset><url><loc>http://a.cn/1</loc></url><url><loc>http://a.cn/2</lo")
        XCTAssertEqual(locs, ["http://a.cn/1"], "entries before the error are kept")
        XCTAssertNotNil(m.error)
    }

    /// Entities declared in a DTD are not expanded: an external one is not read, and a billion
    /// laughs stops the file at once (libxml2's amplification check), with the reason.
    func testEntitiesNotExpanded() {
        let (_, locs) = read(
            "<!DOCTYPE urlset [<!ENTITY ext SYSTEM \"file:///etc/passwd\">]><urlset><url><loc>&ext;</loc></url>"
                + "<url><loc>http://a.cn/ok</loc></url></urlset>")
        XCTAssertEqual(locs, ["http://a.cn/ok"])
        var dtd = "<!DOCTYPE urlset [<!ENTITY a \"http://a.cn/aaaaaaaaaa\">"
        for i in 1...9 { dtd += "<!ENTITY a\(i) \"" + String(repeating: "&a\(i == 1 ? "" : String(i - 1));", count: 10) + "\">" }
        let (bomb, none) = read(dtd + "]><urlset><url><loc>&a9;</loc></url><url><loc>http://a.cn/ok</loc></url></urlset>")
        XCTAssertEqual(none, [])
        XCTAssertTrue(bomb.error?.contains("entity") ?? false, String(describing: bomb.error))
    }

    /// The sitemaps.org limits: 50,000 URLs per file (the rest counted), 50 MB uncompressed.
    func testLimits() {
        let entries = (0..<12).map { "<url><loc>http://a.cn/\($0)</loc></url>" }.joined()
        var n = 0
        let m = SitemapReader.read(Array("<urlset>\(entries)</urlset>".utf8), maxURLs: 10) { _, _ in n += 1 }
        XCTAssertEqual(n, 10)
        XCTAssertEqual(m.entries, 10)
        XCTAssertEqual(m.pastLimit, 2)
        let big = SitemapReader.read(Array("<urlset>\(entries)</urlset>".utf8), maxBytes: 100) { _, _ in }
        XCTAssertTrue(big.tooLarge)
        XCTAssertLessThan(big.entries, 3)
    }

    /// .xml.gz is inflated as it is read (gzip made by the system's gzip, as servers store it).
    func testGzip() throws {
        let entries = (0..<1000).map { "<url><loc>http://a.cn/p/\($0).html</loc></url>" }.joined()
        let gz = try gzip(Array("<?xml version=\"1.0\"?><urlset>\(entries)</urlset>".utf8))
        XCTAssertEqual(gz.prefix(2), [0x1F, 0x8B])
        var locs: [String] = []
        let m = SitemapReader.read(gz) { loc, _ in locs.append(loc) }
        XCTAssertNil(m.error)
        XCTAssertEqual(locs.count, 1000)
        XCTAssertEqual(locs.last, "http://a.cn/p/999.html")
        // A gzip bomb stops at the cap: 1,000 entries are about 40 KB inflated.
        let capped = SitemapReader.read(gz, maxBytes: 4096) { _, _ in }
        XCTAssertTrue(capped.tooLarge)
        XCTAssertLessThan(capped.entries, 200)
        let broken = SitemapReader.read(Array(gz.prefix(gz.count / 2))) { _, _ in }
        XCTAssertNotNil(broken.error)
        XCTAssertGreaterThan(broken.entries, 0)
    }

    /// An index listing itself is read once; files nested too deep and past the budget are counted.
    func testWalkCutsCyclesAndDepth() {
        var walk = SitemapWalk(roots: ["http://a.cn/sitemap.xml"])
        let index = { (children: [String]) in
            Array(("<sitemapindex>" + children.map { "<sitemap><loc>\($0)</loc></sitemap>" }.joined() + "</sitemapindex>").utf8)
        }
        var urls: [String] = []
        let root = walk.next(budgetLeft: true)!
        walk.read(index(["http://a.cn/sitemap.xml", "http://a.cn/./sitemap.xml#x", "http://a.cn/i1.xml"]), of: root, truncated: false) { urls.append($0) }
        let i1 = walk.next(budgetLeft: true)!
        XCTAssertEqual(i1, .init(url: "http://a.cn/i1.xml", depth: 1))
        walk.read(index(["http://a.cn/i2.xml", "http://a.cn/s1.xml"]), of: i1, truncated: false) { urls.append($0) }
        let i2 = walk.next(budgetLeft: true)!
        walk.read(index(["http://a.cn/i3.xml"]), of: i2, truncated: false) { urls.append($0) }
        XCTAssertNil(walk.next(budgetLeft: false))
        XCTAssertEqual(walk.cut, [.sitemapCycle: 2, .sitemapDepth: 1, .sitemapUnread: 1])
        XCTAssertEqual(walk.filesRead, 3)
        XCTAssertTrue(urls.isEmpty)
    }

    private func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.xml")
        try Data(bytes).write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-9", file.path]
        try p.run()
        p.waitUntilExit()
        return Array(try Data(contentsOf: dir.appendingPathComponent("s.xml.gz")))
    }
}

final class TrapGuardTests: XCTestCase {
    func testTrapsCapped() {
        var g = TrapGuard(asOfYear: 2022)
        XCTAssertNil(g.check(CrawlURL("http://a.cn/xwzx/2022/10/28/a.html")!))
        XCTAssertEqual(g.check(CrawlURL("http://a.cn/a/b/a/b/a/b/")!), .trapRepeat)
        XCTAssertEqual(g.check(CrawlURL("http://a.cn/" + String(repeating: "x/", count: 15))!), .trapRepeat)
        XCTAssertEqual(g.check(CrawlURL("http://a.cn/" + (1...25).map(String.init).joined(separator: "/"))!), .trapDepth)
        XCTAssertEqual(g.check(CrawlURL("http://a.cn/cal?year=2087&month=1")!), .trapCalendar)
        XCTAssertNil(g.check(CrawlURL("http://a.cn/cal?year=2022&month=1")!))
        XCTAssertEqual(g.check(CrawlURL("http://a.cn/q?" + String(repeating: "a", count: 2000))!), .trapLength)
    }

    /// The segment checks on bytes say what splitting the path into Substrings and counting
    /// them said, on random paths of repeated, empty and similar segments around the limits.
    func testSegmentChecksAgreeWithSplitting() {
        let g = TrapGuard(asOfYear: 2022)
        func reference(_ path: String) -> SkipReason? {
            let segments = path.split(separator: "/")
            if segments.count > g.maxSegments { return .trapDepth }
            var counts: [Substring: Int] = [:]
            for s in segments {
                counts[s, default: 0] += 1
                if counts[s]! >= g.maxRepeats { return .trapRepeat }
            }
            return nil
        }
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "ab", "b", "abc", "", "2022", "x.html", "index", "%E6%94%BF", "a-b"]
        for _ in 0..<5000 {
            let n = Int.random(in: 0...24, using: &rng)
            var path = Bool.random(using: &rng) ? "/" : ""
            path += (0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: Bool.random(using: &rng) ? "/" : "//")
            if Bool.random(using: &rng) { path += "/" }
            XCTAssertEqual(withUTF8Bytes(path) { g.segmentTrap($0) }, reference(path), path)
        }
    }

    func testQueryPermutationsCapped() {
        var g = TrapGuard(asOfYear: 2022)
        var trapped = 0
        for i in 0..<400 where g.check(CrawlURL("http://a.cn/search?q=\(i)")!) == .trapQuery { trapped += 1 }
        XCTAssertEqual(trapped, 400 - g.maxQueriesPerPath)
    }
}

final class FrontierTests: XCTestCase {
    func testSpillKeepsBreadthFirstOrderAndCount() {
        var f = Frontier(memoryLimit: 100, chunk: 32)
        var expected: [String] = []
        var got: [String] = []
        var n = 0
        // Push in bursts, pop in smaller bursts: the queue grows past memory into the spill file.
        for round in 0..<60 {
            for _ in 0..<(round % 3 == 0 ? 150 : 40) {
                let u = CrawlURL("http://a.cn/p/\(n).html?x=\(n % 7)")!
                f.push(.init(url: u, depth: n % 5, job: n % 2 == 0 ? .crawl : .check))
                expected.append(u.string)
                n += 1
            }
            for _ in 0..<50 { if let e = f.pop() { got.append(e.url.string) } }
            XCTAssertEqual(f.count, expected.count - got.count)
        }
        while let e = f.pop() { got.append(e.url.string) }
        XCTAssertEqual(got, expected)
        XCTAssertEqual(f.count, 0)
        // Usable again after it drained.
        f.push(.init(url: CrawlURL("http://a.cn/again")!, depth: 1, job: .crawl))
        XCTAssertEqual(f.pop()?.url.string, "http://a.cn/again")
    }
}
