package import Foundation
package import Vocabulary

/// A probe (`govsweep probe`) as the rule judges it.
extension ProbeRecord {
    /// Failed as the official monitor counts it: the page did not open within the timeout.
    /// A *blocked* answer (403, 429 …) is a failure too: the monitor sees what a visitor
    /// sees, and a visitor turned away cannot open the page either.
    package func failed(timeout: Double) -> Bool { linkClass != .ok || seconds > timeout }

    /// `count` probes of `url` spread evenly over the `days` before `end` (the newest half a
    /// step before it), the `failing` ones spread evenly among them: rule examples and tests.
    package static func schedule(url: String, end: Date, days: Int = 7, count: Int, failing: Int) -> [ProbeRecord] {
        let step = Double(days) * 86_400 / Double(count)
        return (0..<count).map { i in
            // Bresenham: probe i fails when the running share of failures steps up.
            let fails = failing > 0 && (i + 1) * failing / count > i * failing / count
            return ProbeRecord(
                url: url, at: end.addingTimeInterval(-step * (Double(count - i) - 0.5)),
                status: fails ? 503 : 200, linkClass: fails ? .broken : .ok, reason: fails ? .status(503) : .none)
        }
    }
}

/// Which probes a sweep judges: the `days` before the window's end.
package enum AvailabilityWindow {
    /// The sweep's own time, or the end of the as-of day (China Standard Time) when that is
    /// earlier: a sweep "as of" a past day judges the week before that day, as the official
    /// monitor would have, and ignores probes recorded after it.
    package static func end(asOf: Day, now: Date) -> Date {
        let dayEnd = (asOf + 1).start
        return min(now, dayEnd)
    }
}

/// `site-unavailable`: the start URL failed too many of the availability probes recorded
/// in the week before the sweep (站点无法访问 / 首页不可用). A site rule like the others: the
/// probes arrive in the site context (the sweep reads them from the store).
package struct SiteUnavailableRule: SiteRule {
    package init() {}

    package func findings(in site: SiteContext) -> [Finding] {
        guard let end = site.availabilityWindowEnd, !site.probes.isEmpty else { return [] }
        return Self.findings(probes: site.probes, homePages: site.homePages, windowEnd: end, profile: site.profile) {
            site.department(for: $0)
        }
    }

    package static let description = RuleDescription(
        id: "site.unavailable", indicator: .siteUnavailable,
        nameZh: "站点无法访问", nameEn: "Site unavailable",
        summary: """
            Folds the availability probes of each start URL recorded in the 7 days before the sweep \
            (`govsweep probe`; for a past --as-of, the 7 days before the end of that day) into findings: \
            subject `site` as a veto when the failed share reaches 5%; subject `homepage` as a deduction \
            when it reaches the lower band (profile `availability.homepageShare`, 1%, L); an advice finding \
            instead of a judgement when there are too few probes (each of the 7 days needs at least 20). \
            A probe fails when the page does not open within the timeout (15 s): errors, 4xx/5xx answers \
            and blocked answers (403, 429: a visitor turned away cannot open the page either). A start URL \
            with no probe at all is not judged.
            """,
        source: "国办秘函〔2019〕19号 单项否决指标“站点无法访问”: 监测 1 周，每天至少 20 次，超过 15 秒打不开为不可访问，累计超过（含）总监测次数的 5% 即否决；扣分指标“首页可用性”（比例与分值未见原文，L）",
        confidence: "H (veto: 1 week, 20 a day, 15 s, 5%); L (homepage band and points)",
        severity: .veto, points: 0,
        parameters: [
            RuleParameter("days", profileKey: "availability.days", defaultValue: "7", help: "days of probes judged, counting back from the sweep"),
            RuleParameter(
                "probes a day", profileKey: "availability.probesPerDay", defaultValue: "20", help: "each of those days needs this many probes, else advice"),
            RuleParameter("timeout", profileKey: "availability.timeoutSeconds", defaultValue: "15", help: "a probe slower than this failed"),
            RuleParameter("veto share", profileKey: "availability.vetoShare", defaultValue: "0.05", help: "failed share that vetoes the site"),
            RuleParameter(
                "homepage share", profileKey: "availability.homepageShare", defaultValue: "0.01", help: "failed share that costs the homepage deduction (L)"),
            RuleParameter("homepage points", profileKey: "availability.homepagePoints", defaultValue: "5", help: "points of the homepage deduction (L)"),
        ],
        passing: [
            RuleExample(
                "140 probes in a week, 1 failed (0.7%)", pages: [ExamplePage("/", examplePage("<p>首页</p>"))],
                probes: ProbeRecord.schedule(url: RuleExample.host + "/", end: exampleEnd, count: 140, failing: 1)),
            RuleExample("no probe recorded: availability is not judged", pages: [ExamplePage("/", examplePage("<p>首页</p>"))]),
        ],
        failing: [
            RuleExample(
                "140 probes in a week, 7 failed (5%): veto", pages: [ExamplePage("/", examplePage("<p>首页</p>"))],
                probes: ProbeRecord.schedule(url: RuleExample.host + "/", end: exampleEnd, count: 140, failing: 7),
                subjects: ["site"], severity: .veto),
            RuleExample(
                "140 probes in a week, 2 failed (1.4%): homepage deduction", pages: [ExamplePage("/", examplePage("<p>首页</p>"))],
                probes: ProbeRecord.schedule(url: RuleExample.host + "/", end: exampleEnd, count: 140, failing: 2),
                subjects: ["homepage"], severity: .deduct),
            RuleExample(
                "only 3 days of probes: too few to judge", pages: [ExamplePage("/", examplePage("<p>首页</p>"))],
                probes: ProbeRecord.schedule(url: RuleExample.host + "/", end: exampleEnd, days: 3, count: 60, failing: 10),
                subjects: ["site"], severity: .advice),
        ])

    /// The examples' as-of is 2022-11-01: their window ends at the end of that day (CST).
    static let exampleEnd = AvailabilityWindow.end(asOf: Day(year: 2022, month: 11, day: 1)!, now: .distantFuture)

    /// Findings for each start URL from its probes (any order; those outside the window
    /// are ignored). `department` names the responsible department of a URL.
    package static func findings(
        probes: [ProbeRecord], homePages: [String], windowEnd: Date, profile: Profile,
        department: (String) -> String = { _ in "" }
    ) -> [Finding] {
        let (enabled, severity, points) = profile.settings(for: description)
        guard enabled else { return [] }
        let a = profile.availability
        let span = Double(a.days) * 86_400
        let start = windowEnd.addingTimeInterval(-span)
        var out: [Finding] = []
        for home in homePages {
            let mine = probes.filter { $0.url == home && $0.at > start && $0.at <= windowEnd }
            guard !mine.isEmpty else { continue }
            let failed = mine.filter { $0.failed(timeout: a.timeoutSeconds) }
            // Day k counts back from the window's end: (end - (k+1) days, end - k days].
            var perDay = [Int](repeating: 0, count: a.days)
            for p in mine {
                let k = min(a.days - 1, Int(windowEnd.timeIntervalSince(p.at) / 86_400))
                perDay[k] += 1
            }
            let fullDays = perDay.filter { $0 >= a.probesPerDay }.count
            let share = Double(failed.count) / Double(mine.count)
            let percent = String(format: "%.1f%%", share * 100)
            var evidence: [String: JSONValue] = [
                "probes": .int(mine.count), "failed": .int(failed.count),
                "blocked": .int(failed.filter { $0.linkClass == .blocked }.count),
                "failedShare": .double((share * 10_000).rounded() / 10_000),
                "days": .int(a.days), "probesPerDay": .int(a.probesPerDay), "fullDays": .int(fullDays),
                "perDay": .array(perDay.reversed().map { .int($0) }),
                "windowStart": .string(timestamp(start)), "windowEnd": .string(timestamp(windowEnd)),
                "vetoShare": .double(a.vetoShare), "homepageShare": .double(a.homepageShare),
                "timeoutSeconds": .double(a.timeoutSeconds),
            ]
            if !failed.isEmpty {
                evidence["failures"] = .array(
                    failed.suffix(5).map { p in
                        .string("\(timestamp(p.at)) \(p.linkClass.rawValue) \(p.status)\(p.reason == .none ? "" : " " + p.reason.text)")
                    })
            }
            let dept = department(home)
            if fullDays < a.days {
                out.append(
                    Finding(
                        rule: description.id.variant("probes"), indicator: .siteUnavailable, severity: .advice,
                        url: home, subject: "site", department: dept,
                        message: "可用性监测样本不足，无法判定：近 \(a.days) 天共探测 \(mine.count) 次（失败 \(failed.count) 次，\(percent)），"
                            + "达到每天 \(a.probesPerDay) 次的仅 \(fullDays) 天；请用 govsweep probe 每天至少探测 \(a.probesPerDay) 次、连续 \(a.days) 天",
                        evidence: evidence))
            } else if reaches(failed.count, of: mine.count, share: a.vetoShare) {
                out.append(
                    Finding(
                        rule: description.id, indicator: .siteUnavailable, severity: severity, points: points,
                        url: home, subject: "site", department: dept,
                        message: "站点无法访问：近 \(a.days) 天探测 \(mine.count) 次，失败 \(failed.count) 次（\(percent)），达到 \(formatShare(a.vetoShare))",
                        evidence: evidence))
            } else if reaches(failed.count, of: mine.count, share: a.homepageShare) {
                out.append(
                    Finding(
                        rule: description.id.variant("homepage"), indicator: .siteUnavailable, severity: .deduct,
                        points: a.homepagePoints, url: home, subject: "homepage", department: dept,
                        message: "首页可用性不足：近 \(a.days) 天探测 \(mine.count) 次，失败 \(failed.count) 次（\(percent)），达到 \(formatShare(a.homepageShare))",
                        evidence: evidence))
            }
        }
        return out
    }

    /// `failed / total >= share`, exactly (7 of 140 is 5%), in integers.
    static func reaches(_ failed: Int, of total: Int, share: Double) -> Bool {
        guard share > 0 else { return failed > 0 }
        return failed * 1_000_000 >= Int((share * 1_000_000).rounded()) * total
    }

    static func formatShare(_ s: Double) -> String {
        let p = s * 100
        return p == p.rounded() ? "\(Int(p))%" : String(format: "%.1f%%", p)
    }

    static func timestamp(_ d: Date) -> String { ChinaTime.timestamp(d) }
}
