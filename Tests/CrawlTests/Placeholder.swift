import XCTest
final class CrawlTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
