import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When pages are rendered in a browser (`--render`).
package enum RenderMode: String, Sendable, CaseIterable {
    /// Never: script-filled pages get the static result and its advice.
    case never
    /// The pages a rule needs (home page, column lists, reply lists) that look script-filled,
    /// when a browser is installed.
    case auto
    /// The same pages; a missing browser stops the run.
    case always
}

/// The bounds of rendering.
package struct RenderSettings: Sendable {
    package var mode: RenderMode = .auto
    /// Renders at once (tabs of the host's one browser: a renderer process each, and a core
    /// while it loads).
    package var concurrency = 2
    /// Wall seconds a page may take, the browser's start included; its tab is closed then
    /// (and the browser killed with its process group when it does not answer).
    package var pageSeconds: Double = 15
    /// Wall seconds of rendering a run may spend (summed over pages); past it pages keep
    /// their static result.
    package var runSeconds: Double = 300
    /// The browser; nil: `$GOVSWEEP_CHROMIUM`, else looked up on PATH (`chromium`,
    /// `chromium-browser`, `google-chrome`).
    package var browserPath: String?

    package init() {}
}

/// A page as a browser rendered it.
package struct RenderedPage: Sendable {
    /// The DOM after its scripts ran, serialized (UTF-8).
    package var markup: [UInt8]
    package var seconds: Double
}

/// Why a page could not be rendered (worded for the advice finding, 中文 then the detail).
package enum RenderFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case timeout(seconds: Double)
    case runBudgetSpent
    case browserFailed(status: Int32, detail: String)
    case emptyDocument
    case cannotStart(String)

    package var description: String {
        switch self {
        case .timeout(let s): return "渲染超时（\(Int(s)) 秒内未完成）"
        case .runBudgetSpent: return "本次检查的渲染时间已用完"
        case .browserFailed(let status, let detail): return "浏览器退出（状态 \(status)）\(detail.isEmpty ? "" : "：" + detail)"
        case .emptyDocument: return "渲染结果为空"
        case .cannotStart(let why): return "无法启动浏览器：\(why)"
        }
    }
}

/// Renders pages in headless Chromium, driven over its DevTools pipe (`--remote-debugging-pipe`).
/// One browser a host, started on the host's first render and shared by the render slots: a
/// browser's start is most of what a render costs (about 0.7 CPU s, against 0.1-0.3 s a page in
/// a running one), and two slots with a browser each paid it twice and held twice the memory. A
/// page is a tab of its own (a DevTools target), closed once its DOM is read: navigated, given a
/// virtual-time budget (timers fire at once, time stops while a request is open), then read.
/// A page past its deadline (a script that never ends, a list endpoint that never answers) has
/// its tab closed; a browser that does not answer that, or whose pipe fails, is killed with its
/// process group and started again by the next page. Bounded by `settings.concurrency` renders
/// at once (tabs in the shared browser) and a run budget of wall seconds.
///
/// Scope: a browser resolves only its host (`--host-resolver-rules`: every other name fails to
/// resolve, so third-party scripts, fonts and counters are not fetched; an address written as
/// an IP literal is not a name and is not held back). Images are off. At most `concurrency`
/// renders run at once across all hosts, under the crawl's per-host limit; at most
/// `concurrency` browsers are kept (an idle one of another host is closed for a new host's).
package final class Renderer: Sendable {
    package let settings: RenderSettings
    package let browser: String
    private let slots: Slots
    private let spent = Mutex<Double>(0)
    /// The browser of each host, and how many renders are using it.
    private let browsers = Mutex<[String: Kept]>([:])
    private let launched = Mutex(0)

    struct Kept {
        var browser: Browser
        var users: Int
    }

    /// The phone-width viewport of the mobile checks, and the desktop one.
    package struct Viewport: Sendable, Equatable {
        package var width: Int
        package var height: Int
        package init(width: Int, height: Int) { self.width = width; self.height = height }
        package static let desktop = Viewport(width: 1366, height: 900)
        package static let phone = Viewport(width: 390, height: 844)
    }

    /// nil when no browser is installed (or the one named cannot be run).
    package init?(settings: RenderSettings) {
        let named = settings.browserPath ?? ProcessInfo.processInfo.environment["GOVSWEEP_CHROMIUM"]
        guard let browser = named ?? Renderer.findBrowser(), access(browser, X_OK) == 0 else { return nil }
        self.settings = settings
        self.browser = browser
        slots = Slots(max(1, settings.concurrency))
        // A browser that died leaves its pipe closed: a write must fail, not end the process.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { shutdown() }

    /// The first Chromium on PATH.
    package static func findBrowser() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for dir in path.split(separator: ":") where access("\(dir)/\(name)", X_OK) == 0 {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    /// What to tell a user without a browser.
    package static let installHint = "install Chromium with scripts/setup.sh --with-chromium (Debian/Ubuntu: apt-get install chromium)"

    /// Browsers started so far (one a host, again after one was killed).
    package var browsersStarted: Int { launched.withLock { $0 } }

    /// Browser processes running now (the browsers kept, not their helpers).
    var browsersRunning: [pid_t] { browsers.withLock { $0.values.map(\.browser.pid) } }

    /// Wall seconds spent rendering so far.
    package var secondsSpent: Double { spent.withLock { $0 } }

    /// Ends the browsers kept for later pages (the end of a sweep).
    package func shutdown() {
        let all = browsers.withLock { b in
            defer { b.removeAll() }
            return b.values.map(\.browser)
        }
        for b in all { b.close() }
    }

    /// Loads `url` in the browser and returns its DOM once the page's scripts ran.
    package func render(url: String, viewport: Viewport = .desktop) async throws(RenderFailure) -> RenderedPage {
        await slots.acquire()
        let result = await rendered(url: url, viewport: viewport)
        await slots.release()
        return try result.get()
    }

    private func rendered(url: String, viewport: Viewport) async -> Result<RenderedPage, RenderFailure> {
        let left = settings.runSeconds - secondsSpent
        guard left > 0 else { return .failure(.runBudgetSpent) }
        let budget = min(settings.pageSeconds, left)
        let started = Date()
        let host = URLComponents(string: url)?.host ?? ""
        // The page's calls block on the browser's answers: on a thread of its own, off the pool.
        let result = await withCheckedContinuation { (c: CheckedContinuation<Result<[UInt8], RenderFailure>, Never>) in
            Thread.detachNewThread { [self] in
                let deadline = started.addingTimeInterval(budget)
                let b: Browser
                do throws(RenderFailure) { b = try checkOut(host: host) } catch { return c.resume(returning: .failure(error)) }
                let markup = Result { () throws(RenderFailure) -> [UInt8] in
                    do throws(RenderFailure) { return try b.page(url, viewport: viewport, budget: budget, deadline: deadline) } catch {
                        if case .timeout = error { throw .timeout(seconds: budget) }
                        throw error
                    }
                }
                checkIn(b, host: host)
                c.resume(returning: markup)
            }
        }
        let seconds = Date().timeIntervalSince(started)
        spent.withLock { $0 += seconds }
        return result.map { RenderedPage(markup: $0, seconds: seconds) }
    }

    /// The running browser for `host`, else a new one (replacing a dead one; closing an idle
    /// one of another host when `concurrency` are kept).
    func checkOut(host: String) throws(RenderFailure) -> Browser {
        var retired: [Browser] = []
        defer { for b in retired { Thread.detachNewThread { b.close() } } }
        return try browsers.withLock { (kept: inout [String: Kept]) throws(RenderFailure) -> Browser in
            if var k = kept[host], !k.browser.dead {
                k.users += 1
                kept[host] = k
                return k.browser
            }
            if let old = kept.removeValue(forKey: host) { retired.append(old.browser) }
            if kept.count >= max(1, settings.concurrency), let idle = kept.first(where: { $0.value.users == 0 }) {
                retired.append(kept.removeValue(forKey: idle.key)!.browser)
            }
            let b = try Browser.launch(browser, host: host)
            launched.withLock { $0 += 1 }
            kept[host] = Kept(browser: b, users: 1)
            return b
        }
    }

    /// A render is done with `b`; a browser that died or was killed is reaped and dropped.
    func checkIn(_ b: Browser, host: String) {
        let drop = browsers.withLock { kept -> Bool in
            guard var k = kept[host], k.browser === b else { return b.dead }
            k.users -= 1
            if b.dead { kept.removeValue(forKey: host) } else { kept[host] = k }
            return b.dead
        }
        if drop { b.kill() }
    }

    func arguments(host: String) -> [String] { Renderer.argumentsFor(host: host) }

    static func argumentsFor(host: String) -> [String] {
        var args = [
            "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--disable-component-update", "--mute-audio",
            "--blink-settings=imagesEnabled=false", "--remote-debugging-pipe",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE \(host)",
        ]
        // Chromium refuses to start its sandbox as root (CI containers).
        if getuid() == 0 { args.append("--no-sandbox") }
        return args + ["about:blank"]
    }
}

/// One headless Chromium in a process group of its own, spoken to over the DevTools pipe
/// (JSON messages ending in a NUL: commands on its fd 3, answers and events on its fd 4).
/// Shared by the renders of its host, each on a thread of its own and in a tab of its own: a
/// reader thread takes every message off the pipe and hands answers to the call waiting for
/// them (by id) and notes each tab's end of virtual time (by session); callers wait on a
/// condition, bounded by their page's deadline.
final class Browser: @unchecked Sendable {
    let host: String
    let pid: pid_t
    private let input: Int32
    private let output: Int32
    private let profile: URL
    /// Guards the state below; broadcast on every message read and when the pipe closes.
    private let state = NSCondition()
    private var nextID = 0
    /// Answers read for calls still waiting (an answer nobody waits for is dropped).
    private var answers: [Int: [String: Any]] = [:]
    private var waiting: Set<Int> = []
    /// Tabs (sessions) whose virtual-time budget ran out.
    private var expired: Set<String> = []
    /// The pipe closed (the browser exited or was killed).
    private var closed = false
    private var killed = false
    /// One message written at a time.
    private let writing = NSLock()

    private init(host: String, pid: pid_t, input: Int32, output: Int32, profile: URL) {
        self.host = host; self.pid = pid; self.input = input; self.output = output; self.profile = profile
    }

    deinit { kill() }

    /// True once the browser cannot be used again (its pipe closed, or it was killed).
    var dead: Bool {
        state.lock()
        defer { state.unlock() }
        return closed || killed
    }

    static func launch(_ browser: String, host: String) throws(RenderFailure) -> Browser {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("govsweep-render-\(UUID().uuidString)")
        let argv = [browser, "--user-data-dir=\(profile.path)"] + Renderer.argumentsFor(host: host)
        // Our ends close on exec; the browser's are placed at 3 and 4 (dup2 clears close-on-exec).
        func pipePair() throws(RenderFailure) -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw .cannotStart(String(cString: strerror(errno))) }
            let r = fcntl(fds[0], F_DUPFD_CLOEXEC, 10), w = fcntl(fds[1], F_DUPFD_CLOEXEC, 10)
            Glibc.close(fds[0]); Glibc.close(fds[1])
            return (r, w)
        }
        let commands = try pipePair(), answers = try pipePair()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, commands.read, 3)
        posix_spawn_file_actions_adddup2(&actions, answers.write, 4)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        let rc = posix_spawn(&pid, browser, &actions, &attributes, cArgs, environ)
        Glibc.close(commands.read)
        Glibc.close(answers.write)
        guard rc == 0 else {
            Glibc.close(commands.write); Glibc.close(answers.read)
            throw .cannotStart(String(cString: strerror(rc)))
        }
        // A write to a browser that stopped reading must not block past a page's deadline.
        _ = fcntl(commands.write, F_SETFL, fcntl(commands.write, F_GETFL) | O_NONBLOCK)
        let b = Browser(host: host, pid: pid, input: commands.write, output: answers.read, profile: profile)
        Thread.detachNewThread { b.readAll() }
        return b
    }

    /// The DOM of `url` in a tab of its own, after its scripts ran for a virtual-time budget;
    /// the tab is closed after. A tab past `deadline` is closed; a browser that does not answer
    /// that within two seconds is killed (`dead`).
    func page(_ url: String, viewport: Renderer.Viewport, budget: Double, deadline: Date) throws(RenderFailure) -> [UInt8] {
        let target: [String: Any]
        do throws(RenderFailure) { target = try call("Target.createTarget", ["url": "about:blank"], deadline: deadline) } catch {
            kill()  // no tab within the page's whole budget: hung
            throw error
        }
        guard let targetID = target["targetId"] as? String else { throw .browserFailed(status: 0, detail: "no target") }
        var session: String? = nil
        do throws(RenderFailure) {
            let attached = try call("Target.attachToTarget", ["targetId": targetID, "flatten": true], deadline: deadline)
            guard let id = attached["sessionId"] as? String else { throw RenderFailure.browserFailed(status: 0, detail: "no session") }
            session = id
            let markup = try load(url, session: id, viewport: viewport, budget: budget, deadline: deadline)
            forget(id)
            // (Not waited for: the next page need not wait for this tab's end.)
            try send("Target.closeTarget", ["targetId": targetID], deadline: Date().addingTimeInterval(2))
            return markup
        } catch {
            if let session { forget(session) }
            if !dead, (try? call("Target.closeTarget", ["targetId": targetID], deadline: Date().addingTimeInterval(2))) == nil {
                kill()  // hung: its process group goes, and the next page starts another
            }
            throw error
        }
    }

    private func load(
        _ url: String, session: String, viewport: Renderer.Viewport, budget: Double, deadline: Date
    ) throws(RenderFailure) -> [UInt8] {
        _ = try call(
            "Emulation.setDeviceMetricsOverride",
            ["width": viewport.width, "height": viewport.height, "deviceScaleFactor": 1, "mobile": viewport.width < 600],
            session: session, deadline: deadline)
        let navigated = try call("Page.navigate", ["url": url], session: session, deadline: deadline)
        if let error = navigated["errorText"] as? String { throw .browserFailed(status: 0, detail: error) }
        // Virtual time runs ahead while the page is idle and stops while a request is open, so a
        // list fetched after load arrives within any budget; timers (tickers, carousels) cost CPU
        // for every virtual second: 3 s covers the load-then-fetch of list scripts, within a third
        // of the wall budget.
        let virtualMS = max(1000, min(3000, Int(budget * 1000 / 3)))
        _ = try call(
            "Emulation.setVirtualTimePolicy", ["policy": "pauseIfNetworkFetchesPending", "budget": virtualMS],
            session: session, deadline: deadline)
        try wait(deadline: deadline) { $0.expired.contains(session) }
        let dom = try call(
            "Runtime.evaluate", ["expression": "document.documentElement.outerHTML", "returnByValue": true],
            session: session, deadline: deadline)
        guard let value = (dom["result"] as? [String: Any])?["value"] as? String, !value.isEmpty else { throw .emptyDocument }
        return Array(value.utf8)
    }

    /// Sends a command and waits for its answer; its result.
    func call(_ method: String, _ params: [String: Any], session: String? = nil, deadline: Date) throws(RenderFailure) -> [String: Any] {
        let id = try send(method, params, session: session, deadline: deadline, awaited: true)
        defer {
            state.lock()
            waiting.remove(id)
            answers.removeValue(forKey: id)
            state.unlock()
        }
        try wait(deadline: deadline) { $0.answers[id] != nil }
        state.lock()
        let answer = answers[id] ?? [:]
        state.unlock()
        if let error = answer["error"] as? [String: Any] {
            throw .browserFailed(status: 0, detail: "\(method): \(error["message"] as? String ?? "error")")
        }
        return answer["result"] as? [String: Any] ?? [:]
    }

    /// Writes a command; its id (its answer is kept for `call` when `awaited`).
    @discardableResult
    func send(
        _ method: String, _ params: [String: Any], session: String? = nil, deadline: Date, awaited: Bool = false
    ) throws(RenderFailure) -> Int {
        state.lock()
        nextID += 1
        let id = nextID
        if awaited { waiting.insert(id) }
        state.unlock()
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        guard var bytes = try? JSONSerialization.data(withJSONObject: message) else { throw .browserFailed(status: 0, detail: method) }
        bytes.append(0)
        writing.lock()
        defer { writing.unlock() }
        guard !dead else { throw .browserFailed(status: 0, detail: "the browser exited") }
        let sent = bytes.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = write(input, raw.baseAddress! + done, raw.count - done)
                if n > 0 { done += n; continue }
                if n < 0 && errno == EINTR { continue }
                guard n < 0 && errno == EAGAIN, deadline.timeIntervalSinceNow > 0 else { return false }
                var fds = pollfd(fd: input, events: Int16(POLLOUT), revents: 0)
                _ = poll(&fds, 1, Int32(min(deadline.timeIntervalSinceNow, 1) * 1000) + 1)
            }
            return true
        }
        guard sent else {
            if deadline.timeIntervalSinceNow <= 0 { throw .timeout(seconds: 0) }
            throw .browserFailed(status: 0, detail: "the browser closed its pipe")
        }
        return id
    }

    /// Waits until `ready` holds (checked under the lock), the pipe closes, or `deadline`.
    private func wait(deadline: Date, until ready: (Browser) -> Bool) throws(RenderFailure) {
        state.lock()
        defer { state.unlock() }
        while !ready(self) {
            if closed || killed { throw .browserFailed(status: 0, detail: "the browser exited") }
            if !state.wait(until: deadline) && !ready(self) { throw .timeout(seconds: 0) }
        }
    }

    /// A tab is done with: its end of virtual time is no longer kept.
    private func forget(_ session: String) {
        state.lock()
        expired.remove(session)
        state.unlock()
    }

    /// The reader thread: every message off the pipe until it closes.
    private func readAll() {
        var buffer: [UInt8] = []
        var searched = 0
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            buffer.append(contentsOf: chunk[0..<n])
            // Only the bytes read since the last look are searched (a DOM is megabytes, in 64 KiB reads).
            var messages: [[String: Any]] = []
            var start = 0
            while let end = buffer[searched...].firstIndex(of: 0) {
                if let m = (try? JSONSerialization.jsonObject(with: Data(buffer[start..<end]))) as? [String: Any] { messages.append(m) }
                start = end + 1
                searched = start
            }
            buffer.removeSubrange(0..<start)
            searched = buffer.count
            guard !messages.isEmpty else { continue }
            state.lock()
            for m in messages {
                if let id = m["id"] as? Int {
                    if waiting.contains(id) { answers[id] = m }
                } else if m["method"] as? String == "Emulation.virtualTimeBudgetExpired", let s = m["sessionId"] as? String {
                    expired.insert(s)
                }
            }
            state.broadcast()
            state.unlock()
        }
        Glibc.close(output)
        state.lock()
        closed = true
        state.broadcast()
        state.unlock()
    }

    /// Asks the browser to close (it then reaps its own helpers, whose CPU time is counted in
    /// ours), waits up to two seconds, then kills its process group; its profile is removed.
    func close() {
        guard !dead else { return kill() }
        _ = try? send("Browser.close", [:], deadline: Date().addingTimeInterval(2))
        for _ in 0..<20 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                end(reaped: true)
                return
            }
            usleep(100_000)
        }
        kill()
    }

    /// Kills the browser's process group and reaps it; its profile folder is removed.
    func kill() { end(reaped: false) }

    private func end(reaped: Bool) {
        writing.lock()
        state.lock()
        let first = !killed
        killed = true
        state.broadcast()
        state.unlock()
        if first { Glibc.close(input) }
        writing.unlock()
        guard first else { return }
        // (The reader thread sees the pipe close when the group is gone, and closes its end.)
        Glibc.kill(-pid, SIGKILL)
        if !reaped {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        try? FileManager.default.removeItem(at: profile)
    }
}

/// A counting semaphore for async tasks: renders wait in order of arrival.
actor Slots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
