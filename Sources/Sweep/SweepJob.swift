package import Crawl
package import Fetch
import Foundation
package import Inspect
import Logging
package import Render
package import Report
package import Store
package import Vocabulary

/// Everything a sweep needs, resolved and checked.
package struct SweepSettings: Sendable {
    package var startURLs: [CrawlURL]
    /// The inspection day: every freshness check counts back from it.
    package var asOf: Day
    package var out = ""
    package var profilePath: String?
    package var profileName = "national-2019"
    package var departmentsPath: String?
    package var phonesPath: String?
    package var accountsPath: String?
    package var wordingPath: String?
    /// `--phones`, `--wording` and `--accounts`, read and checked.
    package var content = ContentData()
    package var storePath = ""
    package var crawl: CrawlOptions
    package var fetch = FetchConfiguration()
    package var failOn: Severity?
    package var resume = false
    /// Parse every page, reusing nothing from earlier runs.
    package var full = false
    /// Query the site search after the crawl (`search`); `--no-search` turns it off.
    package var search = true
    /// `--search-url`: how to query the site search, a URL with `{query}` (over the profile's
    /// `searchURL` and the home page's form).
    package var searchURL: String?
    package var quiet = false
    package var verbose = false
    package var departments = DepartmentMap()
    /// The rule profile (`--profile`, else the bundled national profile).
    package var profile: Profile?
    /// Script-filled pages in a browser (`--render`, `--render-timeout`, `--render-budget`, `--render-concurrency`).
    package var render = RenderSettings()

    package init(startURLs: [CrawlURL], asOf: Day) {
        self.startURLs = startURLs
        self.asOf = asOf
        crawl = CrawlOptions(startURLs: startURLs, asOfYear: asOf.year)
    }

    /// Reads and checks the input files, so a bad file stops the run before any request.
    package mutating func loadInputs() throws {
        do {
            if let p = departmentsPath { departments = try InputFiles.departments(path: p) }
            if let p = accountsPath {
                let registry = try InputFiles.accounts(path: p)
                for e in registry.entries where CrawlURL(e.feed) == nil {
                    throw InputError(file: p, line: e.line, problem: "feed \"\(e.feed)\" is not an http(s) URL")
                }
                content.accounts = registry
            }
            if let p = profilePath {
                // A YAML file, or the name of a bundled profile (national-2019, xicheng-2022).
                if FileManager.default.fileExists(atPath: p) {
                    profile = try InputFiles.profile(path: p)
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
            if let p = phonesPath { content.phones = try InputFiles.phones(path: p, areaCode: profile?.phoneAreaCode ?? "") }
            if let p = wordingPath { content.wording = try InputFiles.wording(path: p) }
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
    package func factsKey() -> Int64 {
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
package struct SweepJob: Sendable {
    /// govsweep's version, as findings.json and the facts key carry it.
    package static let version = "0.1.0"

    /// With GOVSWEEP_TRACE_MEMORY set, the resident and peak memory after each phase, on
    /// stderr (for Benchmarks/: where a big sweep's memory goes).
    static let traceMemory = ProcessInfo.processInfo.environment["GOVSWEEP_TRACE_MEMORY"] != nil

    static func trace(_ phase: String) {
        guard traceMemory, let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return }
        func field(_ name: String) -> String {
            status.split(separator: "\n").first { $0.hasPrefix(name) }
                .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.map(String.init) } ?? "?"
        }
        // (The allocator's live heap beside it, when tcmalloc says: what the phase keeps, not what
        // the allocator holds for reuse.)
        let heap = allocatedBytes().map { ", heap \($0 >> 10) kB" } ?? ""
        FileHandle.standardError.write(Data("memory after \(phase): rss \(field("VmRSS:")) kB, peak \(field("VmHWM:")) kB\(heap)\n".utf8))
    }

    /// "history: 2 new, 40 still open, 1 fixed since run 3 (2026-11-13)", or the first-run line.
    package static func historyLine(_ h: RunHistory) -> String {
        guard let previous = h.previousRunId else { return "history: first run of these sites in the store" }
        let c = h.counts
        return "history: \(c.new) new, \(c.open) still open, \(c.fixed) fixed since run \(previous) (\(h.previousAsOf?.description ?? "?"))"
    }

    package var settings: SweepSettings
    /// Where the summary goes (stdout), and progress (stderr).
    package var printSummary = true
    /// SIGINT and SIGTERM mark the run interrupted and exit. Off in a fleet worker, which
    /// handles them for all its sweeps at once (it hands its jobs back to the queue).
    package var handlesSignals = true
    /// Called with the pages fetched so far as the crawl goes (at most four times a second):
    /// a fleet worker's heartbeat shows them in `fleet status`.
    package var onPages: (@Sendable (Int) -> Void)?
    /// Called as the phases without pages go on (the run's setup, feed checks, search,
    /// inspection, store, report): with `onPages`, a fleet worker's heartbeat takes it for a
    /// sign that the sweep is alive, and lets the lease of a sweep silent too long run out.
    package var onAlive: (@Sendable () -> Void)?
    /// The store to sweep into; nil: `StoreLocation(settings.storePath)`, opened by `run()`.
    package var store: (any RunStore)?

    package init(settings: SweepSettings, store: (any RunStore)? = nil, printSummary: Bool = true) {
        self.settings = settings
        self.store = store
        self.printSummary = printSummary
    }

    /// The exit code: 1 when `--fail-on` is met, else 0; a `UserFailure` for what stops the run.
    /// Open the store and lock the sites, start (or resume) the run, crawl, check the site as a
    /// whole, finish the inspection, score, store the findings with the history, report.
    package func run() async throws -> Int32 {
        var logger = Logger(label: "govsweep")
        logger.logLevel = settings.verbose ? .debug : .warning
        let started = Date()
        limitThreadCaches()
        let sites = settings.startURLs.map(\.string)
        // Read once: the store and the render cache beside it.
        let location = StoreLocation(settings.storePath)
        let (store, lock) = try await openStore(location, sites: sites, logger: logger)
        defer { withExtendedLifetime(lock) {} }
        onAlive?()
        let run = try await startRun(store: store, sites: sites, location: location, started: started)
        onAlive?()
        // From here on the run exists: a Ctrl-C or a kill marks it interrupted before exiting.
        let interruption = handlesSignals ? Interruption(store: store, runID: run.id, quiet: settings.quiet) : nil
        defer { interruption?.end() }

        let client: HTTPClient
        do { client = try HTTPClient(configuration: settings.fetch) } catch {
            throw UserFailure(message: "cannot start the HTTP client: \(error)", code: 2)
        }
        defer { client.shutdown() }
        let profile = try settings.profile ?? Profile.bundled(name: settings.profileName)
        // Every HTML page goes through the inspector as it is parsed; it keeps summaries only.
        let inspector = Inspector(profile: profile, asOf: settings.asOf, departments: settings.departments, content: settings.content)

        let crawled = try await crawl(run, client: client, inspector: inspector, logger: logger)
        if crawled.summary.noStartFetched { try await fail(run, crawled) }
        let checks = try await siteChecks(run, crawled, client: client, inspector: inspector, profile: profile)
        let inspected = finishInspection(inspector, checks: checks, sites: sites)
        let (doc, result) = score(inspected.findings, run: run, summary: crawled.summary, profile: profile)
        let history = try await storeFindings(doc, run: run, summary: crawled.summary, result: result)
        // The store folds its log in on its own thread while the report is written.
        let folding = Task { [store = run.store] in try? await store.perform { store.foldLog() } }
        let outURL: URL
        do {
            outURL = try writeReport(doc, history: history, inspected: inspected, summary: crawled.summary, profile: profile)
        } catch {
            await folding.value
            throw error
        }
        await folding.value
        if printSummary {
            printSummary(doc, run: run, crawled: crawled, history: history, availability: checks.availability, report: outURL)
        }

        await crawled.rendering?.closed()
        if let failOn = settings.failOn, doc.findings.contains(where: { $0.severity >= failOn }) { return 1 }
        return 0
    }
}

// MARK: - The steps of a sweep

extension SweepJob {
    /// The run a sweep records into, once it exists.
    struct SweepRun: Sendable {
        let id: Int64
        /// Taken up again (`--resume`) rather than created.
        let resumed: Bool
        let sites: [String]
        let started: Date
        let location: StoreLocation
        let store: any RunStore
    }

    /// What the crawl hands on: its summary, the run compared against, the renderer still
    /// to close, and the filed accounts' feed checks still going.
    struct Crawled: Sendable {
        let summary: CrawlSummary
        let baseline: RunRecord?
        let rendering: PageRendering?
        let renderLine: String?
        let feeds: Task<[AccountCheck], Never>
    }

    /// The checks of the site as a whole, made after the crawl.
    struct SiteChecks: Sendable {
        let availability: (samples: [ProbeRecord], windowEnd: Date)
        let accountChecks: [AccountCheck]
        let searchChecks: [SiteSearch.Check]?
        let targets: [LinkTarget]
    }

    /// What the inspector leaves once finished: the findings and what the report needs of its summaries.
    struct Inspected {
        let findings: [Finding]
        let columnFacts: [ColumnFact]
        let workPoints: [WorkPointRow]
    }

    /// Opens the store (or takes the one given) and locks the sites against another sweep of them.
    func openStore(_ location: StoreLocation, sites: [String], logger: Logger) async throws -> (any RunStore, RunLock) {
        // The store's calls from here on go through `perform`, off the cooperative pool (a
        // PostgreSQL call waits on the network; a fleet worker's heartbeat shares the pool).
        do {
            let store: any RunStore
            if let given = self.store { store = given } else { store = try await location.open(logger: logger) }
            let lock = try await store.perform { [store] in try store.acquireRunLock(sites: sites) }
            return (store, lock)
        } catch {
            throw StoreLocation.failure(error)
        }
    }

    /// The unfinished run of these sites taken up again (`--resume`), else a new run.
    func startRun(store: any RunStore, sites: [String], location: StoreLocation, started: Date) async throws -> SweepRun {
        if settings.resume, let previous = try await store.perform({ try store.unfinishedRun(sites: sites) }) {
            if !settings.quiet {
                FileHandle.standardError.write(Data("govsweep: resuming run \(previous.id) of \(previous.startedAt)\n".utf8))
            }
            return SweepRun(id: previous.id, resumed: true, sites: sites, started: started, location: location, store: store)
        }
        let options = "{\"maxPages\":\(settings.crawl.maxPages),\"perHost\":\(settings.fetch.perHostConcurrency)}"
        let record = RunRecord(
            sites: sites, asOf: settings.asOf, options: options, startedAt: ChinaTime.timestamp(started))
        let id = try await store.perform { try store.createRun(record) }
        return SweepRun(id: id, resumed: false, sites: sites, started: started, location: location, store: store)
    }

    /// Crawls the sites, every HTML page through the inspector, with the filed accounts' feeds
    /// read meanwhile; then the script-filled pages still rendering are absorbed.
    func crawl(_ run: SweepRun, client: HTTPClient, inspector: Inspector, logger: Logger) async throws -> Crawled {
        let store = run.store
        // Incremental: pages unchanged since the last finished run of these sites are not
        // parsed again; the facts stored with them are reused (same build, profile and data).
        var crawlOptions = settings.crawl
        let baseline =
            settings.full ? nil : try await store.perform { [sites = run.sites, runID = run.id] in try store.previousRun(sites: sites, before: runID) }
        crawlOptions.facts = FactsSettings(key: settings.factsKey(), asOf: settings.asOf, baselineRun: baseline?.id)
        if let b = baseline, let facts = crawlOptions.facts {
            do { try await store.perform { try store.prepareBaseline(run: b.id, key: facts.key, asOf: facts.asOf) } } catch {
                throw StoreLocation.failure(error)
            }
        }
        onAlive?()
        // The render cache sits beside a SQLite store; a PostgreSQL store's sweep keeps it in memory.
        let renderCachePath: String
        if case .sqlite(let path) = run.location { renderCachePath = path } else { renderCachePath = "" }
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
            runID: run.id, resume: run.resumed,
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
        return Crawled(summary: summary, baseline: baseline, rendering: rendering, renderLine: renderLine, feeds: feeds)
    }

    /// No start URL could be fetched: the run is marked failed and the sweep stops (exit 3).
    func fail(_ run: SweepRun, _ crawled: Crawled) async throws -> Never {
        crawled.feeds.cancel()
        let store = run.store
        let fallback = RunRecord(sites: run.sites, asOf: settings.asOf, startedAt: ChinaTime.timestamp(run.started))
        try await store.perform { [runID = run.id] in
            var record = try store.run(id: runID) ?? fallback
            record.status = .failed
            record.finishedAt = ChinaTime.timestamp(Date())
            try store.finishRun(record)
        }
        let why = crawled.summary.startFailures.joined(separator: "; ")
        throw UserFailure(message: "no start URL could be fetched: \(why)", code: 3)
    }

    /// The site's availability probes, the feed checks, the search queries and the run's link
    /// targets, for the site rules.
    func siteChecks(
        _ run: SweepRun, _ crawled: Crawled, client: HTTPClient, inspector: Inspector, profile: Profile
    ) async throws -> SiteChecks {
        let store = run.store
        let scope = Set(settings.startURLs.map(\.authority))
        // Availability probes of the start URLs (govsweep probe) are judged with the rest.
        let availability = try await store.perform { [sites = run.sites, asOf = settings.asOf, now = run.started] in
            try AvailabilityFold.probes(store: store, sites: sites, asOf: asOf, now: now, profile: profile)
        }
        onAlive?()
        let accountChecks = await crawled.feeds.value
        onAlive?()
        // After the crawl, through the same client and its per-host limits: one or two queries a start page.
        let searchChecks =
            settings.search ? await SearchProbe.check(inspector.searchPlans(), client: client, robots: crawled.summary.robots) : nil
        onAlive?()
        let targets = try await store.perform { [runID = run.id] in
            let targets = try store.linkTargets(run: runID, scope: scope)
            // The writer's big page cache served the crawl and the scan of the run's links; the
            // rest (findings, history, report) does not need it.
            store.endBulkWrites()
            return targets
        }
        return SiteChecks(availability: availability, accountChecks: accountChecks, searchChecks: searchChecks, targets: targets)
    }

    /// The site rules over the summaries and checks; then only what the report needs is kept.
    func finishInspection(_ inspector: Inspector, checks: SiteChecks, sites: [String]) -> Inspected {
        // The crawl's page buffers are free: the memory goes back (glibc keeps freed memory
        // in its arenas).
        releaseFreeMemory()
        Self.trace("link targets")
        let findings = inspector.finish(
            linkTargets: checks.targets, homePages: sites, accountChecks: checks.accountChecks, searchChecks: checks.searchChecks,
            probes: checks.availability.samples, availabilityWindowEnd: checks.availability.windowEnd, trace: phase)
        // The report's column timeline is all the rest needs of the inspector's summaries.
        let inspected = Inspected(findings: findings, columnFacts: inspector.columnFacts(), workPoints: inspector.workPointRows())
        inspector.releaseSummaries()
        // (The summaries and the rules' intermediates back to the system before the findings
        // are saved: the store's encoding then adds to less.)
        releaseFreeMemory()
        return inspected
    }

    /// Scores the findings and makes the run's findings document.
    func score(_ findings: [Finding], run: SweepRun, summary: CrawlSummary, profile: Profile) -> (FindingsDocument, Scoring.Result) {
        let result = profile.scoring.score(findings)
        Self.trace("findings")
        onAlive?()
        let doc = FindingsDocument(
            version: SweepJob.version, sites: run.sites, asOf: settings.asOf, profile: settings.profileName,
            startedAt: ChinaTime.timestamp(run.started), finishedAt: ChinaTime.timestamp(Date()),
            pages: .init(fetched: summary.fetched, failed: summary.failed, skipped: summary.skipped, checked: summary.checked),
            score: result.score, verdict: result.verdict, vetoes: result.vetoes, findings: findings, runId: run.id)
        return (doc, result)
    }

    /// Saves the findings and finishes the run, then reads its history (against the previous
    /// finished run of the same sites: new, fixed, still open, trend), in one hop to the store.
    func storeFindings(_ doc: FindingsDocument, run: SweepRun, summary: CrawlSummary, result: Scoring.Result) async throws -> RunHistory {
        let store = run.store
        let fallback = RunRecord(sites: run.sites, asOf: settings.asOf, startedAt: ChinaTime.timestamp(run.started))
        let history = try await store.perform { [runID = run.id, findings = doc.findings, finishedAt = doc.finishedAt] in
            try store.saveFindings(run: runID, findings)
            var record = try store.run(id: runID) ?? fallback
            record.status = .done
            record.finishedAt = finishedAt
            record.pagesFetched = summary.fetched
            record.pagesFailed = summary.failed
            record.pagesSkipped = summary.skipped
            record.score = result.score
            record.verdict = result.verdict
            try store.finishRun(record)
            return try RunHistoryLoader.load(store: store, run: record, findings: findings)
        }
        // The inspector's summaries and the saved findings' encodings are gone: memory back
        // before the report.
        releaseFreeMemory()
        Self.trace("store")
        onAlive?()
        return history
    }

    /// Writes the report folder (`--out`); returns it.
    func writeReport(
        _ doc: FindingsDocument, history: RunHistory, inspected: Inspected, summary: CrawlSummary, profile: Profile
    ) throws -> URL {
        let outURL = URL(fileURLWithPath: settings.out)
        var context = ReportContext(profile: profile, columns: inspected.columnFacts, skippedByReason: summary.skippedByReason)
        context.workPoints = inspected.workPoints
        do { try ReportWriter.write(doc, history: history, context: context, to: outURL, trace: phase) } catch {
            throw UserFailure(message: "\(error)", code: 2)
        }
        Self.trace("report")
        return outURL
    }

    /// The lines a sweep prints on stdout at its end.
    func printSummary(
        _ doc: FindingsDocument, run: SweepRun, crawled: Crawled, history: RunHistory,
        availability: (samples: [ProbeRecord], windowEnd: Date), report outURL: URL
    ) {
        let summary = crawled.summary
        let counts = Dictionary(grouping: doc.findings, by: { $0.severity }).mapValues { $0.count }
        let rate = summary.seconds > 0 ? Double(summary.fetched) / summary.seconds : 0
        print(
            """
            govsweep: \(run.sites.joined(separator: " ")) as of \(settings.asOf)
              pages: \(summary.fetched) fetched\(summary.reused > 0 ? " (\(summary.reused) unchanged since run \(crawled.baseline?.id ?? 0), not parsed again)" : ""), \(summary.failed) failed, \(summary.skipped) skipped\(summary.skipped > 0 ? " (" + summary.skippedByReason.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")" : ""), \(summary.checked) links checked in \(String(format: "%.1f", summary.seconds)) s (\(Int(rate)) pages/s)
              verdict: \(doc.verdict.rawValue), score \(pointsText(doc.score))\(doc.vetoes.isEmpty ? "" : ", vetoes: " + doc.vetoes.map(\.rawValue).joined(separator: ", "))
              findings: \(counts[.veto] ?? 0) veto, \(counts[.deduct] ?? 0) deduct, \(counts[.advice] ?? 0) advice
              \(Self.historyLine(history))
              \(crawled.renderLine.map { $0 + "\n  " } ?? "")availability: \(availability.samples.isEmpty ? "no probes recorded in the week before the sweep (govsweep probe)" : "\(availability.samples.count) probe\(availability.samples.count == 1 ? "" : "s") in the week before the sweep")
              report: \(outURL.appendingPathComponent("report.html").path)
            """)
    }

    /// Told each inspection and report phase: the memory trace and the sign of life, when either is wanted.
    var phase: (@Sendable (String) -> Void)? {
        Self.traceMemory || onAlive != nil
            ? { @Sendable [onAlive] phase in
                SweepJob.trace(phase)
                onAlive?()
            } : nil
    }
}

/// glibc's malloc_trim(0): returns the free memory of every arena to the system (not in
/// Swift's Glibc module, which leaves out malloc.h).
@_silgen_name("malloc_trim") private func malloc_trim(_ pad: Int) -> Int32

/// tcmalloc's thread caches together at most 8 MB (its default is 32 MB): the freed memory the
/// crawl's threads keep for themselves showed in the peak. On the realistic 20,000-page portal,
/// three alternating rounds: peak RSS 92.0-93.3 MB against 94.8-97.6 MB with the default, CPU
/// and pages/s the same (1.00x); 4 MB gave 89 MB but 0.82x the pages/s. No-op on glibc's malloc.
/// (Once a process: a fleet worker runs many sweeps.)
func limitThreadCaches() { _ = threadCachesLimited }

private let threadCachesLimited: Bool = {
    guard let set = tcmalloc("MallocExtension_SetNumericProperty", as: (@convention(c) (UnsafePointer<CChar>, Int) -> Int32).self)
    else { return false }
    return set("tcmalloc.max_total_thread_cache_bytes", 8 << 20) != 0
}()

/// A function of tcmalloc's C API when the release build's allocator is tcmalloc, looked up
/// (debug builds and tests run on glibc's malloc, which has none of them).
private func tcmalloc<F>(_ name: String, as type: F.Type) -> F? {
    #if os(Linux)
    // (A nil handle is glibc's RTLD_DEFAULT: the process's global symbols.)
    guard let sym = dlsym(nil, name) else { return nil }
    return unsafeBitCast(sym, to: type)
    #else
    return nil
    #endif
}

/// tcmalloc's count of the bytes the program holds (generic.current_allocated_bytes); nil on
/// glibc's malloc.
func allocatedBytes() -> Int? {
    guard let get = tcmallocGet else { return nil }
    var value = 0
    return get("generic.current_allocated_bytes", &value) != 0 ? value : nil
}
private let tcmallocGet = tcmalloc(
    "MallocExtension_GetNumericProperty", as: (@convention(c) (UnsafePointer<CChar>, UnsafeMutablePointer<Int>) -> Int32).self)

/// tcmalloc's MallocExtension_ReleaseFreeMemory.
private let tcmallocRelease = tcmalloc("MallocExtension_ReleaseFreeMemory", as: (@convention(c) () -> Void).self)

func releaseFreeMemory() {
    #if os(Linux)
    if let release = tcmallocRelease { release() } else { _ = malloc_trim(0) }
    #endif
}
