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

/// Renders pages in headless Chromium (`--dump-dom` with a virtual-time budget): one browser
/// process a page, in a process group of its own that is killed at the page's deadline.
/// Bounded by `settings.concurrency` renders at once and a run budget of wall seconds.
///
/// Scope: the browser resolves only the page's own host (`--host-resolver-rules`: every
/// other name fails to resolve, so third-party scripts, fonts and counters are not fetched;
/// an address written as an IP literal is not a name and is not held back). Images are off.
/// At most `concurrency` renders run at once across all hosts, under the crawl's per-host limit.
public final class Renderer: Sendable {
    public let settings: RenderSettings
    public let browser: String
    private let slots: Slots
    private let spent = Mutex<Double>(0)

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
    }

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

    /// Wall seconds spent rendering so far.
    public var secondsSpent: Double { spent.withLock { $0 } }

    /// Loads `url` in the browser and returns its DOM once the page's scripts ran.
    public func render(url: String, viewport: Viewport = .desktop) async throws(RenderFailure) -> RenderedPage {
        await slots.acquire()
        defer { Task { await slots.release() } }
        let left = settings.runSeconds - secondsSpent
        guard left > 0 else { throw .runBudgetSpent }
        let budget = min(settings.pageSeconds, left)
        let started = Date()
        let result = await withCheckedContinuation { (c: CheckedContinuation<Result<[UInt8], RenderFailure>, Never>) in
            let arguments = arguments(url: url, viewport: viewport, budget: budget)
            Thread.detachNewThread { c.resume(returning: Renderer.run(self.browser, arguments, budget: budget)) }
        }
        let seconds = Date().timeIntervalSince(started)
        spent.withLock { $0 += seconds }
        switch result {
        case .success(let markup): return RenderedPage(markup: markup, seconds: seconds)
        case .failure(let f): throw f
        }
    }

    func arguments(url: String, viewport: Viewport, budget: Double) -> [String] {
        let host = URLComponents(string: url)?.host ?? ""
        // Virtual time runs ahead while the page is idle (timers fire at once) and stops while
        // a request is open: a third of the wall budget leaves the rest for the start and the load.
        let virtualMS = max(1000, Int(budget * 1000 / 3))
        var args = [
            "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--disable-component-update", "--mute-audio",
            "--blink-settings=imagesEnabled=false", "--window-size=\(viewport.width),\(viewport.height)",
            "--virtual-time-budget=\(virtualMS)",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE \(host)",
        ]
        // Chromium refuses to start its sandbox as root (CI containers).
        if getuid() == 0 { args.append("--no-sandbox") }
        args += ["--dump-dom", url]
        return args
    }

    /// One browser process: spawned in a new process group, its stdout read to the end or
    /// until the deadline, when the whole group (renderer and GPU children) is killed.
    static func run(_ browser: String, _ arguments: [String], budget: Double) -> Result<[UInt8], RenderFailure> {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("govsweep-render-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let argv = [browser, "--user-data-dir=\(profile.path)"] + arguments
        var out: [Int32] = [0, 0]
        guard pipe(&out) == 0 else { return .failure(.cannotStart(String(cString: strerror(errno)))) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addclose(&actions, out[0])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        let rc = posix_spawn(&pid, browser, &actions, &attributes, cArgs, environ)
        close(out[1])
        guard rc == 0 else {
            close(out[0])
            return .failure(.cannotStart(String(cString: strerror(rc))))
        }
        // The deadline: poll the pipe until it closes or the time is up.
        let deadline = Date().addingTimeInterval(budget)
        var markup: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var timedOut = false
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { timedOut = true; break }
            var fds = pollfd(fd: out[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, Int32(min(left, 1) * 1000))
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 { continue }
            let n = buffer.withUnsafeMutableBytes { read(out[0], $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            markup.append(contentsOf: buffer[0..<n])
        }
        close(out[0])
        if timedOut { kill(-pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // The browser's helpers (zygote, renderer) are in its group: none outlives the render.
        kill(-pid, SIGKILL)
        if timedOut { return .failure(.timeout(seconds: budget)) }
        let exited = status & 0x7f == 0
        let code = exited ? (status >> 8) & 0xff : status & 0x7f
        if !exited || code != 0 { return .failure(.browserFailed(status: code, detail: exited ? "" : "signal \(code)")) }
        guard markup.contains(UInt8(ascii: "<")) else { return .failure(.emptyDocument) }
        return .success(markup)
    }
}

/// A counting semaphore for async tasks (renders wait in order of arrival).
actor Slots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
