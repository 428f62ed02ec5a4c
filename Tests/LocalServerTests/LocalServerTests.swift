import XCTest
import Foundation
@testable import LocalServer
#if canImport(Glibc)
import Glibc
#endif

/// Sends `bytes` to 127.0.0.1:port and reads until the peer closes or `timeout` passes.
func rawExchange(port: Int, _ bytes: [UInt8], timeout: Double = 2) -> [UInt8] {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let r = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard r == 0 else { return [] }
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 50) > 0 else { continue }
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        out.append(contentsOf: buf[0..<n])
    }
    return out
}

func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}

final class LocalServerTests: XCTestCase {
    func testKeepAliveServesTwoRequestsOnOneConnection() throws {
        let server = try LocalServer { .text("hello \($0.path)") }
        defer { server.stop() }
        let req = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let reply = String(decoding: rawExchange(port: server.port, Array(req.utf8)), as: UTF8.self)
        XCTAssertTrue(reply.contains("hello /a"))
        XCTAssertTrue(reply.contains("hello /b"))
        XCTAssertEqual(reply.components(separatedBy: "HTTP/1.1 200 OK").count - 1, 2)
        XCTAssertEqual(server.connectionCount, 1)
        XCTAssertEqual(server.requestCount, 2)
        XCTAssertEqual(server.requests.map(\.path), ["/a", "/b"])
    }

    func testHeadGetsHeadersOnly() throws {
        let server = try LocalServer { _ in .text("0123456789") }
        defer { server.stop() }
        let reply = String(decoding: rawExchange(port: server.port, Array("HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n".utf8)), as: UTF8.self)
        XCTAssertTrue(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
        XCTAssertTrue(reply.contains("Content-Length: 10\r\n"))
        XCTAssertTrue(reply.hasSuffix("\r\n\r\n"), reply)
    }

    func testMalformedRequestGets400AndBodyIsRead() throws {
        let server = try LocalServer { req in .text("got \(req.body.count) \(req.query ?? "-")") }
        defer { server.stop() }
        let bad = String(decoding: rawExchange(port: server.port, Array("NONSENSE\r\n\r\n".utf8)), as: UTF8.self)
        XCTAssertTrue(bad.hasPrefix("HTTP/1.1 400"), bad)
        let post = "POST /p?x=1 HTTP/1.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nabcde"
        let ok = String(decoding: rawExchange(port: server.port, Array(post.utf8)), as: UTF8.self)
        XCTAssertTrue(ok.hasSuffix("got 5 x=1"), ok)
        XCTAssertEqual(server.requests.last?.body, Array("abcde".utf8))
    }

    func testPercentDecodedPath() throws {
        let server = try LocalServer { .text($0.path) }
        defer { server.stop() }
        let reply = String(
            decoding: rawExchange(port: server.port, Array("GET /%E6%96%B0%E9%97%BB/a.html HTTP/1.1\r\nConnection: close\r\n\r\n".utf8)), as: UTF8.self)
        XCTAssertTrue(reply.hasSuffix("/新闻/a.html"), reply)
    }

    func testDirectoryHandler() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("<h1>home</h1>".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("body{}".utf8).write(to: root.appendingPathComponent("sub/s.css"))
        let handler = LocalServer.directoryHandler(root: root.path)
        func get(_ path: String) -> ServerResponse {
            handler(ServerRequest(method: "GET", target: path, path: path, query: nil, headers: [:]))
        }
        guard case .full(200, let h, let body) = get("/") else { return XCTFail("index") }
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "<h1>home</h1>")
        XCTAssertEqual(h.first?.1, "text/html; charset=utf-8")
        guard case .full(200, let h2, _) = get("/sub/s.css") else { return XCTFail("css") }
        XCTAssertEqual(h2.first?.1, "text/css; charset=utf-8")
        guard case .full(404, _, _) = get("/missing.html") else { return XCTFail("404") }
        guard case .full(404, _, _) = get("/../../etc/passwd") else { return XCTFail("escape") }
        guard case .full(301, _, _) = get("/sub") else { return XCTFail("dir redirect") }
    }

    func testStopClosesPortPromptly() throws {
        let server = try LocalServer { _ in .hang(seconds: 10) }
        let port = server.port
        XCTAssertTrue(canConnect(port: port))
        // A connection stuck in a hang must not hold stop() up.
        let t = Thread { _ = rawExchange(port: port, Array("GET / HTTP/1.1\r\n\r\n".utf8), timeout: 5) }
        t.start()
        Thread.sleep(forTimeInterval: 0.2)
        let start = Date()
        server.stop()
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.5)
        XCTAssertFalse(canConnect(port: port))
        XCTAssertEqual(server.openConnections, 0)
    }

    func testStreamStopsWhenClientLeaves() throws {
        let server = try LocalServer { _ in
            .stream(status: 200, headers: [], chunk: [UInt8](repeating: 65, count: 65536), count: 1_000_000, delay: 0)
        }
        defer { server.stop() }
        let got = rawExchange(port: server.port, Array("GET / HTTP/1.1\r\n\r\n".utf8), timeout: 0.2)
        XCTAssertGreaterThan(got.count, 0)
        // The client is gone: the writer thread ends (no SIGPIPE death) and the connection closes.
        let deadline = Date().addingTimeInterval(3)
        while server.openConnections > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(server.openConnections, 0)
    }
}
