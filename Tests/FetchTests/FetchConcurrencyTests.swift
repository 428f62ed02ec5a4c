import Foundation
import XCTest
@testable import Fetch
import LocalServer

final class FetchConcurrencyTests: XCTestCase {
    func testPerHostLimitIsRespected() async throws {
        let server = try LocalServer { _ in
            usleep(40_000); return .text("slow")
        }
        defer { server.stop() }
        let client = try makeClient {
            $0.perHostConcurrency = 3; $0.maxConcurrency = 32
        }
        defer { client.shutdown() }
        let results = await withTaskGroup(of: FetchResponse.self) { group in
            for i in 0..<30 { group.addTask { await client.fetch(FetchRequest(url: server.baseURL + "p\(i)")) } }
            return await group.reduce(into: [FetchResponse]()) { $0.append($1) }
        }
        XCTAssertEqual(results.count, 30)
        XCTAssertTrue(results.allSatisfy { $0.classification == .ok })
        XCTAssertLessThanOrEqual(server.maxConcurrentRequests, 3)
        XCTAssertGreaterThanOrEqual(server.maxConcurrentRequests, 2)
        // Connections are reused: never more than the per-host limit opened... plus none wasted.
        XCTAssertLessThanOrEqual(server.connectionCount, 3)
    }

    func testGlobalLimitAcrossHosts() async throws {
        let counter = Counter()
        let handler: @Sendable (ServerRequest) -> ServerResponse = { _ in
            counter.enter(); usleep(40_000); counter.leave(); return .text("x")
        }
        let servers = try (0..<3).map { _ in try LocalServer(handler: handler) }
        defer { servers.forEach { $0.stop() } }
        let client = try makeClient {
            $0.perHostConcurrency = 4; $0.maxConcurrency = 5
        }
        defer { client.shutdown() }
        let results = await withTaskGroup(of: FetchResponse.self) { group in
            for s in servers {
                for i in 0..<12 { group.addTask { await client.fetch(FetchRequest(url: s.baseURL + "g\(i)")) } }
            }
            return await group.reduce(into: [FetchResponse]()) { $0.append($1) }
        }
        XCTAssertEqual(results.filter { $0.classification == .ok }.count, 36)
        XCTAssertLessThanOrEqual(counter.maxInFlight, 5)
        XCTAssertGreaterThanOrEqual(counter.maxInFlight, 4)
        for s in servers { XCTAssertLessThanOrEqual(s.maxConcurrentRequests, 4) }
    }

    func testPerHostRate() async throws {
        let server = try LocalServer { _ in .text("r") }
        defer { server.stop() }
        let client = try makeClient { $0.perHostRate = 10 }
        defer { client.shutdown() }
        let start = Date()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<5 { group.addTask { _ = await client.fetch(FetchRequest(url: server.baseURL)) } }
        }
        // 5 requests at 10/s: the last starts 0.4 s after the first.
        XCTAssertGreaterThanOrEqual(elapsed(start), 0.38)
        XCTAssertLessThan(elapsed(start), 2)
        XCTAssertEqual(server.requestCount, 5)
    }

    func testManyConcurrentFetchesComplete() async throws {
        let server = try LocalServer { req in .html("<p>\(req.path)</p>") }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let start = Date()
        let results = await withTaskGroup(of: (Int, FetchResponse).self) { group in
            for i in 0..<500 { group.addTask { (i, await client.fetch(FetchRequest(url: server.baseURL + "m\(i)"))) } }
            return await group.reduce(into: [Int: FetchResponse]()) { $0[$1.0] = $1.1 }
        }
        XCTAssertEqual(results.count, 500)
        for (i, r) in results {
            XCTAssertEqual(r.classification, .ok)
            XCTAssertEqual(String(decoding: r.body, as: UTF8.self), "<p>/m\(i)</p>")
        }
        XCTAssertLessThanOrEqual(server.maxConcurrentRequests, 6)
        XCTAssertLessThanOrEqual(server.connectionCount, 6)
        XCTAssertLessThan(elapsed(start), 10)
    }

    func testShutdownCancelsPendingFetches() async throws {
        let server = try LocalServer { _ in .hang(seconds: 10) }
        defer { server.stop() }
        let client = try makeClient {
            $0.perHostConcurrency = 2; $0.totalTimeout = 10
        }
        let start = Date()
        async let results = withTaskGroup(of: FetchResponse.self) { group in
            for i in 0..<5 { group.addTask { await client.fetch(FetchRequest(url: server.baseURL + "s\(i)")) } }
            return await group.reduce(into: [FetchResponse]()) { $0.append($1) }
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        client.shutdown()
        let all = await results
        XCTAssertEqual(all.count, 5)
        XCTAssertTrue(all.allSatisfy { $0.classification == .broken && $0.reason == .failure(.cancelled) })
        XCTAssertLessThan(elapsed(start), 2)
        let late = await client.fetch(FetchRequest(url: server.baseURL))
        XCTAssertEqual(late.reason, .failure(.cancelled))
        client.shutdown()  // idempotent
    }
}

extension FetchConcurrencyTests {
    func testTaskCancellationEndsActiveAndQueuedFetches() async throws {
        let server = try LocalServer { req in req.path == "/fine" ? .text("fine") : .hang(seconds: 10) }
        defer { server.stop() }
        let client = try makeClient {
            $0.totalTimeout = 10; $0.perHostConcurrency = 1
        }
        defer { client.shutdown() }
        let start = Date()
        let active = Task { await client.fetch(FetchRequest(url: server.baseURL + "a")) }
        try await Task.sleep(nanoseconds: 100_000_000)
        let queued = Task { await client.fetch(FetchRequest(url: server.baseURL + "b")) }
        try await Task.sleep(nanoseconds: 100_000_000)
        queued.cancel()
        active.cancel()
        let (r1, r2) = (await active.value, await queued.value)
        XCTAssertEqual(r1.reason, .failure(.cancelled))
        XCTAssertEqual(r2.reason, .failure(.cancelled))
        XCTAssertLessThan(elapsed(start), 2)
        // The host slot is free again.
        let after = await client.fetch(FetchRequest(url: server.baseURL + "fine"))
        XCTAssertEqual(after.classification, .ok)
        XCTAssertFalse(server.requests.contains { $0.path == "/b" })
    }
}

final class FetchUnitTests: XCTestCase {
    func testRetryAfterParsing() {
        XCTAssertEqual(Classifier.retryAfter("120"), 120)
        XCTAssertNil(Classifier.retryAfter(nil))
        XCTAssertNil(Classifier.retryAfter("soon"))
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        XCTAssertEqual(Classifier.retryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now: now), 30)
        XCTAssertEqual(Classifier.retryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now: now), 0)
    }

    func testAuthorityKey() {
        XCTAssertEqual(authorityKey("http://Example.gov.cn/a?b"), "example.gov.cn:80")
        XCTAssertEqual(authorityKey("https://example.gov.cn"), "example.gov.cn:443")
        XCTAssertEqual(authorityKey("http://u:p@127.0.0.1:8080/x"), "127.0.0.1:8080")
    }

    func testStatusClassification() {
        XCTAssertEqual(Classifier.classify(status: 204, method: .get, conditional: false), .ok)
        XCTAssertEqual(Classifier.classify(status: 999, method: .get, conditional: false), .blocked)
        XCTAssertEqual(Classifier.classify(status: 412, method: .get, conditional: false), .blocked)
        XCTAssertEqual(Classifier.classify(status: 412, method: .get, conditional: true), .broken)
        XCTAssertEqual(Classifier.classify(status: 405, method: .get, conditional: false), .blocked)
        XCTAssertEqual(Classifier.classify(status: 502, method: .get, conditional: false), .broken)
        XCTAssertEqual(Classifier.classify(curlCode: .init(6)).1, .failure(.dns))
        XCTAssertEqual(Classifier.classify(curlCode: .init(26)).1, .curl(26))  // CURLE_READ_ERROR: no name
        XCTAssertEqual(Classifier.classify(curlCode: .init(60)).0, .tlsError)
    }

    func testRelativeLocationResolution() {
        XCTAssertEqual(Curl.resolve("../b/c.html?x=1", against: "http://h.gov.cn/a/d/e.html"), "http://h.gov.cn/a/b/c.html?x=1")
        XCTAssertEqual(Curl.resolve("//other.cn/z", against: "https://h.gov.cn/a"), "https://other.cn/z")
        XCTAssertEqual(Curl.resolve("/新闻/a b.html", against: "http://h.gov.cn/"), "http://h.gov.cn/%e6%96%b0%e9%97%bb/a%20b.html")
    }
}
