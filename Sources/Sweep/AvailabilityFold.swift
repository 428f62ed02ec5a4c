import Foundation
import Inspect
import Store
import Vocabulary

/// Reads the availability probes recorded in the store (`govsweep probe`) for a sweep's
/// start URLs: the inspection judges them (`site.unavailable`) with the other site rules.
enum AvailabilityFold {
    /// The probes of the start URLs `sites` in the profile's window before
    /// `AvailabilityWindow.end(asOf:now:)`, and that end.
    static func probes(
        store: any ProbeStore, sites: [String], asOf: Day, now: Date,
        profile: Profile
    ) throws -> (samples: [ProbeRecord], windowEnd: Date) {
        let end = AvailabilityWindow.end(asOf: asOf, now: now)
        let since = end.addingTimeInterval(-Double(profile.availability.days) * 86_400)
        var samples: [ProbeRecord] = []
        for site in sites {
            samples += try store.probes(url: site, since: since).filter { $0.at <= end }
        }
        return (samples, end)
    }
}
