/// A small HTTP/1.1 server on 127.0.0.1 for the demo portal and the tests. It can
/// misbehave on purpose (resets, slow drips, endless bodies, raw bytes), which is
/// why it is written on POSIX sockets rather than taken from a framework.
/// (Stub: implemented in the LocalServer work item.)

public struct ServerRequest: Sendable {
    public var method: String
    /// The request target exactly as sent ("/a/b.html?x=1").
    public var target: String
    /// The path part, percent-decoded ("/新闻/a.html").
    public var path: String
    /// The query string without "?", nil when none.
    public var query: String?
    /// Header names lowercased.
    public var headers: [String: String]

    public init(method: String, target: String, path: String, query: String?, headers: [String: String]) {
        self.method = method; self.target = target; self.path = path; self.query = query; self.headers = headers
    }
}

public enum ServerResponse: Sendable {
    /// A normal response; Content-Length is added.
    case full(status: Int, headers: [(String, String)], body: [UInt8])
    /// Headers, then `chunk` written `count` times with `delay` seconds between writes
    /// (a 1 GB body, or a slow drip). No Content-Length unless given in headers.
    case stream(status: Int, headers: [(String, String)], chunk: [UInt8], count: Int, delay: Double)
    /// Close the connection at once with a TCP reset, sending nothing.
    case reset
    /// Accept and say nothing for `seconds`, then close.
    case hang(seconds: Double)
    /// Write these bytes as they are, then close (malformed responses).
    case raw([UInt8])

    public static func html(_ text: String, status: Int = 200, charset: String = "utf-8") -> ServerResponse {
        .full(status: status, headers: [("Content-Type", "text/html; charset=\(charset)")], body: Array(text.utf8))
    }
    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> ServerResponse {
        .full(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }
    public static func status(_ code: Int, headers: [(String, String)] = []) -> ServerResponse {
        .full(status: code, headers: headers, body: [])
    }
    public static func redirect(_ location: String, status: Int = 302) -> ServerResponse {
        .full(status: status, headers: [("Location", location)], body: [])
    }
}

public final class LocalServer: Sendable {
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)/" }

    /// Binds 127.0.0.1 on a free port and serves each request with `handler`.
    public init(handler: @escaping @Sendable (ServerRequest) -> ServerResponse) throws {
        port = 0
    }

    /// Stops accepting and closes open connections.
    public func stop() {}
}
