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
}
