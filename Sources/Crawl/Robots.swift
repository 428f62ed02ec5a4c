import Foundation

/// The rules of one host's robots.txt that apply to govsweep (RFC 9309): the group
/// naming "govsweep", else the "*" group; the longest matching Allow/Disallow wins,
/// with `*` and `$` wildcards.
public struct Robots: Sendable {
    struct Rule: Sendable { let allow: Bool; let pattern: [UInt8] }
    let rules: [Rule]
    /// Crawl-delay in seconds, when the group sets one.
    public let crawlDelay: Double?
    /// `Sitemap:` lines (they apply whatever the group).
    public let sitemaps: [String]

    public static let allowAll = Robots(rules: [], crawlDelay: nil, sitemaps: [])

    init(rules: [Rule], crawlDelay: Double?, sitemaps: [String]) {
        self.rules = rules; self.crawlDelay = crawlDelay; self.sitemaps = sitemaps
    }

    public init(parsing text: String, agent: String = "govsweep") {
        struct Group { var agents: [String] = []; var rules: [Rule] = []; var delay: Double? }
        var groups: [Group] = []
        var current = Group()
        var lastWasAgent = false
        var sitemaps: [String] = []
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if !lastWasAgent && !current.agents.isEmpty { groups.append(current); current = Group() }
                current.agents.append(value.lowercased())
                lastWasAgent = true
            case "allow", "disallow":
                lastWasAgent = false
                if value.isEmpty { continue }  // "Disallow:" with nothing allows all
                current.rules.append(Rule(allow: key == "allow", pattern: Array(value.utf8)))
            case "crawl-delay":
                lastWasAgent = false
                current.delay = Double(value)
            case "sitemap":
                if !value.isEmpty { sitemaps.append(value) }
            default:
                lastWasAgent = false
            }
        }
        if !current.agents.isEmpty { groups.append(current) }
        let me = agent.lowercased()
        let chosen = groups.filter { g in g.agents.contains { $0 != "*" && me.hasPrefix($0) } }
        let use = chosen.isEmpty ? groups.filter { $0.agents.contains("*") } : chosen
        self.rules = use.flatMap(\.rules)
        self.crawlDelay = use.compactMap(\.delay).first
        self.sitemaps = sitemaps
    }

    /// Whether the path (with query) may be fetched.
    public func allows(_ pathAndQuery: String) -> Bool {
        if rules.isEmpty { return true }
        let path = Array(pathAndQuery.utf8)
        var best: (length: Int, allow: Bool)? = nil
        for rule in rules where Robots.matches(rule.pattern, path) {
            let len = rule.pattern.count
            if best == nil || len > best!.length || (len == best!.length && rule.allow) {
                best = (len, rule.allow)
            }
        }
        return best?.allow ?? true
    }

    /// Pattern match with `*` (any run) and a trailing `$` (end of path); otherwise a prefix match.
    static func matches(_ pattern: [UInt8], _ path: [UInt8]) -> Bool {
        var p = pattern[...]
        var anchored = false
        if p.last == 36 { anchored = true; p = p.dropLast() }
        let pieces = p.split(separator: 42, omittingEmptySubsequences: false).map { Robots.decodePercent(Array($0)) }
        let target = Robots.decodePercent(path)
        var pos = 0
        for (i, piece) in pieces.enumerated() {
            if i == 0 {
                guard target.count >= piece.count, Array(target[0..<piece.count]) == piece else { return false }
                pos = piece.count
                continue
            }
            if piece.isEmpty { continue }
            if i == pieces.count - 1 && anchored {
                guard target.count - pos >= piece.count else { return false }
                return Array(target[(target.count - piece.count)...]) == piece
            }
            guard let found = find(piece, in: target, from: pos) else { return false }
            pos = found + piece.count
        }
        if anchored { return pieces.count == 1 ? target.count == pos : (pieces.last!.isEmpty || pos == target.count) }
        return true
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count - from else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// Compares paths with their unreserved escapes decoded, so /%7Ea and /~a match.
    private static func decodePercent(_ b: [UInt8]) -> [UInt8] {
        guard b.contains(37) else { return b }
        return Array(CrawlURL.normalizeEscapes(b, isQuery: false).utf8)
    }
}
