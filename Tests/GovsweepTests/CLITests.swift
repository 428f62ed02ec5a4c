import Foundation
import LocalServer
import XCTest

/// The command line as a user runs it: the built `govsweep` binary in a subprocess,
/// against sites served on 127.0.0.1 by this process.
final class CLITests: XCTestCase {
    var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("clitests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: dir)
    }

    static var binary: URL {
        // The test bundle sits beside the product in .build/<config>/.
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = url.appendingPathComponent("govsweep")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("govsweep")
    }

    struct Result { var code: Int32; var stdout: String; var stderr: String }

    func govsweep(_ args: [String], cwd: URL? = nil) throws -> Result {
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = args
        p.currentDirectoryURL = cwd ?? dir
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = dir.appendingPathComponent("state").path
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func serveSite() throws -> LocalServer {
        try LocalServer { req in
            switch req.path {
            case "/":
                return .html(
                    "<html lang=\"zh-CN\"><head><title>首页</title></head><body><a href=\"/bm/a.html\">部门</a><a href=\"/gone.html\">坏链</a></body></html>")
            case "/bm/a.html":
                return .html("<html><body><a href=\"/bm/missing.pdf\">附件</a><a href=\"/\">首页</a></body></html>")
            default:
                return .status(404)
            }
        }
    }

    func testHelpExitsZero() throws {
        let r = try govsweep(["--help"])
        XCTAssertEqual(r.code, 0)
        XCTAssertTrue(r.stdout.contains("sweep"))
    }

    func testBadArgumentsExitTwoWithOneLine() throws {
        for args in [
            ["sweep"], ["sweep", "http://127.0.0.1:1/", "--as-of", "2022-13-01"],
            ["sweep", "http://127.0.0.1:1/", "--fail-on", "sometimes"], ["sweep", "ftp://x/"],
            ["sweep", "http://127.0.0.1:1/", "--max-pages", "0"], ["sweep", "http://127.0.0.1:1/", "--bogus"],
        ] {
            let r = try govsweep(args)
            XCTAssertEqual(r.code, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): one line, got \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("govsweep: "), r.stderr)
        }
    }

    func testAsOfIsReadAsYYYYMMDD() throws {
        for bad in ["2022-13-01", "2022-1-05", "2022/11/01", "1989-12-31"] {
            let r = try govsweep(["sweep", "http://127.0.0.1:1/", "--as-of", bad])
            XCTAssertEqual(r.stderr, "govsweep: --as-of \(bad): not a date of the form YYYY-MM-DD\n")
        }
    }

    func testBadInputFileNamesFileAndLineAndWritesNothing() throws {
        let csv = dir.appendingPathComponent("departments.csv")
        try "pattern,department\n# comment\n/bm/,区教委\nnot-a-pattern,区财政局\n".write(to: csv, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try govsweep(["sweep", "http://127.0.0.1:1/", "--departments", csv.path, "--out", out.path])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.stderr.contains("departments.csv:4:"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    /// A store inside --out would be deleted with the folder when the report replaces it
    /// (issue 13, item 9): refused with one line naming both paths, before anything is
    /// written, however the paths are spelled.
    func testStoreInsideTheOutputFolderIsRefused() throws {
        let fm = FileManager.default
        let out = dir.appendingPathComponent("OUT")
        try fm.createDirectory(at: out.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let earlier = Data("runs of earlier sweeps".utf8)
        try earlier.write(to: out.appendingPathComponent("s.sqlite"))
        try fm.createSymbolicLink(at: dir.appendingPathComponent("link"), withDestinationURL: out)
        let cases: [[String]] = [
            ["--out", "OUT", "--store", "OUT/s.sqlite"],
            ["--out", "./OUT/", "--store", out.appendingPathComponent("s.sqlite").path],
            ["--out", "OUT", "--store", "link/s.sqlite"],
            ["--out", "link", "--store", "OUT/sub/new.sqlite"],
            ["--out", "OUT", "--store", "OUT/sub/../s.sqlite"],
            ["--out", "OUT/sub/..", "--store", "OUT/later/s.sqlite"],
            ["--out", "OUT", "--store", "OUT"],
        ]
        for args in cases {
            let r = try govsweep(["sweep", "http://127.0.0.1:1/"] + args)
            XCTAssertEqual(r.code, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--store \(args[3])") && r.stderr.contains("--out \(args[1])"), r.stderr)
        }
        // The site file's `store` and `out` are checked the same way.
        let config = dir.appendingPathComponent("site.yaml")
        try "urls: [\"http://127.0.0.1:1/\"]\nout: OUT\nstore: OUT/s.sqlite\n".write(to: config, atomically: true, encoding: .utf8)
        XCTAssertEqual(try govsweep(["sweep", "--config", config.path]).code, 2)
        // The demo replaces two folders, --out and --out-earlier.
        for args in [["--out", "OUT", "--store", "OUT/demo.sqlite"], ["--out", "OUT", "--store", "OUT-earlier/demo.sqlite"]] {
            let r = try govsweep(["demo"] + args)
            XCTAssertEqual(r.code, 2, "demo \(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("is inside --out"), r.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("s.sqlite")), earlier)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: out.path).sorted(), ["s.sqlite", "sub"])
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: out.appendingPathComponent("sub").path), [])
        // Beside the folder, or in a folder whose name merely begins the same, is fine (then
        // the unreachable start URL ends the run: exit 3).
        for args in [["--out", "OUT", "--store", "OUT.sqlite"], ["--out", "OUT", "--store", "OUTER/s.sqlite"]] {
            let r = try govsweep(["sweep", "http://127.0.0.1:1/", "--quiet"] + args)
            XCTAssertEqual(r.code, 3, "\(args): \(r.stderr)")
        }
    }

    func testUnreachableStartExitsThree() throws {
        let site = try serveSite()
        let url = site.baseURL
        site.stop()
        let out = dir.appendingPathComponent("out")
        let r = try govsweep(["sweep", url, "--out", out.path, "--quiet"])
        XCTAssertEqual(r.code, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("no start URL could be fetched"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testSweepWritesFindingsAndFailOnTrips() throws {
        let site = try serveSite()
        defer { site.stop() }
        let csv = dir.appendingPathComponent("departments.csv")
        // GBK bytes, as a spreadsheet program exports them: "/bm/,区教委".
        try Data([0x2F, 0x62, 0x6D, 0x2F, 0x2C, 0xC7, 0xF8, 0xBD, 0xCC, 0xCE, 0xAF, 0x0A]).write(to: csv)
        let out = dir.appendingPathComponent("out")
        let r = try govsweep([
            "sweep", site.baseURL, "--as-of", "2022-11-01", "--out", out.path,
            "--departments", csv.path, "--quiet",
        ])
        XCTAssertEqual(r.code, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as! [String: Any]
        XCTAssertEqual(json["tool"] as? String, "govsweep")
        XCTAssertEqual(json["asOf"] as? String, "2022-11-01")
        XCTAssertEqual((json["pages"] as? [String: Any])?["fetched"] as? Int, 2)
        let findings = json["findings"] as! [[String: Any]]
        let broken = findings.filter { $0["indicator"] as? String == "link-broken" }
        XCTAssertEqual(Set(broken.compactMap { $0["url"] as? String }), [site.baseURL + "gone.html", site.baseURL + "bm/missing.pdf"])
        let pdf = broken.first { ($0["url"] as? String)?.hasSuffix(".pdf") == true }!
        XCTAssertEqual(pdf["foundOn"] as? [String], [site.baseURL + "bm/a.html"])
        XCTAssertEqual(pdf["department"] as? String, "区教委")
        XCTAssertEqual(pdf["severity"] as? String, "deduct")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.md").path))
        let deptCSV = try Data(contentsOf: out.appendingPathComponent("departments/区教委.csv"))
        XCTAssertEqual(Array(deptCSV.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 with BOM")

        // The same defect has the same id in a second run; --fail-on deduct trips.
        let r2 = try govsweep(["sweep", site.baseURL, "--as-of", "2022-11-01", "--out", out.path, "--fail-on", "deduct", "--quiet"])
        XCTAssertEqual(r2.code, 1, r2.stderr)
        let json2 = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as! [String: Any]
        let ids1 = Set(findings.compactMap { $0["id"] as? String })
        let ids2 = Set((json2["findings"] as! [[String: Any]]).compactMap { $0["id"] as? String })
        XCTAssertEqual(ids1, ids2)
    }

    func testConfigFileAndCommandLineWins() throws {
        let site = try serveSite()
        defer { site.stop() }
        let cfg = dir.appendingPathComponent("site.yaml")
        try "urls: [\(site.baseURL)]\nas-of: 2022-11-01\nout: cfg-out\nmax-pages: 1\n".write(to: cfg, atomically: true, encoding: .utf8)
        let r = try govsweep(["sweep", "--config", cfg.path, "--max-pages", "5", "--quiet"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("cfg-out/findings.json"))) as! [String: Any]
        XCTAssertEqual((json["pages"] as? [String: Any])?["fetched"] as? Int, 2, "--max-pages 5 on the command line wins over 1")

        try "urls: [\(site.baseURL)]\nmax-pagez: 3\n".write(to: cfg, atomically: true, encoding: .utf8)
        let bad = try govsweep(["sweep", "--config", cfg.path])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.stderr.contains("site.yaml:2:"), bad.stderr)
    }
}
