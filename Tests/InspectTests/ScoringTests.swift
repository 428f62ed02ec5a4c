import Inspect
import XCTest
import Vocabulary

final class ScoringTests: XCTestCase {
    func finding(_ indicator: Indicator, _ severity: Severity, _ points: Double, _ url: String = "http://h/") -> Finding {
        Finding(rule: "r", indicator: indicator, severity: severity, points: points, url: url, message: "")
    }

    func testVetoFailsWhateverTheScore() throws {
        let r = try Profile.bundled(name: "national-2019").scoring.score([finding(.homepageStale, .veto, 0)])
        XCTAssertEqual(r.score, 100)
        XCTAssertEqual(r.verdict, .fail)
        XCTAssertEqual(r.vetoes, [.homepageStale])
    }

    func testCapsPerIndicatorAndPassMark() throws {
        let scoring = try Profile.bundled(name: "national-2019").scoring
        let links = (0..<300).map { finding(.linkBroken, .deduct, 0.1, "http://h/\($0)") }
        let r = scoring.score(links + [finding(.footerMarker, .deduct, 0.5), finding(.a11y, .advice, 0)])
        XCTAssertEqual(r.deductions[.linkBroken], 10)
        XCTAssertEqual(r.score, 89.5)
        XCTAssertEqual(r.verdict, .pass)
        let p = try Profile.load(yaml: "id: t\nextends: national-2019\npassMark: 90\n", file: "t.yaml")
        XCTAssertEqual(p.scoring.score(links).verdict, .pass)
        XCTAssertEqual(p.scoring.score(links + [finding(.columnMissing, .deduct, 2)]).verdict, .fail)
    }
}
