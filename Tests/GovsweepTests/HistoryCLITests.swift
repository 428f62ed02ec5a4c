import Foundation
import LocalServer
import Synchronization
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A site whose pages a test changes between runs, and whose home page fails chosen
/// requests while probes are being sent.
final class ChangingSite: Sendable {
    struct State {
        var pages: [String: String] = [:]
        /// While set, home page requests are counted and those in `failing` answer 503.
        var probing = false
        var probeCount = 0
        var failing: Set<Int> = []
        /// Seconds every answer waits (a slow site, to kill a sweep half-way).
        var delay = 0.0
    }
    final class Box: Sendable { let mutex = Mutex(State()) }
    let box = Box()
    let server: LocalServer

    init(_ pages: [String: String]) throws {
        let box = self.box
        box.mutex.withLock { $0.pages = pages }
        server = try LocalServer { req in
            let (response, delay) = box.mutex.withLock { s -> (ServerResponse, Double) in
                if s.probing, req.path == "/" {
                    defer { s.probeCount += 1 }
                    if s.failing.contains(s.probeCount) { return (.html("<h1>503</h1>", status: 503), 0) }
                }
                guard let html = s.pages[req.path] else { return (.status(404), s.delay) }
                return (.html(html), s.delay)
            }
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            return response
        }
    }

    func withState<T>(_ body: (inout State) -> T) -> T { box.mutex.withLock { body(&$0) } }

    var url: String { server.baseURL }
    func set(_ path: String, _ html: String?) { withState { $0.pages[path] = html } }
    func stop() { server.stop() }

    /// The next `count` home page requests are probes; `failing` of them (spread evenly) fail.
    func outage(count: Int, failing: Int) {
        withState { s in
            s.probing = true
            s.probeCount = 0
            s.failing = Set((0..<count).filter { i in failing > 0 && (i + 1) * failing / count > i * failing / count })
        }
    }
    func endOutage() { withState { $0.probing = false } }
}

extension CLITests {
    /// A home page with news dated 2026-11-19 and today (China Standard Time), so it is fresh
    /// for the as-of dates these tests use (no homepage-stale veto to trip --fail-on veto), and
    /// a consultation and a service entry (no consult-channel or service-guide veto either).
    static var home: String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let c = cal.dateComponents([.year, .month, .day], from: Date())
        let today = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        return "<html lang=\"zh-CN\"><head><title>首页</title></head><body><div class=\"nav\"><a href=\"/a.html\">互动交流</a> <a href=\"/a.html\">政务服务</a></div>"
            + "<ul><li><a href=\"/a.html\">通知</a><span>2026-11-19</span></li>"
            + "<li><a href=\"/a.html#b\">要闻</a><span>\(today)</span></li></ul><a href=\"/gone.html\">坏链</a></body></html>"
    }
    static let page = "<html lang=\"zh-CN\"><head><title>通知</title></head><body><p>通知</p><a href=\"/\">首页</a></body></html>"

    func findings(_ out: URL) throws -> [[String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as! [String: Any]
        return json["findings"] as! [[String: Any]]
    }

    /// Issue 5: probes recorded over a simulated week, with the outage share set on the
    /// server, give the veto exactly when 5% or more fail (140 probes: 7 → veto, 6 → not).
    /// The probes are real requests; `--at` stamps them 72 minutes apart over the week
    /// before the as-of day's end (the sweep judges that week for a past --as-of).
    func testProbesOverASimulatedWeekVetoExactlyFromFivePercent() throws {
        for (failing, expected) in [(7, "veto"), (6, "deduct"), (1, nil)] as [(Int, String?)] {
            let site = try ChangingSite(["/": Self.home, "/a.html": Self.page])
            defer { site.stop() }
            let store = dir.appendingPathComponent("probe-\(failing).sqlite").path
            site.outage(count: 140, failing: failing)
            let p = try govsweep([
                "probe", site.url, "--store", store, "--count", "140", "--interval", "4320",
                "--at", "2026-11-14T00:36:00+08:00",
            ])
            site.endOutage()
            XCTAssertEqual(p.code, 0, p.stderr)
            XCTAssertTrue(p.stdout.contains("govsweep probe: \(140 - failing) of 140 probes ok"), p.stdout)
            XCTAssertTrue(p.stdout.contains("2026-11-20T23:24:00+08:00 \(site.url) broken 503") || failing < 7, p.stdout)

            let out = dir.appendingPathComponent("out-\(failing)")
            let r = try govsweep([
                "sweep", site.url, "--as-of", "2026-11-20", "--store", store, "--out", out.path,
                "--fail-on", "veto", "--quiet",
            ])
            XCTAssertEqual(r.code, expected == "veto" ? 1 : 0, "--fail-on veto trips only on the veto: \(r.stderr)")
            let unavailable = try findings(out).filter { $0["indicator"] as? String == "site-unavailable" }
            XCTAssertEqual(unavailable.compactMap { $0["severity"] as? String }, expected.map { [$0] } ?? [], "\(failing) of 140")
            if let f = unavailable.first {
                XCTAssertEqual(f["url"] as? String, site.url)
                XCTAssertEqual(f["subject"] as? String, expected == "veto" ? "site" : "homepage")
                let evidence = f["evidence"] as? [String: Any] ?? [:]
                XCTAssertEqual(evidence["probes"] as? Int, 140)
                XCTAssertEqual(evidence["failed"] as? Int, failing)
                XCTAssertEqual(evidence["fullDays"] as? Int, 7)
            }
            // A later as-of judges a later week: these probes are then too old for it.
            let later = try govsweep(["sweep", site.url, "--as-of", "2026-11-28", "--store", store, "--out", out.path, "--quiet"])
            XCTAssertEqual(later.code, 0, later.stderr)
            XCTAssertTrue(try findings(out).allSatisfy { $0["indicator"] as? String != "site-unavailable" })
        }
    }

    /// Too few probes: advice, not a judgement, and the sweep says so.
    func testTooFewProbesAreAdvice() throws {
        let site = try ChangingSite(["/": Self.home, "/a.html": Self.page])
        defer { site.stop() }
        let store = dir.appendingPathComponent("few.sqlite").path
        site.outage(count: 10, failing: 5)
        XCTAssertEqual(
            try govsweep(["probe", site.url, "--store", store, "--count", "10", "--interval", "60", "--at", "2026-11-20T08:00:00+08:00"]).code, 1 - 1)
        site.endOutage()
        let out = dir.appendingPathComponent("out")
        let r = try govsweep(["sweep", site.url, "--as-of", "2026-11-20", "--store", store, "--out", out.path, "--fail-on", "veto"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("availability: 10 probes in the week before the sweep"), r.stdout)
        let advice = try findings(out).filter { $0["indicator"] as? String == "site-unavailable" }
        XCTAssertEqual(advice.compactMap { $0["severity"] as? String }, ["advice"])
        XCTAssertTrue((advice.first?["message"] as? String)?.contains("样本不足") == true)
    }

    /// Two sweeps with a defect fixed and one introduced in between; a killed sweep in
    /// between is listed but never compared against; `history` and `diff` through the binary.
    func testHistoryAndDiffAcrossRunsWithAKilledRunBetween() throws {
        let site = try ChangingSite(["/": Self.home, "/a.html": Self.page])
        defer { site.stop() }
        let store = dir.appendingPathComponent("h.sqlite").path
        let out = dir.appendingPathComponent("out")
        let r1 = try govsweep(["sweep", site.url, "--as-of", "2026-11-13", "--store", store, "--out", out.path])
        XCTAssertEqual(r1.code, 0, r1.stderr)
        XCTAssertTrue(r1.stdout.contains("history: first run of these sites in the store"), r1.stdout)
        let first = try findings(out)

        // Killed half-way: the site turns slow, the sweep is killed once it has registered its run.
        site.withState { $0.delay = 0.5 }
        let killed = Process()
        killed.executableURL = CLITests.binary
        killed.arguments = ["sweep", site.url, "--as-of", "2026-11-16", "--store", store, "--out", dir.appendingPathComponent("killed").path, "--quiet"]
        killed.standardOutput = FileHandle.nullDevice
        killed.standardError = FileHandle.nullDevice
        try killed.run()
        let deadline = Date().addingTimeInterval(20)
        while try runCount(store) < 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        site.withState { $0.delay = 0 }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("killed").path), "no half-written report")

        // Between the runs: /gone.html is fixed (the link removed), /new.html breaks.
        site.set("/", Self.home.replacingOccurrences(of: "/gone.html", with: "/new.html"))
        let r2 = try govsweep(["sweep", site.url, "--as-of", "2026-11-20", "--store", store, "--out", out.path])
        XCTAssertEqual(r2.code, 0, r2.stderr)
        XCTAssertTrue(r2.stdout.contains("history: 1 new, \(first.count - 1) still open, 1 fixed since run 1 (2026-11-13)"), r2.stdout)

        // The department lists carry first-seen dates and status.
        let csvs = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("departments").path)
        let csv = try csvs.map { String(decoding: try Data(contentsOf: out.appendingPathComponent("departments/\($0)")), as: UTF8.self) }.joined()
        XCTAssertTrue(csv.contains("2026-11-13,仍存在"), csv)
        XCTAssertTrue(csv.contains("\(site.url)new.html"), csv)

        let h = try govsweep(["history", "--store", store])
        XCTAssertEqual(h.code, 0, h.stderr)
        let lines = h.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, h.stdout)
        XCTAssertTrue(lines[0].hasPrefix("ID  AS-OF"), h.stdout)
        XCTAssertTrue(lines[1].contains("2026-11-20") && lines[1].contains(" done "), h.stdout)
        XCTAssertTrue(lines[2].contains("2026-11-16") && lines[2].contains(" running "), "the killed run stays 'running': \(h.stdout)")
        XCTAssertTrue(lines[3].contains("2026-11-13") && lines[3].contains(" done "), h.stdout)
        XCTAssertEqual(try govsweep(["history", "--store", store, "--site", "http://127.0.0.1:1/"]).stdout, "no runs of http://127.0.0.1:1/ in \(store)\n")
        let hj =
            try JSONSerialization.jsonObject(with: Data(try govsweep(["history", "--store", store, "--site", site.url, "--json"]).stdout.utf8))
            as? [[String: Any]]
        XCTAssertEqual(hj?.compactMap { $0["status"] as? String }, ["done", "running", "done"])
        XCTAssertEqual(hj?.first?["asOf"] as? String, "2026-11-20")
        XCTAssertEqual(
            (hj?.first?["findings"] as? [String: Any])?["deduct"] as? Int,
            (try findings(out)).filter { $0["severity"] as? String == "deduct" }.count)

        let d = try govsweep(["diff", "1", "3", "--store", store, "--json"])
        XCTAssertEqual(d.code, 0, d.stderr)
        let diff = try JSONSerialization.jsonObject(with: Data(d.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((diff["new"] as? [[String: Any]])?.compactMap { $0["url"] as? String }, [site.url + "new.html"])
        XCTAssertEqual((diff["fixed"] as? [[String: Any]])?.compactMap { $0["url"] as? String }, [site.url + "gone.html"])
        XCTAssertEqual((diff["stillOpen"] as? [[String: Any]])?.count, first.count - 1)
        let text = try govsweep(["diff", "1", "3", "--store", store])
        XCTAssertTrue(text.stdout.hasPrefix("govsweep diff: run 1 (2026-11-13, "), text.stdout)
        XCTAssertTrue(text.stdout.contains("  + [deduct -1] link-broken \(site.url)new.html"), text.stdout)
        XCTAssertTrue(text.stdout.contains("  - [deduct -1] link-broken \(site.url)gone.html"), text.stdout)

        for (args, message) in [
            (["diff", "1", "9", "--store", store], "run 9: no such run in \(store)"),
            (["diff", "x", "1", "--store", store], "run x: no such run"),
            (["history", "--store", dir.appendingPathComponent("none.sqlite").path], "none.sqlite: no such store"),
            (["diff", "1", "2", "--store", dir.appendingPathComponent("none.sqlite").path], "none.sqlite: no such store"),
        ] {
            let e = try govsweep(args)
            XCTAssertEqual(e.code, 2, "\(args)")
            XCTAssertEqual(e.stderr.split(separator: "\n").count, 1, e.stderr)
            XCTAssertTrue(e.stderr.hasPrefix("govsweep: ") && e.stderr.contains(message), e.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("none.sqlite").path), "nothing created")
    }

    /// The number of runs in a store (read through the binary, which the killed run also writes).
    func runCount(_ store: String) throws -> Int {
        let h = try govsweep(["history", "--store", store])
        return max(0, h.stdout.split(separator: "\n").count - 1)
    }

    /// Two runs on one store: the second stops with one clear line, exit 2, and writes nothing.
    func testBusyStoreIsOneClearLine() throws {
        let store = dir.appendingPathComponent("busy.sqlite").path
        let fd = open(store + ".lock", O_RDWR | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        _ = "4242\n".withCString { write(fd, $0, 5) }
        let out = dir.appendingPathComponent("out")
        let r = try govsweep(["sweep", "http://127.0.0.1:1/", "--store", store, "--out", out.path])
        XCTAssertEqual(r.code, 2, r.stderr)
        XCTAssertEqual(r.stderr, "govsweep: store \(store) is in use by another govsweep run (pid 4242)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    /// `govsweep init` writes a site file that sweeps once its URL is set, and never overwrites.
    func testInitWritesAWorkingSiteFileAndRefusesToOverwrite() throws {
        let site = try ChangingSite(["/": Self.home, "/a.html": Self.page])
        defer { site.stop() }
        let r = try govsweep(["init", "site.yaml"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let file = dir.appendingPathComponent("site.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        for key in [
            "urls:", "profile:", "# departments:", "# phones:", "# accounts:", "# wording:", "# store:", "# out:",
            "max-pages:", "per-host:", "timeout:", "fail-on:",
        ] {
            XCTAssertTrue(text.contains(key), key)
        }
        try text.replacingOccurrences(of: "https://www.example.gov.cn/", with: site.url).write(to: file, atomically: true, encoding: .utf8)
        let sweep = try govsweep(["sweep", "--config", "site.yaml", "--as-of", "2026-11-20", "--quiet"])
        XCTAssertEqual(sweep.code, 0, sweep.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Reports/127.0.0.1/2026-11-20/findings.json").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("state/govsweep/govsweep.sqlite").path), "default store")

        let again = try govsweep(["init", "site.yaml"])
        XCTAssertEqual(again.code, 2)
        XCTAssertEqual(again.stderr, "govsweep: site.yaml: already exists; not overwritten (remove it or name another file)\n")
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), text.replacingOccurrences(of: "https://www.example.gov.cn/", with: site.url))
        XCTAssertEqual(try govsweep(["init", "no/such/dir/site.yaml"]).code, 2)
    }

    /// The systemd units and the cron lines, run as written: only the installed paths
    /// (/usr/local/bin/govsweep, /etc/govsweep/site.yaml, /var/lib) are replaced by the
    /// built binary and this test's folders.
    func testScheduledExamplesRunAsWritten() throws {
        let site = try ChangingSite(["/": Self.home, "/a.html": Self.page])
        defer { site.stop() }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let varLib = dir.appendingPathComponent("var-lib")
        let workDir = varLib.appendingPathComponent("govsweep")
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        XCTAssertEqual(try govsweep(["init", "site.yaml"]).code, 0)
        let cfg = dir.appendingPathComponent("site.yaml")
        try String(contentsOf: cfg, encoding: .utf8).replacingOccurrences(of: "https://www.example.gov.cn/", with: site.url)
            .write(to: cfg, atomically: true, encoding: .utf8)
        func local(_ command: String) -> String {
            command.replacingOccurrences(of: "/usr/local/bin/govsweep", with: CLITests.binary.path)
                .replacingOccurrences(of: "/etc/govsweep/site.yaml", with: cfg.path)
                .replacingOccurrences(of: "/var/lib", with: varLib.path)
        }
        func sh(_ command: String, env: [String: String] = [:], cwd: URL) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", command]
            p.currentDirectoryURL = cwd
            p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        var store: String { workDir.appendingPathComponent("govsweep.sqlite").path }

        for unit in ["govsweep-probe.service", "govsweep-sweep.service"] {
            let text = try String(contentsOf: repo.appendingPathComponent("scripts/systemd/\(unit)"), encoding: .utf8)
            func value(_ key: String) -> String? {
                text.split(separator: "\n").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
            }
            let exec = try XCTUnwrap(value("ExecStart"))
            let env = try XCTUnwrap(value("Environment")).split(separator: "=", maxSplits: 1).map { local(String($0)) }
            let cwd = URL(fileURLWithPath: local(try XCTUnwrap(value("WorkingDirectory"))))
            XCTAssertEqual(try sh(local(exec), env: [env[0]: env[1]], cwd: cwd), 0, "\(unit): \(exec)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: store), "the units share the StateDirectory store")
        let h = try govsweep(["history", "--store", store])
        XCTAssertEqual(h.stdout.split(separator: "\n").count, 2, h.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: workDir.appendingPathComponent("Reports/127.0.0.1").path))

        // cron: the command after the five time fields, run by the shell as cron does.
        let cron = try String(contentsOf: repo.appendingPathComponent("scripts/cron.example"), encoding: .utf8)
        let jobs = cron.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertEqual(jobs.count, 2)
        for job in jobs {
            let fields = job.split(separator: " ", omittingEmptySubsequences: true)
            let command = fields.dropFirst(5).joined(separator: " ")
            XCTAssertEqual(try sh(local(command), cwd: dir), 0, command)
        }
        XCTAssertEqual(try govsweep(["history", "--store", store]).stdout.split(separator: "\n").count, 3)
        let probeLog = try String(contentsOf: workDir.appendingPathComponent("probe.log"), encoding: .utf8)
        XCTAssertTrue(probeLog.contains("govsweep probe: 1 of 1 probes ok"), probeLog)
    }
}
