internal import CCurl
import Foundation

/// A libcurl call that failed. `code` is the raw CURLcode / CURLMcode / CURLUcode.
package struct CurlError: Error, Sendable, CustomStringConvertible {
    package enum Layer: String, Sendable { case easy, multi, url, share, setup }
    package let layer: Layer
    package let code: Int
    package let message: String
    package var description: String { "curl \(layer.rawValue) error \(code): \(message)" }
}

/// The one place where libcurl's error codes become Swift errors.
enum Curl {
    @inline(__always)
    static func call(_ code: CURLcode) throws(CurlError) {
        if code != CURLE_OK {
            throw CurlError(layer: .easy, code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)))
        }
    }

    @inline(__always)
    static func call(_ code: CURLMcode) throws(CurlError) {
        if code != CURLM_OK {
            throw CurlError(layer: .multi, code: Int(code.rawValue), message: String(cString: curl_multi_strerror(code)))
        }
    }

    @inline(__always)
    static func call(_ code: CURLUcode) throws(CurlError) {
        if code != CURLUE_OK {
            throw CurlError(layer: .url, code: Int(code.rawValue), message: String(cString: curl_url_strerror(code)))
        }
    }

    @inline(__always)
    static func call(_ code: CURLSHcode) throws(CurlError) {
        if code != CURLSHE_OK {
            throw CurlError(layer: .share, code: Int(code.rawValue), message: String(cString: curl_share_strerror(code)))
        }
    }

    /// `curl_global_init` exactly once per process (a lazy static is initialised once, thread-safely).
    static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    static func ensureGlobalInit() throws(CurlError) {
        try call(globalInit)
    }

    /// Resolves `location` (absolute or relative) against `base` with curl's URL API.
    static func resolve(_ location: String, against base: String) -> String? {
        guard let u = curl_url() else { return nil }
        defer { curl_url_cleanup(u) }
        do {
            try call(curl_url_set(u, CURLUPART_URL, base, 0))
            do {
                try call(curl_url_set(u, CURLUPART_URL, location, 0))
            } catch {
                // Servers send raw spaces and non-ASCII in Location: encode them.
                try call(curl_url_set(u, CURLUPART_URL, location, UInt32(CURLU_URLENCODE | CURLU_ALLOW_SPACE)))
            }
            var out: UnsafeMutablePointer<CChar>?
            try call(curl_url_get(u, CURLUPART_URL, &out, 0))
            guard let out else { return nil }
            defer { curl_free(out) }
            return String(cString: out)
        } catch {
            return nil
        }
    }
}

/// A monotonic clock in seconds.
@inline(__always)
func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// "host:port" of an absolute URL, lowercased, default port filled in; the politeness key.
/// (Plain UTF-8 scanning: this runs for every request and hop.)
func authorityKey(_ url: String) -> String {
    var u = Array(url.utf8)
    var defaultPort = "80"
    var start = 0
    if let sep = u.firstRange(of: [0x3A, 0x2F, 0x2F]) {  // "://"
        if sep.lowerBound == 5 && u[0..<5].map({ $0 | 0x20 }) == Array("https".utf8) { defaultPort = "443" }
        start = sep.upperBound
    }
    var end = u.count
    if let i = u[start...].firstIndex(where: { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 }) { end = i }
    if let at = u[start..<end].lastIndex(of: 0x40) { start = at + 1 }
    for i in start..<end where (65...90).contains(u[i]) { u[i] |= 0x20 }
    let host = String(decoding: u[start..<end], as: UTF8.self)
    let hasPort = u[start..<end].last != 0x5D && u[start..<end].contains(0x3A)
    return hasPort ? host : host + ":" + defaultPort
}
