import Foundation
import LocalServer
import XCTest

/// `--phones` and `--wording` through the command line.
extension CLITests {
    func testBadPhonesAndWordingFilesExitTwoWithFileAndLine() throws {
        let phones = dir.appendingPathComponent("phones.csv")
        try "department,number,label\n区政务服务管理局,010-66012345,总机\n区财政局,010-6601234,值班\n".write(to: phones, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        var r = try govsweep(["sweep", "http://127.0.0.1:1/", "--phones", phones.path, "--out", out.path])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.stderr.contains("phones.csv:3: \"010-6601234\" is not a valid phone number"), r.stderr)
        let wording = dir.appendingPathComponent("wording.csv")
        try "wrong,right,class\n政俯,政府,serious\n错字\n".write(to: wording, atomically: true, encoding: .utf8)
        r = try govsweep(["sweep", "http://127.0.0.1:1/", "--wording", wording.path, "--out", out.path])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.stderr.contains("wording.csv:3:"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testPhonesAndWordingFindings() throws {
        let site = try LocalServer { req in
            switch req.path {
            case "/":
                return .html(
                    "<html lang=\"zh-CN\"><head><title>首页</title></head><body><a href=\"/bm/a.html\">部门</a><p>联系电话：010-66012345</p><p>邮编：100032</p></body></html>"
                )
            case "/bm/a.html":
                return .html("<html><body><p>咨询电话：010-88889999</p><p>西城区人民政俯</p><a href=\"/\">首页</a></body></html>")
            default:
                return .status(404)
            }
        }
        defer { site.stop() }
        let phones = dir.appendingPathComponent("phones.csv")
        try "区政务服务管理局,(010)6601 2345\n".write(to: phones, atomically: true, encoding: .utf8)
        let wording = dir.appendingPathComponent("wording.csv")
        try "区人民政俯,区人民政府,serious\n".write(to: wording, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try govsweep([
            "sweep", site.baseURL, "--as-of", "2022-11-01", "--out", out.path, "--phones", phones.path,
            "--wording", wording.path, "--quiet",
        ])
        XCTAssertEqual(r.code, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as! [String: Any]
        let findings = json["findings"] as! [[String: Any]]
        let unfiled = findings.filter { $0["indicator"] as? String == "phone-unfiled" }
        XCTAssertEqual(unfiled.compactMap { $0["subject"] as? String }, ["01088889999"])
        XCTAssertEqual(unfiled.first?["foundOn"] as? [String], [site.baseURL + "bm/a.html"])
        let wordingFindings = findings.filter { $0["indicator"] as? String == "wording" }
        XCTAssertEqual(wordingFindings.compactMap { $0["subject"] as? String }, ["区人民政俯"])
        XCTAssertEqual(wordingFindings.first?["severity"] as? String, "veto")
    }
}
