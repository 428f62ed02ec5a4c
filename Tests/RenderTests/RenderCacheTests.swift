import Foundation
import Store
import XCTest

/// The render cache: a render is found again by its page's URL and static content hash,
/// not when either changed or it is older than asked; SQLite answers as memory does.
final class RenderCacheTests: XCTestCase {
    func check(_ cache: any RenderCache) {
        let now = Date()
        XCTAssertNil(cache.rendered(url: "http://a/", contentHash: 1, since: .distantPast))
        cache.save(url: "http://a/", contentHash: 1, markup: Array("<ul><li>x</li></ul>".utf8), at: now)
        XCTAssertEqual(cache.rendered(url: "http://a/", contentHash: 1, since: now.addingTimeInterval(-60)), Array("<ul><li>x</li></ul>".utf8))
        XCTAssertNil(cache.rendered(url: "http://a/", contentHash: 2, since: .distantPast), "another static page")
        XCTAssertNil(cache.rendered(url: "http://b/", contentHash: 1, since: .distantPast), "another URL")
        XCTAssertNil(cache.rendered(url: "http://a/", contentHash: 1, since: now.addingTimeInterval(60)), "too old")
        cache.save(url: "http://a/", contentHash: 3, markup: Array("<p>y</p>".utf8), at: now)
        XCTAssertEqual(cache.rendered(url: "http://a/", contentHash: 3, since: .distantPast), Array("<p>y</p>".utf8))
    }

    func testMemory() { check(MemoryRenderCache()) }

    func testSQLite() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        check(try SQLiteRenderCache(path: path))
        // Kept across connections (a later sweep).
        let again = try SQLiteRenderCache(path: path)
        XCTAssertEqual(again.rendered(url: "http://a/", contentHash: 3, since: .distantPast), Array("<p>y</p>".utf8))
    }
}
