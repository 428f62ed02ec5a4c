import Foundation
@testable import Inspect
import Parse
import InspectTesting
import XCTest
@testable import Vocabulary

/// Each rule's CPU time per page over a directory of pages (the benchmark portal's, or any
/// saved site), to see where the inspection's time goes. Skipped unless RULE_COST_DIR is set:
/// `RULE_COST_DIR=Benchmarks/work/site-20000 swift test -c release -Xswiftc -enable-testing --filter RuleCostTests`
/// (RULE_COST_PAGES caps the pages read, default 1000).
final class RuleCostTests: XCTestCase {
    func testCostPerRule() throws {
        let env = ProcessInfo.processInfo.environment
        guard let dir = env["RULE_COST_DIR"] else { throw XCTSkip("set RULE_COST_DIR=<directory of .html pages>") }
        let limit = env["RULE_COST_PAGES"].flatMap(Int.init) ?? 1000
        var files: [URL] = []
        let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: dir), includingPropertiesForKeys: nil)
        while let f = walker?.nextObject() as? URL, files.count < limit { if f.pathExtension == "html" { files.append(f) } }
        XCTAssertFalse(files.isEmpty, "no .html pages under \(dir)")
        let bodies = try files.map { [UInt8](try Data(contentsOf: $0)) }
        // The thread's CPU time, not the wall clock: on a machine shared with builds (load 15)
        // wall-clock figures of one rule varied 2-3x between runs, CPU time within 10%.
        func now() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }
        let profile = try Profile.bundled(name: env["RULE_COST_PROFILE"] ?? "national-2019")
        var context = PageContext(profile: profile, asOf: Day(iso: "2026-11-29")!, url: "http://h/", depth: 1)
        context.content = ContentData()
        let collecting = RuleRegistry.collectingRules, pageRules = RuleRegistry.pageRules
        var cost = [Double](repeating: 0, count: collecting.count + pageRules.count + 2)
        var sink = 0
        // Each page parsed, then every rule run on it, as in a sweep (the page is still in
        // the cache); the first round only warms the rules' matchers.
        for round in 0..<2 {
            for (n, body) in bodies.enumerated() {
                let url = "http://h/p\(n).html"
                var t = now()
                let m = PageParser.parse(body, url: url, contentType: "text/html")
                if round == 1 { cost[0] += now() - t }
                for (i, rule) in collecting.enumerated() {
                    t = now()
                    sink &+= rule.notes(in: m, context: context).count
                    if round == 1 { cost[1 + i] += now() - t }
                }
                for (i, rule) in pageRules.enumerated() {
                    t = now()
                    sink &+= rule.offenders(in: m, context: context).count
                    if round == 1 { cost[1 + collecting.count + i] += now() - t }
                }
                t = now()
                _ = Summarizer.columnPage(m, url: url, depth: 1, profile: profile, asOf: context.asOf)
                sink &+= Summarizer.requirementTexts(m, depth: 3).count
                if round == 1 { cost[cost.count - 1] += now() - t }
                if round == 0 && n >= 50 { break }
            }
        }
        let names =
            ["(parse)"] + collecting.map { type(of: $0).description.id.rawValue } + pageRules.map { type(of: $0).description.id.rawValue } + ["(summaries)"]
        let rows = Array(zip(names, cost))
        let models = bodies
        let per = { (s: Double) in s / Double(models.count) * 1e6 }
        print("RuleCost: \(models.count) pages (\(sink))")
        for (id, s) in rows.sorted(by: { $0.1 > $1.1 }) where s > 0 {
            let line = String(format: "RuleCost: %8.1f µs/page  %@", per(s), id)
            print(line)
        }
    }
}
