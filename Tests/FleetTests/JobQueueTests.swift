#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Fleet
import Foundation
import LocalServer
import Logging
import PostgresNIO
import Sweep
import Vocabulary
import XCTest

/// The job states against a real PostgreSQL: claims with SKIP LOCKED never give one job or
/// one host to two workers, an expired lease is re-claimed (and the old holder can no longer
/// change the job), a hand-back queues the job again, re-adding a site updates it.
final class JobQueueTests: XCTestCase {
    override func tearDown() { FleetTestDB.closeAll() }

    func site(_ url: String, _ name: String, region: String = "110102", owner: String = "西城区") -> FleetSite {
        FleetSite(urls: [url], name: name, owner: owner, region: region)
    }

    func testAddUpdatesBySiteKeyAndRoundFiltersSites() async throws {
        let (_, db) = try await FleetTestDB.fresh()
        var a = site("http://a.example.gov.cn/", "甲")
        let added = try await db.addSites([a, site("http://b.example.gov.cn/", "乙", region: "110101", owner: "东城区")])
        XCTAssertEqual(added, .init(added: 2, updated: 0))
        a.name = "甲（新）"
        a.urls.append("http://a2.example.gov.cn/")
        let value1 = try await db.addSites([a])
        XCTAssertEqual(value1, .init(added: 0, updated: 1))
        let stored = try await db.site(id: 1)
        XCTAssertEqual(stored?.name, "甲（新）")
        XCTAssertEqual(stored?.urls, ["http://a.example.gov.cn/", "http://a2.example.gov.cn/"])

        do {
            _ = try await db.createRound(asOf: Day(iso: "2022-11-01")!, filter: "上海")
            XCTFail("a filter that matches nothing creates no round")
        } catch let f as UserFailure {
            XCTAssertEqual(f.message, "--sites 上海: no registered site matches")
        }
        // The refused round used no number: the first round is round 1.
        let first = try await db.createRound(asOf: Day(iso: "2022-11-01")!, filter: "东城区")
        XCTAssertEqual(first.round, 1)
        let value2 = first.jobs
        XCTAssertEqual(value2, 1)
        let value3 = try await db.createRound(asOf: Day(iso: "2022-11-01")!, filter: "1101").jobs
        XCTAssertEqual(value3, 2)
        let value4 = try await db.createRound(asOf: Day(iso: "2022-11-01")!).jobs
        XCTAssertEqual(value4, 2)
        do {
            _ = try await db.createRound(asOf: Day(iso: "2022-11-01")!, filter: "上海")
            XCTFail("a filter that matches nothing creates no round")
        } catch let f as UserFailure {
            XCTAssertEqual(f.message, "--sites 上海: no registered site matches")
        }
    }

    func testConcurrentClaimsNeverShareAJobOrAHost() async throws {
        let (_, db) = try await FleetTestDB.fresh()
        // Twelve sites on eight hosts: sites 0-3 share one host, 4-5 another.
        var sites: [FleetSite] = []
        for i in 0..<12 {
            let host = i < 4 ? "shared.example.gov.cn" : i < 6 ? "pair.example.gov.cn" : "s\(i).example.gov.cn"
            sites.append(site("http://\(host)/site\(i)/", "站\(i)"))
        }
        _ = try await db.addSites(sites)
        _ = try await db.createRound(asOf: Day(iso: "2022-11-01")!)

        // Four workers claim at once, again and again, finishing what they took, until
        // every job is done; at no moment may two running jobs hold one host.
        let held = HostLedger()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<4 {
                group.addTask {
                    var idle = 0
                    while idle < 20 {
                        let jobs = try await db.claim(worker: "w\(w)", limit: 2, lease: .seconds(60))
                        if jobs.isEmpty {
                            idle += 1
                            try await Task.sleep(for: .milliseconds(20))
                            continue
                        }
                        for job in jobs { try held.take(job) }
                        try await Task.sleep(for: .milliseconds(10))
                        for job in jobs {
                            held.give(job)
                            let value5 = try await db.finish(job, worker: "w\(w)", outcome: JobOutcome(runID: nil, pages: 1))
                            XCTAssertTrue(value5)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        XCTAssertEqual(held.claimed.sorted(), Array(1...12))
        let status = try await XCTUnwrapAsync(try await db.status(round: 1))
        XCTAssertEqual([status.done, status.queued, status.running, status.failed], [12, 0, 0, 0])
    }

    func testAnExpiredLeaseIsReclaimedAndTheOldHolderIsFencedOff() async throws {
        let (_, db) = try await FleetTestDB.fresh()
        _ = try await db.addSites([site("http://a.example.gov.cn/", "甲"), site("http://a.example.gov.cn/b/", "乙")])
        _ = try await db.createRound(asOf: Day(iso: "2022-11-01")!)
        let first = try await db.claim(worker: "dead", limit: 5, lease: .seconds(1))
        // Both sites are on one host: the second waits.
        XCTAssertEqual(first.map(\.id), [1])
        XCTAssertEqual(first[0].attempt, 1)
        let value6 = try await db.claim(worker: "live", limit: 5, lease: .seconds(30))
        XCTAssertEqual(value6, [])
        let value7 = try await db.heartbeat(first[0], worker: "dead", lease: .seconds(1))
        XCTAssertTrue(value7)

        // "dead" stops beating; once its lease is over, "live" takes the job as attempt 2.
        try await Task.sleep(for: .milliseconds(1500))
        let again = try await db.claim(worker: "live", limit: 1, lease: .seconds(30))
        XCTAssertEqual(again.map(\.id), [1])
        XCTAssertEqual(again[0].attempt, 2)
        let value8 = try await db.heartbeat(first[0], worker: "dead", lease: .seconds(1))
        XCTAssertFalse(value8)
        let value9 = try await db.finish(first[0], worker: "dead", outcome: JobOutcome(runID: nil, pages: 1))
        XCTAssertFalse(value9)
        let status = try await XCTUnwrapAsync(try await db.status(round: 1))
        XCTAssertEqual(status.runningJobs.map(\.worker), ["live"])
        XCTAssertEqual(status.runningJobs.map(\.attempt), [2])

        // Handed back (SIGTERM), the job is queued again, and its host free for the next claim.
        let value10 = try await db.handBack(worker: "live")
        XCTAssertEqual(value10, 1)
        let third = try await db.claim(worker: "other", limit: 1, lease: .seconds(30))
        XCTAssertEqual(third.map(\.attempt), [3])
        try await db.fail(third[0], worker: "other", reason: "no start URL could be fetched")
        let after = try await XCTUnwrapAsync(try await db.status(round: 1))
        XCTAssertEqual(after.failedJobs.map(\.reason), ["no start URL could be fetched"])
        XCTAssertEqual(after.queued, 1)
        let value11 = try await db.openJobs()
        XCTAssertEqual(value11, 1)
    }

    func testExitWhenIdleReturnsOnceNothingIsQueued() async throws {
        let (url, db) = try await FleetTestDB.fresh()
        let server = try FleetFixtureSite.serve(name: "闲置区", pages: 3)
        defer { server.stop() }
        _ = try await db.addSites([site(server.baseURL, "闲置区政府")])
        _ = try await db.createRound(asOf: Day(iso: "2022-11-01")!)
        var options = FleetWorker.Options(store: url, id: "idle-test")
        options.exitWhenIdle = true
        options.quiet = true
        options.poll = .milliseconds(100)
        let worker = FleetWorker(options: options, db: db)
        let code = try await worker.run()
        XCTAssertEqual(code, 0)
        XCTAssertEqual(worker.finished.done, 1)
        let status = try await XCTUnwrapAsync(try await db.status(round: 1))
        XCTAssertEqual(status.done, 1)
        XCTAssertGreaterThan(status.pages, 3)
        // Nothing left: a second worker exits at once.
        let value12 = try await FleetWorker(options: options, db: db).run()
        XCTAssertEqual(value12, 0)
    }
}

/// Which hosts the test's claimers hold now; taking one held is a test failure.
final class HostLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var hosts: [String: Int64] = [:]
    private(set) var claimed: [Int64] = []

    func take(_ job: ClaimedJob) throws {
        lock.lock()
        defer { lock.unlock() }
        claimed.append(job.id)
        for h in job.hosts {
            if let other = hosts[h] { XCTFail("host \(h) given to job \(job.id) while job \(other) holds it") }
            hosts[h] = job.id
        }
    }

    func give(_ job: ClaimedJob) {
        lock.lock()
        defer { lock.unlock() }
        for h in job.hosts where hosts[h] == job.id { hosts[h] = nil }
    }
}

func XCTUnwrapAsync<T>(_ value: T?, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    try XCTUnwrap(value, file: file, line: line)
}
#endif
