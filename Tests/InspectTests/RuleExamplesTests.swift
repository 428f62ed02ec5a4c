import Inspect
import XCTest

/// The SwiftLint idea: every registered rule is tested by its own examples, and a rule
/// without passing and failing examples cannot ship.
final class RuleExamplesTests: XCTestCase {
    func testEveryRuleHasExamples() {
        for d in RuleRegistry.descriptions {
            XCTAssertFalse(d.passing.isEmpty, "\(d.id) has no passing example")
            XCTAssertFalse(d.failing.isEmpty, "\(d.id) has no failing example")
            XCTAssertFalse(d.source.isEmpty, "\(d.id) names no source")
        }
    }

    func testRuleIDsAreUnique() {
        let ids = RuleRegistry.descriptions.map(\.id)
        XCTAssertEqual(ids.count, Set(ids).count)
    }

    func testEveryRuleOverItsExamples() {
        for d in RuleRegistry.descriptions {
            for failure in RuleExamples.verify(d) {
                XCTFail(failure.problem + " (" + failure.example.note + ")", file: failure.example.file, line: failure.example.line)
            }
        }
    }

    func testExplainPrintsEveryRule() throws {
        let profile = try Profile.bundled(name: "xicheng-2022")
        for d in RuleRegistry.descriptions {
            let text = d.explain(profile: profile)
            XCTAssertTrue(text.contains(d.id) && text.contains("source:") && text.contains("failing examples"), d.id)
        }
        XCTAssertTrue(RuleRegistry.description(of: "column.missing")!.explain(profile: profile).contains("财政资金直达基层 (直达资金、资金直达) item 21 → 区财政局"))
        XCTAssertEqual(RuleRegistry.description(of: "column.stale.notice")?.id, "column.stale")
    }

    func testIndicatorKeysAndA11ySubjectsFollowTheContract() {
        let a11yKeys = Set([
            "img-alt", "input-image-alt", "area-alt", "html-lang", "page-title", "form-label", "button-name",
            "link-text", "frame-title", "duplicate-id", "empty-heading", "meta-refresh", "meta-viewport", "elder-entry",
        ])
        let mine = Set(RuleRegistry.descriptions.filter { $0.indicator == .a11y }.map { String($0.id.dropFirst(5)) })
        XCTAssertEqual(mine, a11yKeys)
    }
}
