public import Crawl
public import Fetch
import Foundation
public import Inspect
import Logging
public import Render
public import Report
public import Store
public import Vocabulary

/// Everything a sweep needs, resolved and checked.
public struct SweepSettings: Sendable {
    public var startURLs: [CrawlURL]
    /// The inspection day: every freshness check counts back from it.
    public var asOf: Day
    public var out = ""
    public var profilePath: String?
    public var profileName = "national-2019"
    public var departmentsPath: String?
    public var phonesPath: String?
    public var accountsPath: String?
    public var wordingPath: String?
    /// `--phones`, `--wording` and `--accounts`, read and checked.
    public var content = ContentData()
    public var storePath = ""
    public var crawl: CrawlOptions
    public var fetch = FetchConfiguration()
    public var failOn: Severity?
    public var resume = false
    /// Parse every page, reusing nothing from earlier runs.
    public var full = false
    /// Query the site search after the crawl (`search`); `--no-search` turns it off.
    public var search = true
    /// `--search-url`: how to query the site search, a URL with `{query}` (over the profile's
    /// `searchURL` and the home page's form).
    public var searchURL: String?
    public var quiet = false
    public var verbose = false
    public var departments = DepartmentMap()
    /// The rule profile (`--profile`, else the bundled national profile).
    public var profile: Profile?
    /// Script-filled pages in a browser (`--render`, `--render-timeout`, `--render-budget`, `--render-concurrency`).
    public var render = RenderSettings()

    public init(startURLs: [CrawlURL], asOf: Day) {
        self.startURLs = startURLs
        self.asOf = asOf
        crawl = CrawlOptions(startURLs: startURLs, asOfYear: asOf.year)
    }

    /// Reads and checks the input files, so a bad file stops the run before any request.
    public mutating func loadInputs() throws {
        do {
            if let p = departmentsPath { departments = try DepartmentMap(csv: p) }
            if let p = accountsPath {
                let registry = try AccountRegistry(csv: p)
                for e in registry.entries where CrawlURL(e.feed) == nil {
                    throw InputError(file: p, line: e.line, problem: "feed \"\(e.feed)\" is not an http(s) URL")
                }
                content.accounts = registry
            }
            if let p = profilePath {
                // A YAML file, or the name of a bundled profile (national-2019, xicheng-2022).
                if FileManager.default.fileExists(atPath: p) {
                    profile = try Profile.load(path: p)
                } else if Profile.bundledNames.contains(p) {
                    profile = try Profile.bundled(name: p)
                } else {
                    throw InputError(file: p, problem: "no such file, nor a bundled profile (bundled: \(Profile.bundledNames.joined(separator: ", ")))")
                }
            } else {
                profile = try Profile.bundled(name: profileName)
            }
            if let profile { profileName = profile.id }
            if let t = searchURL {
                guard (t.hasPrefix("http://") || t.hasPrefix("https://")) && t.contains("{query}") else {
                    throw InputError(file: "--search-url", problem: "\(t): expected an http(s) URL with {query} where the search words go")
                }
                profile?.searchURL = t
            }
            // Registry numbers are normalised with the profile's area code.
            if let p = phonesPath { content.phones = try PhoneRegistry(csv: p, areaCode: profile?.phoneAreaCode ?? "") }
            if let p = wordingPath { content.wording = try WordingDictionary.bundled.adding(csv: p) }
        } catch let e as InputError {
            throw UserFailure.badInput(e.description)
        }
        if render.mode == .always, Renderer(settings: render) == nil {
            throw UserFailure.badInput("--render always: no browser found (\(Renderer.installHint))")
        }
        for pattern in crawl.include + crawl.exclude {
            do { _ = try NSRegularExpression(pattern: pattern) } catch {
                throw UserFailure.badInput("--include/--exclude \(pattern): not a valid regular expression")
            }
        }
    }
}

extension SweepSettings {
    /// Fingerprint of everything page facts are made with: this build of govsweep (its
    /// executable's size and time), the profile and the content data files. Facts stored
    /// under another key are never reused.
    public func factsKey() -> Int64 {
        var h = FNV1a()
        func mix(_ bytes: some Sequence<UInt8>) { h.add(bytes); h.add(0xff) }
        mix(SweepJob.version.utf8)
        var st = stat()
        if stat("/proc/self/exe", &st) == 0 {
            mix("\(st.st_size) \(st.st_mtim.tv_sec) \(st.st_mtim.tv_nsec)".utf8)
        }
        mix(profileName.utf8)
        if let p = profilePath, let data = FileManager.default.contents(atPath: p) { mix(data) }
        for (name, yaml) in Profile.bundledSources.sorted(by: { $0.key < $1.key }) { mix(name.utf8); mix(yaml.utf8) }
        for p in [phonesPath, wordingPath, accountsPath] {
            if let p, let data = FileManager.default.contents(atPath: p) { mix(data) } else { mix([0]) }
        }
        return Int64(bitPattern: h.value)
    }
}

/// Runs one sweep: crawl, inspect, score, store, report. The command line and the demo
/// both fill in `SweepSettings` and call `run()`.
public struct SweepJob: Sendable {
    /// govsweep's version, as findings.json and the facts key carry it.
    public static let version = "0.1.0"

    /// With GOVSWEEP_TRACE_MEMORY set, the resident and peak memory after each phase, on
    /// stderr (for Benchmarks/: where a big sweep's memory goes).
    static let traceMemory = ProcessInfo.processInfo.environment["GOVSWEEP_TRACE_MEMORY"] != nil

    static func trace(_ phase: String) {
        guard traceMemory, let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return }
        func field(_ name: String) -> String {
            status.split(separator: "\n").first { $0.hasPrefix(name) }
                .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.map(String.init) } ?? "?"
        }
        FileHandle.standardError.write(Data("memory after \(phase): rss \(field("VmRSS:")) kB, peak \(field("VmHWM:")) kB\n".utf8))
    }

    /// "history: 2 new, 40 still open, 1 fixed since run 3 (2026-11-13)", or the first-run line.
    public static func historyLine(_ h: RunHistory) -> String {
        guard let previous = h.previousRunId else { return "history: first run of these sites in the store" }
        let c = h.counts
        return "history: \(c.new) new, \(c.open) still open, \(c.fixed) fixed since run \(previous) (\(h.previousAsOf ?? "?"))"
    }

    public var settings: SweepSettings
    /// Where the summary goes (stdout), and progress (stderr).
    public var printSummary = true
    /// SIGINT and SIGTERM mark the run interrupted and exit. Off in a fleet worker, which
    /// handles them for all its sweeps at once (it hands its jobs back to the queue).
    public var handlesSignals = true
    /// Called with the pages fetched so far as the crawl goes (at most four times a second):
    /// a fleet worker's heartbeat shows them in `fleet status`.
    public var onPages: (@Sendable (Int) -> Void)?
    /// Called as the phases without pages go on (the run's setup, feed checks, search,
    /// inspection, store, report): with `onPages`, a fleet worker's heartbeat takes it for a
    /// sign that the sweep is alive, and lets the lease of a sweep silent too long run out.
    public var onAlive: (@Sendable () -> Void)?
    /// The store to sweep into; nil: `StoreLocation(settings.storePath)`, opened by `run()`.
    public var store: (any RunStore)?

    public init(settings: SweepSettings, store: (any RunStore)? = nil, printSummary: Bool = true) {
        self.settings = settings
        self.store = store
        self.printSummary = printSummary
    }

    /// The exit code: 1 when `--fail-on` is met, else 0; a `UserFailure` for what stops the run.
    public func run() async throws -> Int32 {
        var logger = Logger(label: "govsweep")
        logger.logLevel = settings.verbose ? .debug : .warning
        let started = Date()

        let sites = settings.startURLs.map(\.string)
        // Read once: the store and the render cache beside it.
        let location = StoreLocation(settings.storePath)
        let store: any RunStore
        let lock: RunLock
        // The store's calls from here on go through `perform`, off the cooperative pool (a
        // PostgreSQL call waits on the network; a fleet worker's heartbeat shares the pool).
        do {
            store = try self.store ?? location.open(logger: logger)
            lock = try await store.perform { [store] in try store.acquireRunLock(sites: sites) }
        } catch {
            throw StoreLocation.failure(error)
        }
        defer { withExtendedLifetime(lock) {} }
        onAlive?()

        var runID: Int64
        var resumed = false
        if settings.resume, let previous = try await store.perform({ try store.unfinishedRun(sites: sites) }) {
            runID = previous.id
            resumed = true
            if !settings.quiet { FileHandle.standardError.write(Data("govsweep: resuming run \(runID) of \(previous.startedAt)\n".utf8)) }
        } else {
            let options = "{\"maxPages\":\(settings.crawl.maxPages),\"perHost\":\(settings.fetch.perHostConcurrency)}"
            let record = RunRecord(
                sites: sites, asOf: settings.asOf.description, options: options, startedAt: ChinaTime.timestamp(started))
            runID = try await store.perform { try store.createRun(record) }
        }
        onAlive?()
        // From here on the run exists: a Ctrl-C or a kill marks it interrupted before exiting.
        let interruption = handlesSignals ? Interruption(store: store, runID: runID, quiet: settings.quiet) : nil
        defer { interruption?.end() }

        let client: HTTPClient
        do { client = try HTTPClient(configuration: settings.fetch) } catch {
            throw UserFailure(message: "cannot start the HTTP client: \(error)", code: 2)
        }
        defer { client.shutdown() }

        let profile = try settings.profile ?? Profile.bundled(name: settings.profileName)
        // Every HTML page goes through the inspector as it is parsed; it keeps summaries only.
        let inspector = Inspector(profile: profile, asOf: settings.asOf, departments: settings.departments, content: settings.content)
        // Incremental: pages unchanged since the last finished run of these sites are not
        // parsed again; the facts stored with them are reused (same build, profile and data).
        var crawlOptions = settings.crawl
        let baseline = settings.full ? nil : try await store.perform { [runID] in try store.previousRun(sites: sites, before: runID) }
        crawlOptions.facts = FactsSettings(key: settings.factsKey(), asOf: settings.asOf, baselineRun: baseline?.id)
        if let b = baseline, let facts = crawlOptions.facts {
            do { try await store.perform { try store.prepareBaseline(run: b.id, key: facts.key, asOf: facts.storedAsOf) } } catch {
                throw StoreLocation.failure(error)
            }
        }
        onAlive?()
        // The render cache sits beside a SQLite store; a PostgreSQL store's sweep keeps it in memory.
        let renderCachePath: String
        if case .sqlite(let path) = location { renderCachePath = path } else { renderCachePath = "" }
        let rendering = PageRendering.forSweep(settings.render, storePath: renderCachePath, perHost: settings.fetch.perHostConcurrency)
        let crawler = try Crawler(
            options: crawlOptions, client: client, store: store, logger: logger,
            inspection: InspectorPages(inspector: inspector, rendering: rendering))
        // The filed accounts' feeds are read while the crawl runs, through the same client.
        let feeds = Task { [registry = settings.content.accounts] in
            guard let registry else { return [AccountCheck]() }
            return await AccountFeeds.check(registry, client: client)
        }
        let progress = ProgressLine(enabled: !settings.quiet && isatty(STDERR_FILENO) == 1)
        let summary = try await crawler.run(
            runID: runID, resume: resumed,
            progress: { [onPages] counts in
                progress.show(counts)
                onPages?(counts.fetched)
            })
        progress.finish()
        // Script-filled pages still rendering: their facts are absorbed before the site rules.
        let rendered = await rendering?.finish()
        onAlive?()
        let renderLine = rendered.flatMap { PageRendering.line($0, settings: settings.render) }
        // Said once: in the summary, else on stderr (a sweep without a browser says so even when quiet).
        if let renderLine, !printSummary, !settings.quiet || rendered?.skipped ?? 0 > 0 {
            FileHandle.standardError.write(Data("govsweep: \(renderLine)\n".utf8))
        }
        Self.trace("crawl")

        if summary.noStartFetched {
            feeds.cancel()
            let fallback = RunRecord(sites: sites, asOf: settings.asOf.description, startedAt: ChinaTime.timestamp(started))
            try await store.perform { [runID] in
                var run = try store.run(id: runID) ?? fallback
                run.status = .failed
                run.finishedAt = ChinaTime.timestamp(Date())
                try store.finishRun(run)
            }
            let why = summary.startFailures.joined(separator: "; ")
            throw UserFailure(message: "no start URL could be fetched: \(why)", code: 3)
        }

        // Inspection.
        let scope = Set(settings.startURLs.map(\.authority))
        let phase: (@Sendable (String) -> Void)? =
            Self.traceMemory || onAlive != nil
            ? { @Sendable [onAlive] phase in
                SweepJob.trace(phase)
                onAlive?()
            } : nil
        // Availability probes of the start URLs (govsweep probe) are judged with the rest.
        let availability = try await store.perform { [asOf = settings.asOf] in
            try AvailabilityFold.probes(store: store, sites: sites, asOf: asOf, now: started, profile: profile)
        }
        onAlive?()
        let accountChecks = await feeds.value
        onAlive?()
        // After the crawl, through the same client and its per-host limits: one or two queries a start page.
        let searchChecks =
            settings.search ? await SearchProbe.check(inspector.searchPlans(), client: client, robots: summary.robots) : nil
        onAlive?()
        let targets = try await store.perform { [runID] in
            let targets = try store.linkTargets(run: runID, scope: scope)
            // The writer's big page cache served the crawl and the scan of the run's links; the
            // rest (findings, history, report) does not need it.
            store.endBulkWrites()
            return targets
        }
        let findings: [Finding] = try {
            // The crawl's page buffers are free: the memory goes back (glibc keeps freed memory
            // in its arenas).
            releaseFreeMemory()
            Self.trace("link targets")
            return inspector.finish(
                linkTargets: targets, homePages: sites, accountChecks: accountChecks, searchChecks: searchChecks,
                probes: availability.samples, availabilityWindowEnd: availability.windowEnd, trace: phase)
        }()
        // The report's column timeline is all the rest needs of the inspector's summaries.
        let columnFacts = inspector.columnFacts()
        let workPoints = inspector.workPointRows()
        inspector.releaseSummaries()
        let result = profile.scoring.score(findings)
        Self.trace("findings")
        onAlive?()

        let finished = Date()
        let doc = FindingsDocument(
            version: SweepJob.version, sites: sites, asOf: settings.asOf.description, profile: settings.profileName,
            startedAt: ChinaTime.timestamp(started), finishedAt: ChinaTime.timestamp(finished),
            pages: .init(fetched: summary.fetched, failed: summary.failed, skipped: summary.skipped, checked: summary.checked),
            score: result.score, verdict: result.verdict, vetoes: result.vetoes, findings: findings, runId: runID)

        let fallback = RunRecord(sites: sites, asOf: settings.asOf.description, startedAt: ChinaTime.timestamp(started))
        let history = try await store.perform { [runID, summary, result, finishedAt = doc.finishedAt] in
            try store.saveFindings(run: runID, findings)
            var run = try store.run(id: runID) ?? fallback
            run.status = .done
            run.finishedAt = finishedAt
            run.pagesFetched = summary.fetched
            run.pagesFailed = summary.failed
            run.pagesSkipped = summary.skipped
            run.score = result.score
            run.verdict = result.verdict
            try store.finishRun(run)
            // Against the previous finished run of the same sites: new, fixed, still open, trend.
            return try RunHistoryLoader.load(store: store, run: run, findings: findings)
        }
        // The inspector's summaries and the saved findings' encodings are gone: memory back
        // before the report.
        releaseFreeMemory()
        Self.trace("store")
        onAlive?()

        let outURL = URL(fileURLWithPath: settings.out)
        var context = ReportContext(profile: profile, columns: columnFacts, skippedByReason: summary.skippedByReason)
        context.workPoints = workPoints
        do { try ReportWriter.write(doc, history: history, context: context, to: outURL, trace: phase) } catch {
            throw UserFailure(message: "\(error)", code: 2)
        }
        Self.trace("report")

        if printSummary {
            let counts = Dictionary(grouping: findings, by: { $0.severity }).mapValues { $0.count }
            let rate = summary.seconds > 0 ? Double(summary.fetched) / summary.seconds : 0
            print(
                """
                govsweep: \(sites.joined(separator: " ")) as of \(settings.asOf)
                  pages: \(summary.fetched) fetched\(summary.reused > 0 ? " (\(summary.reused) unchanged since run \(baseline?.id ?? 0), not parsed again)" : ""), \(summary.failed) failed, \(summary.skipped) skipped\(summary.skipped > 0 ? " (" + summary.skippedByReason.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")" : ""), \(summary.checked) links checked in \(String(format: "%.1f", summary.seconds)) s (\(Int(rate)) pages/s)
                  verdict: \(result.verdict.rawValue), score \(pointsText(result.score))\(result.vetoes.isEmpty ? "" : ", vetoes: " + result.vetoes.map(\.rawValue).joined(separator: ", "))
                  findings: \(counts[.veto] ?? 0) veto, \(counts[.deduct] ?? 0) deduct, \(counts[.advice] ?? 0) advice
                  \(Self.historyLine(history))
                  \(renderLine.map { $0 + "\n  " } ?? "")availability: \(availability.samples.isEmpty ? "no probes recorded in the week before the sweep (govsweep probe)" : "\(availability.samples.count) probe\(availability.samples.count == 1 ? "" : "s") in the week before the sweep")
                  report: \(outURL.appendingPathComponent("report.html").path)
                """)
        }

        await rendering?.closed()
        if let failOn = settings.failOn, findings.contains(where: { $0.severity >= failOn }) { return 1 }
        return 0
    }
}

/// glibc's malloc_trim(0): returns the free memory of every arena to the system (not in
/// Swift's Glibc module, which leaves out malloc.h).
@_silgen_name("malloc_trim") private func malloc_trim(_ pad: Int) -> Int32

/// tcmalloc's MallocExtension_ReleaseFreeMemory, when the release build's allocator is
/// tcmalloc (looked up: debug builds and tests run on glibc's malloc).
private let tcmallocRelease: (@convention(c) () -> Void)? = {
    #if os(Linux)
    // (A nil handle is glibc's RTLD_DEFAULT: the process's global symbols.)
    guard let sym = dlsym(nil, "MallocExtension_ReleaseFreeMemory") else { return nil }
    return unsafeBitCast(sym, to: (@convention(c) () -> Void).self)
    #else
    return nil
    #endif
}()

func releaseFreeMemory() {
    #if os(Linux)
    if let release = tcmallocRelease { release() } else { _ = malloc_trim(0) }
    #endif
}
