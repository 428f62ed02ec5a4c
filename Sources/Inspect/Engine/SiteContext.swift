package import Foundation
package import Vocabulary
/// What a whole-site rule sees: the compact summaries of the sweep, the link check,
/// the profile and the as-of day.
package struct SiteContext: Sendable {
    package var profile: Profile
    package var asOf: Day
    /// `--departments`.
    package var departments: DepartmentMap
    /// Columns found, pagination pages merged into their column.
    package var columns: [Column]
    /// The start pages' summaries.
    package var homes: [HomeSummary]
    package var linkTargets: [LinkTarget]
    package var homePages: [String]
    /// Names of the profile's requirements that some page satisfied.
    package var satisfiedRequirements: Set<String>
    /// Hosts the sweep fetched pages from.
    package var hosts: [String]
    /// `--phones`, the wording dictionary.
    package var content = ContentData()
    /// The filed accounts' feeds as fetched and read (`--accounts`).
    package var accountChecks: [AccountCheck] = []
    /// The site search's queries as answered; nil: search not checked (`--no-search`).
    package var searchChecks: [SiteSearch.Check]?
    /// Publication dates of the articles the home pages' undated items link to, by
    /// `Summarizer.pageKey` (only those the sweep fetched and found a date on).
    package var articleDates: [String: Day] = [:]
    /// Articles one link from a start page dated after the as-of day (`date.suspect`), by URL.
    package var futureArticles: [String: Day] = [:]
    /// The start URLs' availability probes (`govsweep probe`), read from the store by the
    /// sweep, and the end of the window they are judged over (nil: availability not judged).
    package var probes: [ProbeRecord] = []
    package var availabilityWindowEnd: Date?

    /// The newest date of the articles a home page's undated items link to, and how many of
    /// them showed a date.
    func linkedArticles(of home: HomeSummary) -> (latest: Day?, dated: Int) {
        var latest: Day?
        var dated = 0
        for key in home.undatedLinks {
            guard let d = articleDates[key] else { continue }
            dated += 1
            latest = max(latest ?? d, d)
        }
        return (latest, dated)
    }

    /// `named` when the profile names the department (a required column's, a work point's),
    /// else the one owning `url`.
    package func department(_ named: String, orFor url: String) -> String {
        named.isEmpty ? department(for: url) : named
    }

    /// `--departments` (longest prefix), else the profile's URL map, else its column map, else "".
    package func department(for url: String, column: String = "") -> String {
        SiteContext.department(for: url, column: column, departments: departments, profile: profile)
    }

    /// The same, outside a sweep's site pass (availability probes are judged beside it).
    package static func department(for url: String, column: String = "", departments: DepartmentMap, profile: Profile) -> String {
        let d = departments.department(for: url)
        if !d.isEmpty { return d }
        let p = profile.departments.department(for: url)
        if !p.isEmpty { return p }
        return column.isEmpty ? "" : profile.department(forColumn: column)
    }

    /// The home page URL to report site-wide defects on, for a host.
    package func homeURL(host: String) -> String {
        homePages.first { hostOf($0) == host } ?? homes.first { $0.host == host }?.url ?? "http://\(host)/"
    }

    /// Stale columns per host, in the categories that have windows: the input of the
    /// column veto aggregation (shared by `column.stale` and `column.blank`).
    func staleColumns() -> [(column: Column, category: Profile.Category)] {
        var out: [(Column, Profile.Category)] = []
        for c in columns {
            guard let cat = profile.category(ofColumn: c.name), c.isStale(in: cat, asOf: asOf) else { continue }
            out.append((c, cat))
        }
        return out
    }

    /// Script-filled columns in a category with a window that the static page does not show
    /// fresh: advice of `column.stale`, never part of the veto aggregation.
    func scriptFilledColumns() -> [(column: Column, category: Profile.Category)] {
        var out: [(Column, Profile.Category)] = []
        for c in columns where c.scriptFill != nil {
            guard let cat = profile.category(ofColumn: c.name), c.cannotJudge(in: cat, asOf: asOf) else { continue }
            out.append((c, cat))
        }
        return out
    }

    /// Hosts on which the column veto (栏目不更新) applies: ≥5 stale news/notice columns,
    /// ≥10 stale columns of any category, or ≥5 blank columns (BRIEF). One veto item
    /// covers all three, so every stale and blank column of such a host is a veto finding.
    /// A script-filled column counts as neither: what it lists cannot be seen.
    func columnVetoHosts() -> Set<String> {
        let stale = staleColumns()
        var hosts = Set<String>()
        for host in Set(stale.map(\.column.host)) {
            let mine = stale.filter { $0.column.host == host }
            let core = mine.filter { profile.veto.staleCategories.contains($0.category.key) }.count
            if core >= profile.veto.staleColumns || mine.count >= profile.veto.unupdatedColumns { hosts.insert(host) }
        }
        for host in Set(columns.map(\.host)) where columns.filter({ $0.host == host && $0.isBlank }).count >= profile.veto.blankColumns {
            hosts.insert(host)
        }
        return hosts
    }
}
