import Foundation
import XCTest
@testable import Crawl
@testable import Vocabulary

/// robots.txt as RFC 9309 reads it: the RFC's own examples (sections 2.2.2, 2.2.3 and 5), a
/// representative set of Google's conformance cases (google/robotstxt `robots_test.cc`,
/// Apache-2.0 test data), and a case for each way the old reader got real files wrong.
final class RobotsRFC9309Tests: XCTestCase {
    /// Whether `agent` may fetch `url`, the URL taken in the normal form govsweep requests it in.
    func allowed(_ robots: String, _ url: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        allowed(robots, "FooBot", url, file: file, line: line)
    }

    func allowed(_ robots: String, _ agent: String, _ url: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let u = CrawlURL(url.hasPrefix("http") ? url : "http://foo.bar" + url) else {
            XCTFail("not a URL: \(url)", file: file, line: line); return false
        }
        return Robots(parsing: robots, agent: agent).allows(u)
    }

    // MARK: - RFC 9309 section 5

    /// 5.1: a "*" group, a group of its own, a group of two agents, an empty last group.
    func testRFCSimpleExample() {
        let txt = """
            User-Agent: *
            Disallow: *.gif$
            Disallow: /example/
            Allow: /publications/

            User-Agent: foobot
            Disallow:/
            Allow:/example/page.html
            Allow:/example/allowed.gif

            User-Agent: barbot
            User-Agent: bazbot
            Disallow: /example/page.html

            User-Agent: quxbot

            EOF
            """
        // Any other crawler: the "*" group.
        XCTAssertFalse(allowed(txt, "otherbot", "/example/a.html"))
        XCTAssertFalse(allowed(txt, "otherbot", "/img/cat.gif"))
        XCTAssertTrue(allowed(txt, "otherbot", "/img/cat.gif?size=2"))
        XCTAssertTrue(allowed(txt, "otherbot", "/publications/2022.html"))
        // foobot: two paths only; the "*" group is not added to its own.
        XCTAssertTrue(allowed(txt, "foobot", "/example/page.html"))
        XCTAssertTrue(allowed(txt, "foobot", "/example/allowed.gif"))
        XCTAssertFalse(allowed(txt, "foobot", "/example/other.html"))
        XCTAssertFalse(allowed(txt, "foobot", "/publications/2022.html"))
        // barbot and bazbot share a group.
        for bot in ["barbot", "bazbot", "BazBot"] {
            XCTAssertFalse(allowed(txt, bot, "/example/page.html"), bot)
            XCTAssertTrue(allowed(txt, bot, "/example/other.html"), bot)
            XCTAssertTrue(allowed(txt, bot, "/img/cat.gif"), bot)
        }
        // quxbot: an empty group of its own allows everything (no fall-back to "*").
        XCTAssertTrue(allowed(txt, "quxbot", "/example/a.html"))
        XCTAssertTrue(allowed(txt, "quxbot", "/img/cat.gif"))
    }

    /// 5.2: the longest match wins, whatever the order.
    func testRFCLongestMatch() {
        let txt = "User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n"
        XCTAssertFalse(allowed(txt, "foobot", "/example/page/disallowed.gif"))
        XCTAssertTrue(allowed(txt, "foobot", "/example/page/other.gif"))
        XCTAssertTrue(allowed(txt, "foobot", "/example/page/"))
    }

    /// 2.2.2: octets outside US-ASCII are percent-encoded before comparison; a percent-encoded
    /// unreserved character is the character.
    func testRFCEncodingTable() {
        let base = "User-agent: FooBot\nDisallow: /\n"
        XCTAssertTrue(allowed(base + "Allow: /foo/bar?baz=quz\n", "/foo/bar?baz=quz"))
        XCTAssertTrue(allowed(base + "Allow: /foo/bar/ツ\n", "/foo/bar/%E3%83%84"))
        XCTAssertTrue(allowed(base + "Allow: /foo/bar/%E3%83%84\n", "/foo/bar/%E3%83%84"))
        XCTAssertTrue(allowed(base + "Allow: /foo/bar/%e3%83%84\n", "/foo/bar/ツ"))
        XCTAssertTrue(allowed(base + "Allow: /foo/bar/%62%61%7A\n", "/foo/bar/baz"))
        XCTAssertFalse(allowed(base + "Allow: /foo/bar/%62%61%7A\n", "/foo/bar/qux"))
    }

    /// 2.2.3: "#" comments, "$" ends the pattern, "*" is any run; "%2A" and "%24" are a
    /// literal "*" and "$".
    func testRFCSpecialCharacters() {
        let base = "User-agent: FooBot\nDisallow: /\n"
        XCTAssertTrue(allowed("User-agent: FooBot\nallow: / # comment in line\n# comment on its own line\n", "/x"))
        XCTAssertTrue(allowed(base + "allow: /this/path/exactly$\n", "/this/path/exactly"))
        XCTAssertFalse(allowed(base + "allow: /this/path/exactly$\n", "/this/path/exactly/not"))
        XCTAssertTrue(allowed(base + "allow: /this/*/exactly\n", "/this/is/exactly"))
        XCTAssertTrue(allowed(base + "allow: /this/*/exactly\n", "/this/is/a/longer/path/exactly"))
        XCTAssertTrue(allowed(base + "allow: /path/file-with-a-%2A.html\n", "/path/file-with-a-*.html"))
        XCTAssertFalse(allowed(base + "allow: /path/file-with-a-%2A.html\n", "/path/file-with-a-b.html"))
        XCTAssertTrue(allowed(base + "allow: /path/foo-%24\n", "/path/foo-$"))
        XCTAssertFalse(allowed(base + "allow: /path/foo-%24\n", "/path/foo-"))
    }

    // MARK: - google/robotstxt robots_test.cc (the cases RFC 9309 covers)

    /// ID_LineSyntax_Groups: groups start at user-agent lines; rules outside groups are ignored;
    /// two groups for one agent are merged.
    func testGoogleGroups() {
        let txt = """
            allow: /foo/bar/

            user-agent: FooBot
            disallow: /
            allow: /x/
            user-agent: BarBot
            disallow: /
            allow: /y/


            allow: /w/
            user-agent: BazBot

            user-agent: FooBot
            allow: /z/
            disallow: /
            """
        XCTAssertTrue(allowed(txt, "FooBot", "/x/b"))
        XCTAssertTrue(allowed(txt, "FooBot", "/z/d"))
        XCTAssertFalse(allowed(txt, "FooBot", "/y/c"))
        XCTAssertTrue(allowed(txt, "BarBot", "/y/c"))
        XCTAssertTrue(allowed(txt, "BarBot", "/w/a"))
        XCTAssertFalse(allowed(txt, "BarBot", "/z/d"))
        XCTAssertTrue(allowed(txt, "BazBot", "/z/d"))
        for bot in ["FooBot", "BarBot", "BazBot"] { XCTAssertFalse(allowed(txt, bot, "/foo/bar/"), bot) }
    }

    /// ID_REPLineNamesCaseInsensitive, ID_UserAgentValueCaseInsensitive and the token read up
    /// to the first character outside [A-Za-z_-] ("Foo Bar" names Foo).
    func testGoogleCaseInsensitiveKeysAndAgents() {
        for txt in [
            "USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n", "user-agent: FooBot\nallow: /x/\ndisallow: /\n",
            "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n",
        ] {
            XCTAssertTrue(allowed(txt, "FooBot", "/x/y"), txt)
            XCTAssertFalse(allowed(txt, "FooBot", "/a/b"), txt)
        }
        for txt in [
            "User-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n", "User-Agent: foo bar\nAllow: /x/\nDisallow: /\n",
            "User-Agent: FoO bAr\nAllow: /x/\nDisallow: /\n",
        ] {
            for agent in ["Foo", "foo"] {
                XCTAssertTrue(allowed(txt, agent, "/x/y"), "\(agent) \(txt)")
                XCTAssertFalse(allowed(txt, agent, "/a/b"), "\(agent) \(txt)")
            }
        }
        let spaced = "User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n"
        XCTAssertTrue(allowed(spaced, "Foo", "/x/y"))
    }

    /// ID_GlobalGroups_Secondary: "*" only when no group names the agent; no rules when neither.
    func testGoogleGlobalGroup() {
        XCTAssertTrue(allowed("", "FooBot", "/x/y"))
        let global = "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n"
        XCTAssertFalse(allowed(global, "FooBot", "/x/y"))
        XCTAssertTrue(allowed(global, "BarBot", "/x/y"))
        XCTAssertTrue(allowed("user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\nuser-agent: BazBot\ndisallow: /\n", "QuxBot", "/x/y"))
    }

    /// ID_AllowDisallow_Value_CaseSensitive and ID_LongestMatch.
    func testGoogleLongestMatch() {
        XCTAssertFalse(allowed("user-agent: FooBot\ndisallow: /x/\n", "/x/y"))
        XCTAssertTrue(allowed("user-agent: FooBot\ndisallow: /X/\n", "/x/y"))
        let page = "/x/page.html"
        XCTAssertFalse(allowed("user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n", page))
        XCTAssertTrue(allowed("user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", page))
        XCTAssertFalse(allowed("user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", "/x/"))
        XCTAssertTrue(allowed("user-agent: FooBot\ndisallow: \nallow: \n", page))
        XCTAssertTrue(allowed("user-agent: FooBot\ndisallow: /\nallow: /\n", page))
        XCTAssertFalse(allowed("user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "/x"))
        XCTAssertTrue(allowed("user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "/x/"))
        XCTAssertTrue(allowed("user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n", page))
        XCTAssertFalse(allowed("user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "/page.html"))
        XCTAssertTrue(allowed("user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "/page"))
        XCTAssertTrue(allowed("user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", page))
        XCTAssertFalse(allowed("user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "/x/y.html"))
        let own = "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n"
        XCTAssertTrue(allowed(own, "/x/page"))
        XCTAssertFalse(allowed(own, "/y/page"))
    }

    /// ID_SpecialCharacters.
    func testGoogleSpecialCharacters() {
        let star = "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n"
        XCTAssertFalse(allowed(star, "/foo/bar/quz"))
        XCTAssertTrue(allowed(star, "/foo/quz"))
        XCTAssertTrue(allowed(star, "/foo//quz"))
        XCTAssertTrue(allowed(star, "/foo/bax/quz"))
        let dollar = "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n"
        XCTAssertFalse(allowed(dollar, "/foo/bar"))
        XCTAssertTrue(allowed(dollar, "/foo/bar/qux"))
        XCTAssertTrue(allowed(dollar, "/foo/bar/"))
        XCTAssertTrue(allowed(dollar, "/foo/bar/baz"))
        let hash = "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n"
        XCTAssertTrue(allowed(hash, "/foo/bar"))
        XCTAssertFalse(allowed(hash, "/foo/quz"))
    }

    /// GoogleOnly_DocumentationChecks ("URL matching based on path values"), as far as they
    /// are RFC 9309's too.
    func testGoogleDocumentationChecks() {
        let fish = "user-agent: FooBot\ndisallow: /\nallow: /fish\n"
        for txt in [fish, "user-agent: FooBot\ndisallow: /\nallow: /fish*\n"] {
            XCTAssertFalse(allowed(txt, "/bar"))
            for ok in ["/fish", "/fish.html", "/fish/salmon.html", "/fishheads", "/fishheads/yummy.html", "/fish.html?id=anything"] {
                XCTAssertTrue(allowed(txt, ok), ok)
            }
            for no in ["/Fish.asp", "/catfish", "/?id=fish"] { XCTAssertFalse(allowed(txt, no), no) }
        }
        let dir = "user-agent: FooBot\ndisallow: /\nallow: /fish/\n"
        for ok in ["/fish/", "/fish/salmon", "/fish/?salmon", "/fish/salmon.html", "/fish/?id=anything"] { XCTAssertTrue(allowed(dir, ok), ok) }
        for no in ["/fish", "/fish.html", "/Fish/Salmon.html"] { XCTAssertFalse(allowed(dir, no), no) }
        let php = "user-agent: FooBot\ndisallow: /\nallow: /*.php\n"
        for ok in [
            "/filename.php", "/folder/filename.php", "/folder/filename.php?parameters", "/folder/any.php.file.html",
            "/filename.php/", "/index?f=filename.php/",
        ] { XCTAssertTrue(allowed(php, ok), ok) }
        for no in ["/bar", "/php/", "/index?php", "/windows.PHP"] { XCTAssertFalse(allowed(php, no), no) }
        let phpEnd = "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n"
        for ok in ["/filename.php", "/folder/filename.php"] { XCTAssertTrue(allowed(phpEnd, ok), ok) }
        for no in ["/filename.php?parameters", "/filename.php/", "/filename.php5", "/php/", "/filename?php", "/aaaphpaaa", "/windows.PHP"] {
            XCTAssertFalse(allowed(phpEnd, no), no)
        }
        let fishPHP = "user-agent: FooBot\ndisallow: /\nallow: /fish*.php\n"
        XCTAssertTrue(allowed(fishPHP, "/fish.php"))
        XCTAssertTrue(allowed(fishPHP, "/fishheads/catfish.php?parameters"))
        XCTAssertFalse(allowed(fishPHP, "/Fish.PHP"))
        XCTAssertTrue(allowed("user-agent: FooBot\nallow: /p\ndisallow: /\n", "/page"))
        XCTAssertTrue(allowed("user-agent: FooBot\nallow: /folder\ndisallow: /folder\n", "/folder/page"))
        XCTAssertFalse(allowed("user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n", "/page.htm"))
        XCTAssertTrue(allowed("user-agent: FooBot\nallow: /$\ndisallow: /\n", "/"))
        XCTAssertFalse(allowed("user-agent: FooBot\nallow: /$\ndisallow: /\n", "/page.html"))
    }

    /// ID_LinesNumbersAreCountedCorrectly: LF, CRLF, CR, mixed, no final newline.
    func testGoogleLineEndings() {
        for eol in ["\n", "\r\n", "\r"] {
            let txt = ["User-Agent: foo", "Allow: /some/path", "User-Agent: bar", "", "", "Disallow: /"].joined(separator: eol)
            XCTAssertTrue(allowed(txt, "foo", "/some/path"), eol.debugDescription)
            XCTAssertTrue(allowed(txt, "foo", "/other"), eol.debugDescription)
            XCTAssertFalse(allowed(txt, "bar", "/some/path"), eol.debugDescription)
        }
        let mixed = "User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\n\rDisallow: /"
        XCTAssertTrue(allowed(mixed, "foo", "/some/path"))
        XCTAssertFalse(allowed(mixed, "bar", "/some/path"))
    }

    /// ID_UTF8ByteOrderMarkIsSkipped, and ID_NonStandardLineExample_Sitemap (anywhere in the file).
    func testGoogleBOMAndSitemaps() {
        let rules = Array("User-Agent: foo\nDisallow: /AnyValue\n".utf8)
        for bom: [UInt8] in [[0xEF, 0xBB, 0xBF], [0xEF, 0xBB], [0xEF]] {
            XCTAssertFalse(Robots(parsing: bom + rules, agent: "foo").allows(CrawlURL("http://a.cn/AnyValue")!), "\(bom)")
        }
        // A broken BOM spoils the first line only; a BOM in the middle spoils its line.
        XCTAssertTrue(Robots(parsing: [0xEF, 0x11, 0xBF] + rules, agent: "foo").allows(CrawlURL("http://a.cn/AnyValue")!))
        XCTAssertTrue(
            Robots(parsing: Array("User-Agent: foo\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("Disallow: /AnyValue\n".utf8), agent: "foo")
                .allows(CrawlURL("http://a.cn/AnyValue")!))
        let front = Robots(parsing: "Sitemap: http://foo.bar/sitemap.xml\nUser-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\n")
        let back = Robots(parsing: "User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\nSitemap: http://foo.bar/sitemap.xml\n")
        XCTAssertEqual(front.sitemaps, ["http://foo.bar/sitemap.xml"])
        XCTAssertEqual(back.sitemaps, ["http://foo.bar/sitemap.xml"])
    }

    // MARK: - What the old reader got wrong (issue 13, item 8)

    /// A file edited on Windows: "\r\n" is one Swift Character, so splitting a String on "\n"
    /// or "\r" read the whole file as one line and its Disallow was lost.
    func testCRLFFile() {
        let txt = "User-agent: *\r\nDisallow: /private/\r\nAllow: /private/open/\r\n\r\nUser-agent: govsweep\r\nCrawl-delay: 3\r\nDisallow: /tmp/\r\n"
        let r = Robots(parsing: txt)
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn/tmp/x.html")!))
        XCTAssertTrue(r.allows(CrawlURL("http://a.cn/private/x.html")!), "govsweep's own group applies, not *")
        XCTAssertEqual(r.crawlDelay, 3)
        let star = Robots(parsing: txt.replacingOccurrences(of: "govsweep", with: "otherbot"))
        XCTAssertFalse(star.allows(CrawlURL("http://a.cn/private/x.html")!))
        XCTAssertTrue(star.allows(CrawlURL("http://a.cn/private/open/x.html")!))
    }

    /// Rules before the first user-agent line belong to no group.
    func testRulesBeforeAnyUserAgentAreIgnored() {
        let r = Robots(parsing: "Disallow: /\nCrawl-delay: 60\n\nUser-agent: *\nDisallow: /tmp/\n")
        XCTAssertTrue(r.allows(CrawlURL("http://a.cn/index.html")!))
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn/tmp/a")!))
        XCTAssertNil(r.crawlDelay)
    }

    /// Sitemap, crawl-delay and unknown lines between user-agent lines neither end nor split
    /// the group (RFC 9309 section 2.2.4).
    func testUnknownLinesDoNotSplitAGroup() {
        for between in ["Sitemap: http://a.cn/sitemap.xml", "Host: a.cn", "Crawl-delay: 1", "Clean-param: ref /", "Noindex: /x/", "garbage without colon"] {
            let r = Robots(parsing: "User-agent: govsweep\n\(between)\nUser-agent: otherbot\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n")
            XCTAssertFalse(r.allows(CrawlURL("http://a.cn/private/a.html")!), between)
            XCTAssertTrue(r.allows(CrawlURL("http://a.cn/public/a.html")!), between)
        }
    }

    /// A rule written in raw UTF-8 matches the percent-encoded URL actually requested (and an
    /// encoded rule the raw link), as do lower-case escapes.
    func testRawUTF8RuleMatchesEncodedURL() {
        let r = Robots(parsing: "User-agent: *\nDisallow: /政务/\nDisallow: /%e5%85%ac%e5%bc%80/*.pdf$\nAllow: /政务/公开/\n")
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn/政务/a.html")!))
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn/%E6%94%BF%E5%8A%A1/a.html")!))
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn/%e6%94%bf%e5%8a%a1/a.html")!))
        XCTAssertTrue(r.allows(CrawlURL("http://a.cn/政务/公开/a.html")!))
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn/公开/2022/报告.pdf")!))
        XCTAssertTrue(r.allows(CrawlURL("http://a.cn/公开/2022/报告.pdf?v=1")!))
        XCTAssertTrue(r.allows(CrawlURL("http://a.cn/政/a.html")!))
        XCTAssertFalse(r.allows("/政务/a.html"), "a raw path string is put in normal form too")
        XCTAssertFalse(r.allows("/%E6%94%BF%E5%8A%A1/a.html"))
    }

    /// A UTF-8 BOM before the first line.
    func testBOM() {
        let r = Robots(parsing: "\u{FEFF}User-agent: *\nDisallow: /x/\n")
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn/x/a")!))
    }

    /// A body cut at the size cap: its unfinished last line is not a rule.
    func testTruncatedBodyDropsItsLastLine() {
        let body = Array("User-agent: *\nDisallow: /private/\nDisallow: /pri".utf8)
        let cut = Robots(parsing: body, truncated: true)
        XCTAssertTrue(cut.allows(CrawlURL("http://a.cn/privacy.html")!))
        XCTAssertFalse(cut.allows(CrawlURL("http://a.cn/private/a")!))
        XCTAssertFalse(Robots(parsing: body).allows(CrawlURL("http://a.cn/privacy.html")!), "a whole file's last line is a rule")
        XCTAssertTrue(Robots(parsing: Array("User-agent: *\nDisallow: /".utf8), truncated: true).allows(CrawlURL("http://a.cn/a")!))
    }

    /// The product token is compared whole: "gov" or "govsweep-beta" are other crawlers.
    func testAgentTokenComparedWhole() {
        XCTAssertTrue(Robots(parsing: "User-agent: gov\nDisallow: /\n").allows(CrawlURL("http://a.cn/a")!))
        XCTAssertTrue(Robots(parsing: "User-agent: govsweep-beta\nDisallow: /\n").allows(CrawlURL("http://a.cn/a")!))
        XCTAssertFalse(Robots(parsing: "User-agent: GovSweep/2.0\nDisallow: /\n").allows(CrawlURL("http://a.cn/a")!))
        XCTAssertFalse(Robots(parsing: "User-agent: * \nDisallow: /\n").allows(CrawlURL("http://a.cn/a")!))
    }

    /// /robots.txt itself is always allowed; every other path, /sitemap.xml included, is not exempt.
    func testOnlyRobotsTxtIsExempt() {
        let r = Robots(parsing: "User-agent: *\nDisallow: /\n")
        XCTAssertTrue(r.allows(CrawlURL("http://a.cn/robots.txt")!))
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn/sitemap.xml")!))
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn/robots.txt?x=1")!))
    }

    /// Paths of any length are matched (RFC 9309 asks for at least 500 octets): rules and
    /// paths of several thousand bytes.
    func testLongPathsAndRules() {
        let long = "/" + String(repeating: "a", count: 5000)
        let r = Robots(parsing: "User-agent: *\nDisallow: \(long)/\nDisallow: /*/end$\nAllow: \(long)/*b$\n")
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn\(long)/x")!))
        XCTAssertTrue(r.allows(CrawlURL("http://a.cn\(long)x")!))
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn\(long)x/end")!))
        XCTAssertTrue(r.allows(CrawlURL("http://a.cn\(long)/x/b")!), "the longer allow wins over the long disallow")
        XCTAssertTrue(r.allows(CrawlURL("http://a.cn/short")!))
    }

    /// Duplicate rules are kept once, so a file repeating one line a million times costs one rule.
    func testDuplicatesKeptOnce() {
        let r = Robots(parsing: "User-agent: *\n" + String(repeating: "Disallow: /x/\nAllow: /x/y\n", count: 1000))
        XCTAssertEqual(r.ruleCount, 2)
        XCTAssertFalse(r.allows(CrawlURL("http://a.cn/x/a")!))
        XCTAssertTrue(r.allows(CrawlURL("http://a.cn/x/y")!))
    }

    /// The sorted-prefix walk gives the verdict of trying every rule, on random rules and paths
    /// over a small alphabet (so that prefixes, wildcards and anchors collide often).
    func testCompiledMatchAgreesWithTryingEveryRule() {
        var rng = SplitMix(seed: 20221028)
        let alphabet: [Character] = ["a", "b", "/", "."]
        func word(_ n: Int) -> String { String((0..<n).map { _ in alphabet[rng.below(alphabet.count)] }) }
        for round in 0..<100 {
            var lines = ["User-agent: *"]
            var rules: [(allow: Bool, pattern: String)] = []
            for _ in 0..<(1 + rng.below(60)) {
                var p = "/" + word(rng.below(5))
                if rng.below(3) == 0 { p += "*" + word(rng.below(3)) }
                if rng.below(4) == 0 { p += "*" + word(rng.below(2)) }
                if rng.below(4) == 0 { p += "$" }
                let allow = rng.below(2) == 0
                rules.append((allow, p))
                lines.append((allow ? "Allow: " : "Disallow: ") + p)
            }
            let robots = Robots(parsing: lines.joined(separator: "\n"))
            for _ in 0..<200 {
                let path = "/" + word(rng.below(8))
                var best: (length: Int, allow: Bool)? = nil
                for rule in rules where Self.naiveMatch(rule.pattern, path) {
                    let n = rule.pattern.utf8.count
                    if best == nil || n > best!.length || (n == best!.length && rule.allow) { best = (n, rule.allow) }
                }
                // The path string, not a CrawlURL: that would resolve the random "/./" and "/../".
                XCTAssertEqual(robots.allows(path), best?.allow ?? true, "round \(round): \(path)\n\(lines.joined(separator: "\n"))")
            }
        }
    }

    /// Glob matching by backtracking, the plainest reading of "*" and a final "$".
    static func naiveMatch(_ pattern: String, _ path: String) -> Bool {
        var p = Array(pattern.utf8)[...]
        let anchored = p.last == 36
        if anchored { p = p.dropLast() }
        func go(_ i: Int, _ j: Int, _ s: [UInt8]) -> Bool {
            if i == p.endIndex { return !anchored || j == s.count }
            if p[i] == 42 { return (j...s.count).contains { go(i + 1, $0, s) } }
            return j < s.count && s[j] == p[i] && go(i + 1, j + 1, s)
        }
        return go(p.startIndex, 0, Array(path.utf8))
    }
}

/// A small seeded generator, so a failing case can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
