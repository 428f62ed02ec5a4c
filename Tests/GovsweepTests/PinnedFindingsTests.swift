import Foundation
import LocalServer
import XCTest

/// The findings.json of `govsweep demo` (both runs) and of a sweep of the content fixture
/// site, pinned whole: ids, scores, verdicts, vetoes, findings, counts, evidence. Only what
/// changes from one run to the next is taken out: timestamps, run ids, and the local
/// servers' ports (URLs name `portal`, `external` or `site` instead; ids are checked against
/// the raw URL first, then recomputed over the named one). Refactors must leave these files
/// alone; a change that legitimately moves a finding regenerates them with
/// `GOVSWEEP_PIN_UPDATE=1 swift test --filter PinnedFindingsTests` and says so.
final class PinnedFindingsTests: XCTestCase {
    static let pinned = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pinned")

    func testDemoFindingsArePinned() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pin-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try DemoEndToEndTests.govsweep([
            "demo", "--as-of", "2026-11-20", "--out", dir.appendingPathComponent("out").path,
            "--store", dir.appendingPathComponent("demo.sqlite").path, "--quiet",
        ])
        XCTAssertEqual(r.code, 0, r.stderr)
        try check(dir.appendingPathComponent("out-earlier/findings.json"), against: "demo-run1.json")
        try check(dir.appendingPathComponent("out/findings.json"), against: "demo-run2.json")
    }

    func testContentSiteFindingsArePinned() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = CLITests.contentSite
        let (server, accounts) = try CLITests.serveContentSite(accountsIn: dir)
        defer { server.stop() }
        let out = dir.appendingPathComponent("out")
        let r = try DemoEndToEndTests.govsweep([
            "sweep", server.baseURL, "--as-of", "2022-11-01", "--profile", "xicheng-2022", "--out", out.path,
            "--store", dir.appendingPathComponent("s.sqlite").path,
            "--departments", root.appendingPathComponent("departments.csv").path,
            "--phones", root.appendingPathComponent("phones.csv").path,
            "--wording", root.appendingPathComponent("wording.csv").path,
            "--accounts", accounts.path, "--timeout", "5", "--quiet",
        ])
        XCTAssertEqual(r.code, 0, r.stderr)
        try check(out.appendingPathComponent("findings.json"), against: "content-site.json")
    }

    /// Compares the normalised document with the pinned file (or writes it, with GOVSWEEP_PIN_UPDATE).
    func check(_ findings: URL, against name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: findings)) as? [String: Any])
        let got = try Self.normalised(json)
        let expectedURL = Self.pinned.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["GOVSWEEP_PIN_UPDATE"] != nil {
            try FileManager.default.createDirectory(at: Self.pinned, withIntermediateDirectories: true)
            try got.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let want = try String(contentsOf: expectedURL, encoding: .utf8)
        if got != want {
            let g = got.split(separator: "\n", omittingEmptySubsequences: false), w = want.split(separator: "\n", omittingEmptySubsequences: false)
            let i = (0..<min(g.count, w.count)).first { g[$0] != w[$0] } ?? min(g.count, w.count)
            XCTFail(
                "\(name): differs from line \(i + 1):\n  pinned: \(i < w.count ? w[i] : "<end>")\n  now:    \(i < g.count ? g[i] : "<end>")",
                file: file, line: line)
        }
    }

    /// Timestamps and the run id out; the local servers' ports named; ids checked, then recomputed.
    static func normalised(_ doc: [String: Any]) throws -> String {
        var doc = doc
        for key in ["startedAt", "finishedAt", "runId"] { doc.removeValue(forKey: key) }
        let site = (doc["sites"] as? [String])?.first ?? ""
        let sitePort = site.split(separator: ":").last.map { String($0.prefix { $0.isNumber }) } ?? ""
        let portRE = try NSRegularExpression(pattern: "http://127\\.0\\.0\\.1:([0-9]+)")
        func name(_ s: String) -> String {
            let s = localPaths(s)
            let ns = s as NSString
            var out = "", last = 0
            for m in portRE.matches(in: s, range: NSRange(location: 0, length: ns.length)) {
                out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
                out += ns.substring(with: m.range(at: 1)) == sitePort ? "http://portal" : "http://external"
                last = m.range.location + m.range.length
            }
            return out + ns.substring(from: last)
        }
        // Every finding-shaped object (findings, fixed, …): its id is checked, then recomputed.
        var badID: [String: Any]?
        func walk(_ v: Any) -> Any {
            switch v {
            case let s as String: return name(s)
            case let a as [Any]: return a.map(walk)
            case let o as [String: Any]:
                var n = Dictionary(uniqueKeysWithValues: o.map { (name($0.key), walk($0.value)) })
                if let id = o["id"] as? String, let rule = o["rule"] as? String, let url = o["url"] as? String {
                    let subject = o["subject"] as? String ?? ""
                    if id != stableID(rule: rule, url: url, subject: subject) { badID = o }
                    n["id"] = stableID(rule: rule, url: name(url), subject: name(subject))
                }
                return n
            default: return v
            }
        }
        doc = walk(doc) as! [String: Any]
        if let badID {
            throw NSError(domain: "pin", code: 1, userInfo: [NSLocalizedDescriptionKey: "finding id is not FNV-1a of rule, url, subject: \(badID)"])
        }
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The package's folder (a clone's, wherever it is), named `<root>`, and the build folder's
    /// platform and configuration, `<build>`: a wording entry names the file it came from.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let buildRE = try! NSRegularExpression(pattern: "<root>/\\.build[^/]*/[^/]+/[^/]+/")

    static func localPaths(_ s: String) -> String {
        guard s.contains(root) else { return s }
        let t = s.replacingOccurrences(of: root, with: "<root>")
        return buildRE.stringByReplacingMatches(
            in: t, range: NSRange(location: 0, length: (t as NSString).length),
            withTemplate: "<build>/")
    }

    /// The contract's finding id, written out again here as a known answer (so a change to
    /// the production function shows).
    static func stableID(rule: String, url: String, subject: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142
        for part in [rule, url, subject] {
            for byte in part.utf8 {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9
            }
            a = (a ^ 0x1f) &* 0x0000_0100_0000_01b3
            b = (b ^ 0x1f) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9
        }
        func hex(_ v: UInt64) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
        return hex(a) + hex(b)
    }
}
