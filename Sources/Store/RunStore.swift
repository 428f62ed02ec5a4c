public import Inspect

/// One sweep as stored.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    public var sites: [String]
    /// The inspection date, YYYY-MM-DD.
    public var asOf: String
    /// The options the run was started with, as JSON text.
    public var options: String
    /// ISO 8601 with offset.
    public var startedAt: String
    public var finishedAt: String?
    /// "running", "done", "interrupted".
    public var status: String
    public var pagesFetched: Int
    public var pagesFailed: Int
    public var pagesSkipped: Int
    public var score: Double?
    public var verdict: String?

    public init(id: Int64 = 0, sites: [String], asOf: String, options: String = "{}", startedAt: String,
                finishedAt: String? = nil, status: String = "running", pagesFetched: Int = 0, pagesFailed: Int = 0,
                pagesSkipped: Int = 0, score: Double? = nil, verdict: String? = nil) {
        self.id = id; self.sites = sites; self.asOf = asOf; self.options = options; self.startedAt = startedAt
        self.finishedAt = finishedAt; self.status = status; self.pagesFetched = pagesFetched
        self.pagesFailed = pagesFailed; self.pagesSkipped = pagesSkipped; self.score = score; self.verdict = verdict
    }
}

/// One fetched or checked URL of a run.
public struct PageRecord: Sendable, Equatable {
    public var url: String
    public var finalURL: String
    public var status: Int
    /// LinkClass raw value: "ok", "broken", "blocked", "tls-error".
    public var linkClass: String
    public var reason: String
    public var contentType: String?
    public var charset: String?
    public var bytes: Int
    public var seconds: Double
    public var title: String?
    /// 64-bit hash of the body, hex; nil when the body was not read.
    public var contentHash: String?
    /// Link depth from the start URLs.
    public var depth: Int
    /// true: fetched and parsed as a page of the site; false: only checked (external or non-HTML).
    public var crawled: Bool
    public var etag: String?
    public var lastModified: String?

    public init(url: String, finalURL: String, status: Int, linkClass: String, reason: String, contentType: String? = nil,
                charset: String? = nil, bytes: Int = 0, seconds: Double = 0, title: String? = nil,
                contentHash: String? = nil, depth: Int = 0, crawled: Bool = true, etag: String? = nil,
                lastModified: String? = nil) {
        self.url = url; self.finalURL = finalURL; self.status = status; self.linkClass = linkClass; self.reason = reason
        self.contentType = contentType; self.charset = charset; self.bytes = bytes; self.seconds = seconds
        self.title = title; self.contentHash = contentHash; self.depth = depth; self.crawled = crawled
        self.etag = etag; self.lastModified = lastModified
    }
}

/// One link found on a page.
public struct LinkRecord: Sendable, Equatable {
    public var from: String
    public var to: String
    /// LinkKind raw value ("a", "img", …).
    public var kind: String
    public var text: String
    public init(from: String, to: String, kind: String, text: String) {
        self.from = from; self.to = to; self.kind = kind; self.text = text
    }
}

/// The narrow interface every store implements: SQLite is the embedded default; a
/// PostgreSQL store shared by several workers can stand beside it.
public protocol RunStore: AnyObject, Sendable {
    /// Starts a run and returns its id.
    func createRun(_ run: RunRecord) throws -> Int64
    /// The newest run of exactly these sites that did not finish, for `--resume`.
    func unfinishedRun(sites: [String]) throws -> RunRecord?
    func run(id: Int64) throws -> RunRecord?
    /// All runs, newest first.
    func runs() throws -> [RunRecord]
    /// Writes a batch of pages and the links found on them in one transaction.
    func record(run: Int64, pages: [PageRecord], links: [LinkRecord]) throws
    /// Every page and checked URL of a run.
    func pages(run: Int64) throws -> [PageRecord]
    /// Every link of a run.
    func links(run: Int64) throws -> [LinkRecord]
    /// Replaces the run's findings.
    func saveFindings(run: Int64, _ findings: [Finding]) throws
    func findings(run: Int64) throws -> [Finding]
    /// Marks the run done (or interrupted) with its counts and result.
    func finishRun(_ run: RunRecord) throws
}
