/// Why a request gave no usable answer (`FetchReason.failure`). Fetch writes them, the
/// crawler adds its own (`urlTooLong`), the link rule words them.
package enum FetchFailure: String, Sendable, Codable, CaseIterable {
    case dns
    case refused
    case timeout
    case reset
    case emptyReply = "empty-reply"
    case partialBody = "partial-body"
    case badResponse = "bad-response"
    case badEncoding = "bad-encoding"
    case unsupportedScheme = "unsupported-scheme"
    case badURL = "bad-url"
    case tls
    case badRedirect = "bad-redirect"
    case redirectLoop = "redirect-loop"
    case tooManyRedirects = "too-many-redirects"
    case setup
    case cancelled
    /// Not requested: over 8 KiB (servers answer 414 or not at all).
    case urlTooLong = "url-too-long"

    /// The wording of the report's link findings; nil where the code is all there is to say.
    package var nameZh: String? {
        switch self {
        case .timeout: return "超时"
        case .dns: return "域名无法解析"
        case .refused: return "连接被拒绝"
        case .reset: return "连接被重置"
        case .redirectLoop: return "重定向循环"
        case .tooManyRedirects: return "重定向次数过多"
        case .tls: return "证书或加密连接错误"
        case .emptyReply: return "服务器无响应内容"
        case .urlTooLong: return "链接地址超过 8 KiB"
        default: return nil
        }
    }
}

/// How a fetch ended, as a response, a page and a probe record it and the link rule reads
/// it: one value from Fetch to the report. It is text only in a store's `reason` column and
/// in findings.json's evidence, the same text as when it was a String ("404", "timeout",
/// "curl-56", "redirect", "200 truncated"), so stores written before read back.
package enum FetchReason: Sendable, Hashable, CustomStringConvertible {
    /// Nothing recorded ("").
    case none
    /// The final HTTP status ("404").
    case status(Int)
    /// A transport failure with a name ("timeout").
    case failure(FetchFailure)
    /// A transport failure by curl's own code, for those without a name ("curl-56").
    case curl(Int)
    /// The page asked for redirected: its content is recorded under the URL it landed on ("redirect").
    case redirected
    /// The body was cut at the size cap ("200 truncated").
    indirect case truncated(FetchReason)

    /// Reads the text `text` gives; nil for one this build does not write.
    package init?(text: String) {
        if text.isEmpty {
            self = .none
        } else if text == "redirect" {
            self = .redirected
        } else if text.hasSuffix(" truncated") {
            guard let cut = FetchReason(text: String(text.dropLast(10))) else { return nil }
            self = .truncated(cut)
        } else if let failure = FetchFailure(rawValue: text) {
            self = .failure(failure)
        } else if text.hasPrefix("curl-"), let code = Int(text.dropFirst(5)) {
            self = .curl(code)
        } else if let status = Int(text), status >= 0 {
            self = .status(status)
        } else {
            return nil
        }
    }

    /// The text a store's column and findings.json hold.
    package var text: String {
        switch self {
        case .none: ""
        case .status(let s): String(s)
        case .failure(let f): f.rawValue
        case .curl(let c): "curl-\(c)"
        case .redirected: "redirect"
        case .truncated(let r): r.text + " truncated"
        }
    }

    package var description: String { text }

    /// The named failure, if it is one.
    package var failure: FetchFailure? {
        if case .failure(let f) = self { return f }
        return nil
    }

    /// The report's wording: the failure's Chinese name where it has one, else the text.
    package var nameZh: String { failure?.nameZh ?? text }
}
