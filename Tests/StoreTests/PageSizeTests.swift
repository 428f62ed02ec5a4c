import Foundation
import XCTest
@testable import Store

/// A page's packed links row is a few kilobytes: with 4 KB pages one row took a page
/// and a half (overflow) and the store grew to twice its data. New files use 16 KB pages;
/// a file made with smaller pages keeps them and works as before.
final class PageSizeTests: StoreTestCase {
    func pageSize(_ store: SQLiteStore) throws -> Int {
        try store.connection.withLock { try $0.query("PRAGMA page_size") { $0.int(0) }.first ?? 0 }
    }

    func testNewFilesUse16KPages() throws {
        XCTAssertEqual(try pageSize(try makeStore()), 16384)
    }

    func testAFileWithSmallerPagesKeepsThemAndWorks() throws {
        let path = storePath()
        do {
            let c = try Connection(path: path)
            try c.exec("PRAGMA page_size = 4096")
            try c.exec("CREATE TABLE made_before (x)")
        }
        let store = try SQLiteStore(path: path)
        XCTAssertEqual(try pageSize(store), 4096)
        let run = try makeRun(store)
        let text = String(repeating: "链接文字", count: 300)  // a links row past one small page
        try store.record(
            run: run, pages: [page("http://h/"), page("http://h/a")],
            links: [LinkRecord(from: "http://h/", to: "http://h/a", kind: .a, text: text)])
        XCTAssertEqual(try store.links(run: run).map(\.text), [text])
        XCTAssertEqual(try store.integrityCheck(), ["ok"])
    }
}
