import Inspect
import XCTest
import Vocabulary

final class DateScannerTests: XCTestCase {
    let asOf = Day(iso: "2022-11-01")!

    func testFormatsSitesPrint() {
        for s in ["2022-10-28", "2022/10/28", "2022.10.28", "2022年10月28日", "发布时间：2022-10-28 09:30:00", "[2022-10-28]"] {
            XCTAssertEqual(DateScanner.dates(in: s, asOf: asOf).map(\.description), ["2022-10-28"], s)
        }
        XCTAssertEqual(DateScanner.dates(in: "2022-1-5", asOf: asOf).map(\.description), ["2022-01-05"])
    }

    func testYearlessDatesReadRelativeToAsOf() {
        XCTAssertEqual(DateScanner.dates(in: "区长调研 [10-28]", asOf: asOf).map(\.description), ["2022-10-28"])
        // December printed in November of 2022 is last December.
        XCTAssertEqual(DateScanner.dates(in: "12-15", asOf: asOf).map(\.description), ["2021-12-15"])
        XCTAssertTrue(DateScanner.dates(in: "12-15", asOf: nil).isEmpty)
        XCTAssertEqual(DateScanner.dates(in: "[10月28日]", asOf: asOf).map(\.description), ["2022-10-28"])
        XCTAssertEqual(DateScanner.dates(in: "2021年10月28日", asOf: asOf).map(\.description), ["2021-10-28"])
        XCTAssertTrue(DateScanner.dates(in: "10月份", asOf: asOf).isEmpty)
    }

    func testTrapsAreNotDates() {
        for s in ["比分 3-2", "010-6601-2345", "66012345", "2022-13-01", "2022-02-30", "11010202007633", "1101020002", "10-28-3", "京ICP备19014909号-1", "邮编100032"]
        {
            XCTAssertTrue(DateScanner.dates(in: s, asOf: asOf).isEmpty, s)
        }
    }

    func testDayArithmetic() {
        let d = Day(year: 2022, month: 3, day: 1)!
        XCTAssertEqual((d - 1).description, "2022-02-28")
        XCTAssertEqual(asOf - Day(iso: "2022-05-02")!, 183)
        XCTAssertEqual(Day(iso: "2024-02-29")?.description, "2024-02-29")
    }

    /// `Day(iso:)` reads YYYY-MM-DD only, the one spelling of a day (the scanner reads the rest).
    func testDayReadsOnlyYYYYMMDD() {
        XCTAssertEqual(Day(iso: "2022-11-01"), asOf)
        for bad in ["2023-02-29", "2022-13-01", "2022-00-10", "2022-1-05", "2022/11/01", "2022.11.01", "2022-11-01 ", "2022-+1-01", "", "x"] {
            XCTAssertNil(Day(iso: bad), bad)
        }
    }
}
