import XCTest
final class LocalServerTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
