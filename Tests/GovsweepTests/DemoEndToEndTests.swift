import Demo
import Foundation
import XCTest

/// `govsweep demo` as a user runs it reports exactly the planted defects of EXPECTED.json:
/// every finding of every indicator, no more, no fewer, with its severity and department,
/// and the manifest's score and verdict.
final class DemoEndToEndTests: XCTestCase {
    /// One finding as the manifest states it: paths on the portal, `{{ext}}…` on the external server.
    struct Key: Hashable, CustomStringConvertible {
        var indicator: String
        var url: String
        var subject: String
        var severity: String
        var department: String
        var description: String { "\(indicator) \(url) \"\(subject)\" \(severity) \(department)" }
    }

    struct Run {
        var json: [String: Any]
        var portal: String
        var findings: [[String: Any]] { json["findings"] as? [[String: Any]] ?? [] }

        /// Portal URLs to percent-decoded paths; http://127.0.0.1:PORT/rest on the external server to {{ext}}rest.
        func rel(_ url: String) -> String {
            if url.hasPrefix(portal) { return "/" + (String(url.dropFirst(portal.count)).removingPercentEncoding ?? "") }
            let afterScheme = url.dropFirst("http://".count)
            return "{{ext}}" + afterScheme.drop { $0 != "/" }.dropFirst()
        }

        var keys: [Key] {
            findings.map { f in
                Key(
                    indicator: f["indicator"] as? String ?? "?", url: rel(f["url"] as? String ?? ""),
                    subject: f["subject"] as? String ?? "?", severity: f["severity"] as? String ?? "?",
                    department: f["department"] as? String ?? "?")
            }
        }
    }

    /// Runs `govsweep demo --as-of DATE` and reads its findings.json; `inspect` sees the
    /// demo's folder (out/, demo.sqlite) and its output before they are removed.
    func demo(asOf: String, profile: String? = nil, inspect: ((URL, String) throws -> Void)? = nil) throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments =
            [
                "demo", "--as-of", asOf, "--out", dir.appendingPathComponent("out").path,
                "--store", dir.appendingPathComponent("demo.sqlite").path, "--quiet",
            ]
            + (profile.map { ["--profile", $0] } ?? [])
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/report.html").path))
        let data = try Data(contentsOf: dir.appendingPathComponent("out/findings.json"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let sites = try XCTUnwrap(json["sites"] as? [String])
        try inspect?(dir, text)
        return Run(json: json, portal: try XCTUnwrap(sites.first))
    }

    /// Runs the binary; stdout and stderr apart.
    static func govsweep(_ args: [String]) throws -> (code: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// The manifest's findings, plus the profile's own when a profile is named (a profile's
    /// finding with the same indicator, url and subject replaces the base one).
    static func planted(profile: String? = nil) -> [Key] {
        let extra = profile.flatMap { DemoPortal.expected.profiles?[$0]?.findings } ?? []
        let base = DemoPortal.expected.findings.filter { b in
            !extra.contains { $0.indicator == b.indicator && $0.url == b.url && ($0.subject ?? "") == (b.subject ?? "") }
        }
        // The second run also reports the availability probes' finding.
        let probes = DemoPortal.expected.runs?.findings ?? []
        return (base + extra + probes).map { e in
            Key(indicator: e.indicator, url: e.url, subject: e.subject ?? "", severity: e.severity ?? "?", department: e.department ?? "")
        }
    }

    func assertExactlyPlanted(_ run: Run, asOf: String, profile: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        // The demo's messages are dated in the as-of year: a year without a bundled holiday
        // calendar is reported once, as advice (working days then count weekends only).
        let isCalendarAdvice = { (k: Key) in k.indicator == "reply-late" && k.subject.hasSuffix("年工作日历缺失") }
        // Messages are dated up to 120 days back, so the year before can be read too.
        let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Rules/calendars")
        let year = Int(asOf.prefix(4))!
        let earliest = DemoDate(asOf)!.adding(days: -120)!.year
        let noCalendar = Set(earliest...year).filter { !FileManager.default.fileExists(atPath: rules.appendingPathComponent("\($0).yaml").path) }
        let calendarAdvice = run.keys.filter(isCalendarAdvice)
        let advised = Set(calendarAdvice.map { $0.subject })
        XCTAssertTrue(
            advised.isSubset(of: Set(noCalendar.map { "\($0)年工作日历缺失" })),
            "\(asOf): advice only for years without a calendar: \(advised)", file: file, line: line)
        XCTAssertEqual(
            advised.contains("\(year)年工作日历缺失"), noCalendar.contains(year),
            "\(asOf): the as-of year's missing calendar reported, a present one not", file: file, line: line)
        let got = run.keys.filter { !isCalendarAdvice($0) }
        let want = Self.planted(profile: profile)
        XCTAssertEqual(
            got.count, Set(got).count, "\(asOf): a finding reported twice: \(got.sorted { $0.description < $1.description })", file: file, line: line)
        let extra = Set(got).subtracting(want), missing = Set(want).subtracting(got)
        XCTAssertTrue(
            extra.isEmpty, "\(asOf): not planted (false alarms or wrong severity/department):\n\(extra.map(\.description).sorted().joined(separator: "\n"))",
            file: file, line: line)
        XCTAssertTrue(
            missing.isEmpty, "\(asOf): planted but not reported:\n\(missing.map(\.description).sorted().joined(separator: "\n"))", file: file, line: line)
        let manifest = DemoPortal.expected
        let other = profile.flatMap { manifest.profiles?[$0] }
        if let score = other?.score ?? manifest.score { XCTAssertEqual(run.json["score"] as? Double, score, "\(asOf): score", file: file, line: line) }
        if let verdict = other?.verdict ?? manifest.verdict {
            XCTAssertEqual(run.json["verdict"] as? String, verdict, "\(asOf): verdict", file: file, line: line)
        }
        if let vetoes = other?.vetoes ?? manifest.vetoes { XCTAssertEqual(run.json["vetoes"] as? [String], vetoes, "\(asOf): vetoes", file: file, line: line) }
    }

    func testDemoReportsExactlyThePlantedDefects() throws {
        let run = try demo(asOf: "2026-11-20")
        assertExactlyPlanted(run, asOf: "2026-11-20")
        XCTAssertEqual(run.json["profile"] as? String, "national-2019")

        // Beyond the key: rules, points, and where broken links were found.
        let manifest = DemoPortal.expected
        for f in run.findings {
            let key = Key(
                indicator: f["indicator"] as? String ?? "", url: run.rel(f["url"] as? String ?? ""),
                subject: f["subject"] as? String ?? "", severity: f["severity"] as? String ?? "",
                department: f["department"] as? String ?? "")
            guard let e = manifest.findings.first(where: { $0.indicator == key.indicator && $0.url == key.url && ($0.subject ?? "") == key.subject }) else {
                continue
            }
            if let rule = e.rule { XCTAssertEqual(f["rule"] as? String, rule, key.description) }
            if let points = e.points { XCTAssertEqual(f["points"] as? Double, points, key.description) }
            if e.indicator == "link-broken", let foundOn = e.foundOn {
                XCTAssertEqual(((f["foundOn"] as? [String]) ?? []).map(run.rel).sorted(), foundOn.sorted(), key.description)
            }
        }
        // Recall and precision of the content checks on the demo (planted vs found).
        let planted = Set(Self.planted()), found = Set(run.keys)
        for ind in [
            "phone-unfiled", "policy-metadata", "reply-late", "reply-missing", "wording",
            "newmedia-stale", "newmedia-unreachable", "newmedia-unfiled",
        ] {
            let p = planted.filter { $0.indicator == ind }, g = found.filter { $0.indicator == ind && !$0.subject.hasSuffix("年工作日历缺失") }
            print("demo portal \(ind): recall \(p.intersection(g).count)/\(p.count), precision \(p.intersection(g).count)/\(g.count)")
        }
        // The demo shows every indicator the rule engine's planted defects cover.
        let indicators = Set(run.keys.map(\.indicator))
        for indicator in ["link-broken", "column-stale", "column-blank", "column-missing", "footer-marker", "a11y"] {
            XCTAssertTrue(indicators.contains(indicator), indicator)
        }
        XCTAssertFalse(indicators.contains("homepage-stale"), "the home page is fresh")
        // No trap is reported.
        for trap in manifest.clean.traps ?? [] {
            let planted = Set(manifest.findings.filter { $0.indicator == trap.indicator }.map(\.url))
            if planted.contains(trap.url) { continue }  // a trap beside a planted defect on the same page
            XCTAssertFalse(run.keys.contains { $0.indicator == trap.indicator && $0.url == trap.url }, "trap reported: \(trap.note)")
        }
    }

    /// The demo sweeps twice into one store, a week apart, with the portal changed between:
    /// the second run reports the manifest's fixed and new findings, and the trend has two points.
    func testSecondRunReportsTheFixedAndNewFindings() throws {
        let runs = try XCTUnwrap(DemoPortal.expected.runs)
        var diff: [String: Any] = [:]
        var history = "", output = ""
        let run = try demo(asOf: "2026-11-20") { dir, text in
            output = text
            let store = dir.appendingPathComponent("demo.sqlite").path
            let d = try Self.govsweep(["diff", "1", "2", "--store", store, "--json"])
            XCTAssertEqual(d.code, 0, d.stderr)
            diff = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(d.stdout.utf8)) as? [String: Any])
            history = try Self.govsweep(["history", "--store", store]).stdout
            // The first run's report stays beside the second's.
            let earlier = try Data(contentsOf: dir.appendingPathComponent("out-earlier/findings.json"))
            let earlierJSON = try XCTUnwrap(try JSONSerialization.jsonObject(with: earlier) as? [String: Any])
            XCTAssertEqual(earlierJSON["asOf"] as? String, "2026-11-13")
            XCTAssertEqual(earlierJSON["score"] as? Double, 83.3)
            // The department lists say which findings are still open since the first run.
            let csv = try String(contentsOf: dir.appendingPathComponent("out/departments/区政府办公室.csv"), encoding: .utf8)
            XCTAssertTrue(csv.contains("2026-11-13,仍存在"), csv)
            XCTAssertTrue(csv.contains("2026-11-20,新发现"), csv)
        }
        func keys(_ list: [[String: Any]]?) -> Set<Key> {
            Set(
                (list ?? []).map { f in
                    Key(
                        indicator: f["indicator"] as? String ?? "", url: run.rel(f["url"] as? String ?? ""), subject: f["subject"] as? String ?? "",
                        severity: f["severity"] as? String ?? "", department: "")
                })
        }
        func planted(_ list: [DemoManifest.Planted]) -> Set<Key> {
            Set(list.map { Key(indicator: $0.indicator, url: $0.url, subject: $0.subject ?? "", severity: $0.severity ?? "", department: "") })
        }
        XCTAssertEqual(keys(diff["new"] as? [[String: Any]]), planted(runs.new))
        XCTAssertEqual(keys(diff["fixed"] as? [[String: Any]]), planted(runs.fixed))
        XCTAssertEqual((diff["stillOpen"] as? [[String: Any]])?.count, run.findings.count - runs.new.count)
        XCTAssertEqual((diff["from"] as? [String: Any])?["asOf"] as? String, "2026-11-13")
        XCTAssertEqual((diff["to"] as? [String: Any])?["asOf"] as? String, "2026-11-20")
        // Two finished runs: the trend's two points.
        let lines = history.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, history)
        XCTAssertTrue(lines[1].contains("2026-11-20") && lines[1].contains(" done "), history)
        XCTAssertTrue(lines[2].contains("2026-11-13") && lines[2].contains(" done "), history)
        // The demo says what changed.
        XCTAssertTrue(output.contains("between run 1 (2026-11-13, score 83.3) and run 2 (2026-11-20, score 78.3): 3 fixed, 2 new"), output)
        XCTAssertTrue(output.contains("fixed  link-broken \(run.portal)rsxx/gkzp_jg.html"), output)
        XCTAssertTrue(output.contains("new    site-unavailable \(run.portal) \"homepage\""), output)
        XCTAssertTrue(output.contains("recorded 280 availability probes"), output)
    }

    /// Each other bundled profile the manifest describes reports the base findings plus its own.
    func testEveryProfileReportsExactlyItsPlantedDefects() throws {
        let profiles = DemoPortal.expected.profiles ?? [:]
        XCTAssertTrue(profiles.keys.contains("xicheng-2022"))
        for name in profiles.keys.sorted() {
            let run = try demo(asOf: "2026-11-20", profile: name)
            XCTAssertEqual(run.json["profile"] as? String, name)
            assertExactlyPlanted(run, asOf: "2026-11-20", profile: name)
        }
    }

    /// The demo runs with today's date by default: date tokens keep the planted/clean split
    /// the same on any day (across a year boundary, early in the year, a leap day).
    func testPlantedSplitIsStableWhateverTheDate() throws {
        for asOf in ["2026-03-01", "2027-01-15", "2028-02-29"] {
            assertExactlyPlanted(try demo(asOf: asOf), asOf: asOf)
        }
    }
}
