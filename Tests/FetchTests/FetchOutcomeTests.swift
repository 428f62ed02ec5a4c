import Foundation
import XCTest
@testable import Fetch
import LocalServer
import Vocabulary

final class FetchOutcomeTests: XCTestCase {
    func testStatusClasses() async throws {
        let server = try LocalServer { req in
            switch req.path {
            case "/ok": return .html("<p>fine</p>")
            case "/gone": return .status(410)
            case "/error": return .status(500)
            case "/auth": return .status(401)
            case "/forbidden": return .status(403)
            case "/legal": return .status(451)
            default: return .text("nope", status: 404)
            }
        }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let expected: [(String, LinkClass, Int)] = [
            ("ok", .ok, 200), ("missing", .broken, 404), ("gone", .broken, 410), ("error", .broken, 500),
            ("auth", .blocked, 401), ("forbidden", .blocked, 403), ("legal", .blocked, 451),
        ]
        for (path, cls, status) in expected {
            let r = await client.fetch(FetchRequest(url: server.baseURL + path))
            XCTAssertEqual(r.classification, cls, path)
            XCTAssertEqual(r.status, status, path)
            XCTAssertEqual(r.reason, .status(status), path)
            XCTAssertEqual(r.attempts, 1, path)
            XCTAssertEqual(r.finalURL, server.baseURL + path)
            XCTAssertEqual(r.method, .get)
        }
        let ok = await client.fetch(FetchRequest(url: server.baseURL + "ok"))
        XCTAssertEqual(String(decoding: ok.body, as: UTF8.self), "<p>fine</p>")
        XCTAssertEqual(ok.contentType, "text/html; charset=utf-8")
        XCTAssertEqual(ok.headers["content-length"], "11")
        XCTAssertFalse(ok.truncated)
        XCTAssertGreaterThan(ok.seconds, 0)
    }

    func testRetryAfterThenSuccess() async throws {
        let counter = Counter()
        let server = try LocalServer { _ in
            counter.next() == 1 ? .status(429, headers: [("Retry-After", "1")]) : .text("now")
        }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let start = Date()
        let r = await client.fetch(FetchRequest(url: server.baseURL))
        XCTAssertEqual(r.classification, .ok)
        XCTAssertEqual(r.attempts, 2)
        XCTAssertEqual(String(decoding: r.body, as: UTF8.self), "now")
        XCTAssertGreaterThanOrEqual(elapsed(start), 0.9)
        XCTAssertLessThan(elapsed(start), 3)
    }

    func testRetryWaitDoesNotBlockOtherTransfers() async throws {
        let server = try LocalServer { req in
            req.path == "/wait" ? .status(503, headers: [("Retry-After", "1")]) : .text("quick")
        }
        defer { server.stop() }
        let client = try makeClient { $0.maxRetries = 1 }
        defer { client.shutdown() }
        async let slow = client.fetch(FetchRequest(url: server.baseURL + "wait"))
        try await Task.sleep(nanoseconds: 100_000_000)
        let start = Date()
        let quick = await client.fetch(FetchRequest(url: server.baseURL + "quick"))
        XCTAssertEqual(quick.classification, .ok)
        XCTAssertLessThan(elapsed(start), 0.9)  // well under the 1 s Retry-After wait
        let s = await slow
        XCTAssertEqual(s.classification, .broken)
        XCTAssertEqual(s.reason, .status(503))
        XCTAssertEqual(s.attempts, 2)
    }

    func testHugeRetryAfterIsBlockedAtOnce() async throws {
        let server = try LocalServer { _ in .status(429, headers: [("Retry-After", "3600")]) }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let start = Date()
        let r = await client.fetch(FetchRequest(url: server.baseURL))
        XCTAssertEqual(r.classification, .blocked)
        XCTAssertEqual(r.reason, .status(429))
        XCTAssertEqual(r.attempts, 1)
        XCTAssertLessThan(elapsed(start), 1)
        XCTAssertEqual(server.requestCount, 1)
    }

    func testRedirectChainIsRecorded() async throws {
        let server = try LocalServer { req in
            switch req.path {
            case "/r1": return .redirect("/r2", status: 301)
            case "/r2": return .redirect("r3", status: 302)  // relative
            case "/r3": return .redirect("http://\(req.headers["host"] ?? "")/final", status: 307)  // absolute
            case "/final": return .text("end")
            default: return .status(404)
            }
        }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let r = await client.fetch(FetchRequest(url: server.baseURL + "r1"))
        XCTAssertEqual(r.classification, .ok)
        XCTAssertEqual(r.redirects, [server.baseURL + "r2", server.baseURL + "r3", server.baseURL + "final"])
        XCTAssertEqual(r.finalURL, server.baseURL + "final")
        XCTAssertEqual(r.url, server.baseURL + "r1")
        XCTAssertEqual(String(decoding: r.body, as: UTF8.self), "end")
        XCTAssertEqual(r.attempts, 1)
    }

    func testRedirectLoopAndTooManyRedirects() async throws {
        let server = try LocalServer { req in
            switch req.path {
            case "/a": return .redirect("/b")
            case "/b": return .redirect("/a")
            default:
                let n = Int(req.path.dropFirst(3)) ?? 0  // /n/<k>
                return .redirect("/n/\(n + 1)")
            }
        }
        defer { server.stop() }
        let client = try makeClient { $0.maxRedirects = 5 }
        defer { client.shutdown() }
        let loop = await client.fetch(FetchRequest(url: server.baseURL + "a"))
        XCTAssertEqual(loop.classification, .broken)
        XCTAssertEqual(loop.reason, .failure(.redirectLoop))
        let many = await client.fetch(FetchRequest(url: server.baseURL + "n/0"))
        XCTAssertEqual(many.classification, .broken)
        XCTAssertEqual(many.reason, .failure(.tooManyRedirects))
        XCTAssertEqual(many.redirects.count, 5)
    }

    func testConnectionRefused() async throws {
        let port = try closedPort()
        let client = try makeClient()
        defer { client.shutdown() }
        let r = await client.fetch(FetchRequest(url: "http://127.0.0.1:\(port)/"))
        XCTAssertEqual(r.classification, .broken)
        XCTAssertEqual(r.reason, .failure(.refused))
        XCTAssertEqual(r.status, 0)
        XCTAssertFalse(r.detail.isEmpty)
    }

    func testResetAndEmptyReply() async throws {
        let server = try LocalServer { req in req.path == "/reset" ? .reset : .raw([]) }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let reset = await client.fetch(FetchRequest(url: server.baseURL + "reset"))
        XCTAssertEqual(reset.classification, .broken)
        XCTAssertEqual(reset.reason, .failure(.reset))
        let empty = await client.fetch(FetchRequest(url: server.baseURL + "empty"))
        XCTAssertEqual(empty.classification, .broken)
        XCTAssertEqual(empty.reason, .failure(.emptyReply))
    }

    func testTimeoutIsBounded() async throws {
        let server = try LocalServer { _ in .hang(seconds: 10) }
        defer { server.stop() }
        let client = try makeClient { $0.totalTimeout = 1 }
        defer { client.shutdown() }
        let start = Date()
        let r = await client.fetch(FetchRequest(url: server.baseURL))
        XCTAssertEqual(r.classification, .broken)
        XCTAssertEqual(r.reason, .failure(.timeout))
        XCTAssertLessThan(elapsed(start), 2.5)
    }

    func testSlowDripArrivesWhole() async throws {
        let server = try LocalServer { _ in
            .stream(status: 200, headers: [("Content-Type", "text/plain")], chunk: Array("drip.".utf8), count: 5, delay: 0.1)
        }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let r = await client.fetch(FetchRequest(url: server.baseURL))
        XCTAssertEqual(r.classification, .ok)
        XCTAssertEqual(String(decoding: r.body, as: UTF8.self), String(repeating: "drip.", count: 5))
        XCTAssertGreaterThan(r.seconds, 0.3)
    }

    func testGzipBodyIsDecoded() async throws {
        let server = try LocalServer { req in
            XCTAssertNotNil(req.headers["accept-encoding"]?.contains("gzip"))
            return .full(
                status: 200, headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
                body: gzipBytes)
        }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let r = await client.fetch(FetchRequest(url: server.baseURL))
        XCTAssertEqual(r.classification, .ok)
        XCTAssertEqual(String(decoding: r.body, as: UTF8.self), gzipPlain)
        XCTAssertTrue(server.requests.first?.headers["accept-encoding"]?.contains("gzip") ?? false)
    }

    func testGigabyteBodyIsCutAtTheCap() async throws {
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        let server = try LocalServer { _ in
            .stream(
                status: 200, headers: [("Content-Type", "application/octet-stream"), ("Content-Length", "1073741824")],
                chunk: chunk, count: 16 * 1024, delay: 0)
        }
        defer { server.stop() }
        let client = try makeClient { $0.maxBodyBytes = 1 << 20 }
        defer { client.shutdown() }
        let start = Date()
        let r = await client.fetch(FetchRequest(url: server.baseURL))
        XCTAssertEqual(r.classification, .ok)
        XCTAssertEqual(r.reason, .status(200))
        XCTAssertTrue(r.truncated)
        XCTAssertEqual(r.body.count, 1 << 20)
        XCTAssertLessThan(elapsed(start), 3)
    }

    func testBinaryBodyIntactAndKeepBodyFalse() async throws {
        var bytes: [UInt8] = []
        for i in 0..<(300 * 1024) { bytes.append(UInt8(truncatingIfNeeded: i &* 31 &+ i >> 8)) }
        let payload = bytes
        let server = try LocalServer { _ in .full(status: 200, headers: [("Content-Type", "application/pdf")], body: payload) }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let r = await client.fetch(FetchRequest(url: server.baseURL))
        XCTAssertEqual(r.body, payload)
        let discarded = await client.fetch(FetchRequest(url: server.baseURL, keepBody: false))
        XCTAssertEqual(discarded.classification, .ok)
        XCTAssertTrue(discarded.body.isEmpty)
    }

    func testCheckFallsBackToGetOn405() async throws {
        let server = try LocalServer { req in req.method == "HEAD" ? .status(405) : .text("body") }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let r = await client.check(server.baseURL + "doc")
        XCTAssertEqual(r.classification, .ok)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.method, .get)
        XCTAssertEqual(r.attempts, 2)
        XCTAssertTrue(r.body.isEmpty)
        XCTAssertEqual(server.requests.map(\.method), ["HEAD", "GET"])
    }

    func testCheckUsesHeadWhenItWorks() async throws {
        let server = try LocalServer { req in req.path == "/dead" ? .status(410) : .text("body") }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let r = await client.check(server.baseURL)
        XCTAssertEqual(r.classification, .ok)
        XCTAssertEqual(r.method, .head)
        let dead = await client.check(server.baseURL + "dead")
        XCTAssertEqual(dead.classification, .broken)
        XCTAssertEqual(server.requests.map(\.method), ["HEAD", "HEAD"])
    }

    func testConditionalHeadersAnd304() async throws {
        let server = try LocalServer { req in
            req.headers["if-none-match"] == "\"v1\""
                ? .status(304, headers: [("ETag", "\"v1\"")])
                : .full(status: 200, headers: [("ETag", "\"v1\"")], body: Array("fresh".utf8))
        }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let first = await client.fetch(FetchRequest(url: server.baseURL))
        XCTAssertEqual(first.headers["etag"], "\"v1\"")
        let again = await client.fetch(FetchRequest(url: server.baseURL, headers: [("If-None-Match", "\"v1\"")]))
        XCTAssertEqual(again.status, 304)
        XCTAssertEqual(again.classification, .ok)
        XCTAssertTrue(again.body.isEmpty)
        XCTAssertEqual(server.requests.last?.headers["if-none-match"], "\"v1\"")
    }

    func testCheckFallsBackWhenHeadIsResetOrForbidden() async throws {
        let server = try LocalServer { req in
            guard req.method == "HEAD" else { return .text("fine") }
            return req.path == "/reset" ? .reset : .status(403)
        }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        for path in ["reset", "forbidden"] {
            let r = await client.check(server.baseURL + path)
            XCTAssertEqual(r.classification, .ok, path)
            XCTAssertEqual(r.method, .get, path)
        }
        let gets = server.requests.filter { $0.method == "GET" }.count
        XCTAssertEqual(gets, 2)
    }

    func testTLSHandshakeFailureIsTLSError() async throws {
        // A plain-HTTP server answering a TLS ClientHello: the handshake fails.
        let server = try LocalServer { _ in .text("not tls") }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let r = await client.fetch(FetchRequest(url: "https://127.0.0.1:\(server.port)/"))
        XCTAssertEqual(r.classification, .tlsError)
        XCTAssertEqual(r.reason, .failure(.tls))
        XCTAssertFalse(r.detail.isEmpty)
    }

    func testConnectionsAreReused() async throws {
        let server = try LocalServer { _ in .text("again") }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        for _ in 0..<20 { _ = await client.fetch(FetchRequest(url: server.baseURL)) }
        XCTAssertEqual(server.requestCount, 20)
        XCTAssertEqual(server.connectionCount, 1)
    }

    func testFirewallCookieRedirectIsNotALoop() async throws {
        let server = try LocalServer { req in
            if req.headers["cookie"]?.contains("waf=1") == true { return .text("inside") }
            return .full(status: 302, headers: [("Location", req.target), ("Set-Cookie", "waf=1; Path=/")], body: [])
        }
        defer { server.stop() }
        let client = try makeClient()
        defer { client.shutdown() }
        let r = await client.fetch(FetchRequest(url: server.baseURL + "page"))
        XCTAssertEqual(r.classification, .ok)
        XCTAssertEqual(r.redirects, [server.baseURL + "page"])
        XCTAssertEqual(String(decoding: r.body, as: UTF8.self), "inside")

        var noJar = FetchConfiguration()
        noJar.cookies = false
        let plain = try HTTPClient(configuration: noJar)
        defer { plain.shutdown() }
        let looped = await plain.fetch(FetchRequest(url: server.baseURL + "other"))
        XCTAssertEqual(looped.reason, .failure(.redirectLoop))
    }
    /// Header names are kept in lowercase (a response's "ETag" is read as "etag"), ASCII on its
    /// bytes and anything else as `lowercased()` does.
    func testHeaderNamesLowercased() {
        for name in ["Content-Type", "ETag", "last-modified", "X-Powered-By", "", "Ümlaut-Ä", "WWW-Authenticate"] {
            let got = Array(name.utf8).withUnsafeBytes { Transfer.lowercasedName($0) }
            XCTAssertEqual(got, name.lowercased(), name)
        }
    }
}
