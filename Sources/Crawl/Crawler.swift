import Foundation
import Synchronization
package import Fetch
package import Parse
package import Store
package import Logging
package import Vocabulary

/// What a sweep crawls and how.
package struct CrawlOptions: Sendable {
    package var startURLs: [CrawlURL]
    /// The inspection date's year, for calendar-trap capping.
    package var asOfYear: Int
    package var maxPages: Int = 100_000
    package var maxDepth: Int = 64
    /// Requests in flight at once (the client's own limits also apply per host); the crawl
    /// keeps `Crawler.processingHeadroom` more pages in hand, parsed and inspected meanwhile.
    package var concurrency: Int = 32
    /// Regular expressions over the absolute URL; when any include is given, a URL must match one.
    package var include: [String] = []
    package var exclude: [String] = []
    package var ignoreRobots = false
    package var useSitemaps = true
    /// Check external links (once each, never crawled).
    package var checkExternal = true
    /// Page facts are stored with the pages (and reused from an earlier run) when set.
    package var facts: FactsSettings?

    package init(startURLs: [CrawlURL], asOfYear: Int) {
        self.startURLs = startURLs
        self.asOfYear = asOfYear
    }
}

/// How page facts are kept and reused (incremental sweeps).
package struct FactsSettings: Sendable {
    /// Fingerprint of the build, profile and content data the facts are made with.
    package var key: Int64
    /// The sweep's as-of day: facts that depend on it are valid on it only.
    package var asOf: Day
    /// The earlier run whose unchanged pages are reused instead of parsed; nil: parse every page.
    package var baselineRun: Int64?
    package init(key: Int64, asOf: Day, baselineRun: Int64?) {
        self.key = key; self.asOf = asOf; self.baselineRun = baselineRun
    }
}

/// Live counters, for the progress line.
package struct CrawlProgress: Sendable {
    package var fetched = 0
    package var failed = 0
    package var checked = 0
    package var skipped = 0
    /// Pages found unchanged since the baseline run and reused instead of parsed.
    package var reused = 0
    package var queued = 0
    package var inFlight = 0
    package var currentHost = ""
    package var elapsed: Double = 0
}

/// What a crawl came to.
package struct CrawlSummary: Sendable {
    package var runID: Int64
    package var resumed: Bool
    /// In-scope pages fetched with an ok outcome.
    package var fetched: Int
    /// In-scope pages whose fetch failed (broken, blocked, TLS).
    package var failed: Int
    /// In-scope URLs found but not fetched (robots, traps, limits, excluded).
    package var skipped: Int
    package var skippedByReason: [String: Int]
    /// Links checked without crawling (external, images, files).
    package var checked: Int
    /// Pages unchanged since the baseline run (HTTP 304 or the same content), reused instead of parsed.
    package var reused: Int = 0
    /// True when no start URL could be fetched.
    package var noStartFetched: Bool
    package var startFailures: [String]
    package var seconds: Double
    /// robots.txt per host (authority) as read; empty with --ignore-robots. For requests made
    /// after the crawl (the site-search queries), which keep to it too.
    package var robots: [String: Robots] = [:]
}

/// The one seam between the crawl and the inspection (the crawl knows no rules): a parsed
/// page goes in and its facts come back, packed, to be stored with the page; an unchanged
/// page of the baseline run is taken in from its stored facts instead of being parsed.
/// Called from the page tasks, concurrently.
package protocol PageInspection: Sendable {
    /// Takes a parsed page into the inspection; its facts, packed and keyed by `settings`
    /// (bound to the as-of day when they depend on it) to store with the page, or nil when
    /// the sweep keeps none (`settings` nil).
    func facts(of page: CrawledPage, storing settings: FactsSettings?) -> StoredFacts?
    /// Takes in the stored facts of an unchanged page; false when they cannot be read (the
    /// page is then parsed again).
    func reuse(url: String, facts: [UInt8]) -> Bool
    /// `facts(of:storing:)`, and the links the page shows only once a browser ran its scripts:
    /// a task the crawl waits for before it ends, nil when none will come (the default).
    func inspect(_ page: CrawledPage, storing settings: FactsSettings?) -> (facts: StoredFacts?, later: Task<LaterLinks, Never>?)
}

/// A page as the inspection sees it: the parsed model and where it sits.
package struct CrawledPage: Sendable {
    package var url: CrawlURL
    package var depth: Int
    package var response: FetchResponse
    package var model: PageModel
}

/// Crawls the start URLs' hosts breadth-first, checks every link once, and writes
/// pages and links to the run store in batches. One driver task owns the frontier;
/// fetch and parse run in child tasks, so the frontier and the store stay off the
/// hot path.
package final class Crawler: Sendable {
    let options: CrawlOptions
    let client: HTTPClient
    let store: RunStore
    let logger: Logger
    let onPage: (@Sendable (CrawledPage) -> Void)?
    /// Where parsed pages go (their facts are stored with them when `options.facts` is set).
    let inspection: (any PageInspection)?
    let include: [NSRegularExpressionBox]
    let exclude: [NSRegularExpressionBox]
    /// Pages whose later links are coming (`PageInspection.inspect`).
    let laterPages = LaterPages()

    /// The longest robots.txt Crawl-delay honoured, in seconds.
    static let maxCrawlDelay = 30.0

    /// Page tasks beyond `concurrency`: a task holds its place from the fetch through the
    /// parse and the inspection, so with only `concurrency` of them the fetches stopped while
    /// pages waited for a core, and the cores waited for the next fetches (two cores 10%
    /// idle through a 20,000-page sweep, 156-162% CPU). The client still sends at most
    /// `concurrency` requests at once and `--per-host` to a host; the extra tasks wait in its
    /// queue or for a core.
    ///
    /// 48 a core, at least 96. With four a core (16 here) the cores were still 11% idle on the
    /// realistic portal: the driver, and each new task's first step (its request), wait in the
    /// cooperative pool's queue behind the pages fetched already (Swift's task priorities do not
    /// order that queue on Linux), so a page's place came back late. Traced through a sweep
    /// (Little's law over the tasks' times), of 32 tasks 10.6 held a fetched page waiting for a
    /// core, 7.5 a result waiting for the driver, and only 4.6 requests were in flight of the 16
    /// allowed. With 64 the cores were 4-5% idle, with 96 3%, with 128 2%; four alternating
    /// rounds of one 20,000-page sweep, 64 against 16: wall 5.59-5.88 s against 6.03-6.68 s, CPU
    /// 9.9-10.5 s against 10.3-11.0 s. Each page in hand costs about 0.1 MB of peak RSS (the
    /// store's page cache went from 16 to 8 MB to make room: 87-88 MB with 96, against 92 with
    /// 16). (Sending each request from the driver, before the task's first step, changed
    /// nothing; a driver on a thread of its own took the results at once but cost two more
    /// thread hops a page, 1 s more CPU.)
    static let processingHeadroom = max(96, 48 * ProcessInfo.processInfo.activeProcessorCount)

    /// Non-HTML file types that are checked, not crawled.
    static let fileExtensions: Set<String> = [
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "ofd", "zip", "rar", "7z", "gz", "tar",
        "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "tif", "tiff", "mp3", "mp4", "avi", "wmv", "flv",
        "mov", "swf", "txt", "csv", "xml", "json", "js", "css", "apk", "exe", "msi", "dmg", "iso", "ceb", "caj",
    ]

    package init(
        options: CrawlOptions, client: HTTPClient, store: RunStore, logger: Logger,
        onPage: (@Sendable (CrawledPage) -> Void)? = nil,
        inspection: (any PageInspection)? = nil
    ) throws {
        self.options = options
        self.inspection = inspection
        self.client = client
        self.store = store
        self.logger = logger
        self.onPage = onPage
        self.include = try options.include.map { try NSRegularExpressionBox($0) }
        self.exclude = try options.exclude.map { try NSRegularExpressionBox($0) }
    }

    // MARK: - Jobs

    enum JobResult: Sendable {
        /// `page` is the requested URL; `landed` the page a redirect led to, recorded as a page of its own.
        case crawled(
            PageRecord, landed: PageRecord?, links: PageLinks?, discovered: [Discovered], ok: Bool,
            facts: StoredFacts? = nil, reused: Bool = false, unusable: [Unusable] = [])
        case checked(PageRecord)
        /// A page's links that came later (`LaterLinks`): its links row with them added (nil: none new).
        case later(depth: Int, links: PageLinks?, discovered: [Discovered], unusable: [Unusable])
        /// Entries popped ahead of their launch, with what the baseline run has of each (`readBaselines`).
        case readAhead([Frontier.Entry], [ReusableBaseline?])
    }

    /// A link that is no URL this crawler can request: counted once per href in the sweep.
    struct Unusable: Sendable {
        let key: UInt64
        let reason: SkipReason
    }

    struct Discovered: Sendable {
        let url: CrawlURL
        let kind: LinkKind
        let crawlable: Bool
        /// The seen-set hash and the scope test, computed in the page's task rather than in the driver.
        let key: UInt64
        let inScope: Bool
    }

    /// Crawls, recording into run `runID` (a new run, or one being resumed): robots.txt and
    /// its crawl delays, the resumed run's state, the start URLs, the sitemaps, then the
    /// task group until the frontier is empty.
    package func run(runID: Int64, resume: Bool, progress: (@Sendable (CrawlProgress) -> Void)? = nil) async throws -> CrawlSummary {
        let started = Date()
        var drive = CrawlDrive(policy: CrawlPolicy(options: options, include: include, exclude: exclude), logger: logger)
        let writer = StoreWriter(store: store, run: runID)
        await readRobots(into: &drive.policy)
        drive.hostDelays = crawlDelays(drive.policy)
        // Seeds: resumed state first, then start URLs, then sitemaps.
        if resume { try await seedResumed(&drive, runID: runID) }
        seedStarts(&drive)
        if options.useSitemaps { await seedSitemaps(&drive) }
        try await driveTasks(&drive, writer: writer, started: started, progress: progress)
        try await writer.finish()
        drive.counts.currentHost = CrawlURL(stored: drive.lastPageURL)?.authority ?? drive.counts.currentHost
        drive.counts.skipped = drive.policy.skipped.values.reduce(0, +)
        drive.counts.elapsed = Date().timeIntervalSince(started)
        progress?(drive.counts)
        let counts = drive.counts
        var summary = CrawlSummary(
            runID: runID, resumed: resume, fetched: counts.fetched, failed: counts.failed,
            skipped: counts.skipped, skippedByReason: drive.policy.skipped, checked: counts.checked,
            reused: counts.reused, noStartFetched: !drive.startOK && !resume, startFailures: drive.startFailures,
            seconds: Date().timeIntervalSince(started))
        // The search queries after the crawl keep to robots.txt as the crawl did.
        if !options.ignoreRobots { summary.robots = drive.policy.robots }
        return summary
    }

    // MARK: - Discovery: robots.txt, resume, start URLs, sitemaps

    /// robots.txt per host of the start URLs (allow-all when it cannot be read).
    func readRobots(into policy: inout CrawlPolicy) async {
        for origin in Set(options.startURLs.map(\.origin)).sorted() {
            guard let robotsURL = CrawlURL(origin + "/robots.txt") else { continue }
            // Read up to 500 KiB (RFC 9309): a 50 MB robots.txt costs what its first 500 KiB cost.
            let r = await client.fetch(FetchRequest(url: robotsURL.string, maxBodyBytes: Robots.maxBytes))
            if r.status == 200, r.classification == .ok {
                if r.truncated {
                    logger.warning("\(robotsURL.authority): robots.txt is larger than 500 KiB; its rules after the first 500 KiB are ignored (RFC 9309)")
                }
                policy.robots[robotsURL.authority] = Robots(parsing: r.body, truncated: r.truncated)
            } else {
                policy.robots[robotsURL.authority] = .allowAll
            }
        }
    }

    /// robots.txt Crawl-delay: seconds between requests to that host (at most 30; none
    /// with --ignore-robots).
    func crawlDelays(_ policy: CrawlPolicy) -> [String: Double] {
        var hostDelays: [String: Double] = [:]
        guard !options.ignoreRobots else { return hostDelays }
        for (authority, r) in policy.robots.sorted(by: { $0.key < $1.key }) {
            guard let d = r.crawlDelay, d > 0 else { continue }
            hostDelays[authority] = min(d, Crawler.maxCrawlDelay)
            logger.warning(
                "\(authority): robots.txt asks for \(d) s between requests (Crawl-delay); honoured\(d > Crawler.maxCrawlDelay ? " as \(Crawler.maxCrawlDelay) s" : ""): at most \(Int(3600 / min(d, Crawler.maxCrawlDelay))) pages an hour (--ignore-robots for an owner's own sweeps)"
            )
        }
        return hostDelays
    }

    /// A resumed run: pages parsed before the interruption go to the inspection again from
    /// their stored facts (a page whose facts cannot be used, another build or profile, is
    /// fetched again), what was fetched is seen and counted against the budget, and the
    /// stored links not yet followed are queued.
    func seedResumed(_ d: inout CrawlDrive, runID: Int64) async throws {
        let scope = d.policy.scope
        // Read on the store's thread (a big run's facts and pages take a while to read); the
        // stored facts go to the inspection there too, a chunk at a time, never all in memory.
        let store = self.store, settings = options.facts, inspection = self.inspection
        let resumed = try await store.perform { () -> ResumedRun in
            var again: [(url: String, depth: Int)] = []
            if let settings, let inspection {
                try store.forEachPageFacts(run: runID) { url, depth, facts in
                    let usable = facts.key == settings.key && (facts.asOf == nil || facts.asOf == settings.asOf)
                    if !(usable && inspection.reuse(url: url, facts: facts.data)) { again.append((url, depth)) }
                }
            }
            let refetch = Set(again.map(\.url))
            let pages = try store.pages(run: runID).filter { !refetch.contains($0.url) }.map {
                ResumedRun.Page(url: $0.url, crawled: $0.crawled, redirect: $0.reason == .redirected, ok: $0.linkClass == .ok)
            }
            return ResumedRun(again: again, pages: pages, pending: try store.pendingTargets(run: runID))
        }
        for page in resumed.pages {
            if let u = CrawlURL(page.url) {
                _ = d.frontier.markSeen(Frontier.key(u))
                if scope.contains(u.authority) { d.policy.budget -= 1 }
            }
            // The run's totals count the pages stored before the interruption as a run
            // that was never interrupted counts them (a redirect's two rows are one page).
            if !page.crawled {
                d.counts.checked += 1
            } else if !page.redirect {
                if page.ok { d.counts.fetched += 1 } else { d.counts.failed += 1 }
            }
        }
        for (url, depth) in resumed.again {
            if let u = CrawlURL(url) { d.enqueue(u, depth: depth, crawl: true) }
        }
        for target in resumed.pending {
            guard let u = CrawlURL(target.url) else { continue }
            d.enqueue(u, depth: target.depth, crawl: scope.contains(u.authority) && !Crawler.fileExtensions.contains(u.pathExtension))
        }
    }

    /// What a resumed run had stored, as `seedResumed` takes it in.
    struct ResumedRun: Sendable {
        struct Page: Sendable {
            let url: String
            let crawled: Bool, redirect: Bool, ok: Bool
        }
        /// Pages whose facts could not be taken in: fetched again.
        var again: [(url: String, depth: Int)]
        /// The other pages and checked URLs stored.
        var pages: [Page]
        var pending: [PendingTarget]
    }

    /// The start URLs, at depth 0. They are crawled before anything queued after them (sitemap
    /// URLs), so every page a start page links to is depth 1 whichever fetch ends first: a
    /// sitemap page parsed before the home page gave some of the home page's articles depth 2,
    /// and the home page's undated items (judged by their depth-1 articles' dates) a different
    /// verdict from run to run.
    func seedStarts(_ d: inout CrawlDrive) {
        let queuedBefore = d.frontier.count
        for u in options.startURLs {
            d.startKeys.insert(u.string)
            d.enqueue(u, depth: 0, crawl: true)
        }
        d.startsToLaunch = d.frontier.count - queuedBefore
    }

    /// Sitemap URLs, taken until the page budget is covered (never a million queued for a
    /// 5,000-page budget); the rest is counted, and files still unread are not fetched.
    func seedSitemaps(_ d: inout CrawlDrive) async {
        let scope = d.policy.scope
        var walk = SitemapWalk(roots: sitemapRoots(robots: d.policy.robots))
        var taken = 0
        while let file = walk.next(budgetLeft: d.policy.budget > 0 && taken < options.maxPages) {
            // RFC 9309 exempts /robots.txt alone: a disallowed sitemap is not requested.
            if let u = CrawlURL(file.url), !d.policy.allowedByRobots(u) {
                logger.warning("sitemap \(file.url) not read: robots.txt disallows it")
                d.policy.skipped[SkipReason.robots.rawValue, default: 0] += 1
                continue
            }
            let r = await client.fetch(FetchRequest(url: file.url, maxBodyBytes: SitemapReader.maxBytes))
            guard r.classification == .ok, r.status == 200 else {
                logger.debug(
                    "sitemap not read", metadata: ["url": "\(file.url)", "status": "\(r.status)", "reason": "\(r.reason)"])
                continue
            }
            let base = CrawlURL(file.url)
            let outcome = walk.read(r.body, of: file, truncated: r.truncated) { loc in
                guard d.policy.budget > 0 && taken < options.maxPages else {
                    d.policy.skipped[SkipReason.sitemapMaxPages.rawValue, default: 0] += 1
                    return
                }
                // sitemaps.org asks for absolute URLs; a relative one is read as a browser would.
                guard let u = CrawlURL(loc) ?? base?.resolve(loc) else {
                    d.policy.skipped[(loc.utf8.count > TrapGuard.maxURLBytes ? SkipReason.urlTooLong : .unparseable).rawValue, default: 0] += 1
                    return
                }
                guard scope.contains(u.authority) else {
                    d.policy.skipped[SkipReason.sitemapOffSite.rawValue, default: 0] += 1
                    return
                }
                // (No page links it: a check would reach no finding. Counted instead.)
                guard u.string.utf8.count <= TrapGuard.maxURLBytes else {
                    d.policy.skipped[SkipReason.urlTooLong.rawValue, default: 0] += 1
                    return
                }
                taken += 1
                d.enqueue(u, depth: 1, crawl: !Crawler.fileExtensions.contains(u.pathExtension))
            }
            if let why = outcome.error { logger.warning("sitemap \(file.url): \(why); \(outcome.entries) URLs read before it") }
            if outcome.pastLimit > 0 {
                logger.warning("sitemap \(file.url): \(outcome.pastLimit) URLs past the \(SitemapReader.maxURLs) a sitemap may list, counted and not taken")
            }
        }
        for (reason, n) in walk.cut { d.policy.skipped[reason.rawValue, default: 0] += n }
    }

    // MARK: - The driver

    /// One child task per page, at most `options.concurrency` plus `processingHeadroom` at
    /// once (the client keeps the requests to `concurrency`), until the frontier is
    /// empty; the results are taken in by this task alone (`take`), so the frontier, the
    /// policy and the writer's queue are never shared.
    func driveTasks(
        _ d: inout CrawlDrive, writer: StoreWriter, started: Date, progress: (@Sendable (CrawlProgress) -> Void)?
    ) async throws {
        let scope = d.policy.scope
        let claims = PageClaims()
        let reusedTargets = PageClaims()
        let readAhead = readsBaseline
        d.counts.queued = d.frontier.count
        try await withThrowingTaskGroup(of: JobResult.self) { group in
            var inFlight = 0
            let pageTasks = options.concurrency + Crawler.processingHeadroom
            while true {
                // A page's later links, once the driver has taken the page (not counted against the
                // pages fetched at once: they are a browser's, not a fetch).
                for p in d.laterReady { group.addTask { [self] in await laterLinks(p, scope: scope) } }
                d.laterInFlight += d.laterReady.count
                d.laterReady.removeAll()
                while inFlight < pageTasks, d.startsToLaunch > 0 || d.startsInFlight == 0,
                    let (entry, baseline) = readAhead ? d.ahead.next() : d.frontier.pop().map({ ($0, nil) })
                {
                    if d.fetchedThroughRedirect(entry) { continue }
                    inFlight += 1
                    let isStart = entry.depth == 0 && d.startKeys.contains(entry.url.string)
                    if isStart && d.startsToLaunch > 0 { d.startsToLaunch -= 1; d.startsInFlight += 1 }
                    let delay = d.hostDelays.isEmpty ? 0 : d.hostDelays[entry.url.authority] ?? 0
                    group.addTask { [self] in
                        switch entry.job {
                        case .crawl:
                            return await crawlPage(
                                entry.url, depth: entry.depth, scope: scope, isStart: isStart, claims: claims,
                                reusedTargets: reusedTargets, hostDelay: delay, baseline: baseline)
                        case .check:
                            return await check(
                                entry.url, depth: entry.depth, internal: scope.contains(entry.url.authority),
                                hostDelay: delay)
                        }
                    }
                }
                // A re-sweep: the next pages' baseline records read in one batch while these run.
                if readAhead, !d.ahead.reading, d.ahead.count < options.concurrency, d.frontier.count > 0 {
                    var batch: [Frontier.Entry] = []
                    while batch.count < Crawler.baselineBatch, let e = d.frontier.pop() { batch.append(e) }
                    d.ahead.reading = true
                    group.addTask { [self] in
                        let wanted = batch.filter { $0.job == .crawl }.map { (url: $0.url.string, depth: $0.depth) }
                        var read = await readBaselines(wanted, reusedTargets: reusedTargets)[...]
                        return .readAhead(batch, batch.map { $0.job == .crawl ? read.popFirst()! : nil })
                    }
                }
                guard inFlight + d.laterInFlight + (d.ahead.reading ? 1 : 0) > 0, let result = try await group.next() else { break }
                if case .readAhead(let entries, let baselines) = result {
                    d.ahead.append(entries, baselines)
                    continue
                }
                if case .later = result { d.laterInFlight -= 1 } else { inFlight -= 1 }
                await take(result, into: &d, writer: writer)
                if let progress { d.showProgress(progress, inFlight: inFlight, started: started) }
            }
        }
    }

    /// A page task's result: counted, its new links queued, its records handed to the writer.
    func take(_ result: JobResult, into d: inout CrawlDrive, writer: StoreWriter) async {
        switch result {
        case .crawled(let page, let landed, let links, let discovered, let ok, let facts, let reused, let unusable):
            if ok { d.counts.fetched += 1 } else { d.counts.failed += 1 }
            if reused { d.counts.reused += 1 }
            if d.startKeys.contains(page.url) {
                if ok { d.startOK = true } else { d.startFailures.append("\(page.url): \(page.reason)") }
                if page.depth == 0 && d.startsInFlight > 0 { d.startsInFlight -= 1 }
            }
            if let landed, d.landed(landed), d.keepsRecord(landed, parsed: links != nil) { await writer.add(page: landed) }
            // By index, the key first: most links were seen before, and their URLs are not touched.
            for i in discovered.indices where d.frontier.markSeen(discovered[i].key) {
                d.enqueue(discovered[i].url, depth: page.depth + 1, crawl: discovered[i].crawlable, inScope: discovered[i].inScope, marked: true)
            }
            for u in unusable where d.frontier.markSeen(u.key) { d.policy.skipped[u.reason.rawValue, default: 0] += 1 }
            d.lastPageURL = page.url
            if landed != nil || d.keepsRecord(page, parsed: links != nil) { await writer.add(page: page, links: links, facts: facts) }
            if let later = laterPages.take(landed?.url ?? page.url) { d.laterReady.append(later) }
        case .checked(let page):
            if page.depth == 0 && d.startsInFlight > 0 && d.startKeys.contains(page.url) { d.startsInFlight -= 1 }
            d.counts.checked += 1
            await writer.add(page: page)
        case .later(let depth, let links, let discovered, let unusable):
            for i in discovered.indices where d.frontier.markSeen(discovered[i].key) {
                d.enqueue(discovered[i].url, depth: depth + 1, crawl: discovered[i].crawlable, inScope: discovered[i].inScope, marked: true)
            }
            for u in unusable where d.frontier.markSeen(u.key) { d.policy.skipped[u.reason.rawValue, default: 0] += 1 }
            if let links { writer.add(links: links) }
        case .readAhead: break  // (taken by the driver)
        }
    }

    // MARK: - One page

    func crawlPage(
        _ url: CrawlURL, depth: Int, scope: Set<String>, isStart: Bool, claims: PageClaims,
        reusedTargets: PageClaims, hostDelay: Double = 0, baseline: ReusableBaseline? = nil
    ) async -> JobResult {
        // Incremental: a page of the baseline run with usable facts (read before the page's task
        // began, `readBaselines`) is asked for conditionally.
        var headers: [(String, String)] = []
        if let b = baseline?.page {
            if let e = b.record.etag { headers.append(("If-None-Match", e)) }
            if let m = b.record.lastModified { headers.append(("If-Modified-Since", m)) }
        }
        var response = await client.fetch(FetchRequest(url: url.string, headers: headers, hostDelay: hostDelay))
        if let b = baseline, response.classification == .ok, response.redirects.isEmpty,
            response.status == 304 || (response.status == 200 && String(contentHash(response.body), radix: 16) == b.page.record.contentHash)
        {
            if let result = reused(
                url, depth: depth, baseline: b, response: response, scope: scope, claims: claims,
                reusedTargets: reusedTargets)
            {
                return result
            }
            // The stored facts could not be read: fetch the page again, whole.
            if response.status == 304 { response = await client.fetch(FetchRequest(url: url.string, hostDelay: hostDelay)) }
        }
        var record = PageRecord(
            url: url.string, finalURL: response.finalURL, status: response.status,
            linkClass: response.classification, reason: response.reason,
            contentType: response.contentType, bytes: response.body.count,
            seconds: response.seconds, depth: depth, crawled: true,
            etag: response.headers["etag"], lastModified: response.headers["last-modified"])
        if response.truncated { record.reason = .truncated(record.reason) }
        logger.debug("fetch", metadata: Crawler.metadata(url, response))
        guard response.classification == .ok else {
            return .crawled(record, landed: nil, links: nil, discovered: [], ok: false)
        }
        // Not redirected (the usual case): the URL asked for, already normalised.
        let final = response.finalURL == url.string ? url : (CrawlURL(response.finalURL) ?? url)
        var landed: PageRecord? = nil
        if final != url {
            record.reason = .redirected
            record.bytes = 0
            landed = record
            landed!.url = final.string
            landed!.reason = response.reason
            landed!.bytes = response.body.count
        }
        func finish(
            _ page: PageRecord, links: PageLinks? = nil, discovered: [Discovered] = [],
            facts: StoredFacts? = nil, unusable: [Unusable] = []
        ) -> JobResult {
            if landed != nil {
                landed = page
                return .crawled(
                    record, landed: landed, links: links, discovered: discovered, ok: true, facts: facts,
                    unusable: unusable)
            }
            return .crawled(page, landed: nil, links: links, discovered: discovered, ok: true, facts: facts, unusable: unusable)
        }
        var page = landed ?? record
        page.contentHash = String(contentHash(response.body), radix: 16)
        // A redirect that lands on an unchanged page of the baseline run: the page is reused as
        // when it is fetched directly (a page reached by a link and a redirect at once is taken
        // by whichever gets there first, and must not be parsed only because the redirect won).
        if landed != nil, readsBaseline, let b = await readBaselines([(final.string, depth)], reusedTargets: reusedTargets)[0],
            b.page.record.contentHash == page.contentHash,
            let result = reused(
                final, depth: depth, baseline: b, response: response, scope: scope, claims: claims,
                reusedTargets: reusedTargets),
            case .crawled(let reusedPage, _, let links, let discovered, let ok, let facts, let wasReused, _) = result
        {
            // Taken already by the direct fetch: the redirect is recorded, the page is not ours.
            guard links != nil || facts != nil else { return finish(page) }
            return .crawled(
                record, landed: reusedPage, links: links, discovered: discovered, ok: ok, facts: facts,
                reused: wasReused)
        }
        // A page reached twice at once (a link and a redirect to it) is parsed and inspected once.
        guard claims.claim(Frontier.key(final)) else { return finish(page) }
        guard scope.contains(final.authority),
            PageParser.looksLikeHTML(contentType: response.contentType, prefix: response.body.prefix(1024))
        else {
            return finish(page)
        }
        let model = PageParser.parse(response.body, url: final.string, contentType: response.contentType)
        page.charset = model.charset
        page.title = model.title
        let base = model.baseHref.flatMap { final.resolve($0) } ?? final

        let from = final.string  // links belong to the page that carries them
        var links = PageLinks(from: from)
        var discovered: [Discovered] = []
        discovered.reserveCapacity(model.links.count)
        var seenOnPage = KeySet(minimumCapacity: model.links.count)
        var unusable: [Unusable] = []
        // By index: a Link is a dozen fields, and copying one per iteration costs more than reading two.
        for i in model.links.indices {
            guard let target = base.resolve(model.links[i].href) else {
                // Not silently dropped: counted with its reason (the href's hash, kept apart
                // from URL keys by a prefix, counts it once in the sweep).
                let href = model.links[i].href
                unusable.append(Unusable(key: wordHash("\u{1}" + href), reason: Crawler.unusableReason(href)))
                continue
            }
            let key = Frontier.key(target)
            guard seenOnPage.insert(key) else { continue }
            let kind = model.links[i].kind
            // Hints to the browser, not links anyone follows: neither recorded nor checked (so
            // the stored links of a page are exactly what is checked, for resume and reuse).
            if kind == .link, let rel = model.links[i].rel, Crawler.isBrowserHint(rel: rel) { continue }
            links.append(to: target.string, kind: kind, text: model.links[i].text)
            if kind == .form { continue }  // forms want parameters; not checked
            discovered.append(Crawler.discovered(target, kind: kind, key: key, on: final, scope: scope))
        }
        let crawled = CrawledPage(url: final, depth: depth, response: response, model: model)
        onPage?(crawled)
        // The inspection takes the page in; its facts are stored when the sweep keeps them.
        let inspected = inspection?.inspect(crawled, storing: options.facts)
        if let later = inspected?.later {
            laterPages.add(LaterPage(task: later, page: final, depth: depth, links: links, seen: seenOnPage))
        }
        return finish(page, links: links, discovered: discovered, facts: inspected?.facts, unusable: unusable)
    }

    /// A fetch's or check's log fields (`--verbose`): url, status, class, reason, milliseconds,
    /// and where a redirect led and curl's detail when there are any. (Made only when the log
    /// is at debug: swift-log's metadata is an autoclosure.)
    static func metadata(_ url: CrawlURL, _ r: FetchResponse) -> Logger.Metadata {
        var m: Logger.Metadata = [
            "url": "\(url)", "status": "\(r.status)", "class": "\(r.classification.rawValue)", "reason": "\(r.reason)",
            "ms": "\(Int(r.seconds * 1000))",
        ]
        if !r.redirects.isEmpty { m["final"] = "\(r.finalURL)" }
        if !r.detail.isEmpty { m["detail"] = "\(r.detail)" }
        return m
    }

    /// A `<link rel>` that is a hint to the browser: it contains dns-prefetch, preconnect or
    /// canonical, in any case. Read on bytes (`lowercased().contains` went through Foundation's
    /// string search, bridged to NSString, for every stylesheet link; no other character
    /// lowercases to a letter of these words).
    static func isBrowserHint(rel: String) -> Bool {
        withUTF8Bytes(rel) { u in
            func has(_ word: StaticString) -> Bool {
                let k = word.utf8CodeUnitCount, w = word.utf8Start
                guard u.count >= k else { return false }
                for start in 0...(u.count - k) {
                    var j = 0
                    while j < k {
                        var c = u[start + j]
                        if c >= 0x41 && c <= 0x5A { c |= 0x20 }
                        if c != w[j] { break }
                        j += 1
                    }
                    if j == k { return true }
                }
                return false
            }
            return has("dns-prefetch") || has("preconnect") || has("canonical")
        }
    }

    /// The reason recorded for a link too long to request (`LinkBrokenRule` makes it advice).
    static let urlTooLong = FetchReason.failure(.urlTooLong)

    /// Why an href on a page is no URL to request. (javascript:, mailto:, tel: and data: never
    /// get here: they are not links to anything fetchable, and PageBuilder leaves them out.)
    static func unusableReason(_ href: String) -> SkipReason {
        if href.utf8.count > TrapGuard.maxURLBytes { return .urlTooLong }
        // A scheme other than http(s): "ftp:", "weixin:", "thunder:".
        if let colon = href.firstIndex(of: ":"), colon > href.startIndex,
            href[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }),
            href.first!.isLetter, !["http", "https"].contains(href[..<colon].lowercased())
        {
            return .unsupportedScheme
        }
        return .unparseable
    }

    /// An unchanged page of the baseline run: its stored facts go to the inspection and its
    /// links come from its stored row (URL strings, read with it, only for targets not met
    /// before), nothing is parsed. nil when its facts cannot be taken in.
    func reused(
        _ url: CrawlURL, depth: Int, baseline r: ReusableBaseline, response: FetchResponse, scope: Set<String>,
        claims: PageClaims, reusedTargets: PageClaims
    ) -> JobResult? {
        guard options.facts != nil, let inspection else { return nil }
        let b = r.page
        var page = b.record
        page.seconds = response.seconds
        if let e = response.headers["etag"] { page.etag = e }
        if let m = response.headers["last-modified"] { page.lastModified = m }
        // Reached twice at once (a link and a redirect): taken in once.
        let key = Frontier.key(url)
        guard claims.claim(key) else {
            return .crawled(page, landed: nil, links: nil, discovered: [], ok: true)
        }
        guard inspection.reuse(url: url.string, facts: r.facts.data) else {
            claims.release(key)  // parsed instead, by the caller
            return nil
        }
        // The earlier run's links row and facts, read already, are written for this run as they are.
        let links = b.links, storedFacts = r.facts
        var discovered: [Discovered] = []
        let checked = r.targets.filter { $0.kind != .form }
        let first = reusedTargets.claimAll(checked.map { UInt64(bitPattern: $0.to) })
        let wanted = checked.indices.filter { first[$0] }.map { checked[$0] }
        discovered.reserveCapacity(wanted.count)
        for t in wanted {
            guard let s = r.urls[t.to], let target = CrawlURL(stored: s) else { continue }
            discovered.append(Crawler.discovered(target, kind: t.kind, key: Frontier.key(target), on: url, scope: scope))
        }
        return .crawled(
            page, landed: nil, links: links, discovered: discovered, ok: true,
            facts: storedFacts, reused: true)
    }

    /// What a link found on `page` (in scope) becomes: followed when it leads to a page of
    /// the scope, checked otherwise.
    static func discovered(_ target: CrawlURL, kind: LinkKind, key: UInt64, on page: CrawlURL, scope: Set<String>) -> Discovered {
        let pageKind = kind == .a || kind == .area || kind == .iframe || kind == .frame
        // Most links stay on the page's own host: in scope without building their authority.
        let inScope = target.sameOrigin(as: page) || scope.contains(target.authority)
        let crawlable = pageKind && inScope && (target.hasPagePath || !fileExtensions.contains(target.pathExtension))
        return Discovered(url: target, kind: kind, crawlable: crawlable, key: key, inScope: inScope)
    }

    func check(_ url: CrawlURL, depth: Int, internal: Bool, hostDelay: Double = 0) async -> JobResult {
        if url.string.utf8.count > TrapGuard.maxURLBytes {
            return .checked(
                PageRecord(
                    url: url.string, finalURL: url.string, status: 0, linkClass: .broken,
                    reason: Crawler.urlTooLong, depth: depth, crawled: false))
        }
        let r = await client.check(url.string, hostDelay: hostDelay)
        logger.debug("check", metadata: Crawler.metadata(url, r))
        return .checked(
            PageRecord(
                url: url.string, finalURL: r.finalURL, status: r.status,
                linkClass: r.classification, reason: r.reason,
                contentType: r.contentType, bytes: r.body.count, seconds: r.seconds,
                depth: depth, crawled: false))
    }

    // MARK: - Sitemaps

    /// The sitemap files to start from: those robots.txt names, else /sitemap.xml, per origin.
    func sitemapRoots(robots: [String: Robots]) -> [String] {
        var roots: [String] = []
        for origin in Set(options.startURLs.map(\.origin)).sorted() {
            guard let root = CrawlURL(origin + "/") else { continue }
            let listed = (robots[root.authority]?.sitemaps ?? []).compactMap { root.resolve($0)?.string }
            roots.append(contentsOf: listed.isEmpty ? [origin + "/sitemap.xml"] : listed)
        }
        return roots
    }
}

/// What the driver task owns during a crawl: the policy, the frontier, the counts and the
/// start pages' state. Only the driver touches it (the page tasks see none of it).
struct CrawlDrive {
    var policy: CrawlPolicy
    let logger: Logger
    var frontier = Frontier()
    var counts = CrawlProgress()
    /// robots.txt Crawl-delay per host, in seconds.
    var hostDelays: [String: Double] = [:]
    /// The start URLs; those not launched yet, and those launched and not done: nothing
    /// queued after them starts before they are done.
    var startKeys: Set<String> = []
    var startsToLaunch = 0
    var startsInFlight = 0
    var startOK = false
    var startFailures: [String] = []
    /// Pages a redirect led to while they were queued already: not fetched again.
    var landedKeys: Set<UInt64> = []
    /// Pages written with their parsed record (`keepsRecord`).
    var parsedKeys: Set<UInt64> = []
    /// A re-sweep's entries popped ahead of their launch, with their baseline records.
    var ahead = ReadAhead()
    /// Pages taken whose later links are to be awaited, and those awaited now.
    var laterReady: [LaterPage] = []
    var laterInFlight = 0
    var lastProgress = Date.distantPast
    var lastPageURL = ""

    init(policy: CrawlPolicy, logger: Logger) {
        self.policy = policy
        self.logger = logger
    }

    /// Queues a URL unless seen or left out by the policy (counted there).
    /// `marked`: the caller has already marked the URL's key seen (and found it new).
    mutating func enqueue(
        _ u: CrawlURL, depth: Int, crawl: Bool, key: UInt64? = nil, inScope known: Bool? = nil, marked: Bool = false
    ) {
        guard marked || frontier.markSeen(key ?? Frontier.key(u)) else { return }
        switch policy.admit(u, depth: depth, crawl: crawl, inScope: known ?? policy.scope.contains(u.authority)) {
        case .crawl: frontier.push(.init(url: u, depth: depth, job: .crawl))
        case .check: frontier.push(.init(url: u, depth: depth, job: .check))
        case .skip(let reason): logger.debug("skip", metadata: ["url": "\(u)", "reason": "\(reason.rawValue)"])
        case .drop: break
        }
    }

    // Redirect de-duplication: a redirect's target is the same page, and is not fetched again,
    // even when it is queued already.

    /// A redirect landed on `page`: marked seen, or remembered when it is queued already.
    /// False when its URL does not parse (then it is not recorded either).
    /// False for the record of a page that lost the race to parse it (a link and a redirect
    /// reached it at once: `claims`) when the winner's record, with its charset and title, is
    /// written already; the loser's would overwrite it with neither, depending on which came
    /// back last (CrawlerTests.testMemoryStoreAnswersAsSQLiteDoes saw it).
    mutating func keepsRecord(_ page: PageRecord, parsed: Bool) -> Bool {
        guard let f = CrawlURL(page.url) else { return true }
        let key = Frontier.key(f)
        if parsed { parsedKeys.insert(key); return true }
        return !parsedKeys.contains(key)
    }

    mutating func landed(_ page: PageRecord) -> Bool {
        guard let f = CrawlURL(page.url) else { return false }
        let key = Frontier.key(f)
        if !frontier.markSeen(key) { landedKeys.insert(key) }
        return true
    }

    /// True for a queued page a redirect has fetched since (its budget given back).
    mutating func fetchedThroughRedirect(_ entry: Frontier.Entry) -> Bool {
        guard !landedKeys.isEmpty, entry.job == .crawl, landedKeys.contains(Frontier.key(entry.url)) else { return false }
        policy.budget += 1
        return true
    }

    /// The progress line's counters, at most every quarter second.
    mutating func showProgress(_ progress: @Sendable (CrawlProgress) -> Void, inFlight: Int, started: Date) {
        let now = Date()
        guard now.timeIntervalSince(lastProgress) > 0.25 else { return }
        lastProgress = now
        counts.queued = frontier.count + ahead.count
        counts.inFlight = inFlight
        counts.skipped = policy.skipped.values.reduce(0, +)
        counts.elapsed = now.timeIntervalSince(started)
        // (The host only when the line is drawn: a URL parse per page otherwise.)
        counts.currentHost = CrawlURL(stored: lastPageURL)?.authority ?? counts.currentHost
        progress(counts)
    }
}

/// The pages already parsed in this run, so that one page is never inspected twice.
final class PageClaims: Sendable {
    private let keys = Mutex(KeySet(minimumCapacity: 1024))
    /// True for the first claim of a key.
    func claim(_ key: UInt64) -> Bool { keys.withLock { $0.insert(key) } }
    /// Gives a claim back (the claimant could not take the page in after all).
    func release(_ key: UInt64) { keys.withLock { $0.remove(key) } }
    /// For each key, whether this was its first claim (one lock for all).
    func claimAll(_ list: [UInt64]) -> [Bool] { keys.withLock { k in list.map { k.insert($0) } } }
    /// The keys not claimed yet (one lock for all).
    func unclaimed(_ list: [UInt64]) -> [UInt64] { keys.withLock { k in list.filter { !k.contains($0) } } }
}

/// Frontier entries a re-sweep has popped ahead of their launch, in the frontier's order,
/// each with what the baseline run has of it; and whether the next batch is being read.
struct ReadAhead {
    private var entries: [(Frontier.Entry, ReusableBaseline?)] = []
    private var head = 0
    var reading = false
    var count: Int { entries.count - head }

    mutating func append(_ batch: [Frontier.Entry], _ baselines: [ReusableBaseline?]) {
        if head > entries.count / 2 {  // (the launched ones dropped: the array stays a batch or two long)
            entries.removeFirst(head)
            head = 0
        }
        entries.append(contentsOf: zip(batch, baselines).map { ($0, $1) })
        reading = false
    }

    mutating func next() -> (Frontier.Entry, ReusableBaseline?)? {
        guard head < entries.count else { return nil }
        defer {
            entries[head].1 = nil  // (its memory goes with the page's task)
            head += 1
        }
        return entries[head]
    }
}

/// A compiled pattern that can be shared across tasks (NSRegularExpression is immutable once made).
struct NSRegularExpressionBox: @unchecked Sendable {
    let pattern: String
    let regex: NSRegularExpression

    init(_ pattern: String) throws {
        self.pattern = pattern
        self.regex = try NSRegularExpression(pattern: pattern)
    }

    func matches(_ s: String) -> Bool {
        regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }
}
