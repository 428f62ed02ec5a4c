import Demo
import Foundation
import XCTest

/// `govsweep demo` as a user runs it reports exactly the planted defects of EXPECTED.json.
final class DemoEndToEndTests: XCTestCase {
    func testDemoReportsExactlyThePlantedLinkDefects() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = ["demo", "--as-of", "2026-11-20", "--out", dir.appendingPathComponent("out").path,
                       "--store", dir.appendingPathComponent("demo.sqlite").path, "--quiet"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)

        // The served ports differ per run: compare paths. External URLs are "{{ext}}" + path.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/findings.json"))) as! [String: Any]
        let sites = json["sites"] as! [String]
        let portal = sites[0]
        func rel(_ url: String) -> String {
            if url.hasPrefix(portal) { return "/" + (String(url.dropFirst(portal.count)).removingPercentEncoding ?? "") }
            // http://127.0.0.1:PORT/rest -> {{ext}}rest
            let afterScheme = url.dropFirst("http://".count)
            let rest = afterScheme.drop { $0 != "/" }.dropFirst()
            return "{{ext}}" + rest
        }
        struct Key: Hashable { var url: String; var severity: String; var foundOn: [String]; var department: String? }
        let findings = (json["findings"] as! [[String: Any]]).filter { $0["indicator"] as? String == "link-broken" }
        let got = Set(findings.map { f in
            Key(url: rel(f["url"] as! String), severity: f["severity"] as! String,
                foundOn: (f["foundOn"] as! [String]).map(rel).sorted(),
                department: (f["url"] as! String).hasPrefix(portal) ? f["department"] as? String : nil)
        })
        let manifest = DemoPortal.expected
        let want = Set(manifest.findings.filter { $0.indicator == "link-broken" }.map { e in
            Key(url: e.url, severity: e.scope == "internal" && e.class == "broken" ? "deduct" : "advice",
                foundOn: (e.foundOn ?? []).sorted(), department: e.scope == "internal" ? e.department : nil)
        })
        XCTAssertEqual(got, want, "exactly the planted link defects, no more, no fewer")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/report.html").path))
    }
}
