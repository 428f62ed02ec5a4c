internal import CCurl
import Foundation
import Synchronization

/// The one owner of a libcurl multi handle, driven on a dedicated thread.
///
/// Callers hand requests to the transfer thread through a locked inbox and wake it
/// with `curl_multi_wakeup`; the thread applies the global and per-host limits,
/// follows redirects itself, waits out Retry-After on a timer list, and resumes the
/// caller's continuation with the result.
package final class HTTPClient: Sendable {
    package let configuration: FetchConfiguration
    private let core: ClientCore

    package init(configuration: FetchConfiguration = FetchConfiguration()) throws {
        try Curl.ensureGlobalInit()
        var config = configuration
        config.maxConcurrency = max(1, config.maxConcurrency)
        config.perHostConcurrency = max(1, min(config.perHostConcurrency, config.maxConcurrency))
        self.configuration = config
        guard let multi = curl_multi_init() else {
            throw CurlError(layer: .setup, code: 0, message: "curl_multi_init failed")
        }
        do {
            // Backstops: our own queues enforce the limits; curl must never exceed them either.
            try Curl.call(gs_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, config.perHostConcurrency))
            try Curl.call(gs_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, config.maxConcurrency))
            try Curl.call(gs_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(64, config.maxConcurrency * 4)))
            try Curl.call(gs_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX)))
        } catch {
            curl_multi_cleanup(multi)
            throw error
        }
        let core = ClientCore(multi: MultiRef(pointer: multi))
        self.core = core
        let loopConfig = config
        let thread = Thread {
            TransferLoop(core: core, config: loopConfig).run()
        }
        thread.name = "govsweep.curl"
        thread.start()
    }

    deinit { core.stop(wait: false) }

    /// Fetches one URL, following redirects itself so the chain is recorded.
    /// Cancelling the calling task ends the fetch as broken ("cancelled").
    package func fetch(_ request: FetchRequest) async -> FetchResponse {
        await perform(request, isCheck: false)
    }

    /// Checks a target without keeping its body: HEAD first, GET when the server
    /// refuses HEAD (405/501) or answers it wrongly (400/403/404/406/500, reset, empty reply).
    package func check(_ url: String, hostDelay: Double = 0) async -> FetchResponse {
        await perform(FetchRequest(url: url, method: .head, keepBody: false, hostDelay: hostDelay), isCheck: true)
    }

    private func perform(_ request: FetchRequest, isCheck: Bool) async -> FetchResponse {
        let core = self.core
        let id = core.nextID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: TransferLoop.cancelled(request))
                    return
                }
                core.submit(Job(id: id, request: request, isCheck: isCheck, continuation: continuation))
            }
        } onCancel: {
            core.cancel(id)
        }
    }

    /// Stops the transfer thread; pending fetches finish as broken ("cancelled").
    /// Later fetches finish at once as cancelled. Waits for the thread to end.
    package func shutdown() { core.stop(wait: true) }
}

/// The multi handle crosses threads only for `curl_multi_wakeup`, which is thread-safe,
/// and only under the inbox lock while the handle is open.
struct MultiRef: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}

struct Inbox {
    var jobs: [Job] = []
    /// Jobs whose calling task was cancelled.
    var cancels: [UInt64] = []
    var stopping = false
    /// The multi handle is gone: no more wakeups.
    var closed = false
    /// The transfer thread is (about to be) in `curl_multi_poll`.
    var sleeping = false
}

/// State shared between callers and the transfer thread.
final class ClientCore: Sendable {
    let multi: MultiRef
    let inbox = Mutex(Inbox())
    let finished = DispatchSemaphore(value: 0)
    private let ids = Atomic<UInt64>(0)
    /// Callers between deciding to wake the sleeping transfer thread (under the inbox lock)
    /// and waking it (after the lock): the thread does not close the multi handle before
    /// they are done. (`curl_multi_wakeup` is a syscall; made under the lock, it kept the
    /// other page tasks and the transfer thread spinning in `_lockSlow`: 2% of a sweep's CPU.)
    let wakers = Atomic<Int>(0)

    func nextID() -> UInt64 { ids.wrappingAdd(1, ordering: .relaxed).newValue }

    func cancel(_ id: UInt64) {
        let wake = inbox.withLock { box -> Bool in
            guard !box.stopping else { return false }
            box.cancels.append(id)
            return claimWakeup(&box)
        }
        if wake { wakeUp() }
    }

    init(multi: MultiRef) { self.multi = multi }

    func submit(_ job: Job) {
        let (accepted, wake) = inbox.withLock { box -> (Bool, Bool) in
            guard !box.stopping else { return (false, false) }
            box.jobs.append(job)
            return (true, claimWakeup(&box))
        }
        if wake { wakeUp() }
        if !accepted { job.continuation.resume(returning: TransferLoop.cancelled(job.request)) }
    }

    /// Under the inbox lock: whether this caller wakes the transfer thread (it sleeps, and no
    /// one else has claimed the wakeup), counted in `wakers` until `wakeUp` is done.
    @inline(__always)
    private func claimWakeup(_ box: inout Inbox) -> Bool {
        guard box.sleeping, !box.closed else { return false }
        box.sleeping = false
        wakers.add(1, ordering: .relaxed)  // (ordered by the lock: the thread reads it after taking it)
        return true
    }

    /// Outside the lock: wakes the transfer thread from `curl_multi_poll`.
    private func wakeUp() {
        try? Curl.call(curl_multi_wakeup(multi.pointer))
        wakers.subtract(1, ordering: .releasing)
    }

    func stop(wait: Bool) {
        let first = inbox.withLock { box -> Bool in
            guard !box.stopping else { return false }
            box.stopping = true
            if !box.closed { try? Curl.call(curl_multi_wakeup(multi.pointer)) }
            return true
        }
        if first && wait {
            finished.wait()
        }
    }
}
