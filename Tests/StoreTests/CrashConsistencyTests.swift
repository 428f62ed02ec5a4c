import Foundation
import XCTest
import Store

/// A sweeping process killed with SIGKILL must leave a store that opens, passes
/// `integrity_check`, holds only whole batches, and whose run lock is free again.
/// The writer is this test bundle itself, re-run as a child on one (otherwise skipped) test.
final class CrashConsistencyTests: StoreTestCase {
    private static let childPath = "GOVSWEEP_STORE_CHILD_PATH"
    private static let childRun = "GOVSWEEP_STORE_CHILD_RUN"
    private static let pagesPerBatch = 100, linksPerPage = 10

    /// The child: writes batches until it is killed.
    func testChildWriter() throws {
        let env = ProcessInfo.processInfo.environment
        guard let path = env[Self.childPath], let run = env[Self.childRun].flatMap(Int64.init) else {
            throw XCTSkip("runs only as the child of testKilledWriterLeavesAConsistentStore")
        }
        let store = try SQLiteStore(path: path)
        let lock = try store.acquireRunLock()
        var batch = 0
        while true {
            let pages = (0..<Self.pagesPerBatch).map { i in
                PageRecord(
                    url: "http://h/\(batch)/\(i)", finalURL: "http://h/\(batch)/\(i)", status: 200,
                    linkClass: .ok, reason: .none, title: String(repeating: "页", count: 200), depth: 1)
            }
            let links = pages.flatMap { page in
                (0..<Self.linksPerPage).map { k in
                    LinkRecord(from: page.url, to: "http://h/next/\(batch)/\(k)", kind: .a, text: "链接 \(k)")
                }
            }
            try store.record(run: run, pages: pages, links: links)
            batch += 1
        }
        withExtendedLifetime(lock) {}
    }

    func testKilledWriterLeavesAConsistentStore() throws {
        #if os(Linux)
        if ProcessInfo.processInfo.environment[Self.childPath] != nil { return }  // we are the child
        let path = storePath()
        let store = try SQLiteStore(path: path)
        let run = try makeRun(store)

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["StoreTests.CrashConsistencyTests/testChildWriter"]
        var env = ProcessInfo.processInfo.environment
        env[Self.childPath] = path
        env[Self.childRun] = String(run)
        child.environment = env
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }

        // Let it commit a few batches (and be in the middle of the next), then kill it.
        let deadline = Date().addingTimeInterval(60)
        while try store.fetchedURLs(run: run).count < 5 * Self.pagesPerBatch {
            XCTAssertTrue(child.isRunning, "the child writer exited early")
            guard child.isRunning, Date() < deadline else { return XCTFail("the child wrote too slowly") }
            usleep(20_000)
        }
        XCTAssertNotNil(storeError { _ = try store.acquireRunLock() }, "the child holds the run lock")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)

        let reopened = try SQLiteStore(path: path)
        XCTAssertEqual(try reopened.integrityCheck(), ["ok"])
        let pages = try reopened.pages(run: run).count
        XCTAssertGreaterThanOrEqual(pages, 5 * Self.pagesPerBatch)
        XCTAssertEqual(pages % Self.pagesPerBatch, 0, "a batch was half written")
        XCTAssertEqual(try reopened.links(run: run).count, pages * Self.linksPerPage)
        // The kernel released the dead child's lock.
        let lock = try reopened.acquireRunLock()
        lock.release()
        // And the store takes new writes.
        try reopened.record(run: run, pages: [page("http://h/after")], links: [])
        XCTAssertEqual(try reopened.pages(run: run).count, pages + 1)
        #else
        throw XCTSkip("the child is started through /proc/self/exe")
        #endif
    }
}
