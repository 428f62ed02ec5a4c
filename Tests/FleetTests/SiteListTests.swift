#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Fleet
import Foundation
import Sweep
import XCTest

/// SITES.csv: the columns by the header, several start URLs a site, input files relative to
/// the list's folder and checked as a sweep checks them, and every bad line stopping the
/// whole list with SITES.csv:LINE.
final class SiteListTests: XCTestCase {
    var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("sitelist-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir.appendingPathComponent("inputs"), withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) -> String {
        let url = dir.appendingPathComponent(name)
        try! Data(text.utf8).write(to: url)
        return url.path
    }

    func problem(_ text: String) -> String {
        let path = write("SITES.csv", text)
        do {
            _ = try SiteList.read(path: path)
            return "no error"
        } catch let f as UserFailure {
            XCTAssertEqual(f.code, 2)
            return f.message.replacingOccurrences(of: dir.path + "/", with: "")
        } catch { return "\(error)" }
    }

    func testColumnsInAnyOrderSeveralURLsAndRelativeInputs() throws {
        _ = write("inputs/departments.csv", "pattern,department\n/bm/,办公室\n")
        _ = write("inputs/phones.csv", "department,number\n办公室,010-66012345\n")
        let path = write(
            "SITES.csv",
            """
            # 省内网站
            name,url,region,owner,departments,phones,profile
            西城区人民政府,http://www.example.gov.cn/ | http://bm.example.gov.cn/,110102,西城区,inputs/departments.csv,inputs/phones.csv,xicheng-2022
            "东城区, 门户",HTTP://Other.Example.gov.cn:8080 http://other.example.gov.cn:8080/zw/,110101,东城区,,,

            """)
        let sites = try SiteList.read(path: path)
        XCTAssertEqual(sites.count, 2)
        XCTAssertEqual(sites[0].urls, ["http://www.example.gov.cn/", "http://bm.example.gov.cn/"])
        XCTAssertEqual(sites[0].key, "http://www.example.gov.cn/")
        XCTAssertEqual(sites[0].hosts, ["bm.example.gov.cn", "www.example.gov.cn"])
        XCTAssertEqual(sites[0].name, "西城区人民政府")
        XCTAssertEqual(sites[0].owner, "西城区")
        XCTAssertEqual(sites[0].region, "110102")
        XCTAssertEqual(sites[0].profileName, "xicheng-2022")
        XCTAssertEqual(sites[0].departments?.path, dir.appendingPathComponent("inputs/departments.csv").standardizedFileURL.path)
        XCTAssertEqual(sites[0].phones?.text, "department,number\n办公室,010-66012345\n")
        XCTAssertEqual(sites[0].line, 3)
        XCTAssertEqual(sites[1].name, "东城区, 门户")
        XCTAssertEqual(sites[1].urls, ["http://other.example.gov.cn:8080/", "http://other.example.gov.cn:8080/zw/"])
        XCTAssertEqual(sites[1].hosts, ["other.example.gov.cn:8080"])
        XCTAssertNil(sites[1].departments)
        XCTAssertNil(sites[1].profileName)
    }

    func testEachBadLineStopsWithItsLineNumber() {
        XCTAssertEqual(
            problem("url,name,owner\nhttp://a.gov.cn/,A,B\n"), "SITES.csv:1: the header row must name the columns url,name,owner,region (missing: region)")
        XCTAssertEqual(
            problem("url,name,owner,region,colour\n"),
            "SITES.csv:1: unknown column \"colour\" (known: url,name,owner,region,profile,departments,phones,accounts,wording)")
        XCTAssertEqual(
            problem("url,name,owner,region\nhttp://a.gov.cn/,A,B,1\nftp://b.gov.cn/,B,B,1\n"), "SITES.csv:3: url \"ftp://b.gov.cn/\" is not an http(s) URL")
        // The whole cell, not its first word.
        XCTAssertEqual(problem("url,name,owner,region\nnot a url,A,B,1\n"), "SITES.csv:2: url \"not a url\" is not an http(s) URL")
        XCTAssertEqual(
            problem("url,name,owner,region\nhttp://a.gov.cn/ | www.b.gov.cn,A,B,1\n"),
            "SITES.csv:2: url \"http://a.gov.cn/ | www.b.gov.cn\": \"www.b.gov.cn\" is not an http(s) URL (a cell holds start URLs separated by spaces or |)"
        )
        XCTAssertEqual(problem("url,name,owner,region\n,A,B,1\n"), "SITES.csv:2: no start URL in column url")
        XCTAssertEqual(problem("url,name,owner,region\nhttp://a.gov.cn/,A,,1\n"), "SITES.csv:2: empty owner")
        XCTAssertEqual(problem("url,name,owner,region\nhttp://a.gov.cn/,A,B,1,extra\n"), "SITES.csv:2: expected at most 4 columns, found 5")
        XCTAssertEqual(problem("url,name,owner,region\nhttp://a.gov.cn/,\"A,B,1\n"), "SITES.csv:2: unbalanced quotes")
        XCTAssertEqual(
            problem("url,name,owner,region\nhttp://a.gov.cn/,A,B,1\n\nhttp://A.gov.cn,A2,B,1\n"), "SITES.csv:4: site http://a.gov.cn/ is already on line 2")
        XCTAssertEqual(
            problem("url,name,owner,region,departments\nhttp://a.gov.cn/,A,B,1,nope.csv\n"), "SITES.csv:2: departments nope.csv: no such file")
        XCTAssertEqual(
            problem("url,name,owner,region,profile\nhttp://a.gov.cn/,A,B,1,national-2099\n"),
            "SITES.csv:2: profile national-2099: no such file, nor a bundled profile (bundled: national-2019, xicheng-2022)")
        XCTAssertEqual(problem("# only a comment\n"), "SITES.csv: no header row (expected at least url,name,owner,region)")
    }

    func testABadInputFileNamesTheSiteLineAndTheFileLine() {
        _ = write("d.csv", "pattern,department\n/bm/,办公室\nbm,财政局\n")
        XCTAssertEqual(
            problem("url,name,owner,region,departments\nhttp://a.gov.cn/,A,B,1,d.csv\n"),
            "SITES.csv:2: d.csv:3: pattern \"bm\" must be a URL path beginning with / or an http(s) URL")
    }

    /// The round summary reads a region cell "330106 西湖区" as code and name (the demo fleet's
    /// SITES.csv gives both, so the summary says 西湖区（330106）, not the bare code).
    func testARegionCellGivesTheCodeAndTheName() {
        XCTAssertTrue(FleetDatabase.region("330106 西湖区") == ("330106", "西湖区"))
        XCTAssertTrue(FleetDatabase.region(" 330106  西湖区 ") == ("330106", "西湖区"))
        XCTAssertTrue(FleetDatabase.region("330106") == ("330106", nil))
        XCTAssertTrue(FleetDatabase.region("西湖区") == ("西湖区", nil))
    }
}
#endif
