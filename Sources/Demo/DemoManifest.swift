import Foundation

/// The demo portal's manifest (`portal/EXPECTED.json`): the planted defects a sweep
/// must report and the things it must not. Later work appends entries; fields are
/// optional where an indicator does not need them.
public struct DemoManifest: Sendable, Codable {
    public struct Site: Sendable, Codable {
        public var name: String
        public var siteIDCode: String
        public var icp: String
        public var psb: String
        public var sponsor: String
        public var contact: String
        public var home: String
    }
    public struct Redirect: Sendable, Codable {
        public var from: String
        public var to: String
        public var status: Int
        public var linkedFrom: [String]
    }
    /// One address on the stand-in "external" server.
    public struct ExternalPage: Sendable, Codable {
        public var path: String
        public var status: Int
        public var retryAfter: Int?
        public var title: String
    }
    /// One planted finding. `url` and `foundOn` are percent-decoded paths; a `url`
    /// beginning with `{{ext}}` lives on the external server.
    public struct Planted: Sendable, Codable {
        public var indicator: String
        /// The rule id the finding carries (`column.stale.notice`).
        public var rule: String?
        /// `veto`, `deduct` or `advice`.
        public var severity: String?
        public var points: Double?
        public var scope: String?
        /// For links: "broken" or "blocked".
        public var `class`: String?
        public var status: Int?
        public var retryAfter: Int?
        public var url: String
        public var subject: String?
        public var foundOn: [String]?
        /// The responsible department, as `departments.csv` attributes `url`.
        public var department: String?
        public var note: String?
    }
    /// A look-alike of a planted defect that must not be reported.
    public struct Trap: Sendable, Codable {
        public var indicator: String
        public var url: String
        public var note: String
    }
    public struct Clean: Sendable, Codable {
        public var robotsDisallowed: [String]
        public var sitemapOnly: [String]
        public var note: String?
        public var traps: [Trap]?
    }

    public var site: Site
    /// Path prefixes whose pages are stored and served as GBK (no charset in Content-Type).
    public var gbkPrefixes: [String]
    /// Files of the resource folder that are not part of the site.
    public var notServed: [String]
    /// The demo's `--departments` file, relative to the portal folder.
    public var departmentsCSV: String
    public var redirects: [Redirect]
    public var external: [ExternalPage]
    /// Every finding of `govsweep demo` under the default (national) profile.
    public var findings: [Planted]
    /// The sweep's score, verdict and vetoes with exactly these findings.
    public var score: Double?
    public var verdict: String?
    public var vetoes: [String]?
    /// What another bundled profile reports on top of `findings` (`govsweep demo --bundled NAME`).
    public var profiles: [String: ProfileRun]?
    /// The two-run demo: the earlier portal, the probes, and what the second run reports anew.
    public var runs: Runs?
    public var clean: Clean

    public struct Runs: Sendable, Codable {
        public var about: String?
        /// The first run's as-of is this many days before the second's.
        public var earlierDays: Int
        /// Probes are stamped this many minutes apart (72: 20 a day).
        public var probeEveryMinutes: Int
        /// How many probes of the second run's week fail.
        public var probeFailures: Int
        /// Byte patches that turn the shipped portal into the earlier one.
        public var earlier: [Patch]
        /// Reported by the second run on top of the top-level findings.
        public var findings: [Planted]
        /// The second run against the first (for a past --as-of).
        public var new: [Planted]
        public var fixed: [Planted]
    }

    /// One replacement in a served file: the first occurrence of `find` becomes `replace`.
    public struct Patch: Sendable, Codable {
        public var path: String
        /// Text replaced in the page (its first occurrence); "" with `shiftDays` alone.
        public var find: String
        public var replace: String
        /// The page's dates moved by this many days (negative: older), before `find` is replaced.
        public var shiftDays: Int?
        public var note: String?

        public init(path: String, find: String = "", replace: String = "", shiftDays: Int? = nil, note: String? = nil) {
            self.path = path; self.find = find; self.replace = replace; self.shiftDays = shiftDays; self.note = note
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decode(String.self, forKey: .path)
            find = try c.decodeIfPresent(String.self, forKey: .find) ?? ""
            replace = try c.decodeIfPresent(String.self, forKey: .replace) ?? ""
            shiftDays = try c.decodeIfPresent(Int.self, forKey: .shiftDays)
            note = try c.decodeIfPresent(String.self, forKey: .note)
        }
    }

    public struct ProfileRun: Sendable, Codable {
        public var note: String?
        /// Reported under this profile in addition to `findings`.
        public var findings: [Planted]
        public var score: Double?
        public var verdict: String?
        public var vetoes: [String]?
    }

    /// The planted findings of one indicator.
    public func findings(indicator: String) -> [Planted] {
        findings.filter { $0.indicator == indicator }
    }
}
