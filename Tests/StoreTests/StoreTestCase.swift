import Foundation
import XCTest
import Store
import Vocabulary

/// A test case with its own temporary directory, removed afterwards.
class StoreTestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("govsweep-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    func storePath(_ name: String = "store.sqlite") -> String {
        directory.appendingPathComponent(name).path
    }

    func makeStore(_ name: String = "store.sqlite") throws -> SQLiteStore {
        try SQLiteStore(path: storePath(name))
    }

    func makeRun(
        _ store: SQLiteStore, sites: [String] = ["http://127.0.0.1:8080/"],
        startedAt: String = "2022-11-01T08:00:00+08:00"
    ) throws -> Int64 {
        try store.createRun(
            RunRecord(
                sites: sites, asOf: Day(iso: "2022-11-01")!, options: #"{"maxPages":100}"#,
                startedAt: startedAt))
    }

    func page(
        _ url: String, class linkClass: LinkClass = .ok, status: Int = 200, depth: Int = 0,
        crawled: Bool = true
    ) -> PageRecord {
        PageRecord(
            url: url, finalURL: url, status: status, linkClass: linkClass,
            reason: linkClass == .ok ? .none : .status(status), contentType: "text/html", charset: "utf-8",
            bytes: 1234, seconds: 0.25, title: "标题 \(url)", contentHash: "00ff00ff00ff00ff", depth: depth,
            crawled: crawled, etag: "\"abc\"", lastModified: "Tue, 01 Nov 2022 00:00:00 GMT")
    }

    /// Asserts that `body` throws a StoreError and returns it.
    func storeError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> StoreError? {
        do {
            try body()
            XCTFail("expected a StoreError", file: file, line: line)
            return nil
        } catch let error as StoreError {
            return error
        } catch {
            XCTFail("expected a StoreError, got \(error)", file: file, line: line)
            return nil
        }
    }
}
