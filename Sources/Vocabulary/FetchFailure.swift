/// Why a request gave no usable answer, as a page's or probe's `reason` records it (the
/// other reasons are an HTTP status, "404", or curl's own code, "curl-N"). Fetch writes
/// them, the crawler adds its own (`urlTooLong`), the link rule words them.
public enum FetchFailure: String, Sendable, Codable, CaseIterable {
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
    public var nameZh: String? {
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
