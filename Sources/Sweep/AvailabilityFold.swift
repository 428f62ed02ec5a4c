import Foundation
import Inspect
import Store
import Vocabulary

/// Folds the availability probes recorded in the store (`govsweep probe`) into a sweep's
/// findings (`site.unavailable`), before scoring.
enum AvailabilityFold {
    /// The findings for the start URLs `sites`, judged over the probes of the week before
    /// `AvailabilityWindow.end(asOf:now:)`.
    static func findings(store: any ProbeStore, sites: [String], asOf: Day, now: Date, profile: Profile,
                         departments: DepartmentMap) throws -> (findings: [Finding], probes: Int) {
        let end = AvailabilityWindow.end(asOf: asOf, now: now)
        let since = end.addingTimeInterval(-Double(profile.availability.days) * 86_400)
        var samples: [ProbeSample] = []
        for site in sites {
            for p in try store.probes(url: site, since: since) where p.at <= end {
                samples.append(ProbeSample(url: p.url, at: p.at, status: p.status, seconds: p.seconds,
                                           linkClass: p.linkClass, reason: p.reason))
            }
        }
        let found = SiteUnavailableRule.findings(probes: samples, homePages: sites, windowEnd: end, profile: profile) { url in
            SiteContext.department(for: url, departments: departments, profile: profile)
        }
        return (found, samples.count)
    }

    /// The inspector's order: veto first, then by indicator, URL and subject.
    static func ordered(_ findings: [Finding]) -> [Finding] {
        findings.sorted(by: Finding.reportOrder)
    }
}
