import Foundation
import LocalServer
import XCTest

/// Issue 4's done-when: `govsweep sweep` with --phones, --accounts and --wording on the
/// content fixture site reports exactly the planted content defects and none of the traps.
extension CLITests {
    static let contentSite = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/content-site")

    static let contentIndicators = [
        "phone-unfiled", "phone-malformed", "policy-metadata", "reply-late", "reply-missing",
        "wording", "newmedia-stale", "newmedia-unreachable", "newmedia-unfiled",
        "service-guide", "consult-channel", "message-times",
    ]

    /// The content fixture site served on 127.0.0.1, with its accounts.csv written into `dir`
    /// for that server (its feeds are on the site).
    static func serveContentSite(accountsIn dir: URL) throws -> (server: LocalServer, accounts: URL) {
        let server = try LocalServer(handler: LocalServer.directoryHandler(root: contentSite.appendingPathComponent("site").path))
        let accounts = dir.appendingPathComponent("accounts.csv")
        try String(contentsOf: contentSite.appendingPathComponent("accounts.csv"), encoding: .utf8)
            .replacingOccurrences(of: "{{base}}", with: server.baseURL).write(to: accounts, atomically: true, encoding: .utf8)
        return (server, accounts)
    }

    func testContentFixtureSiteReportsExactlyThePlantedDefects() throws {
        let root = Self.contentSite
        let (server, accounts) = try Self.serveContentSite(accountsIn: dir)
        defer { server.stop() }
        let out = dir.appendingPathComponent("out")
        let r = try govsweep([
            "sweep", server.baseURL, "--as-of", "2022-11-01", "--profile", "xicheng-2022", "--out", out.path,
            "--departments", root.appendingPathComponent("departments.csv").path,
            "--phones", root.appendingPathComponent("phones.csv").path,
            "--wording", root.appendingPathComponent("wording.csv").path,
            "--accounts", accounts.path, "--timeout", "5", "--quiet",
        ])
        XCTAssertEqual(r.code, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as! [String: Any]
        let findings = (json["findings"] as! [[String: Any]]).filter { Self.contentIndicators.contains($0["indicator"] as! String) }
        let got = Set(findings.map { "\($0["indicator"] as! String)|\($0["subject"] as! String)" })
        let planted = Set(
            try String(contentsOf: root.appendingPathComponent("planted.txt"), encoding: .utf8)
                .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty })
        for ind in Self.contentIndicators {
            let p = planted.filter { $0.hasPrefix(ind + "|") }, g = got.filter { $0.hasPrefix(ind + "|") }
            let hit = p.intersection(g).count
            print("content fixture site (govsweep sweep) \(ind): recall \(hit)/\(p.count), precision \(hit)/\(g.count)")
        }
        XCTAssertEqual(got, planted, "missed: \(planted.subtracting(got)); traps reported: \(got.subtracting(planted))")
        let stale = findings.first { $0["indicator"] as? String == "newmedia-stale" }
        XCTAssertEqual(stale?["url"] as? String, server.baseURL + "feeds/stale.atom")
        XCTAssertEqual(stale?["severity"] as? String, "veto")
        XCTAssertEqual(stale?["department"] as? String, "区政务服务管理局")
        let unfiled = findings.first { $0["indicator"] as? String == "newmedia-unfiled" }
        XCTAssertEqual(unfiled?["url"] as? String, server.baseURL + "xmt/")
        XCTAssertEqual(unfiled?["department"] as? String, "区融媒体中心")
        let reasons = findings.filter { $0["indicator"] as? String == "newmedia-unreachable" }
            .compactMap { ($0["evidence"] as? [String: Any])?["kind"] as? String }.sorted()
        XCTAssertEqual(reasons, ["not-a-feed", "not-a-feed", "unreachable"])
    }

    func testBadAccountsFileExitsTwoWithFileAndLine() throws {
        let accounts = dir.appendingPathComponent("accounts.csv")
        try "platform,name,department,feed\n微信,西城发布,区融媒体中心,http://127.0.0.1:1/a.rss\n微博,西城发布,区融媒体中心,feed.rss\n"
            .write(to: accounts, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        var r = try govsweep(["sweep", "http://127.0.0.1:1/", "--accounts", accounts.path, "--out", out.path])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.stderr.contains("accounts.csv:3: feed \"feed.rss\" is not an http(s) URL"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        try "微信,西城发布,区融媒体中心\n".write(to: accounts, atomically: true, encoding: .utf8)
        r = try govsweep(["sweep", "http://127.0.0.1:1/", "--accounts", accounts.path, "--out", out.path])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.stderr.contains("accounts.csv:1: expected 4 columns"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
}
