import Foundation
import Inspect
import Vocabulary
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
            XCTAssertTrue(text.contains(d.id.rawValue) && text.contains("source:") && text.contains("failing examples"), d.id.rawValue)
        }
        XCTAssertTrue(RuleRegistry.description(of: "column.missing")!.explain(profile: profile).contains("财政资金直达基层 (直达资金、资金直达) item 21 → 区财政局"))
        XCTAssertEqual(RuleRegistry.description(of: "column.stale.notice")?.id, "column.stale")
    }

    /// A variant made by its rule knows the rule without reading its text; the same id read
    /// back as text (findings.json, the store) finds it through the registry, and writes the
    /// same JSON string.
    func testRuleIDVariantsKnowTheirRule() throws {
        let stale = ColumnStaleRule.description.id
        let notice = stale.variant("notice")
        XCTAssertEqual(notice.rawValue, "column.stale.notice")
        XCTAssertEqual(notice.rule, stale)
        XCTAssertEqual(notice.variantName, "notice")
        XCTAssertTrue(notice.belongs(to: stale) && stale.belongs(to: stale) && !notice.belongs(to: notice))
        XCTAssertNil(stale.variantName)
        let read = try JSONDecoder().decode(RuleID.self, from: try JSONEncoder().encode(notice))
        XCTAssertEqual(read, notice)
        XCTAssertFalse(read.isVariant)  // text alone does not say where the rule ends
        XCTAssertEqual(RuleRegistry.resolve(read.rawValue)?.rule, stale)
        XCTAssertEqual(RuleRegistry.description(of: read)?.id, stale)
        XCTAssertEqual(RuleRegistry.resolve("a11y.img-alt")?.isVariant, false)
        XCTAssertNil(RuleRegistry.resolve("column.stalest"))
        XCTAssertNil(RuleRegistry.description(exactly: notice))
    }

    func testIndicatorKeysAndA11ySubjectsFollowTheContract() {
        let a11yKeys = Set([
            "img-alt", "input-image-alt", "area-alt", "html-lang", "page-title", "form-label", "button-name",
            "link-text", "frame-title", "duplicate-id", "empty-heading", "meta-refresh", "meta-viewport", "elder-entry",
        ])
        let mine = Set(RuleRegistry.descriptions.filter { $0.indicator == .a11y }.map(\.findingSubject))
        XCTAssertEqual(mine, a11yKeys)
    }
}
