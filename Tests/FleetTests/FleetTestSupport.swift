#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Fleet
import Foundation
import LocalServer
import Logging
import PGStore
import PostgresNIO
import Synchronization
import XCTest

/// The PostgreSQL the fleet tests run against: GOVSWEEP_TEST_PG (`.ci/run` starts a
/// throwaway cluster and sets it). Without it the tests skip, except under CI, where they fail.
enum FleetTestDB {
    static var url: String? { ProcessInfo.processInfo.environment["GOVSWEEP_TEST_PG"].flatMap { $0.isEmpty ? nil : $0 } }

    static func requireURL(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        if let url { return url }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            XCTFail("GOVSWEEP_TEST_PG is not set under CI: .ci/run starts PostgreSQL and sets it", file: file, line: line)
            throw XCTSkip("no database")
        }
        throw XCTSkip("GOVSWEEP_TEST_PG not set (scripts/pg-throwaway.sh start DIR prints one)")
    }

    /// The databases the tests opened, closed at the end of each test (`FleetTestCase`).
    static let open = Mutex<[FleetDatabase]>([])

    static func closeAll() {
        for db in open.withLock({ o in
            defer { o = [] }; return o
        }) { db.close() }
    }

    /// The store migrated (the fleet's tables included) and every table emptied, so each test
    /// sees only its own sites, rounds and jobs, and only the runs it made: the database is
    /// shared with the earlier tests, and a site served on a port an earlier test's site had
    /// would otherwise find that site's finished run and be swept as its re-sweep (CI saw a
    /// stalled job's resumed run report its findings "still open", against a single sweep's "new").
    static func fresh() async throws -> (url: String, db: FleetDatabase) {
        let url = try requireURL()
        let db = try await FleetDatabase.initialise(url: url)
        open.withLock { $0.append(db) }
        try await db.transaction { conn in
            try await conn.query(
                "TRUNCATE fleet_job_files, fleet_jobs, fleet_rounds, fleet_site_hosts, fleet_sites, fleet_hosts RESTART IDENTITY CASCADE",
                logger: Logger(label: "test"))
            // The store's tables (their ids go on: a store of an earlier test may keep some).
            try await conn.query(
                """
                DO $$ DECLARE t text; BEGIN
                    SELECT string_agg(quote_ident(tablename), ', ') INTO t FROM pg_tables
                    WHERE schemaname = current_schema() AND tablename NOT LIKE 'fleet\\_%' AND tablename <> 'govsweep_migrations';
                    IF t IS NOT NULL THEN EXECUTE 'TRUNCATE ' || t || ' CASCADE'; END IF;
                END $$
                """,
                logger: Logger(label: "test"))
        }
        return (url, db)
    }
}

/// A small portal served on 127.0.0.1: a home page, `pages` pages linked in a chain and from
/// the home page, each with a broken link, an image without alt text and a date, so a sweep
/// has findings of several rules. `delay` slows every answer (a site that takes a while to
/// sweep, to kill a worker in the middle of it).
enum FleetFixtureSite {
    static func serve(name: String, pages: Int, delay: Double = 0) throws -> LocalServer {
        try LocalServer { request in
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            func page(_ title: String, _ body: String) -> ServerResponse {
                .html(
                    """
                    <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>\(title)－\(name)</title></head>
                    <body><div class="header"><a href="/">\(name)</a></div>\(body)
                    <div class="footer">主办单位：\(name)办公室 网站标识码：1101020001 京ICP备05060933号 联系电话：010-12345678</div></body></html>
                    """)
            }
            switch request.path {
            case "/":
                let links = (1...pages).map {
                    "<li><a href=\"/p/\($0).html\">第\($0)条 政务公开信息</a><span>2022-10-\(String(format: "%02d", 1 + $0 % 28))</span></li>"
                }
                return page("首页", "<ul class=\"list\">\(links.joined())</ul><a href=\"/gone/index.html\">专题</a>")
            case let p where p.hasPrefix("/p/") && p.hasSuffix(".html"):
                guard let n = Int(p.dropFirst(3).dropLast(5)), (1...pages).contains(n) else { return .status(404) }
                let next = n < pages ? "<a href=\"/p/\(n + 1).html\">下一条</a>" : ""
                return page(
                    "第\(n)条",
                    "<h1>第\(n)条 政务公开信息</h1><p>发布日期：2022-10-\(String(format: "%02d", 1 + n % 28))</p><p>正文内容。</p><img src=\"/img/\(n).png\">\(next)<a href=\"/missing/\(n % 3).html\">附件</a>"
                )
            case let p where p.hasPrefix("/img/"):
                return .text("png", contentType: "image/png")
            default:
                return .status(404)
            }
        }
    }
}

/// The built `govsweep` binary beside the test bundle.
enum GovsweepBinary {
    static var url: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = url.appendingPathComponent("govsweep")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("govsweep")
    }

    struct Result { var code: Int32; var stdout: String; var stderr: String }

    /// Runs govsweep to the end.
    static func run(_ args: [String], env: [String: String] = [:]) throws -> Result {
        let p = start(args, env: env)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// A process set up to run govsweep (not started); its output goes to `log` when given.
    static func start(_ args: [String], env: [String: String] = [:], log: URL? = nil) -> Process {
        let p = Process()
        p.executableURL = url
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        if let log {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let h = try? FileHandle(forWritingTo: log)
            p.standardOutput = h
            p.standardError = h
        }
        return p
    }
}

/// `govsweep fleet report` of a round into `dir/report` (exit 0 asserted): the report folder.
func fleetReport(round: Int64, store url: String, in dir: URL, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
    let out = dir.appendingPathComponent("report")
    let report = try GovsweepBinary.run(["fleet", "report", "--round", "\(round)", "--out", out.path, "--store", url])
    XCTAssertEqual(report.code, 0, report.stderr, file: file, line: line)
    return out
}

/// The findings of a single-process SQLite sweep of `site` (as a worker sweeps it: as of
/// 2022-11-01 with `options`), comparable with a fleet report's (`comparableFindings`).
func singleSweepFindings(
    _ site: String, in dir: URL, name: String = "single", options: [String], file: StaticString = #filePath, line: UInt = #line
) throws -> String {
    let single = dir.appendingPathComponent(name)
    let sweep = try GovsweepBinary.run(
        ["sweep", site, "--as-of", "2022-11-01", "--store", dir.appendingPathComponent("single.sqlite").path, "--out", single.path, "--quiet"]
            + options)
    XCTAssertEqual(sweep.code, 0, sweep.stderr, file: file, line: line)
    return try comparableFindings(Data(contentsOf: single.appendingPathComponent("findings.json")))
}

/// findings.json without what differs between two sweeps of the same site: times and run ids.
func comparableFindings(_ data: Data) throws -> String {
    var json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    for key in ["startedAt", "finishedAt", "runId", "previousRunId"] { json[key] = nil }
    let out = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted])
    return String(decoding: out, as: UTF8.self)
}
#endif
