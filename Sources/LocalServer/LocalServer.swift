/// A small HTTP/1.1 server on 127.0.0.1 for the demo portal and the tests. It can
/// misbehave on purpose (resets, slow drips, endless bodies, raw bytes), which is
/// why it is written on POSIX sockets rather than taken from a framework.
/// One thread per connection; keep-alive; never binds anything but 127.0.0.1.
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import Vocabulary

package struct ServerRequest: Sendable {
    package var method: String
    /// The request target exactly as sent ("/a/b.html?x=1").
    package var target: String
    /// The path part, percent-decoded ("/新闻/a.html").
    package var path: String
    /// The query string without "?", nil when none.
    package var query: String?
    /// Header names lowercased.
    package var headers: [String: String]
    /// The request body (Content-Length delimited), empty when none.
    package var body: [UInt8] = []

    package init(method: String, target: String, path: String, query: String?, headers: [String: String]) {
        self.method = method; self.target = target; self.path = path; self.query = query; self.headers = headers
    }
}

package enum ServerResponse: Sendable {
    /// A normal response; Content-Length is added.
    case full(status: Int, headers: [(String, String)], body: [UInt8])
    /// Headers, then `chunk` written `count` times with `delay` seconds between writes
    /// (a 1 GB body, or a slow drip). No Content-Length unless given in headers.
    case stream(status: Int, headers: [(String, String)], chunk: [UInt8], count: Int, delay: Double)
    /// Headers, then chunks `chunk(0)`…`chunk(count - 1)`, each made as it is written (a
    /// million-entry sitemap streamed without building it). No Content-Length.
    case generated(status: Int, headers: [(String, String)], count: Int, chunk: @Sendable (Int) -> [UInt8])
    /// Close the connection at once with a TCP reset, sending nothing.
    case reset
    /// Accept and say nothing for `seconds`, then close.
    case hang(seconds: Double)
    /// Write these bytes as they are, then close (malformed responses).
    case raw([UInt8])

    package static func html(_ text: String, status: Int = 200, charset: String = "utf-8") -> ServerResponse {
        .full(status: status, headers: [("Content-Type", "text/html; charset=\(charset)")], body: Array(text.utf8))
    }
    package static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> ServerResponse {
        .full(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }
    package static func status(_ code: Int, headers: [(String, String)] = []) -> ServerResponse {
        .full(status: code, headers: headers, body: [])
    }
    package static func redirect(_ location: String, status: Int = 302) -> ServerResponse {
        .full(status: status, headers: [("Location", location)], body: [])
    }

    /// A 200 with an `ETag` (a hash of the body), or a bodiless 304 when the request's
    /// `If-None-Match` names that tag: what static-file servers (nginx) answer.
    package static func conditional(_ request: ServerRequest, headers: [(String, String)], body: [UInt8]) -> ServerResponse {
        var h = FNV1a()
        h.add(body)
        let tag = "\"\(String(h.value, radix: 16))-\(body.count)\""
        if let wanted = request.headers["if-none-match"],
            wanted.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag || $0.trimmingCharacters(in: .whitespaces) == "*" })
        {
            return .full(status: 304, headers: [("ETag", tag)], body: [])
        }
        return .full(status: 200, headers: headers + [("ETag", tag)], body: request.method == "HEAD" ? [] : body)
    }
}

package enum LocalServerError: Error, Sendable {
    case socket(String, Int32)
}

package final class LocalServer: Sendable {
    package let port: Int
    package var baseURL: String { "http://127.0.0.1:\(port)/" }

    private let listenFD: Int32
    private let handler: @Sendable (ServerRequest) -> ServerResponse
    private let state = Mutex(State())

    private struct State {
        var stopped = false
        var connections: Set<Int32> = []
        var threads = 0
        var log: [ServerRequest] = []
        var inFlight = 0
        var maxInFlight = 0
        var accepted = 0
    }

    /// Binds 127.0.0.1 on a free port and serves each request with `handler`.
    package init(handler: @escaping @Sendable (ServerRequest) -> ServerResponse) throws {
        // A peer that goes away mid-write must not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LocalServerError.socket("socket", errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 512) == 0 else {
            let e = errno; close(fd); throw LocalServerError.socket("bind/listen", e)
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listenFD = fd
        self.handler = handler
        state.withLock { $0.threads += 1 }
        let t = Thread { [self] in acceptLoop() }
        t.name = "LocalServer.accept"
        t.start()
    }

    deinit { stop() }

    /// Every request parsed so far, in arrival order.
    package var requests: [ServerRequest] { state.withLock { $0.log } }
    package var requestCount: Int { state.withLock { $0.log.count } }
    /// The highest number of requests being handled or answered at once.
    package var maxConcurrentRequests: Int { state.withLock { $0.maxInFlight } }
    /// Connections accepted since start (tells whether clients reuse connections).
    package var connectionCount: Int { state.withLock { $0.accepted } }
    /// Open client connections right now.
    package var openConnections: Int { state.withLock { $0.connections.count } }

    /// Stops accepting, closes open connections and waits (briefly) for the threads to end.
    package func stop() {
        let fds: [Int32]? = state.withLock { s in
            if s.stopped { return nil }
            s.stopped = true
            return Array(s.connections)
        }
        guard let fds else { return }
        Glibc.shutdown(listenFD, Int32(SHUT_RDWR))
        for fd in fds { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        let deadline = Date().addingTimeInterval(2)
        while state.withLock({ $0.threads }) > 0 && Date() < deadline { usleep(2_000) }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        defer {
            close(listenFD)
            state.withLock { $0.threads -= 1 }
        }
        while !isStopped {
            let c = accept(listenFD, nil, nil)
            if c < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let accepted = state.withLock { s -> Bool in
                if s.stopped { return false }
                s.connections.insert(c); s.threads += 1; s.accepted += 1
                return true
            }
            guard accepted else { close(c); return }
            var one: Int32 = 1
            setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let t = Thread { [self] in serve(c) }
            t.name = "LocalServer.conn"
            t.start()
        }
    }

    // MARK: connection

    private func serve(_ fd: Int32) {
        var closeWithReset = false
        defer {
            if closeWithReset {
                var l = linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
            }
            state.withLock { s in
                s.connections.remove(fd); s.threads -= 1
            }
            close(fd)
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        while !isStopped {
            let parsed = readRequest(fd, &buffer)
            guard case .request(let request, let keepAlive) = parsed else {
                if case .malformed = parsed {
                    _ = writeAll(fd, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
                }
                return
            }
            state.withLock { s in
                s.log.append(request)
                s.inFlight += 1
                s.maxInFlight = max(s.maxInFlight, s.inFlight)
            }
            let response = handler(request)
            let outcome = respond(fd, request, response, keepAlive: keepAlive)
            state.withLock { $0.inFlight -= 1 }
            switch outcome {
            case .keepOpen: continue
            case .close: return
            case .reset: closeWithReset = true; return
            }
        }
    }

    private enum Parsed { case request(ServerRequest, keepAlive: Bool), closed, malformed }
    private enum Outcome { case keepOpen, close, reset }

    /// Reads one request (head and Content-Length body) from `fd`; leftover bytes stay in `buffer`.
    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> Parsed {
        var headEnd: Int?
        while true {
            if let e = findHeadEnd(buffer) { headEnd = e; break }
            // Not HTTP at all (e.g. a TLS ClientHello): refuse at once rather than wait for a blank line.
            if let first = buffer.first, !(65...90).contains(first) { return .malformed }
            if buffer.count > 64 * 1024 { return .malformed }
            if !readMore(fd, &buffer) { return buffer.isEmpty ? .closed : .malformed }
        }
        guard let end = headEnd,
            let head = String(validating: buffer[0..<end], as: UTF8.self)
        else { return .malformed }
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { return .malformed }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1."),
            requestLine[0].allSatisfy({ $0.isLetter && $0.isUppercase }),
            requestLine[1].hasPrefix("/") || requestLine[1] == "*"
        else { return .malformed }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return .malformed }
            let name = line[..<colon].lowercased()
            guard !name.isEmpty, !name.contains(" ") else { return .malformed }
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let version = requestLine[2]
        let target = String(requestLine[1])
        var bodyLength = 0
        if headers["transfer-encoding"] != nil { return .malformed }
        if let cl = headers["content-length"] {
            guard let n = Int(cl), n >= 0, n <= 64 * 1024 * 1024 else { return .malformed }
            bodyLength = n
        }
        let total = end + 4 + bodyLength
        while buffer.count < total {
            if !readMore(fd, &buffer) { return .closed }
        }
        let body = Array(buffer[(end + 4)..<total])
        buffer.removeFirst(total)
        let pathPart: Substring
        let query: String?
        if let q = target.firstIndex(of: "?") {
            pathPart = target[..<q]; query = String(target[target.index(after: q)...])
        } else {
            pathPart = Substring(target); query = nil
        }
        var request = ServerRequest(
            method: String(requestLine[0]), target: target,
            path: Self.percentDecode(pathPart), query: query, headers: headers)
        request.body = body
        let connection = headers["connection"]?.lowercased() ?? ""
        let keepAlive = version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")
        return .request(request, keepAlive: keepAlive)
    }

    private func findHeadEnd(_ b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        for i in 0...(b.count - 4) where b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i }
        return nil
    }

    private func readMore(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { buffer.append(contentsOf: chunk[0..<n]); return true }
            if n < 0 && errno == EINTR { continue }
            return false
        }
    }

    static func percentDecode(_ s: Substring) -> String {
        guard s.contains("%") else { return String(s) }
        var out: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        while i < u.count {
            if u[i] == 37, i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) {
                out.append(h << 4 | l); i += 3
            } else {
                out.append(u[i]); i += 1
            }
        }
        return String(validating: out, as: UTF8.self) ?? String(s)
    }

    // MARK: responses

    private func respond(_ fd: Int32, _ request: ServerRequest, _ response: ServerResponse, keepAlive: Bool) -> Outcome {
        let isHead = request.method == "HEAD"
        switch response {
        case .full(let status, let headers, let body):
            var head = statusLine(status)
            for (n, v) in headers where n.lowercased() != "content-length" { head += "\(n): \(v)\r\n" }
            head += "Content-Length: \(body.count)\r\n"
            if !keepAlive { head += "Connection: close\r\n" }
            head += "\r\n"
            var bytes = Array(head.utf8)
            if !isHead && status != 204 && status != 304 { bytes.append(contentsOf: body) }
            guard writeAll(fd, bytes) else { return .close }
            return keepAlive ? .keepOpen : .close
        case .stream(let status, let headers, let chunk, let count, let delay):
            var head = statusLine(status)
            for (n, v) in headers { head += "\(n): \(v)\r\n" }
            head += "Connection: close\r\n\r\n"
            guard writeAll(fd, Array(head.utf8)), !isHead else { return .close }
            for i in 0..<count {
                if i > 0 && delay > 0 && !pause(fd, delay) { return .close }
                guard !isStopped, writeAll(fd, chunk) else { return .close }
            }
            return .close
        case .generated(let status, let headers, let count, let chunk):
            var head = statusLine(status)
            for (n, v) in headers { head += "\(n): \(v)\r\n" }
            head += "Connection: close\r\n\r\n"
            guard writeAll(fd, Array(head.utf8)), !isHead else { return .close }
            for i in 0..<count {
                guard !isStopped, writeAll(fd, chunk(i)) else { return .close }
            }
            return .close
        case .reset:
            return .reset
        case .hang(let seconds):
            _ = pause(fd, seconds)
            return .close
        case .raw(let bytes):
            _ = writeAll(fd, bytes)
            return .close
        }
    }

    /// Waits up to `seconds`; false when the peer closed or the server stops meanwhile.
    private func pause(_ fd: Int32, _ seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if isStopped { return false }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return true }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, Int32(min(left, 0.1) * 1000) + 1)
            if r > 0 {
                // Readable during a pause: the peer closed (or sent more, which we ignore).
                var b: UInt8 = 0
                let n = recv(fd, &b, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
                if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { return false }
                if p.revents & Int16(POLLHUP | POLLERR) != 0 { return false }
                usleep(UInt32(min(left, 0.01) * 1_000_000))
            }
        }
    }

    private func statusLine(_ status: Int) -> String {
        "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\n"
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = send(fd, raw.baseAddress! + off, raw.count - off, Int32(MSG_NOSIGNAL))
                if n > 0 { off += n; continue }
                if n < 0 && errno == EINTR { continue }
                return false
            }
            return true
        }
    }

    static func reasonPhrase(_ s: Int) -> String {
        switch s {
        case 200: "OK";
        case 201: "Created";
        case 204: "No Content"
        case 301: "Moved Permanently";
        case 302: "Found";
        case 303: "See Other";
        case 304: "Not Modified"
        case 307: "Temporary Redirect";
        case 308: "Permanent Redirect"
        case 400: "Bad Request";
        case 401: "Unauthorized";
        case 403: "Forbidden";
        case 404: "Not Found"
        case 405: "Method Not Allowed";
        case 410: "Gone";
        case 429: "Too Many Requests"
        case 451: "Unavailable For Legal Reasons"
        case 500: "Internal Server Error";
        case 501: "Not Implemented";
        case 502: "Bad Gateway"
        case 503: "Service Unavailable";
        case 504: "Gateway Timeout"
        default: "Status"
        }
    }
}
