import Parse
import Vocabulary

/// The sitemap files a sweep reads and what it cut from them: the files named in robots.txt
/// (else /sitemap.xml), the files their indexes list to a bounded depth, each file once (an
/// index listing itself, or two indexes listing each other, end there), at most `maxFiles`.
/// No I/O: the crawler fetches the file `next()` names and hands its body to `read`.
struct SitemapWalk {
    struct File: Equatable { let url: String; let depth: Int }

    /// sitemaps.org: an index lists sitemaps, not other indexes; one level of nesting is
    /// still read (portals chain them), a deeper one is cut.
    static let maxIndexDepth = 2
    static let maxFiles = 50

    private var pending: [File]
    private var head = 0
    private var seen: Set<String> = []
    private(set) var filesRead = 0
    /// What was cut, by reason: URLs for the URL reasons, sitemap files for the file reasons.
    private(set) var cut: [SkipReason: Int] = [:]

    init(roots: [String]) {
        pending = roots.map { File(url: $0, depth: 0) }
    }

    /// The next file to fetch; nil when none is left. `budgetLeft` false: the page budget is
    /// covered, and the files still waiting are counted as unread instead.
    mutating func next(budgetLeft: Bool) -> File? {
        while head < pending.count {
            let file = pending[head]
            head += 1
            // Normalised, so that /sitemap.xml and /./sitemap.xml#x are the same file.
            let key = CrawlURL(file.url)?.string ?? file.url
            guard seen.insert(key).inserted else { cut[.sitemapCycle, default: 0] += 1; continue }
            guard budgetLeft else { cut[.sitemapUnread, default: 0] += 1; continue }
            guard filesRead < SitemapWalk.maxFiles else { cut[.sitemapFiles, default: 0] += 1; continue }
            filesRead += 1
            return file
        }
        return nil
    }

    /// Reads one fetched file: an index's files join the walk, a urlset's URLs go to `each`.
    /// `truncated`: the transfer stopped at the size cap. Returns the reader's outcome.
    @discardableResult
    mutating func read(_ body: [UInt8], of file: File, truncated: Bool, each: (String) -> Void) -> SitemapReader.Outcome {
        let base = CrawlURL(file.url)
        var outcome = SitemapReader.read(body) { loc, inIndex in
            guard inIndex else { return each(loc) }
            let child = (CrawlURL(loc) ?? base?.resolve(loc))?.string ?? loc
            if seen.contains(child) {
                cut[.sitemapCycle, default: 0] += 1
            } else if file.depth + 1 > SitemapWalk.maxIndexDepth {
                cut[.sitemapDepth, default: 0] += 1
            } else {
                pending.append(File(url: child, depth: file.depth + 1))
            }
        }
        if outcome.pastLimit > 0 { cut[.sitemapURLLimit, default: 0] += outcome.pastLimit }
        if truncated || outcome.tooLarge {
            // (A file cut at the cap ends mid-element: the parser's complaint is not the news.)
            outcome.error = "larger than \(SitemapReader.maxBytes / 1024 / 1024) MB, read up to there"
            outcome.tooLarge = true
            cut[.sitemapTooLarge, default: 0] += 1
        }
        return outcome
    }
}
