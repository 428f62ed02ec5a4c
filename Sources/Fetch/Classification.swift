internal import CCurl
import Foundation
import Vocabulary

/// How statuses and transport failures become a `LinkClass` and a short reason.
enum Classifier {
    /// Statuses that say "you may not" rather than "it is not there".
    /// 401/403 auth and refusals; 429 rate limit; 451 legal block; 999 is LinkedIn-style
    /// bot refusal; 412 is what Chinese WAF challenge pages (e.g. Ruishu) answer first
    /// visits with when no conditional header was sent; 418 is a common WAF joke status.
    static func classify(status: Int, method: HTTPMethod, conditional: Bool) -> LinkClass {
        switch status {
        case 200..<400: return .ok
        case 401, 403, 429, 451, 999, 418: return .blocked
        case 412: return conditional ? .broken : .blocked
        // A GET refused with 405 is a firewall talking: no real page refuses GET.
        case 405: return method == .get ? .blocked : .broken
        default: return .broken
        }
    }

    /// A transport failure (no usable HTTP response).
    static func classify(curlCode code: CURLcode) -> (LinkClass, FetchReason) {
        let (c, f): (LinkClass, FetchFailure?) = failure(curlCode: code)
        return (c, f.map(FetchReason.failure) ?? .curl(Int(code.rawValue)))
    }

    /// A transport failure by name; nil for a curl code without one ("curl-N").
    static func failure(curlCode code: CURLcode) -> (LinkClass, FetchFailure?) {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return (.broken, .dns)
        case CURLE_COULDNT_CONNECT: return (.broken, .refused)
        case CURLE_OPERATION_TIMEDOUT: return (.broken, .timeout)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR: return (.broken, .reset)
        case CURLE_GOT_NOTHING: return (.broken, .emptyReply)
        case CURLE_PARTIAL_FILE: return (.broken, .partialBody)
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM: return (.broken, .badResponse)
        case CURLE_BAD_CONTENT_ENCODING: return (.broken, .badEncoding)
        case CURLE_UNSUPPORTED_PROTOCOL: return (.broken, .unsupportedScheme)
        case CURLE_URL_MALFORMAT: return (.broken, .badURL)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_SSL_CRL_BADFILE:
            return (.tlsError, .tls)
        default: return (.broken, nil)
        }
    }

    /// `Retry-After` as seconds from now: delta-seconds or an HTTP-date.
    static func retryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        if let n = Double(v) { return max(0, n) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            f.dateFormat = format
            if let d = f.date(from: v) { return max(0, d.timeIntervalSince(now)) }
        }
        return nil
    }

    /// HEAD answers that are not trusted: retried as GET by `check`.
    static func headNeedsFallback(status: Int) -> Bool {
        [400, 403, 404, 405, 406, 500, 501].contains(status)
    }

    static func headNeedsFallback(reason: FetchReason) -> Bool {
        guard let f = reason.failure else { return false }
        return [FetchFailure.reset, .emptyReply, .badResponse, .partialBody].contains(f)
    }
}
