internal import CCurl

/// A fetch handed from a caller to the transfer thread.
struct Job: Sendable {
    /// Identifies the job for Swift task cancellation.
    let id: UInt64
    let request: FetchRequest
    /// `check`: HEAD first, GET fallback when HEAD is refused or answered wrongly.
    let isCheck: Bool
    let continuation: CheckedContinuation<FetchResponse, Never>
}

/// A pooled easy handle and its error buffer (the buffer must outlive each transfer).
final class EasyHandle {
    let handle: UnsafeMutableRawPointer
    let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard let h = curl_easy_init() else { return nil }
        handle = h
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    var errorText: String { String(cString: errorBuffer) }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }
}

/// One fetch through all its hops (redirects, retries, HEAD->GET fallback).
/// Lives only on the transfer thread and inside curl's callbacks, which run on it.
final class Transfer {
    let job: Job
    let maxBody: Int
    /// The request carried conditional headers (If-None-Match, If-Match...).
    let conditional: Bool

    var url: String
    var method: HTTPMethod
    var hostKey: String
    var redirects: [String] = []
    var seen: Set<String>
    /// URLs revisited once because the redirect set a cookie (a firewall's cookie check, not a loop).
    var cookieRevisits: Set<String> = []
    var attempts = 1
    var retries = 0
    var fellBack = false
    var firstStart: Double = 0
    /// Time spent in hops so far (the total timeout is a budget over the chain, waits excluded).
    var spent: Double = 0
    var hopStart: Double = 0
    /// When a retry is due (transfer waits in the timer list until then).
    var due: Double = 0
    /// The continuation has been resumed; a finished transfer left in a host queue is skipped.
    var finished = false

    // Per hop.
    var easy: EasyHandle?
    var slist: UnsafeMutablePointer<curl_slist>?
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    var truncated = false
    /// The write callback stopped the transfer on purpose (cap reached or body not wanted).
    var stoppedOnPurpose = false
    var discarded = 0

    init(job: Job, maxBody: Int) {
        self.job = job
        self.maxBody = maxBody
        url = job.request.url
        method = job.request.method
        hostKey = authorityKey(job.request.url)
        seen = [job.request.url]
        conditional = job.request.headers.contains { $0.0.lowercased().hasPrefix("if-") }
    }

    var keepBody: Bool { job.request.keepBody && !fellBack && method == .get }

    /// Clears what one hop gathered, before the next hop.
    func resetHop() {
        body.removeAll(keepingCapacity: true)
        headers.removeAll(keepingCapacity: true)
        truncated = false
        stoppedOnPurpose = false
        discarded = 0
    }

    func freeHopResources() {
        if let s = slist { curl_slist_free_all(s); slist = nil }
    }

    // MARK: called from curl's callbacks

    /// Bodies not kept are read up to this much (so short bodies keep the connection reusable), then cut.
    static let discardLimit = 64 * 1024

    @inline(__always)
    func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard count > 0, let data else { return count }
        if !keepBody {
            discarded += count
            if discarded > Self.discardLimit { stoppedOnPurpose = true; return 0 }
            return count
        }
        let room = maxBody - body.count
        let take = min(room, count)
        if take > 0 {
            body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: take))
        }
        if take < count {
            truncated = true
            stoppedOnPurpose = true
        }
        return take
    }

    func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return count }
        let raw = UnsafeRawBufferPointer(start: data, count: count)
        if count >= 5, raw[0] == 0x48, raw[1] == 0x54, raw[2] == 0x54, raw[3] == 0x50, raw[4] == 0x2F {
            // "HTTP/": a new response (after 1xx): start its headers afresh.
            headers.removeAll(keepingCapacity: true)
            return count
        }
        guard let colon = raw.firstIndex(of: 0x3A) else { return count }
        let name = Transfer.lowercasedName(UnsafeRawBufferPointer(rebasing: raw[0..<colon]))
        var start = colon + 1
        var end = count
        while start < end, raw[start] == 0x20 || raw[start] == 0x09 { start += 1 }
        while end > start, raw[end - 1] == 0x0A || raw[end - 1] == 0x0D || raw[end - 1] == 0x20 { end -= 1 }
        let value = String(decoding: raw[start..<end], as: UTF8.self)
        headers[name] = value
        if name == "content-length", keepBody, let n = Int(value), n > 0 {
            body.reserveCapacity(min(n, maxBody))
        }
        return count
    }
}

extension Transfer {
    /// A header name in lowercase, its ASCII letters lowered in one pass into the new String
    /// (`lowercased()` made a second String and asked Unicode about each character, for every
    /// header of every response); a name with other bytes goes the long way.
    static func lowercasedName(_ b: UnsafeRawBufferPointer) -> String {
        if b.contains(where: { $0 >= 0x80 }) { return String(decoding: b, as: UTF8.self).lowercased() }
        return String(unsafeUninitializedCapacity: b.count) { out in
            for k in 0..<b.count {
                let c = b[k]
                out[k] = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
            }
            return b.count
        }
    }
}

// C callbacks: plain functions (not closures, not main-actor values) so they convert to C pointers.

func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ n: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().receiveBody(data, size * n)
}

func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ n: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().receiveHeader(data, size * n)
}
