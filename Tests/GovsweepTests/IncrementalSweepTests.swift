import Foundation
import LocalServer
import Store
import XCTest

/// A re-sweep into the same store asks for each page conditionally, takes unchanged pages'
/// facts and links from the store instead of parsing them, and reports exactly what a full
/// sweep at the same as-of day reports.
final class IncrementalSweepTests: XCTestCase {
    var dir: URL!
    var site: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("incremental-\(UUID().uuidString)")
        site = dir.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        func write(_ path: String, _ body: String) throws {
            let url = site.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(body.utf8).write(to: url)
        }
        func page(_ title: String, _ body: String) -> String {
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>\(title)_示范区人民政府</title></head><body>\(body)</body></html>"
        }
        try write(
            "index.html",
            page(
                "首页",
                """
                <div class="nav"><a href="/xwdt/">新闻动态</a> <a href="/tzgg/">通知公告</a></div>
                <ul><li><a href="/xwdt/a1.html">区政府召开常务会议</a> 2026-11-20</li>
                <li><a href="/gone.html">失效的链接</a> 2026-11-18</li></ul>
                <div class="footer">主办单位：示范区人民政府办公室 网站标识码：1101020001</div>
                """))
        try write(
            "xwdt/index.html",
            page(
                "新闻动态",
                """
                <ul><li><a href="/xwdt/a1.html">区政府召开常务会议</a><span>2026-11-20</span></li>
                <li><a href="/xwdt/a2.html">街道开展安全检查</a><span>2026-11-10</span></li></ul>
                """))
        // Year-less dates: read relative to the as-of day, so this page's facts hold for one day only.
        try write(
            "tzgg/index.html",
            page(
                "通知公告",
                """
                <ul><li><a href="/xwdt/a2.html">关于开展检查的通知</a>[05-28]</li>
                <li><a href="/xwdt/a1.html">关于会议的通知</a>[04-10]</li></ul>
                """))
        try write("xwdt/a1.html", page("区政府召开常务会议", "<h1>区政府召开常务会议</h1><p>会议内容。</p><a href=\"/\">首页</a>"))
        try write("xwdt/a2.html", page("街道开展安全检查", "<h1>街道开展安全检查</h1><p>检查内容。</p><img src=\"/img/x.png\">"))
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: dir)
    }

    struct Sweep {
        var code: Int32
        var stdout: String
        var findings: [NSDictionary]
        /// The number of pages reused, from the summary line ("(N unchanged since run R …").
        var reused: Int {
            guard let r = stdout.range(of: #"\((\d+) unchanged"#, options: .regularExpression) else { return 0 }
            return Int(stdout[r].dropFirst().prefix { $0.isNumber }) ?? 0
        }
    }

    func sweep(_ server: LocalServer, asOf: String, _ extra: [String] = []) throws -> Sweep {
        try runSweep(
            [
                "sweep", server.baseURL, "--as-of", asOf, "--store", dir.appendingPathComponent("store.sqlite").path,
                "--out", dir.appendingPathComponent("out-\(UUID().uuidString)").path, "--quiet",
            ] + extra)
    }

    func testUnchangedPagesAreReusedAndFindingsMatchAFullSweep() throws {
        let server = try LocalServer(handler: LocalServer.directoryHandler(root: site.path))
        defer { server.stop() }
        let first = try sweep(server, asOf: "2026-11-29")
        XCTAssertEqual(first.reused, 0, first.stdout)
        XCTAssertFalse(first.findings.isEmpty)
        XCTAssertTrue(first.findings.contains { ($0["url"] as? String)?.hasSuffix("/gone.html") == true })

        // Same site, same day: every page answers 304 and none is parsed again.
        let before = server.requests.count
        let second = try sweep(server, asOf: "2026-11-29")
        XCTAssertEqual(second.reused, 5, second.stdout)
        XCTAssertEqual(second.findings, first.findings)
        let conditional = server.requests[before...].filter { $0.headers["if-none-match"] != nil }
        XCTAssertEqual(conditional.count, 5, "each crawled page asked for conditionally")

        // One page changes: it alone is parsed; its new broken link is found.
        let a1 = site.appendingPathComponent("xwdt/a1.html")
        var html = try String(contentsOf: a1, encoding: .utf8)
        html = html.replacingOccurrences(of: "<a href=\"/\">首页</a>", with: "<a href=\"/\">首页</a><a href=\"/gone2.html\">另一个失效链接</a>")
        try Data(html.utf8).write(to: a1)
        let third = try sweep(server, asOf: "2026-11-29")
        XCTAssertEqual(third.reused, 4, third.stdout)
        XCTAssertTrue(third.findings.contains { ($0["url"] as? String)?.hasSuffix("/gone2.html") == true })
        let full = try sweep(server, asOf: "2026-11-29", ["--full"])
        XCTAssertEqual(full.reused, 0, full.stdout)
        XCTAssertEqual(third.findings, full.findings)

        // Another as-of day: the page with year-less dates is read again; the rest is reused.
        let later = try sweep(server, asOf: "2027-05-20")
        XCTAssertEqual(later.reused, 4, later.stdout)
        let laterFull = try sweep(server, asOf: "2027-05-20", ["--full"])
        XCTAssertEqual(later.findings, laterFull.findings)
    }

    /// A run killed half-way and resumed reports what an uninterrupted run reports: the pages
    /// parsed before the kill go to the inspection again from their stored facts.
    func testResumedRunInspectsThePagesFetchedBeforeTheInterruption() throws {
        // 300 articles, each with its own image without alt text (one a11y finding a page).
        let big = dir.appendingPathComponent("big")
        var home = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>首页</title></head><body><ul>"
        for i in 0..<300 {
            home += "<li><a href=\"/a/\(i).html\">文章\(i)</a> 2026-11-20</li>"
            let page =
                "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>文章\(i)</title></head><body><h1>文章\(i)</h1><img src=\"/img/\(i).png\"><a href=\"/\">首页</a></body></html>"
            try FileManager.default.createDirectory(at: big.appendingPathComponent("a"), withIntermediateDirectories: true)
            try Data(page.utf8).write(to: big.appendingPathComponent("a/\(i).html"))
        }
        try Data((home + "</ul></body></html>").utf8).write(to: big.appendingPathComponent("index.html"))
        let files = LocalServer.directoryHandler(root: big.path)
        let server = try LocalServer { request in
            if request.path.hasPrefix("/a/") { Thread.sleep(forTimeInterval: 0.02) }
            return files(request)
        }
        defer { server.stop() }
        let storePath = dir.appendingPathComponent("resume.sqlite").path
        let args = ["sweep", server.baseURL, "--as-of", "2026-11-29", "--store", storePath, "--quiet", "--per-host", "4"]

        // Killed once more than a batch of pages is stored.
        let killed = Process()
        killed.executableURL = CLITests.binary
        killed.arguments = args + ["--out", dir.appendingPathComponent("killed").path]
        killed.standardOutput = FileHandle.nullDevice
        killed.standardError = FileHandle.nullDevice
        try killed.run()
        let deadline = Date().addingTimeInterval(30)
        var stored = 0
        while Date() < deadline, killed.isRunning {
            if let store = try? SQLiteStore(path: storePath), let run = try? store.runs().first {
                stored = (try? store.pages(run: run.id).count) ?? 0
                if stored >= 130 { break }
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        XCTAssertGreaterThanOrEqual(stored, 130, "the run was killed after some pages were stored")
        XCTAssertLessThan(stored, 301, "and before it finished")

        let resumed = try runSweep(args + ["--resume", "--out", dir.appendingPathComponent("resumed").path])
        XCTAssertTrue(resumed.stdout.contains("resuming") || resumed.stdout.contains("fetched"), resumed.stdout)
        let clean = try runSweep([
            "sweep", server.baseURL, "--as-of", "2026-11-29", "--quiet", "--store",
            dir.appendingPathComponent("clean.sqlite").path, "--out", dir.appendingPathComponent("clean").path,
        ])
        let a11y = { (fs: [NSDictionary]) in fs.filter { $0["indicator"] as? String == "a11y" && ($0["url"] as? String)?.contains("/a/") == true }.count }
        XCTAssertEqual(a11y(clean.findings), 300)
        XCTAssertEqual(a11y(resumed.findings), 300, "pages parsed before the kill are inspected too")
        XCTAssertEqual(resumed.findings, clean.findings)
    }

    /// `govsweep ARGS` (with --out), its output and its findings without the run-comparison fields.
    func runSweep(_ args: [String]) throws -> Sweep {
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        let out = URL(fileURLWithPath: args[args.firstIndex(of: "--out")! + 1])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as? [String: Any])
        let findings = try XCTUnwrap(json["findings"] as? [NSDictionary]).map { f -> NSDictionary in
            let m = f.mutableCopy() as! NSMutableDictionary
            m.removeObjects(forKeys: ["status", "firstSeen"])
            return m
        }
        return Sweep(code: p.terminationStatus, stdout: text, findings: findings)
    }
}
