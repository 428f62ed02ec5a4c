import Foundation
import Parse
package import Vocabulary

/// Runs rules over their examples: the generic test, and `govsweep rules explain`'s check.
package enum RuleExamples {
    /// Parses the example's pages with the crawl's parser, inspects them as a sweep of
    /// `RuleExample.host` would, and returns every finding.
    package static func run(_ example: RuleExample) throws -> [Finding] {
        let profile = try example.profile()
        guard let asOf = Day(iso: example.asOf) else { throw InputError(file: "\(example.file)", line: Int(example.line), problem: "bad asOf \(example.asOf)") }
        var content = ContentData()
        if let phones = example.phones {
            content.phones = PhoneRegistry(
                entries: phones.enumerated().map {
                    .init(department: "示例部门", number: $0.element, label: "", line: $0.offset + 1)
                })
        }
        if !example.wording.isEmpty {
            content.wording = try WordingDictionary.bundled.adding(lines: example.wording, file: "\(example.file):\(example.line)")
        }
        var checks: [AccountCheck] = []
        if let accounts = example.accounts {
            let entries = accounts.enumerated().map { i, a in
                AccountRegistry.Entry(
                    platform: a.platform, name: a.name, department: "示例部门",
                    feed: RuleExample.host + "/feeds/\(i + 1).xml", line: i + 1)
            }
            content.accounts = AccountRegistry(entries: entries)
            checks = zip(entries, accounts).map { e, a in
                AccountCheck(account: e, status: a.status, body: Array(a.feed.utf8), failure: a.status == 0 ? "timeout" : "")
            }
        }
        let inspector = Inspector(profile: profile, asOf: asOf, content: content)
        let host = RuleExample.host
        for page in example.pages {
            let url = host + page.path
            let model = PageParser.parse(Array(page.html.utf8), url: url, contentType: "text/html; charset=utf-8")
            inspector.inspect(page: model, url: url, depth: page.depth ?? (page.path == "/" ? 0 : 1))
        }
        let targets = example.brokenLinks.map { path in
            LinkTarget(
                url: host + path, status: 404, linkClass: .broken, reason: .none, isInternal: true,
                sources: [LinkSource(from: host + "/", kind: .a, text: "")])
        }
        // The search answers every query the same; the second is sent only when the first finds nothing.
        let searchChecks = example.search.map { answer in
            SearchQueries.send(inspector.searchPlans()) { q in
                SiteSearch.Check(query: q, status: answer.status, body: Array(answer.html.utf8), contentType: "text/html; charset=utf-8")
            }
        }
        return inspector.finish(
            linkTargets: targets, homePages: [host + "/"], accountChecks: checks, searchChecks: searchChecks, probes: example.probes,
            availabilityWindowEnd: AvailabilityWindow.end(asOf: asOf, now: .distantFuture))
    }

    /// The findings of one rule (its id, or a variant's as `column.stale.news`).
    package static func findings(of id: RuleID, in findings: [Finding]) -> [Finding] {
        findings.filter { $0.rule.belongs(to: id) }
    }

    /// Every way the rule's examples disagree with what it reports; empty when it ships.
    package static func verify(_ d: RuleDescription) -> [ExampleFailure] {
        var failures: [ExampleFailure] = []
        if d.passing.isEmpty || d.failing.isEmpty {
            let any = d.passing.first ?? d.failing.first ?? RuleExample("none", pages: [])
            failures.append(ExampleFailure(rule: d.id, example: any, problem: "a rule needs passing and failing examples"))
        }
        for ex in d.passing + d.failing {
            do {
                let mine = findings(of: d.id, in: try run(ex))
                let got = mine.map(\.subject).sorted()
                if got != ex.subjects.sorted() {
                    failures.append(
                        ExampleFailure(
                            rule: d.id, example: ex,
                            problem: "expected subjects \(ex.subjects.sorted()), got \(got): \(mine.map(\.message))"))
                }
                if let s = ex.severity, let bad = mine.first(where: { $0.severity != s }) {
                    failures.append(ExampleFailure(rule: d.id, example: ex, problem: "expected severity \(s), got \(bad.severity)"))
                }
            } catch {
                failures.append(ExampleFailure(rule: d.id, example: ex, problem: "\(error)"))
            }
        }
        return failures
    }
}
