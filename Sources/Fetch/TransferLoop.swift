internal import CCurl
import Foundation
import Vocabulary

/// Politeness state of one authority (host:port).
final class HostQueue {
    private var queue: [Transfer] = []
    private var head = 0
    var active = 0
    /// Earliest time the next request may start (per-host rate).
    var nextAllowed: Double = 0
    /// Listed in `TransferLoop.pendingHosts`.
    var listed = false

    var hasQueued: Bool { head < queue.count }
    var isIdle: Bool { active == 0 && !hasQueued }

    func append(_ t: Transfer) { queue.append(t) }

    /// Redirect hops and retries go first: they were admitted already.
    func pushFront(_ t: Transfer) {
        if head > 0 { head -= 1; queue[head] = t } else { queue.insert(t, at: 0) }
    }

    func pop() -> Transfer {
        let t = queue[head]
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true); head = 0
        } else if head > 1024 && head * 2 > queue.count {
            queue.removeFirst(head); head = 0
        }
        return t
    }

    func drain() -> [Transfer] {
        let rest = Array(queue[head...])
        queue.removeAll(); head = 0
        return rest
    }
}

/// Runs on the transfer thread only: owns the multi handle, the queues and every `Transfer`.
final class TransferLoop {
    /// curl's receive buffer a handle, in bytes (CURLOPT_BUFFERSIZE; its default is 16 KB).
    static let receiveBuffer = 64 * 1024

    private let core: ClientCore
    private let multi: UnsafeMutableRawPointer
    private let config: FetchConfiguration

    private var hosts: [String: HostQueue] = [:]
    private var pendingHosts: [String] = []
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    private var timers: [Transfer] = []
    private var pool: [EasyHandle] = []
    private var incoming: [Job] = []
    private var incomingCancels: [UInt64] = []
    /// Every unfinished transfer by job id (for task cancellation).
    private var live: [UInt64: Transfer] = [:]
    /// Cancellations that arrived before their job (or after it finished).
    private var orphanCancels: Set<UInt64> = []

    /// The session cookie jar (one thread uses it, so no share locks are needed).
    private var share: UnsafeMutableRawPointer?

    init(core: ClientCore, config: FetchConfiguration) {
        self.core = core
        self.multi = core.multi.pointer
        self.config = config
        active.reserveCapacity(config.maxConcurrency)
        if config.cookies, let s = curl_share_init() {
            do {
                try Curl.call(gs_share_setopt_long(s, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_COOKIE.rawValue)))
                share = s
            } catch {
                curl_share_cleanup(s)
            }
        }
    }

    func run() {
        while true {
            let stopping = core.inbox.withLock { box -> Bool in
                box.sleeping = false  // (back from `curl_multi_poll`, if it slept)
                swap(&incoming, &box.jobs)
                if !box.cancels.isEmpty { swap(&incomingCancels, &box.cancels) }
                return box.stopping
            }
            for job in incoming {
                if !orphanCancels.isEmpty, orphanCancels.remove(job.id) != nil {
                    job.continuation.resume(returning: Self.cancelled(job.request))
                    continue
                }
                let t = Transfer(job: job, maxBody: max(0, job.request.maxBodyBytes ?? config.maxBodyBytes))
                live[job.id] = t
                enqueue(t, front: false)
            }
            incoming.removeAll(keepingCapacity: true)
            if !incomingCancels.isEmpty {
                for id in incomingCancels { cancelTransfer(id) }
                incomingCancels.removeAll(keepingCapacity: true)
            }
            if stopping { break }

            var now = monotonicNow()
            fireTimers(now)
            startTransfers(now)
            var running: Int32 = 0
            // (A failure is reported per transfer below.)
            do { try Curl.call(curl_multi_perform(multi, &running)) } catch {}
            now = monotonicNow()
            collectFinished(now)
            startTransfers(now)

            let timeout = pollTimeout(now)
            let maySleep = core.inbox.withLock { box -> Bool in
                guard box.jobs.isEmpty && box.cancels.isEmpty && !box.stopping else { return false }
                box.sleeping = true
                return true
            }
            if maySleep {
                // (`sleeping` is cleared under the lock at the top of the loop, one lock less
                // a turn: a caller that finds it still set wakes the next poll early, no more.)
                var fds: Int32 = 0
                try? Curl.call(curl_multi_poll(multi, nil, 0, timeout, &fds))
            }
        }
        shutDown()
    }

    // MARK: queues and limits

    private func host(_ key: String) -> HostQueue {
        if let h = hosts[key] { return h }
        let h = HostQueue()
        hosts[key] = h
        return h
    }

    private func enqueue(_ t: Transfer, front: Bool) {
        let h = host(t.hostKey)
        if front { h.pushFront(t) } else { h.append(t) }
        if !h.listed { h.listed = true; pendingHosts.append(t.hostKey) }
    }

    private func startTransfers(_ now: Double) {
        let maxGlobal = config.maxConcurrency
        let perHost = config.perHostConcurrency
        let interval = config.perHostRate.map { $0 > 0 ? 1 / $0 : 0 } ?? 0
        var i = 0
        while i < pendingHosts.count && active.count < maxGlobal {
            let key = pendingHosts[i]
            guard let h = hosts[key] else { pendingHosts.remove(at: i); continue }
            while h.hasQueued && h.active < perHost && active.count < maxGlobal && now >= h.nextAllowed {
                let t = h.pop()
                if t.finished { continue }
                h.active += 1
                let gap = max(interval, t.job.request.hostDelay)
                if gap > 0 { h.nextAllowed = max(now, h.nextAllowed) + gap }
                startHop(t, now)
            }
            if h.hasQueued { i += 1; continue }
            h.listed = false
            pendingHosts.remove(at: i)
            if h.isIdle && h.nextAllowed <= now { hosts[key] = nil }
        }
    }

    private func fireTimers(_ now: Double) {
        guard !timers.isEmpty else { return }
        var i = 0
        while i < timers.count {
            if timers[i].due <= now {
                let t = timers.remove(at: i)
                enqueue(t, front: true)
            } else {
                i += 1
            }
        }
    }

    /// Milliseconds until something of ours is due (curl's own timers are merged in by curl_multi_poll).
    private func pollTimeout(_ now: Double) -> Int32 {
        var next = now + 1.0
        for t in timers { next = min(next, t.due) }
        do {  // a per-host rate or a request's Crawl-delay
            for key in pendingHosts {
                if let h = hosts[key], h.active < config.perHostConcurrency { next = min(next, h.nextAllowed) }
            }
        }
        return Int32(max(0, min(1000, ((next - now) * 1000).rounded(.up))))
    }

    // MARK: hops

    private func startHop(_ t: Transfer, _ now: Double) {
        if t.firstStart == 0 { t.firstStart = now }
        t.hopStart = now
        guard let easy = pool.popLast() ?? EasyHandle() else {
            hostDone(t, now)
            finish(t, .broken, reason: .failure(.setup), detail: "curl_easy_init failed", status: 0, now: now)
            return
        }
        t.easy = easy
        do {
            try configure(easy, for: t, now: now)
            try Curl.call(curl_multi_add_handle(multi, easy.handle))
            active[easy.handle] = t
        } catch {
            releaseEasy(t)
            hostDone(t, now)
            finish(t, .broken, reason: .failure(.setup), detail: error.description, status: 0, now: now)
        }
    }

    private func configure(_ easy: EasyHandle, for t: Transfer, now: Double) throws(CurlError) {
        let h = easy.handle
        let context = Unmanaged.passUnretained(t).toOpaque()
        easy.errorBuffer[0] = 0
        try Curl.call(gs_easy_setopt_str(h, CURLOPT_URL, t.url))
        try Curl.call(gs_easy_setopt_long(h, CURLOPT_NOSIGNAL, 1))
        try Curl.call(gs_easy_setopt_ptr(h, CURLOPT_ERRORBUFFER, easy.errorBuffer))
        try Curl.call(gs_easy_setopt_ptr(h, CURLOPT_PRIVATE, context))
        try Curl.call(gs_easy_setopt_write(h, CURLOPT_WRITEFUNCTION, curlWriteBody))
        try Curl.call(gs_easy_setopt_ptr(h, CURLOPT_WRITEDATA, context))
        try Curl.call(gs_easy_setopt_write(h, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        try Curl.call(gs_easy_setopt_ptr(h, CURLOPT_HEADERDATA, context))
        try Curl.call(gs_easy_setopt_str(h, CURLOPT_USERAGENT, config.userAgent))
        // "" = every encoding this libcurl can decode (gzip, deflate, br, zstd).
        try Curl.call(gs_easy_setopt_str(h, CURLOPT_ACCEPT_ENCODING, ""))
        try Curl.call(gs_easy_setopt_long(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS))
        try Curl.call(gs_easy_setopt_long(h, CURLOPT_PIPEWAIT, 1))
        // A page of the realistic portal (20-40 KB) in one read from the socket and one write
        // callback, not two or three of curl's default 16 KB (kept by the handle across resets).
        try Curl.call(gs_easy_setopt_long(h, CURLOPT_BUFFERSIZE, TransferLoop.receiveBuffer))
        try Curl.call(gs_easy_setopt_str(h, CURLOPT_PROTOCOLS_STR, "http,https"))
        try Curl.call(gs_easy_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Int(config.connectTimeout * 1000)))
        let budget = max(0.001, config.totalTimeout - t.spent)
        try Curl.call(gs_easy_setopt_long(h, CURLOPT_TIMEOUT_MS, max(1, Int(budget * 1000))))
        if t.method == .head { try Curl.call(gs_easy_setopt_long(h, CURLOPT_NOBODY, 1)) }
        if let share {
            try Curl.call(gs_easy_setopt_ptr(h, CURLOPT_SHARE, share))
            try Curl.call(gs_easy_setopt_str(h, CURLOPT_COOKIEFILE, ""))
        }
        if !t.job.request.headers.isEmpty {
            var list: UnsafeMutablePointer<curl_slist>?
            for (name, value) in t.job.request.headers {
                guard let appended = curl_slist_append(list, "\(name): \(value)") else {
                    if let list { curl_slist_free_all(list) }
                    throw CurlError(layer: .setup, code: 0, message: "curl_slist_append failed")
                }
                list = appended
            }
            t.slist = list
            try Curl.call(gs_easy_setopt_slist(h, CURLOPT_HTTPHEADER, list))
        }
    }

    private func releaseEasy(_ t: Transfer) {
        t.freeHopResources()
        guard let easy = t.easy else { return }
        t.easy = nil
        curl_easy_reset(easy.handle)
        if pool.count < config.maxConcurrency { pool.append(easy) }
    }

    private func hostDone(_ t: Transfer, _ now: Double) {
        guard let h = hosts[t.hostKey] else { return }
        h.active -= 1
        if h.isIdle && h.nextAllowed <= now && !h.listed { hosts[t.hostKey] = nil }
    }

    private func collectFinished(_ now: Double) {
        var left: Int32 = 0
        while let msg = curl_multi_info_read(multi, &left) {
            guard msg.pointee.msg == CURLMSG_DONE, let handle = msg.pointee.easy_handle else { continue }
            let result = gs_msg_result(msg)
            try? Curl.call(curl_multi_remove_handle(multi, handle))
            guard let t = active.removeValue(forKey: handle) else { continue }
            hopFinished(t, result: result, now: now)
        }
    }

    private func hopFinished(_ t: Transfer, result: CURLcode, now: Double) {
        t.spent += now - t.hopStart
        var code = 0
        var detail = ""
        if let easy = t.easy {
            try? Curl.call(gs_easy_getinfo_long(easy.handle, CURLINFO_RESPONSE_CODE, &code))
            if result != CURLE_OK {
                detail = easy.errorText
                if detail.isEmpty { detail = String(cString: curl_easy_strerror(result)) }
            }
        }
        releaseEasy(t)
        hostDone(t, now)
        let status = code

        let gotResponse = result == CURLE_OK || (result == CURLE_WRITE_ERROR && t.stoppedOnPurpose && status > 0)
        guard gotResponse else {
            let (cls, reason) = Classifier.classify(curlCode: result)
            if t.job.isCheck && t.method == .head && !t.fellBack && Classifier.headNeedsFallback(reason: reason) {
                fallBackToGet(t)
                return
            }
            finish(t, cls, reason: reason, detail: detail, status: status, now: now)
            return
        }

        if (300..<400).contains(status), status != 304, let location = t.headers["location"], !location.isEmpty {
            guard let next = Curl.resolve(location, against: t.url) else {
                finish(t, .broken, reason: .failure(.badRedirect), detail: "unusable Location: \(location)", status: status, now: now)
                return
            }
            let cookieCheck = share != nil && t.headers["set-cookie"] != nil && !t.cookieRevisits.contains(next)
            if t.seen.contains(next) && !cookieCheck {
                t.redirects.append(next)
                finish(t, .broken, reason: .failure(.redirectLoop), detail: "\(next) seen twice", status: status, now: now)
                return
            }
            if t.redirects.count >= config.maxRedirects {
                finish(
                    t, .broken, reason: .failure(.tooManyRedirects), detail: "more than \(config.maxRedirects) redirects",
                    status: status, now: now)
                return
            }
            if t.seen.contains(next) { t.cookieRevisits.insert(next) }
            t.redirects.append(next)
            t.seen.insert(next)
            t.url = next
            t.hostKey = authorityKey(next)
            if status == 303 && t.method != .head { t.method = .get }
            t.resetHop()
            enqueue(t, front: true)
            return
        }

        if t.job.isCheck && t.method == .head && !t.fellBack && Classifier.headNeedsFallback(status: status) {
            fallBackToGet(t)
            return
        }

        if status == 429 || status == 503 {
            let wait = Classifier.retryAfter(t.headers["retry-after"])
            if let wait, wait > config.maxRetryAfter {
                finish(
                    t, status == 429 ? .blocked : .broken, reason: .status(status),
                    detail: "Retry-After \(Int(wait)) s exceeds the \(Int(config.maxRetryAfter)) s limit",
                    status: status, now: now)
                return
            }
            if t.retries < config.maxRetries {
                t.retries += 1
                t.attempts += 1
                t.due = now + (wait ?? min(config.maxRetryAfter, 0.5 * Double(1 << min(t.retries - 1, 10))))
                t.resetHop()
                timers.append(t)
                return
            }
        }

        let cls = Classifier.classify(status: status, method: t.method, conditional: t.conditional)
        finish(t, cls, reason: .status(status), detail: "", status: status, now: now)
    }

    private func fallBackToGet(_ t: Transfer) {
        t.fellBack = true
        t.method = .get
        t.attempts += 1
        t.resetHop()
        enqueue(t, front: true)
    }

    /// The calling task was cancelled: stop the transfer wherever it is.
    private func cancelTransfer(_ id: UInt64) {
        guard let t = live[id] else {
            if orphanCancels.count > 10_000 { orphanCancels.removeAll() }
            orphanCancels.insert(id)
            return
        }
        let now = monotonicNow()
        if let easy = t.easy {
            try? Curl.call(curl_multi_remove_handle(multi, easy.handle))
            active[easy.handle] = nil
            t.spent += now - t.hopStart
            releaseEasy(t)
            hostDone(t, now)
        } else if let i = timers.firstIndex(where: { $0 === t }) {
            timers.remove(at: i)
        }
        // A transfer still in a host queue is skipped when popped (it is marked finished).
        finish(t, .broken, reason: .failure(.cancelled), detail: "task cancelled", status: 0, now: now)
    }

    private func finish(_ t: Transfer, _ cls: LinkClass, reason: FetchReason, detail: String, status: Int, now: Double) {
        guard !t.finished else { return }
        t.finished = true
        live[t.job.id] = nil
        let keep = t.job.request.keepBody && t.job.request.method == .get
        let response = FetchResponse(
            url: t.job.request.url, finalURL: t.url, status: status, headers: t.headers, redirects: t.redirects,
            body: keep ? t.body : [], truncated: t.truncated, classification: cls, reason: reason, detail: detail,
            seconds: t.firstStart > 0 ? now - t.firstStart : 0, attempts: t.attempts, method: t.method)
        t.body = []
        t.job.continuation.resume(returning: response)
    }

    static func cancelled(_ request: FetchRequest) -> FetchResponse {
        FetchResponse(
            url: request.url, finalURL: request.url, status: 0, headers: [:], redirects: [], body: [],
            truncated: false, classification: .broken, reason: .failure(.cancelled), detail: "client shut down",
            seconds: 0, attempts: 0, method: request.method)
    }

    // MARK: shutdown

    private func shutDown() {
        let now = monotonicNow()
        for (handle, t) in active {
            try? Curl.call(curl_multi_remove_handle(multi, handle))
            releaseEasy(t)
            finish(t, .broken, reason: .failure(.cancelled), detail: "client shut down", status: 0, now: now)
        }
        active.removeAll()
        for t in timers { finish(t, .broken, reason: .failure(.cancelled), detail: "client shut down", status: 0, now: now) }
        timers.removeAll()
        for (_, h) in hosts {
            for t in h.drain() where !t.finished {
                finish(t, .broken, reason: .failure(.cancelled), detail: "client shut down", status: 0, now: now)
            }
        }
        hosts.removeAll()
        live.removeAll()
        let late = core.inbox.withLock { box -> [Job] in
            box.closed = true
            let jobs = box.jobs
            box.jobs = []
            return jobs
        }
        for job in late { job.continuation.resume(returning: Self.cancelled(job.request)) }
        pool.removeAll()
        // A caller that claimed a wakeup before `closed` was set may still be making it.
        while core.wakers.load(ordering: .acquiring) > 0 { sched_yield() }
        curl_multi_cleanup(multi)
        if let share { curl_share_cleanup(share) }
        core.finished.signal()
    }
}
