#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Fleet
import Foundation
import LocalServer
import PGStore
import Store
import Sweep
import Vocabulary
import XCTest

/// A whole round through the command line: sites added from SITES.csv, a round, three
/// worker processes, one of them killed with SIGKILL in the middle of a site. The round
/// completes, the killed site's run is resumed by another worker without fetching again
/// what the store has, and every site's findings are those of a single-process SQLite sweep.
final class FleetRoundTests: XCTestCase {
    var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetround-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        FleetTestDB.closeAll()
        try? FileManager.default.removeItem(at: dir)
    }

    func testThreeWorkersOneKilledMidSiteCompleteTheRoundWithSingleSweepFindings() async throws {
        let (url, db) = try await FleetTestDB.fresh()
        // Four sites of some 300 URLs; each answer takes 10 ms and workers ask one at a time per
        // host, so a site takes a few seconds, and its pages reach the store in batches of 128:
        // a worker can be killed with a batch stored and the rest of the site to go.
        let servers = try (0..<4).map { try FleetFixtureSite.serve(name: "第\($0)区", pages: 150, delay: 0.01) }
        defer { for s in servers { s.stop() } }
        let departments = dir.appendingPathComponent("departments.csv")
        try Data("pattern,department\n/p/,政务公开科\n".utf8).write(to: departments)
        var csv = "url,name,owner,region,departments\n"
        for (i, s) in servers.enumerated() { csv += "\(s.baseURL),第\(i)区人民政府,第\(i)区,33010\(i),departments.csv\n" }
        let sitesFile = dir.appendingPathComponent("SITES.csv")
        try Data(csv.utf8).write(to: sitesFile)

        let added = try GovsweepBinary.run(["fleet", "add", sitesFile.path, "--store", url])
        XCTAssertEqual(added.code, 0, added.stderr)
        XCTAssertEqual(added.stdout, "govsweep: 4 sites added, 0 updated (\(sitesFile.path))\n")
        let round = try GovsweepBinary.run(["fleet", "round", "--as-of", "2022-11-01", "--store", url])
        XCTAssertEqual(round.code, 0, round.stderr)
        let roundID = try XCTUnwrap(Int64(round.stdout.split(separator: "\n").last ?? ""))

        let limits = ["--per-host", "1", "--timeout", "5"]
        var workers: [Process] = []
        for w in 0..<3 {
            let p = GovsweepBinary.start(
                ["worker", "--store", url, "--exit-when-idle", "--lease", "8", "--name", "w\(w)"] + limits,
                log: dir.appendingPathComponent("worker\(w).log"))
            try p.run()
            workers.append(p)
        }
        defer { for p in workers where p.isRunning { kill(p.processIdentifier, SIGKILL) } }

        // Wait for a worker to be well into a site, then kill it outright.
        let store = try PostgresStore(url: url)
        defer { store.database.close() }
        var victim: (worker: Int, site: LocalServer, run: Int64, stored: Set<String>, requestsBefore: Int)?
        let deadline = Date().addingTimeInterval(60)
        while victim == nil, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            let status = try await XCTUnwrapAsync(try await db.status(round: roundID))
            for running in status.runningJobs {
                guard let w = Int(running.worker.dropFirst()), let site = servers.first(where: { $0.baseURL == running.url }),
                    let run = try store.unfinishedRun(sites: [running.url])
                else { continue }
                let stored = try store.fetchedURLs(run: run.id)
                guard stored.count >= 128 else { continue }
                kill(workers[w].processIdentifier, SIGKILL)
                workers[w].waitUntilExit()
                // What the dead attempt stored is final now (its open transaction, if any, rolled back).
                let requestsBefore = site.requestCount
                victim = (w, site, run.id, try store.fetchedURLs(run: run.id), requestsBefore)
                break
            }
        }
        let killed = try XCTUnwrap(victim, "no worker got far enough into a site to be killed")
        for (i, p) in workers.enumerated() where i != killed.worker {
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, (try? String(contentsOf: dir.appendingPathComponent("worker\(i).log"), encoding: .utf8)) ?? "")
        }

        let status = try await XCTUnwrapAsync(try await db.status(round: roundID))
        XCTAssertEqual([status.done, status.failed, status.queued, status.running], [4, 0, 0, 0], status.text)
        // The killed site's job was re-claimed and resumed the same run: nothing it had stored
        // was asked for again.
        let later = killed.site.requests.dropFirst(killed.requestsBefore).map { killed.site.baseURL.dropLast() + $0.target }
        let resumed = try XCTUnwrap(try store.run(id: killed.run))
        XCTAssertEqual(resumed.status, .done)
        let storedAtEnd = try store.fetchedURLs(run: killed.run)
        XCTAssertTrue(storedAtEnd.isSuperset(of: killed.stored))
        XCTAssertGreaterThan(storedAtEnd.count, killed.stored.count, "the worker was killed after the site's crawl")
        XCTAssertGreaterThan(later.count, 0)
        let again = later.filter { killed.stored.contains(String($0)) }
        XCTAssertEqual(again, [], "pages the store had were fetched again after the resume")

        // The round's reports, and each site's findings as a single-process SQLite sweep finds them.
        let out = try fleetReport(round: roundID, store: url, in: dir)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
        let sitesCSV = try String(contentsOf: out.appendingPathComponent("sites.csv"), encoding: .utf8)
        XCTAssertEqual(sitesCSV.split(whereSeparator: \.isNewline).count, 5, sitesCSV)
        for (i, server) in servers.enumerated() {
            let expected = try singleSweepFindings(server.baseURL, in: dir, name: "single\(i)", options: ["--departments", departments.path] + limits)
            let fleet = out.appendingPathComponent(String(format: "sites/%04d/findings.json", i + 1))
            XCTAssertEqual(try comparableFindings(Data(contentsOf: fleet)), expected, "site \(i)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: fleet.deletingLastPathComponent().appendingPathComponent("report.html").path))
        }
    }

    /// SIGTERM hands the worker's job back at once; a database restart in the middle of a
    /// round is ridden out (reconnection with backoff, a failed sweep retried) and the round
    /// completes. The restart needs the cluster's folder (GOVSWEEP_TEST_PG_DIR, set by .ci/run).
    func testSIGTERMHandsBackAndARoundSurvivesADatabaseRestart() async throws {
        let (url, db) = try await FleetTestDB.fresh()
        let servers = try (0..<2).map { try FleetFixtureSite.serve(name: "第\($0)县", pages: 150, delay: 0.01) }
        defer { for s in servers { s.stop() } }
        _ = try await db.addSites(servers.enumerated().map { FleetSite(urls: [$1.baseURL], name: "第\($0)县人民政府", owner: "第\($0)县", region: "33011\($0)") })
        let round = try await db.createRound(asOf: Day(iso: "2022-11-01")!).round
        let limits = ["--per-host", "1", "--timeout", "5"]

        func waitForRunning(_ worker: String) async throws -> RoundStatus {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let status = try await XCTUnwrapAsync(try await db.status(round: round))
                if status.runningJobs.contains(where: { $0.worker == worker }) { return status }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw XCTSkip("worker \(worker) claimed nothing in 60 s")
        }

        let first = GovsweepBinary.start(["worker", "--store", url, "--name", "term"] + limits, log: dir.appendingPathComponent("term.log"))
        try first.run()
        _ = try await waitForRunning("term")
        kill(first.processIdentifier, SIGTERM)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 128 + SIGTERM)
        let handedBack = try await XCTUnwrapAsync(try await db.status(round: round))
        XCTAssertEqual([handedBack.queued, handedBack.running, handedBack.done], [2, 0, 0], handedBack.text)

        let second = GovsweepBinary.start(
            ["worker", "--store", url, "--name", "rest", "--exit-when-idle"] + limits, log: dir.appendingPathComponent("rest.log"))
        try second.run()
        defer { if second.isRunning { kill(second.processIdentifier, SIGKILL) } }
        _ = try await waitForRunning("rest")
        if let pgdir = ProcessInfo.processInfo.environment["GOVSWEEP_TEST_PG_DIR"], !pgdir.isEmpty {
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("scripts/pg-throwaway.sh")
            // (posix_spawn and waitpid: Foundation's Process did not see this script end.)
            var pid: pid_t = 0
            let scriptPath: String = script.path
            let words: [String] = ["/bin/bash", scriptPath, "restart", pgdir]
            let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
            defer { for a in argv { free(a) } }
            XCTAssertEqual(posix_spawn(&pid, "/bin/bash", nil, nil, argv, environ), 0)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            XCTAssertEqual(status, 0, "pg-throwaway.sh restart failed")
        }
        // (Bounded: a worker stuck on a connection the restart cut must fail the test, not hang it.)
        let deadline = Date().addingTimeInterval(180)
        while second.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if second.isRunning {
            kill(second.processIdentifier, SIGKILL)
            XCTFail("the worker did not finish the round within 180 s of the database restart")
        }
        second.waitUntilExit()
        let log = (try? String(contentsOf: dir.appendingPathComponent("rest.log"), encoding: .utf8)) ?? ""
        XCTAssertEqual(second.terminationStatus, 0, log)
        let status = try await XCTUnwrapAsync(try await db.status(round: round))
        XCTAssertEqual([status.done, status.failed, status.queued, status.running], [2, 0, 0, 0], status.text + "\n" + log)
        let json = try GovsweepBinary.run(["fleet", "status", "--round", "\(round)", "--json", "--store", url])
        XCTAssertEqual(json.code, 0, json.stderr)
        XCTAssertEqual(try JSONDecoder().decode(RoundStatus.self, from: Data(json.stdout.utf8)), status)
    }

    func testBadStoresAreOneLineWithTheContractExitCodes() async throws {
        let url = try FleetTestDB.requireURL()
        let bad = try GovsweepBinary.run(["worker", "--store", "mysql://u@h/db"])
        XCTAssertEqual(bad.code, 2)
        XCTAssertEqual(bad.stderr, "govsweep: --store mysql://u@h/db: fleet mode needs a postgres:// URL\n")
        let unreachable = try GovsweepBinary.run(["fleet", "status", "--store", "postgres://govsweep@127.0.0.1:1/govsweep"])
        XCTAssertEqual(unreachable.code, 3)
        XCTAssertEqual(unreachable.stderr.split(separator: "\n").count, 1, unreachable.stderr)
        XCTAssertTrue(unreachable.stderr.contains("cannot reach the database server at 127.0.0.1:1"), unreachable.stderr)
        // sweep, probe, history and diff: the same line, exit 2 (CONTRACT.md keeps 3 for "no
        // start URL could be fetched").
        for args in [
            ["sweep", "http://127.0.0.1:1/", "--out", dir.appendingPathComponent("out").path], ["probe", "http://127.0.0.1:1/"],
            ["history"], ["diff", "1", "2"],
        ] {
            let r = try GovsweepBinary.run(args + ["--store", "postgres://govsweep@127.0.0.1:1/govsweep"])
            XCTAssertEqual(r.code, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("cannot reach the database server at 127.0.0.1:1"), "\(args): \(r.stderr)")
        }

        // A schema newer than this binary: exit 3, and nothing written.
        let (_, db) = try await FleetTestDB.fresh()
        try await db.transaction { conn in
            try await conn.query("INSERT INTO govsweep_migrations (component, version) VALUES ('fleet', 999)", logger: db.logger)
        }
        let newer = try GovsweepBinary.run(["fleet", "round", "--as-of", "2022-11-01", "--store", url])
        try await db.transaction { conn in
            try await conn.query("DELETE FROM govsweep_migrations WHERE component = 'fleet' AND version = 999", logger: db.logger)
        }
        XCTAssertEqual(newer.code, 3)
        XCTAssertEqual(newer.stderr.split(separator: "\n").count, 1, newer.stderr)
        XCTAssertTrue(newer.stderr.contains("\"fleet\" schema is at version 999"), newer.stderr)
        let value1 = try await db.latestRound()
        XCTAssertEqual(value1, nil)
        // The store's schema newer than this binary, for a sweep: exit 2, one line.
        try await db.transaction { conn in
            try await conn.query("INSERT INTO govsweep_migrations (component, version) VALUES ('store', 999)", logger: db.logger)
        }
        let newerSweep = try GovsweepBinary.run(["sweep", "http://127.0.0.1:1/", "--out", dir.appendingPathComponent("out").path, "--store", url])
        try await db.transaction { conn in
            try await conn.query("DELETE FROM govsweep_migrations WHERE component = 'store' AND version = 999", logger: db.logger)
        }
        XCTAssertEqual(newerSweep.code, 2, newerSweep.stderr)
        XCTAssertEqual(newerSweep.stderr.split(separator: "\n").count, 1, newerSweep.stderr)
        XCTAssertTrue(newerSweep.stderr.contains("\"store\" schema is at version 999"), newerSweep.stderr)

        // A bad line of SITES.csv: nothing added.
        let sites = dir.appendingPathComponent("SITES.csv")
        try Data("url,name,owner,region\nhttp://a.example.gov.cn/,甲,西城区,110102\nnot a url,乙,西城区,110102\n".utf8).write(to: sites)
        let add = try GovsweepBinary.run(["fleet", "add", sites.path, "--store", url])
        XCTAssertEqual(add.code, 2)
        XCTAssertEqual(add.stderr, "govsweep: \(sites.path):3: url \"not a url\" is not an http(s) URL\n")
        let round = try GovsweepBinary.run(["fleet", "round", "--store", url])
        XCTAssertEqual(round.code, 2)
        XCTAssertEqual(round.stderr, "govsweep: no site registered (govsweep fleet add SITES.csv)\n")
    }
}
#endif
