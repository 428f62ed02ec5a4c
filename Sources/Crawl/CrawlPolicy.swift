import Vocabulary

/// What the crawl takes and what it leaves, as one value: the scope (the start URLs'
/// hosts), the include/exclude filters, robots.txt, the trap guard, the depth limit and the
/// page budget, with a count of what was left out and why. It makes no request and touches
/// no store: the crawl's driver asks it about every URL it finds, in the order found.
struct CrawlPolicy {
    /// What becomes of a URL found by the crawl.
    enum Admission: Equatable {
        /// Fetched and parsed as a page of the sweep (one page of the budget).
        case crawl
        /// Requested once to see whether it answers (external links, files, over-long links).
        case check
        /// Left out for `reason` (counted in `skipped`).
        case skip(SkipReason)
        /// Not requested and not counted (external links without `checkExternal`).
        case drop
    }

    /// The start URLs' authorities: the sweep's sites.
    let scope: Set<String>
    let include: [NSRegularExpressionBox]
    let exclude: [NSRegularExpressionBox]
    /// robots.txt per authority, read before the crawl.
    var robots: [String: Robots] = [:]
    let ignoreRobots: Bool
    let checkExternal: Bool
    let maxDepth: Int
    var traps: TrapGuard
    /// Pages still to crawl (`--max-pages`).
    var budget: Int
    /// What was found and not fetched, by `SkipReason` raw value (the summary's counts).
    var skipped: [String: Int] = [:]

    init(options: CrawlOptions, include: [NSRegularExpressionBox], exclude: [NSRegularExpressionBox]) {
        scope = Set(options.startURLs.map(\.authority))
        self.include = include
        self.exclude = exclude
        ignoreRobots = options.ignoreRobots
        checkExternal = options.checkExternal
        maxDepth = options.maxDepth
        traps = TrapGuard(asOfYear: options.asOfYear)
        budget = options.maxPages
    }

    /// Whether robots.txt lets govsweep fetch `u` (always with --ignore-robots); sitemaps too,
    /// /robots.txt alone is exempt (RFC 9309).
    func allowedByRobots(_ u: CrawlURL) -> Bool {
        ignoreRobots || (robots[u.authority]?.allows(u) ?? true)
    }

    func matchesFilters(_ u: CrawlURL) -> Bool {
        let s = u.string
        if !include.isEmpty && !include.contains(where: { $0.matches(s) }) { return false }
        return !exclude.contains { $0.matches(s) }
    }

    /// Decides about a URL seen for the first time at `depth` (`crawl`: a page to follow, not
    /// a file or an image), spending the budget and counting skips.
    mutating func admit(_ u: CrawlURL, depth: Int, crawl: Bool, inScope: Bool) -> Admission {
        // Too long to request: a check that the crawler answers without a request, so that a
        // page's link becomes a link-broken advice naming the page.
        if u.string.utf8.count > TrapGuard.maxURLBytes {
            return inScope || checkExternal ? .check : .drop
        }
        if !inScope { return checkExternal ? .check : .drop }
        var reason: SkipReason? = nil
        if !matchesFilters(u) {
            reason = .excluded
        } else if !allowedByRobots(u) {
            reason = .robots
        } else if let trap = traps.check(u) {
            reason = trap
        } else if crawl && depth > maxDepth {
            reason = .maxDepth
        } else if crawl && budget <= 0 {
            reason = .maxPages
        }
        if let reason {
            skipped[reason.rawValue, default: 0] += 1
            return .skip(reason)
        }
        if crawl { budget -= 1 }
        return crawl ? .crawl : .check
    }
}
