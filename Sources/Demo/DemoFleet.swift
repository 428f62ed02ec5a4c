package import Foundation
package import LocalServer
import Synchronization

/// A province of demo portals for `govsweep demo --fleet`: a few dozen variants of the bundled
/// portal, each on its own 127.0.0.1 port, under different names, owners and regions, with a
/// spread of defects so that a round has passes and failures (and two sites that cannot be
/// reached at all). A variant is the shipped portal with patches applied, through the same
/// mechanism as the demo's earlier revision; `govsweep demo` itself is untouched. A second round
/// (`advance()`) serves every site as it is a while later: some fixed, some worse, so a round
/// summary has changes to show.
package final class DemoFleet: Sendable {
    /// What a variant changes in the shipped portal. The shipped portal, swept with the demo's
    /// input files, has three vetoes (reply-missing, wording, newmedia-stale); a variant fixes
    /// some of them and may plant others.
    package enum Change: String, Sendable, CaseIterable, Comparable {
        /// The message unanswered for 120 days is answered 3 days after it was posted (fixes reply-missing).
        case replyAnswered = "reply-answered"
        /// The district's own name is spelt right on /ywdt/art_1004.html (fixes the wording veto).
        case wordingCorrected = "wording-corrected"
        /// The filed WeChat account's feed has an entry 8 days old (fixes newmedia-stale).
        case feedFresh = "feed-fresh"
        /// The earlier revision's home page, a month older (plants homepage-stale, a veto).
        case homepageStale = "homepage-stale"
        /// The earlier revision's banner without alt text (an a11y advice).
        case bannerWithoutAlt = "banner-without-alt"
        /// The earlier revision's link to a results page never published (link-broken, a deduction).
        case brokenResultsLink = "broken-results-link"

        package static func < (a: Change, b: Change) -> Bool { a.rawValue < b.rawValue }

        static let fixesAll: Set<Change> = [.replyAnswered, .wordingCorrected, .feedFresh]
    }

    /// One site of the fleet.
    package struct Site: Sendable, Equatable {
        package var name: String
        /// The owning organisation (主办单位).
        package var owner: String
        /// Region code and name (fictional, like the demo's site code).
        package var region: String
        package var regionName: String
        /// The site as served first, and after `advance()`.
        package var first: Variant
        package var second: Variant
        /// False: nothing listens at `url` (connection refused), for a round's failed jobs.
        package var reachable: Bool
        /// The site's start URL; "" in a plan not yet served.
        package var url: String = ""
    }

    /// A state of one site: the changes to the shipped portal.
    package struct Variant: Sendable, Equatable {
        package var changes: Set<Change>
        /// Links on the home page to pages never published: link-broken, 1 point each on the
        /// home page (the national cap is 10), so the scores spread.
        package var brokenLinks: Int = 0

        /// The indicators with a veto a sweep reports under the national profile with the demo's
        /// input files (SITES.csv's departments, phones, accounts and wording columns).
        package var expectedVetoes: [String] {
            var v: [String] = []
            if changes.contains(.homepageStale) { v.append("homepage-stale") }
            if !changes.contains(.replyAnswered) { v.append("reply-missing") }
            if !changes.contains(.wordingCorrected) { v.append("wording") }
            if !changes.contains(.feedFresh) { v.append("newmedia-stale") }
            return v
        }
    }

    /// The fleet's regions: a fictional city and its districts and counties.
    static let regions: [(code: String, name: String)] = [
        ("119900", "示范市"), ("119901", "东湖区"), ("119902", "西山区"), ("119903", "南河区"),
        ("119904", "北岭区"), ("119921", "青川县"), ("119922", "白溪县"),
    ]
    static let departments = ["教育局", "卫生健康委员会", "财政局", "交通运输局", "市场监督管理局"]

    /// The variants cycled through: half pass, the rest each fail on one veto (or, as shipped, three).
    static let profiles: [Set<Change>] = [
        Change.fixesAll,
        Change.fixesAll.union([.bannerWithoutAlt]),
        [.wordingCorrected, .feedFresh],
        Change.fixesAll.union([.brokenResultsLink]),
        Change.fixesAll.union([.homepageStale]),
        Change.fixesAll,
        [.replyAnswered, .feedFresh],
        Change.fixesAll.union([.brokenResultsLink, .bannerWithoutAlt]),
        [.replyAnswered, .wordingCorrected],
        [],
    ]

    /// Broken home-page links per site, cycled (13 against the 10 profiles: the two mix).
    static let brokenLinkCounts = [0, 2, 5, 1, 0, 8, 3, 0, 4, 6, 9, 1, 7]

    /// The sites of a fleet of `count`, without serving them (deterministic): site i is in region
    /// i mod 7, the region's portal first, then its departments; every 15th cannot be reached.
    package static func plan(count: Int) -> [Site] {
        (0..<max(0, count)).map { i in
            let region = regions[i % regions.count]
            let k = i / regions.count
            let owner = k == 0 ? "\(region.name)人民政府" : "\(region.name)\(departments[(k - 1) % departments.count])"
            let first = Variant(changes: profiles[i % profiles.count], brokenLinks: brokenLinkCounts[i % brokenLinkCounts.count])
            return Site(
                name: k == 0 ? "\(owner)门户网站" : "\(owner)网站", owner: owner, region: region.code,
                regionName: region.name, first: first, second: later(first, i), reachable: i % 15 != 14)
        }
    }

    /// Site i a while later: two in three failing sites fix their vetoes; of the passing ones,
    /// one in eight lets its home page go stale and another lets its WeChat feed lapse; every
    /// other site fixes three broken links, the rest break one or two more.
    static func later(_ v: Variant, _ i: Int) -> Variant {
        var next = v
        if !v.expectedVetoes.isEmpty {
            if i % 3 != 2 { next.changes = v.changes.subtracting([.homepageStale]).union(Change.fixesAll) }
        } else if i % 8 == 1 {
            next.changes.insert(.homepageStale)
        } else if i % 8 == 5 {
            next.changes.remove(.feedFresh)
        }
        next.brokenLinks = i % 2 == 0 ? max(0, v.brokenLinks - 3) : min(9, v.brokenLinks + (i % 3 == 2 ? 2 : 1))
        return next
    }

    /// The patches that make a variant, for pages served at `asOf`.
    package static func patches(_ changes: Set<Change>, brokenLinks: Int = 0, asOf: DemoDate) -> [DemoManifest.Patch] {
        let earlier = DemoPortal.expected.runs?.earlier ?? []
        var out: [DemoManifest.Patch] = []
        if brokenLinks > 0 {
            let items = (1...brokenLinks).map { "<li><a href=\"/xxgk/old_\($0).html\">往年公告 \($0)</a></li>" }
            out.append(
                .init(path: "/", find: "<div class=\"footer\">", replace: "<ul class=\"list\">\(items.joined())</ul>\n<div class=\"footer\">"))
        }
        for change in changes.sorted() {
            switch change {
            case .replyAnswered:
                let answered = asOf.adding(days: -117)?.iso ?? asOf.iso
                out.append(.init(path: "/hdjl/", find: "<td>未答复</td>", replace: "<td>\(answered)</td>"))
            case .wordingCorrected:
                out.append(.init(path: "/ywdt/art_1004.html", find: "示范区人民政俯", replace: "示范区人民政府"))
            case .feedFresh:
                // The feed's newest entry is 20 days old as shipped; 12 days later it is 8.
                out.append(.init(path: "/xmt/feeds/zwfw-wx.atom", shiftDays: 12))
            case .homepageStale:
                out += earlier.filter { $0.path == "/" && $0.shiftDays != nil }
            case .bannerWithoutAlt:
                out += earlier.filter { $0.path == "/" && $0.find.contains("banner") }
            case .brokenResultsLink:
                out += earlier.filter { $0.path == "/rsxx/" }
            }
        }
        return out
    }

    package let sites: [Site]
    /// The stand-in for the outside world, shared by every variant.
    package let external: LocalServer
    private let servers: [LocalServer]
    private let refused: [RefusedPort]
    /// False: `first` is served; true: `second`.
    private let later: Box

    final class Box: Sendable {
        let mutex = Mutex(false)
    }

    /// Serves every site's `second` variant from the next request on.
    package func advance() { later.mutex.withLock { $0 = true } }

    /// Whether the sites are in their second state.
    package var isAdvanced: Bool { later.mutex.withLock { $0 } }

    /// Days between the two states' dates: the first round sweeps the sites as they are a
    /// fortnight before `asOf` (with one date for both, round 2's summary compared a round
    /// "as of" the same day).
    package static let roundGapDays = 14

    /// The date the first state is served at (and its round's as-of); the second's is `asOf`.
    package let firstAsOf: DemoDate

    /// Serves `count` variants of the portal: their first state at `firstAsOf` (default
    /// `roundGapDays` before `asOf`), their second, after `advance()`, at `asOf`.
    package init(asOf: DemoDate, firstAsOf: DemoDate? = nil, count: Int = 30) throws {
        let firstAsOf = firstAsOf ?? asOf.adding(days: -Self.roundGapDays) ?? asOf
        let external = try LocalServer { DemoPortal.respondExternal($0) }
        let externalBase = external.baseURL
        let later = Box()
        var sites: [Site] = [], servers: [LocalServer] = [], refused: [RefusedPort] = []
        do {
            for var site in Self.plan(count: count) {
                if site.reachable {
                    let first = Self.patches(site.first.changes, brokenLinks: site.first.brokenLinks, asOf: firstAsOf)
                    let second = Self.patches(site.second.changes, brokenLinks: site.second.brokenLinks, asOf: asOf)
                    let server = try LocalServer {
                        let advanced = later.mutex.withLock { $0 }
                        return DemoPortal.respond($0, asOf: advanced ? asOf : firstAsOf, externalBase: externalBase, patches: advanced ? second : first)
                    }
                    servers.append(server)
                    site.url = server.baseURL
                } else {
                    let port = try RefusedPort()
                    refused.append(port)
                    site.url = "http://127.0.0.1:\(port.port)/"
                }
                sites.append(site)
            }
        } catch {
            for s in servers { s.stop() }
            external.stop()
            throw error
        }
        self.external = external
        self.firstAsOf = firstAsOf
        self.sites = sites
        self.servers = servers
        self.refused = refused
        self.later = later
    }

    package func stop() {
        for s in servers { s.stop() }
        external.stop()
    }

    /// The SITES.csv header: `url,name,owner,region` and the per-site input files.
    package static let sitesHeader = ["url", "name", "owner", "region", "departments", "phones", "accounts", "wording"]

    /// Writes `dir/SITES.csv` for `govsweep fleet add`, with the demo's input files for every
    /// site (each site's accounts file, naming its own feeds, under `dir/inputs/`). Returns its path.
    @discardableResult
    package func writeSitesCSV(to dir: URL) throws -> URL {
        guard let root = DemoPortal.portalRoot, let departments = DemoPortal.departmentsCSVPath else {
            throw CocoaError(.fileNoSuchFile)
        }
        let inputs = dir.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        var csv = Self.sitesHeader.joined(separator: ",") + "\n"
        for (i, site) in sites.enumerated() {
            let own = try DemoPortal.contentInputs(
                portalBase: site.url, externalBase: external.baseURL, directory: inputs)
            // contentInputs writes inputs/accounts.csv: each site keeps its own copy.
            let accounts = inputs.appendingPathComponent(String(format: "accounts-%02d.csv", i + 1))
            try? FileManager.default.removeItem(at: accounts)
            try FileManager.default.moveItem(atPath: own.accounts, toPath: accounts.path)
            let row = [
                site.url, site.name, site.owner, "\(site.region) \(site.regionName)", departments,
                root.appendingPathComponent("phones.csv").path, accounts.path, own.wording,
            ]
            csv += row.map(Self.field).joined(separator: ",") + "\n"
        }
        let out = dir.appendingPathComponent("SITES.csv")
        try csv.write(to: out, atomically: true, encoding: .utf8)
        return out
    }

    /// RFC 4180 quoting.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A port on 127.0.0.1 that is bound but never listened on: a connection is refused, and no
/// other server can take the port while the fleet runs.
final class RefusedPort: Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LocalServerError.socket("socket", errno) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard ok else {
            let e = errno
            close(fd)
            throw LocalServerError.socket("bind", e)
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    deinit { close(fd) }
}
