import Foundation
import XCTest
@testable import Store
@testable import Vocabulary

/// `runs.status` holds RunStatus's values and nothing else: SQLite's triggers (schema 6)
/// refuse any other on insert and on update, and let every RunStatus through.
final class RunStatusTriggerTests: StoreTestCase {
    func testTheTriggersRefuseAnUnknownStatusAndTakeEveryKnownOne() throws {
        let store = try makeStore()
        let run = try makeRun(store)
        for status in RunStatus.allCases {
            XCTAssertNoThrow(try store.connection.withLock { try $0.exec("UPDATE runs SET status = '\(status.rawValue)' WHERE id = \(run)") })
        }
        XCTAssertThrowsError(try store.connection.withLock { try $0.exec("UPDATE runs SET status = 'finished' WHERE id = \(run)") }) {
            XCTAssertTrue("\($0)".contains("runs.status must be"), "\($0)")
        }
        XCTAssertThrowsError(
            try store.connection.withLock { c in
                try c.exec(
                    """
                    INSERT INTO runs (sites, as_of, options, started_at, status)
                    SELECT sites, as_of, options, started_at, 'crashed' FROM runs WHERE id = \(run)
                    """)
            }
        ) { XCTAssertTrue("\($0)".contains("runs.status must be"), "\($0)") }
        XCTAssertEqual(try store.run(id: run)?.status, RunStatus.allCases.last)
    }
}
