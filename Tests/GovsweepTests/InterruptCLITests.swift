import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

extension CLITests {
    /// SIGINT or SIGTERM during a sweep: the run is marked interrupted (it stayed "running"
    /// for ever), the exit code is 128 + the signal, and --resume finishes that same run.
    func testInterruptedSweepIsMarkedInterruptedAndResumes() throws {
        let site = try ChangingSite(["/": Self.home, "/a.html": Self.page])
        defer { site.stop() }
        let store = dir.appendingPathComponent("i.sqlite").path
        for (n, sig) in [(1, SIGINT), (2, SIGTERM)] {
            site.withState { $0.delay = 0.5 }
            let p = Process()
            p.executableURL = CLITests.binary
            p.arguments =
                ["sweep", site.url, "--as-of", "2026-11-16", "--store", store, "--out", dir.appendingPathComponent("i\(n)").path, "--quiet"]
                + (n == 2 ? ["--resume"] : [])
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            let deadline = Date().addingTimeInterval(20)
            while try runCount(store) < 1, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            Thread.sleep(forTimeInterval: 0.6)  // (the second time: the run is resumed and under way)
            kill(p.processIdentifier, sig)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 128 + sig)
            let h = try govsweep(["history", "--store", store, "--json"])
            let runs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(h.stdout.utf8)) as? [[String: Any]], h.stderr)
            XCTAssertEqual(runs.compactMap { $0["status"] as? String }, ["interrupted"], "one run, resumed the second time: \(h.stdout)")
        }
        site.withState { $0.delay = 0 }
        let r = try govsweep(["sweep", site.url, "--as-of", "2026-11-16", "--store", store, "--out", dir.appendingPathComponent("done").path, "--resume"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("resuming run 1"), r.stderr)
        let h = try govsweep(["history", "--store", store, "--json"])
        let runs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(h.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(runs.compactMap { $0["status"] as? String }, ["done"])
    }
}

extension CLITests {
    /// The same into PostgreSQL (GOVSWEEP_TEST_PG): SIGTERM marks the run interrupted through
    /// the sweep's own store, and --resume continues that run from the database.
    func testInterruptedSweepIntoPostgresIsMarkedInterruptedAndResumes() throws {
        guard let store = ProcessInfo.processInfo.environment["GOVSWEEP_TEST_PG"], !store.isEmpty else {
            let why = "GOVSWEEP_TEST_PG is not set (scripts/pg-throwaway.sh start DIR prints a URL for it)"
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("CI must run the PostgreSQL tests: \(why)") }
            throw XCTSkip(why)
        }
        let site = try ChangingSite(["/": Self.home, "/a.html": Self.page])
        defer { site.stop() }
        // The database is shared with other tests: this site's runs only, and only the runs this
        // test made (an earlier test may have served another site on the same port: CI saw its
        // finished run here).
        func runs() throws -> [[String: Any]] {
            let h = try govsweep(["history", "--store", store, "--site", site.url, "--json"])
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(h.stdout.utf8)) as? [[String: Any]], h.stderr)
        }
        let before = Set(try runs().compactMap { ($0["id"] as? NSNumber)?.int64Value })
        func statuses() throws -> [String] {
            try runs().filter { r in (r["id"] as? NSNumber).map { !before.contains($0.int64Value) } ?? true }
                .compactMap { $0["status"] as? String }
        }
        site.withState { $0.delay = 0.5 }
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = ["sweep", site.url, "--as-of", "2026-11-16", "--store", store, "--out", dir.appendingPathComponent("pg1").path, "--quiet"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(20)
        while try statuses().isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        Thread.sleep(forTimeInterval: 0.3)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 128 + SIGTERM)
        XCTAssertEqual(try statuses(), ["interrupted"])
        site.withState { $0.delay = 0 }
        let r = try govsweep([
            "sweep", site.url, "--as-of", "2026-11-16", "--store", store, "--out", dir.appendingPathComponent("pg2").path, "--resume",
        ])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("resuming run"), r.stderr)
        XCTAssertEqual(try statuses(), ["done"])
    }
}
