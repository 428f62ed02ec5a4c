import XCTest
final class FetchTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
