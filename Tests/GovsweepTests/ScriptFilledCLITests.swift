import Foundation
import LocalServer
import Render
import XCTest

/// Issue 13's done-when: a script-filled home page gives no veto through a whole sweep, and an
/// undated home page is judged by the articles the crawl fetched (their URLs as the crawler
/// spells them).
extension CLITests {
    func sweepHome(_ files: [String: String], asOf: String, render: String = "auto") throws -> (code: Int32, findings: [[String: Any]]) {
        let site = dir.appendingPathComponent("site-\(asOf)")
        for (path, html) in files {
            let file = site.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try html.write(to: file, atomically: true, encoding: .utf8)
        }
        let server = try LocalServer(handler: LocalServer.directoryHandler(root: site.path))
        defer { server.stop() }
        let out = dir.appendingPathComponent("out-\(asOf)-\(files.count)")
        let r = try govsweep([
            "sweep", server.baseURL, "--as-of", asOf, "--out", out.path, "--timeout", "5", "--quiet",
            "--fail-on", "veto", "--render", render,
        ])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as! [String: Any]
        return (r.code, (json["findings"] as! [[String: Any]]).filter { $0["indicator"] as? String == "homepage-stale" })
    }

    static func sitePage(head: String = "", _ body: String) -> String {
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>示例区人民政府</title>\(head)</head><body>\(body)</body></html>"
    }

    func testUndatedHomePageIsJudgedByTheArticlesTheSweepFetched() throws {
        let files = [
            // (The nav's 互动交流 and 政务服务: no consult-channel or service-guide veto to trip --fail-on.)
            "index.html": Self.sitePage(
                "<div class=\"nav\"><a href=\"/yw/202210/content_1.htm\">互动交流</a> <a href=\"/yw/202210/content_1.htm\">政务服务</a></div>"
                    + "<div class=\"yw\"><ul class=\"lists\"><li><a href=\"/yw/202210/content_1.htm\">区政府常务会议</a></li>"
                    + "<li><a href=\"./yw/202210/content_2.htm#top\">区长调研</a></li></ul></div>"),
            "yw/202210/content_1.htm": Self.sitePage(head: "<meta name=\"PubDate\" content=\"2022-10-28 10:00\">", "<h1>区政府常务会议</h1><p>正文</p>"),
            "yw/202210/content_2.htm": Self.sitePage("<h1>区长调研</h1><p class=\"info\">发布时间：2022-10-20</p><p>正文</p>"),
        ]
        let fresh = try sweepHome(files, asOf: "2022-11-01")
        XCTAssertEqual(fresh.findings.count, 0, "\(fresh.findings)")
        XCTAssertEqual(fresh.code, 0)
        let stale = try sweepHome(files, asOf: "2022-12-01")
        XCTAssertEqual(stale.findings.map { $0["severity"] as? String }, ["veto"])
        XCTAssertEqual((stale.findings.first?["evidence"] as? [String: Any])?["latest"] as? String, "2022-10-28")
        XCTAssertEqual(stale.code, 1, "--fail-on veto trips")
    }

    func testScriptFilledHomePageGivesNoVetoInASweep() throws {
        let home = Self.sitePage(
            """
            <div class="news"><ul class="list" id="ywList"><script>
            var d = [["./yw/202210/t20221028_1.html", "区政府常务会议", "2022-10-28"]];
            for (var i = 0; i < d.length; i++) { document.write('<li><a href="' + d[i][0] + '">' + d[i][1] + '</a><span>' + d[i][2] + '</span></li>'); }
            </script></ul></div>
            """)
        let r = try sweepHome(["index.html": home], asOf: "2022-11-01", render: "never")
        XCTAssertEqual(r.findings.map { $0["severity"] as? String }, ["advice"])
        XCTAssertEqual(r.code, 0, "--fail-on veto does not trip")
        // Rendered (issue 17, when Chromium is installed): the item written by the script is fresh.
        if Renderer.findBrowser() != nil {
            let rendered = try sweepHome(["index.html": home], asOf: "2022-11-01", render: "auto")
            XCTAssertEqual(rendered.findings.count, 0, "\(rendered.findings)")
        }
    }
}
