public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When pages are rendered in a browser (`--render`).
public enum RenderMode: String, Sendable, CaseIterable {
    /// Never: script-filled pages get the static result and its advice.
    case never
    /// The pages a rule needs (home page, column lists, reply lists) that look script-filled,
    /// when a browser is installed.
    case auto
    /// The same pages; a missing browser stops the run.
    case always
}

/// The bounds of rendering.
public struct RenderSettings: Sendable {
    public var mode: RenderMode = .auto
    /// Renders at once (each is a browser process: 100-250 MB and a core while it loads).
    public var concurrency = 2
    /// Wall seconds a page may take, the browser's start included; its process group is
    /// killed then.
    public var pageSeconds: Double = 15
    /// Wall seconds of rendering a run may spend (summed over pages); past it pages keep
    /// their static result.
    public var runSeconds: Double = 300
    /// The browser; nil: `$GOVSWEEP_CHROMIUM`, else looked up on PATH (`chromium`,
    /// `chromium-browser`, `google-chrome`).
    public var browserPath: String?

    public init() {}
}

/// A page as a browser rendered it.
public struct RenderedPage: Sendable {
    /// The DOM after its scripts ran, serialized (UTF-8).
    public var markup: [UInt8]
    public var seconds: Double
}

/// Why a page could not be rendered (worded for the advice finding, 中文 then the detail).
public enum RenderFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case timeout(seconds: Double)
    case runBudgetSpent
    case browserFailed(status: Int32, detail: String)
    case emptyDocument
    case cannotStart(String)

    public var description: String {
        switch self {
        case .timeout(let s): return "渲染超时（\(Int(s)) 秒内未完成）"
        case .runBudgetSpent: return "本次检查的渲染时间已用完"
        case .browserFailed(let status, let detail): return "浏览器退出（状态 \(status)）\(detail.isEmpty ? "" : "：" + detail)"
        case .emptyDocument: return "渲染结果为空"
        case .cannotStart(let why): return "无法启动浏览器：\(why)"
        }
    }
}

/// Renders pages in headless Chromium, driven over its DevTools pipe (`--remote-debugging-pipe`):
/// a browser is started once per render slot and host and kept for the next page (its start is
/// most of a render's cost: about 0.8 CPU s, against 0.1-0.3 s a page in a running one). A page is
/// a tab: navigated, given a virtual-time budget (timers fire at once, time stops while a request
/// is open), then its DOM is read. Each browser runs in a process group of its own, killed when
/// a page passes its deadline (a script that never ends, a list endpoint that never answers).
/// Bounded by `settings.concurrency` renders at once (one browser a slot) and a run budget of
/// wall seconds.
///
/// Scope: the browser resolves only its page's host (`--host-resolver-rules`: every other name
/// fails to resolve, so third-party scripts, fonts and counters are not fetched; an address
/// written as an IP literal is not a name and is not held back). Images are off. At most
/// `concurrency` renders run at once across all hosts, under the crawl's per-host limit.
public final class Renderer: Sendable {
    public let settings: RenderSettings
    public let browser: String
    private let slots: Slots
    private let spent = Mutex<Double>(0)
    /// The browser kept by each slot (used only by the slot's holder).
    private let browsers: Mutex<[Int: Browser]>
    private let launched = Mutex(0)

    /// The phone-width viewport of the mobile checks, and the desktop one.
    public struct Viewport: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public init(width: Int, height: Int) { self.width = width; self.height = height }
        public static let desktop = Viewport(width: 1366, height: 900)
        public static let phone = Viewport(width: 390, height: 844)
    }

    /// nil when no browser is installed (or the one named cannot be run).
    public init?(settings: RenderSettings) {
        let named = settings.browserPath ?? ProcessInfo.processInfo.environment["GOVSWEEP_CHROMIUM"]
        guard let browser = named ?? Renderer.findBrowser(), access(browser, X_OK) == 0 else { return nil }
        self.settings = settings
        self.browser = browser
        slots = Slots(max(1, settings.concurrency))
        browsers = Mutex([:])
        // A browser that died leaves its pipe closed: a write must fail, not end the process.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { shutdown() }

    /// The first Chromium on PATH.
    public static func findBrowser() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for dir in path.split(separator: ":") where access("\(dir)/\(name)", X_OK) == 0 {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    /// What to tell a user without a browser.
    public static let installHint = "install Chromium with scripts/setup.sh --with-chromium (Debian/Ubuntu: apt-get install chromium)"

    /// Browsers started so far (one a slot and host, again after a page that timed out).
    public var browsersStarted: Int { launched.withLock { $0 } }

    /// Wall seconds spent rendering so far.
    public var secondsSpent: Double { spent.withLock { $0 } }

    /// Ends the browsers kept for later pages (the end of a sweep).
    public func shutdown() {
        let all = browsers.withLock { b in
            defer { b.removeAll() }
            return Array(b.values)
        }
        for b in all { b.close() }
    }

    /// Loads `url` in the browser and returns its DOM once the page's scripts ran.
    public func render(url: String, viewport: Viewport = .desktop) async throws(RenderFailure) -> RenderedPage {
        let slot = await slots.acquire()
        let result = await render(url: url, viewport: viewport, slot: slot)
        await slots.release(slot)  // (before returning: the next page then finds this slot's browser)
        return try result.get()
    }

    private func render(url: String, viewport: Viewport, slot: Int) async -> Result<RenderedPage, RenderFailure> {
        let left = settings.runSeconds - secondsSpent
        guard left > 0 else { return .failure(.runBudgetSpent) }
        let budget = min(settings.pageSeconds, left)
        let started = Date()
        let host = URLComponents(string: url)?.host ?? ""
        let kept = browsers.withLock { $0.removeValue(forKey: slot) }
        let result = await withCheckedContinuation { (c: CheckedContinuation<(Result<[UInt8], RenderFailure>, Browser?), Never>) in
            let browserPath = browser
            Thread.detachNewThread {
                c.resume(returning: Renderer.render(url, host: host, viewport: viewport, budget: budget, kept: kept, browser: browserPath))
            }
        }
        if let b = result.1 { browsers.withLock { $0[slot] = b } }
        if let b = result.1, b !== kept { launched.withLock { $0 += 1 } }
        let seconds = Date().timeIntervalSince(started)
        spent.withLock { $0 += seconds }
        return result.0.map { RenderedPage(markup: $0, seconds: seconds) }
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

    /// One page in a browser for `host` (the one kept, else a new one), on the calling thread.
    /// Returns the browser to keep for the next page; nil when it was killed or died.
    static func render(
        _ url: String, host: String, viewport: Viewport, budget: Double, kept: Browser?, browser: String
    ) -> (Result<[UInt8], RenderFailure>, Browser?) {
        let deadline = Date().addingTimeInterval(budget)
        var current = kept
        if let b = current, b.host != host {
            b.kill()
            current = nil
        }
        let b: Browser
        if let current {
            b = current
        } else {
            do { b = try Browser.launch(browser, host: host) } catch { return (.failure(error), nil) }
        }
        do {
            let markup = try b.page(url, viewport: viewport, budget: budget, deadline: deadline)
            return (.success(markup), b)
        } catch {
            // A timeout, a dead browser or a protocol error: this browser is not trusted again.
            b.kill()
            if case .timeout = error { return (.failure(.timeout(seconds: budget)), nil) }
            return (.failure(error), nil)
        }
    }
}

/// One headless Chromium in a process group of its own, spoken to over the DevTools pipe
/// (JSON messages ending in a NUL: commands on its fd 3, answers and events on its fd 4).
/// Used by one thread at a time (its slot's holder), with blocking reads bounded by a deadline.
final class Browser: @unchecked Sendable {
    let host: String
    let pid: pid_t
    private let input: Int32
    private let output: Int32
    private let profile: URL
    private var buffer: [UInt8] = []
    private var nextID = 0
    /// Sessions whose virtual-time budget ran out before it was waited for.
    private var expired: Set<String> = []
    private var killed = false
    /// The session of the tab pages are loaded in.
    private var tab: String?

    private init(host: String, pid: pid_t, input: Int32, output: Int32, profile: URL) {
        self.host = host; self.pid = pid; self.input = input; self.output = output; self.profile = profile
    }

    deinit { kill() }

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
        return Browser(host: host, pid: pid, input: commands.write, output: answers.read, profile: profile)
    }

    /// The DOM of `url` in a new tab, after its scripts ran for `budget` virtual milliseconds' worth.
    func page(_ url: String, viewport: Renderer.Viewport, budget: Double, deadline: Date) throws(RenderFailure) -> [UInt8] {
        // One tab for the browser's pages: a page of the same site then reuses its renderer process
        // (a new tab's costs about 0.1 CPU s more a page).
        let session: String
        if let tab {
            session = tab
        } else {
            let target = try call("Target.createTarget", ["url": "about:blank"], deadline: deadline)
            guard let targetID = target["targetId"] as? String else { throw .browserFailed(status: 0, detail: "no target") }
            let attached = try call("Target.attachToTarget", ["targetId": targetID, "flatten": true], deadline: deadline)
            guard let id = attached["sessionId"] as? String else { throw .browserFailed(status: 0, detail: "no session") }
            session = id
            tab = id
        }
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
        while !expired.contains(session) { try receive(deadline: deadline) }
        expired.remove(session)
        let dom = try call(
            "Runtime.evaluate", ["expression": "document.documentElement.outerHTML", "returnByValue": true],
            session: session, deadline: deadline)
        guard let value = (dom["result"] as? [String: Any])?["value"] as? String, !value.isEmpty else { throw .emptyDocument }
        return Array(value.utf8)
    }

    /// Sends a command and reads until its answer (events in between are noted); its result.
    func call(_ method: String, _ params: [String: Any], session: String? = nil, deadline: Date) throws(RenderFailure) -> [String: Any] {
        nextID += 1
        let id = nextID
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        guard var bytes = try? JSONSerialization.data(withJSONObject: message) else { throw .browserFailed(status: 0, detail: method) }
        bytes.append(0)
        let sent = bytes.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = write(input, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        guard sent else { throw .browserFailed(status: 0, detail: "the browser closed its pipe") }
        while true {
            if let answer = try receive(deadline: deadline), answer["id"] as? Int == id {
                if let error = answer["error"] as? [String: Any] {
                    throw .browserFailed(status: 0, detail: "\(method): \(error["message"] as? String ?? "error")")
                }
                return answer["result"] as? [String: Any] ?? [:]
            }
        }
    }

    /// The next message (an answer, returned; an event, noted and nil), waiting until `deadline`.
    @discardableResult
    func receive(deadline: Date) throws(RenderFailure) -> [String: Any]? {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let body = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let message = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { continue }
                if message["id"] != nil { return message }
                if message["method"] as? String == "Emulation.virtualTimeBudgetExpired", let s = message["sessionId"] as? String {
                    expired.insert(s)
                }
                return nil
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw .timeout(seconds: 0) }
            var fds = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, Int32(min(left, 1) * 1000) + 1)
            if ready < 0 && errno != EINTR { throw .browserFailed(status: 0, detail: String(cString: strerror(errno))) }
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw .browserFailed(status: 0, detail: "the browser exited") }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    /// Asks the browser to close (it then reaps its own helpers, whose CPU time is counted in
    /// ours), waits up to two seconds, then kills its process group; its profile is removed.
    func close() {
        guard !killed else { return }
        _ = try? call("Browser.close", [:], deadline: Date().addingTimeInterval(2))
        for _ in 0..<20 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                killed = true
                Glibc.close(input); Glibc.close(output)
                Glibc.kill(-pid, SIGKILL)
                try? FileManager.default.removeItem(at: profile)
                return
            }
            usleep(100_000)
        }
        kill()
    }

    /// Kills the browser's process group and reaps it; its profile folder is removed.
    func kill() {
        guard !killed else { return }
        killed = true
        Glibc.close(input)
        Glibc.close(output)
        Glibc.kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        try? FileManager.default.removeItem(at: profile)
    }
}

/// A counting semaphore for async tasks that hands out slot numbers (renders wait in order of
/// arrival; a slot keeps its browser between pages).
actor Slots {
    private var free: [Int]
    private var waiting: [CheckedContinuation<Int, Never>] = []

    init(_ count: Int) { free = Array((0..<count).reversed()) }

    func acquire() async -> Int {
        if let slot = free.popLast() { return slot }
        return await withCheckedContinuation { waiting.append($0) }
    }

    func release(_ slot: Int) {
        if waiting.isEmpty { free.append(slot) } else { waiting.removeFirst().resume(returning: slot) }
    }
}
