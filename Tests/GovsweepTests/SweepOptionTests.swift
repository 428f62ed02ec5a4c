import Foundation
import Sweep
import XCTest
@testable import govsweep

/// The flags, the site file's keys and the `init` template come from one table
/// (`SweepOption.all`): a key in one is in the others, and the template's values are the defaults.
final class SweepOptionTests: XCTestCase {
    /// The keys the template sets or shows (`name:` or `# name:` at the start of a line).
    func templateKeys() -> [String] {
        Init.template.split(separator: "\n").compactMap { line in
            let l = line.hasPrefix("# ") ? line.dropFirst(2) : line[...]
            guard let colon = l.firstIndex(of: ":"), colon > l.startIndex,
                l[..<colon].allSatisfy({ $0 == "-" || ($0.isASCII && $0.isLowercase) })
            else { return nil }
            return String(l[..<colon])
        }
    }

    /// The long flags `govsweep sweep --help` lists.
    func flags() -> Set<String> {
        let help = Sweep.helpMessage(columns: 400)
        var out: Set<String> = []
        for word in help.split(whereSeparator: { " ,\n<>[]".contains($0) }) where word.hasPrefix("--") {
            out.insert(String(word.dropFirst(2)))
        }
        return out.subtracting(["help", "version"])
    }

    func testFlagsSiteFileKeysAndTemplateAgree() {
        let names = SweepOption.all.map(\.name)
        XCTAssertEqual(names.count, Set(names).count, "an option listed twice")
        XCTAssertEqual(flags(), Set(names), "a flag of sweep without a table entry, or the reverse")
        XCTAssertEqual(SiteConfig.keys, Set(["urls"] + SweepOption.all.filter(\.inSiteFile).map(\.name)))
        let inTemplate = templateKeys()
        XCTAssertEqual(inTemplate.count, Set(inTemplate).count, "a key written twice: \(inTemplate)")
        XCTAssertEqual(
            Set(inTemplate),
            Set(["urls"] + SweepOption.all.filter { $0.templateLine() != nil }.map(\.name)),
            "the template leaves out an option the table shows, or writes one the table does not")
        XCTAssertTrue(Set(inTemplate).isSubset(of: SiteConfig.keys))
        for o in SweepOption.all {
            XCTAssertTrue(Sweep.helpMessage(columns: 400).contains(o.argumentHelp.abstract), "--\(o.name)'s help")
        }
    }

    /// The template, as `init` writes it, is a site file whose settings are the defaults.
    func testTemplateIsAValidSiteFileSetToTheDefaults() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("options-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("site.yaml")
        try Init.template.write(to: file, atomically: true, encoding: .utf8)
        let config = try SiteConfig(path: file.path)
        XCTAssertEqual(try config.list("urls"), ["https://www.example.gov.cn/"])
        let settings = try Sweep.parse(["--config", file.path, "--as-of", "2022-11-01"]).resolve()
        let defaults = SweepSettings(startURLs: settings.startURLs, asOf: settings.asOf)
        XCTAssertEqual(settings.crawl.maxPages, defaults.crawl.maxPages)
        XCTAssertEqual(settings.crawl.maxDepth, defaults.crawl.maxDepth)
        XCTAssertEqual(settings.crawl.concurrency, defaults.crawl.concurrency)
        XCTAssertEqual(settings.fetch.perHostConcurrency, defaults.fetch.perHostConcurrency)
        XCTAssertEqual(settings.fetch.totalTimeout, defaults.fetch.totalTimeout)
        XCTAssertEqual(settings.profileName, defaults.profileName)
        XCTAssertEqual(settings.failOn, .veto)
        // Every value the table sets to its default is that default, as the site file reads it.
        for o in SweepOption.all {
            guard case .setToDefault = o.example, let text = o.defaultText else { continue }
            XCTAssertEqual(try config.string(o), text, o.name)
        }
    }

    #if PostgreSQL  // govsweep worker exists only in a build with the trait
    /// `govsweep worker` takes the limits it shares with sweep through the same table entries:
    /// the same flags make the same settings, and a bad value the same error.
    func testWorkerLimitsAreSweepsLimits() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("workerlimits-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let flags = ["--max-pages", "7", "--max-depth", "3", "--per-host", "2", "--rate", "1.5", "--timeout", "2", "--no-external"]
        let sweepArgs = [
            "http://a.example.gov.cn/", "--as-of", "2022-11-01", "--store", dir.appendingPathComponent("s.sqlite").path, "--out", dir.path + "/out",
        ]
        for given in [flags, []] {
            let sweep = try Sweep.parse(sweepArgs + given).resolve()
            let worker = try Worker.parse(["--store", "postgres://u@db.example/fleet"] + given).template()
            XCTAssertEqual(worker.crawl.maxPages, sweep.crawl.maxPages, "\(given)")
            XCTAssertEqual(worker.crawl.maxDepth, sweep.crawl.maxDepth, "\(given)")
            XCTAssertEqual(worker.crawl.checkExternal, sweep.crawl.checkExternal, "\(given)")
            XCTAssertEqual(worker.fetch.perHostConcurrency, sweep.fetch.perHostConcurrency, "\(given)")
            XCTAssertEqual(worker.fetch.perHostRate, sweep.fetch.perHostRate, "\(given)")
            XCTAssertEqual(worker.fetch.totalTimeout, sweep.fetch.totalTimeout, "\(given)")
            XCTAssertEqual(worker.fetch.connectTimeout, sweep.fetch.connectTimeout, "\(given)")
            XCTAssertEqual(worker.fetch.maxConcurrency, sweep.fetch.maxConcurrency, "\(given)")
        }
        let set = try Worker.parse(["--store", "postgres://u@db.example/fleet"] + flags).template()
        XCTAssertEqual([set.crawl.maxPages, set.crawl.maxDepth, set.fetch.perHostConcurrency], [7, 3, 2])
        XCTAssertEqual([set.fetch.perHostRate, set.fetch.totalTimeout, set.fetch.connectTimeout], [1.5, 2, 2])
        XCTAssertFalse(set.crawl.checkExternal)
        func message(_ body: () throws -> SweepSettings) -> String? {
            do { _ = try body() } catch let f as UserFailure { return f.message } catch { return "\(error)" }
            return nil
        }
        let worker = ["--store", "postgres://u@db.example/fleet"]
        for bad in [["--max-pages", "0"], ["--per-host", "0"], ["--max-depth", "0"], ["--rate", "0"], ["--timeout", "0"]] {
            let fromSweep = message { try Sweep.parse(sweepArgs + bad).resolve() }
            XCTAssertNotNil(fromSweep, "\(bad)")
            XCTAssertEqual(message { try Worker.parse(worker + bad).template() }, fromSweep, "\(bad)")
        }
        XCTAssertEqual(message { try Worker.parse(worker + ["--timeout", "0"]).template() }, "--timeout 0.0: must be more than 0 seconds")
        XCTAssertEqual(message { try Worker.parse(worker + ["--per-host", "0"]).template() }, "--per-host 0: must be at least 1")
        // Each shared flag is the table's, with its help.
        let help = Worker.helpMessage(columns: 400)
        for option in [SweepOption.maxPages, .maxDepth, .perHost, .rate, .timeout, .noExternal] {
            XCTAssertTrue(help.contains("--\(option.name)"), option.name)
        }
    }
    #endif
}
