import XCTest
final class GovsweepTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
