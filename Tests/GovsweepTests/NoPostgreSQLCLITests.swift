#if !PostgreSQL
import Foundation
import XCTest

/// A build without the PostgreSQL trait (the README's first command): what needs PostgreSQL
/// stops at once in one line, exit 2, naming the command that builds it in; the rest is as
/// it always was. The trait's own tests (FleetTests, PGStoreTests) run with `--traits PostgreSQL`.
extension CLITests {
    static let rebuild =
        "this build has no PostgreSQL support (fleet, worker, --store postgres://); rebuild with it: swift build -c release --traits PostgreSQL"

    func testWithoutPostgreSQLFleetWorkerAndPostgresStoreSayHowToRebuild() throws {
        let config = dir.appendingPathComponent("site.yaml")
        try "urls: [\"http://127.0.0.1:1/\"]\nstore: postgres://govsweep@127.0.0.1/govsweep\n".write(to: config, atomically: true, encoding: .utf8)
        for args in [
            ["fleet"], ["fleet", "init", "--store", "postgres://govsweep@127.0.0.1/govsweep"],
            ["fleet", "round", "--as-of", "2026-11-20", "--bogus"], ["worker"], ["worker", "--exit-when-idle"],
            ["sweep", "http://127.0.0.1:1/", "--store", "postgres://govsweep@127.0.0.1/govsweep", "--quiet"],
            ["sweep", "--config", config.path, "--quiet"],
            ["history", "--store", "postgresql://govsweep@127.0.0.1/govsweep"],
        ] {
            let r = try govsweep(args)
            XCTAssertEqual(r.code, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr, "govsweep: \(Self.rebuild)\n", "\(args)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Reports").path), "nothing written")
    }

    func testWithoutPostgreSQLHelpSaysSo() throws {
        let r = try govsweep(["--help"])
        XCTAssertEqual(r.code, 0)
        XCTAssertTrue(r.stdout.contains("This build has no PostgreSQL support"), r.stdout)
        XCTAssertTrue(r.stdout.contains("swift build -c release --traits PostgreSQL"), r.stdout)
        XCTAssertTrue(r.stdout.contains("fleet"), "the command is listed, with what to rebuild with")
    }
}
#endif
