import XCTest
final class ParseTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
