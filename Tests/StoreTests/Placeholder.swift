import XCTest
final class StoreTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
