package import Vocabulary
package enum HTTPMethod: String, Sendable, Codable { case get = "GET", head = "HEAD" }

package struct FetchConfiguration: Sendable {
    /// Transfers in flight at once, all hosts together.
    package var maxConcurrency: Int = 32
    /// Transfers in flight at once to one host.
    package var perHostConcurrency: Int = 6
    /// Optional cap on requests per second to one host (nil: no cap).
    package var perHostRate: Double? = nil
    package var connectTimeout: Double = 5
    /// Total time for one request, 15 s as in the official availability test.
    package var totalTimeout: Double = 15
    package var maxRedirects: Int = 10
    /// Bodies larger than this are cut; the cut is recorded.
    package var maxBodyBytes: Int = 10 * 1024 * 1024
    /// Retries for 429/503 (with Retry-After honoured) and for transient failures.
    package var maxRetries: Int = 2
    /// A Retry-After longer than this is not waited for: the link is reported blocked.
    package var maxRetryAfter: Double = 30
    package var userAgent: String = "govsweep/0.1 (+government website self-inspection)"
    /// Keep a session cookie jar shared by all fetches of this client, as a browser would:
    /// many portals' firewalls answer a first visit with a cookie-setting redirect to the same URL.
    package var cookies: Bool = true

    package init() {}
}

package struct FetchRequest: Sendable {
    package var url: String
    package var method: HTTPMethod
    /// Extra request headers, e.g. If-None-Match / If-Modified-Since.
    package var headers: [(String, String)]
    /// Whether the body is wanted at all (link checks of non-HTML targets do not keep it).
    package var keepBody: Bool
    /// Seconds to leave between the start of this request and the next one to the same host
    /// (robots.txt `Crawl-delay`), on top of the client's own per-host rate.
    package var hostDelay: Double
    /// A body cap for this request instead of the client's `maxBodyBytes` (robots.txt is read
    /// up to 500 KiB, as RFC 9309 allows; a sitemap file up to the sitemaps.org 50 MB).
    package var maxBodyBytes: Int?

    package init(
        url: String, method: HTTPMethod = .get, headers: [(String, String)] = [], keepBody: Bool = true,
        hostDelay: Double = 0, maxBodyBytes: Int? = nil
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.keepBody = keepBody
        self.hostDelay = hostDelay
        self.maxBodyBytes = maxBodyBytes
    }
}

package struct FetchResponse: Sendable {
    /// The URL that was asked for.
    package var url: String
    /// The URL after redirects.
    package var finalURL: String
    /// Final HTTP status, 0 when no HTTP response arrived.
    package var status: Int
    /// Response headers of the final hop, names lowercased (last value wins).
    package var headers: [String: String]
    /// Every hop after the first: the Location targets in order.
    package var redirects: [String]
    package var body: [UInt8]
    /// True when the body was cut at the size cap.
    package var truncated: Bool
    package var classification: LinkClass
    /// How it ended: the final status, or the transport failure (`FetchReason`).
    package var reason: FetchReason
    /// Human detail (curl's error text), empty when fine.
    package var detail: String
    /// Seconds from first byte sent to the last byte of the final hop.
    package var seconds: Double
    package var attempts: Int
    package var method: HTTPMethod

    package var contentType: String? { headers["content-type"] }

    package init(
        url: String, finalURL: String, status: Int, headers: [String: String], redirects: [String],
        body: [UInt8], truncated: Bool, classification: LinkClass, reason: FetchReason, detail: String,
        seconds: Double, attempts: Int, method: HTTPMethod
    ) {
        self.url = url; self.finalURL = finalURL; self.status = status; self.headers = headers
        self.redirects = redirects; self.body = body; self.truncated = truncated
        self.classification = classification; self.reason = reason; self.detail = detail
        self.seconds = seconds; self.attempts = attempts; self.method = method
    }
}
