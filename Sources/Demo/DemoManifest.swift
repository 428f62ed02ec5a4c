import Foundation

/// The demo portal's manifest (`portal/EXPECTED.json`): the planted defects a sweep
/// must report and the things it must not. Later work appends entries; fields are
/// optional where an indicator does not need them.
package struct DemoManifest: Sendable, Codable {
    package struct Site: Sendable, Codable {
        package var name: String
        package var siteIDCode: String
        package var icp: String
        package var psb: String
        package var sponsor: String
        package var contact: String
        package var home: String
    }
    package struct Redirect: Sendable, Codable {
        package var from: String
        package var to: String
        package var status: Int
        package var linkedFrom: [String]
    }
    /// One address on the stand-in "external" server.
    package struct ExternalPage: Sendable, Codable {
        package var path: String
        package var status: Int
        package var retryAfter: Int?
        package var title: String
    }
    /// One planted finding. `url` and `foundOn` are percent-decoded paths; a `url`
    /// beginning with `{{ext}}` lives on the external server.
    package struct Planted: Sendable, Codable {
        package var indicator: String
        /// The rule id the finding carries (`column.stale.notice`).
        package var rule: String?
        /// `veto`, `deduct` or `advice`.
        package var severity: String?
        package var points: Double?
        package var scope: String?
        /// For links: "broken" or "blocked".
        package var `class`: String?
        package var status: Int?
        package var retryAfter: Int?
        package var url: String
        package var subject: String?
        package var foundOn: [String]?
        /// The responsible department, as `departments.csv` attributes `url`.
        package var department: String?
        package var note: String?
    }
    /// A look-alike of a planted defect that must not be reported.
    package struct Trap: Sendable, Codable {
        package var indicator: String
        package var url: String
        package var note: String
    }
    package struct Clean: Sendable, Codable {
        package var robotsDisallowed: [String]
        package var sitemapOnly: [String]
        package var note: String?
        package var traps: [Trap]?
    }

    package var site: Site
    /// Path prefixes whose pages are stored and served as GBK (no charset in Content-Type).
    package var gbkPrefixes: [String]
    /// Files of the resource folder that are not part of the site.
    package var notServed: [String]
    /// The demo's `--departments` file, relative to the portal folder.
    package var departmentsCSV: String
    package var redirects: [Redirect]
    package var external: [ExternalPage]
    /// Every finding of `govsweep demo` under the default (national) profile.
    package var findings: [Planted]
    /// The sweep's score, verdict and vetoes with exactly these findings.
    package var score: Double?
    package var verdict: String?
    package var vetoes: [String]?
    /// What another bundled profile reports on top of `findings` (`govsweep demo --bundled NAME`).
    package var profiles: [String: ProfileRun]?
    /// The two-run demo: the earlier portal, the probes, and what the second run reports anew.
    package var runs: Runs?
    package var clean: Clean

    package struct Runs: Sendable, Codable {
        package var about: String?
        /// The first run's as-of is this many days before the second's.
        package var earlierDays: Int
        /// Probes are stamped this many minutes apart (72: 20 a day).
        package var probeEveryMinutes: Int
        /// How many probes of the second run's week fail.
        package var probeFailures: Int
        /// Byte patches that turn the shipped portal into the earlier one.
        package var earlier: [Patch]
        /// Reported by the second run on top of the top-level findings.
        package var findings: [Planted]
        /// The second run against the first (for a past --as-of).
        package var new: [Planted]
        package var fixed: [Planted]
    }

    /// One replacement in a served file: the first occurrence of `find` becomes `replace`.
    package struct Patch: Sendable, Codable {
        package var path: String
        /// Text replaced in the page (its first occurrence); "" with `shiftDays` alone.
        package var find: String
        package var replace: String
        /// The page's dates moved by this many days (negative: older), before `find` is replaced.
        package var shiftDays: Int?
        package var note: String?

        package init(path: String, find: String = "", replace: String = "", shiftDays: Int? = nil, note: String? = nil) {
            self.path = path; self.find = find; self.replace = replace; self.shiftDays = shiftDays; self.note = note
        }

        package init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decode(String.self, forKey: .path)
            find = try c.decodeIfPresent(String.self, forKey: .find) ?? ""
            replace = try c.decodeIfPresent(String.self, forKey: .replace) ?? ""
            shiftDays = try c.decodeIfPresent(Int.self, forKey: .shiftDays)
            note = try c.decodeIfPresent(String.self, forKey: .note)
        }
    }

    package struct ProfileRun: Sendable, Codable {
        package var note: String?
        /// Reported under this profile in addition to `findings`.
        package var findings: [Planted]
        package var score: Double?
        package var verdict: String?
        package var vetoes: [String]?
    }

    /// The planted findings of one indicator.
    package func findings(indicator: String) -> [Planted] {
        findings.filter { $0.indicator == indicator }
    }
}
