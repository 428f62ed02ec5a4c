import Foundation
import LocalServer
import Store
import Sweep
import Vocabulary
import XCTest

/// A whole sweep through the Sweep library, in this process (no subprocess): the command
/// line and the demo call `SweepJob` the same way.
final class InProcessSweepTests: XCTestCase {
    func testSweepJobRunsInProcessAndWritesWhatTheCommandWrites() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("inproc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, accounts) = try CLITests.serveContentSite(accountsIn: dir)
        defer { server.stop() }
        let root = CLITests.contentSite
        var settings = SweepSettings(startURLs: [CrawlURL(server.baseURL)!], asOf: Day(year: 2022, month: 11, day: 1)!)
        settings.out = dir.appendingPathComponent("out").path
        settings.storePath = dir.appendingPathComponent("s.sqlite").path
        settings.profilePath = "xicheng-2022"
        settings.departmentsPath = root.appendingPathComponent("departments.csv").path
        settings.phonesPath = root.appendingPathComponent("phones.csv").path
        settings.wordingPath = root.appendingPathComponent("wording.csv").path
        settings.accountsPath = accounts.path
        settings.fetch.totalTimeout = 5
        settings.quiet = true
        try settings.loadInputs()
        let code = try await SweepJob(settings: settings, printSummary: false).run()
        XCTAssertEqual(code, 0)

        // The same document the pinned sweep of this site has (through the binary).
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/findings.json"))) as? [String: Any])
        let pinned = try String(contentsOf: PinnedFindingsTests.pinned.appendingPathComponent("content-site.json"), encoding: .utf8)
        XCTAssertEqual(try PinnedFindingsTests.normalised(json), pinned)
        let store = try SQLiteStore(path: settings.storePath)
        XCTAssertEqual(try store.runs().map(\.status), [.done])
    }
}
