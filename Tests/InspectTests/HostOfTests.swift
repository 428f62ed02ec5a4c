import XCTest
@testable import Inspect

final class HostOfTests: XCTestCase {
    func testHostOfURLs() {
        XCTAssertEqual(hostOf("http://www.Example.gov.cn/a/b.html"), "www.example.gov.cn")
        XCTAssertEqual(hostOf("https://127.0.0.1:8080?x=1"), "127.0.0.1:8080")
        XCTAssertEqual(hostOf("http://h#frag"), "h")
        XCTAssertEqual(hostOf("http://"), "")
        XCTAssertEqual(hostOf("no scheme/x"), "")
        XCTAssertEqual(hostOf("http://政府.中国/首页"), "政府.中国")
        XCTAssertEqual(hostOf("http://ÄB.de/"), "äb.de")
    }
}
