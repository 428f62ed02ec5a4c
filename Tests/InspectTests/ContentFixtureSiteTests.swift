import Foundation
@testable import Inspect
import InspectTesting
import Parse
import Sweep
import XCTest
@testable import Vocabulary

/// A site with planted content defects and a look-alike trap beside each; the content
/// checks must report exactly the planted ones. Prints each check's recall and precision.
final class ContentFixtureSiteTests: XCTestCase {
    static let host = "http://www.example.gov.cn"

    /// The fixture site on disk, shared with the command-line test (GovsweepTests serves it
    /// on 127.0.0.1 and sweeps it with --phones, --accounts and --wording).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../GovsweepTests/Fixtures/content-site").standardized

    /// Every HTML page of the site (feeds excluded), by path.
    static func pages() -> [(String, String)] {
        let site = root.appendingPathComponent("site")
        let files = FileManager.default.enumerator(atPath: site.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".html") && !$0.hasPrefix("feeds/") }.sorted()
        return files.map { f in
            let path = "/" + (f.hasSuffix("index.html") ? String(f.dropLast("index.html".count)) : f)
            return (path, try! String(contentsOf: site.appendingPathComponent(f), encoding: .utf8))
        }
    }

    /// `indicator|subject` of every planted defect (`planted.txt`).
    static var planted: Set<String> {
        let text = try! String(contentsOf: root.appendingPathComponent("planted.txt"), encoding: .utf8)
        return Set(text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty })
    }

    /// `accounts.csv`, each feed read from the site folder as the server would answer it.
    static func accountChecks() throws -> (AccountRegistry, [AccountCheck]) {
        let csv = try String(contentsOf: root.appendingPathComponent("accounts.csv"), encoding: .utf8)
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("accounts-\(UUID().uuidString).csv")
        try csv.replacingOccurrences(of: "{{base}}", with: host + "/").write(to: tmp, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let registry = try InputFiles.accounts(path: tmp.path)
        let checks = registry.entries.map { e in
            let file = root.appendingPathComponent("site" + e.feed.dropFirst(host.count))
            guard let data = FileManager.default.contents(atPath: file.path) else {
                return AccountCheck(account: e, status: 404, body: Array("Not Found".utf8))
            }
            return AccountCheck(account: e, status: 200, body: [UInt8](data))
        }
        return (registry, checks)
    }

    static let indicators: [Indicator] = [
        .phoneUnfiled, .phoneMalformed, .policyMetadata, .replyLate, .replyMissing, .wording,
        .newmediaStale, .newmediaUnreachable, .newmediaUnfiled, .serviceGuide, .consultChannel, .messageTimes,
    ]

    func testExactlyThePlantedContentDefects() throws {
        let (accounts, checks) = try Self.accountChecks()
        var content = ContentData(
            phones: PhoneRegistry(entries: [
                .init(department: "区政务服务管理局", number: "010-66012345", label: "总机", line: 1),
                .init(department: "区政务服务管理局", number: "12345", label: "热线", line: 2),
            ]), accounts: accounts)
        content.wording = try WordingDictionary.bundled.adding(lines: ["区人民政俯,区人民政府,serious"], file: "user.csv")
        var site = SiteFixture(host: Self.host)
        for (path, html) in Self.pages() { site.add(path, html) }
        let inspector = site.inspector(
            profile: try Profile.bundled(name: "xicheng-2022"), asOf: Day(iso: "2022-11-01")!,
            departments: DepartmentMap([
                .init(pattern: "/bm/fgw/", department: "区发展改革委"),
                .init(pattern: "/xmt/", department: "区融媒体中心"),
            ]), content: content)
        let indicators = Self.indicators
        // The 局长信箱 entry's page is not on the site: the link check finds it broken.
        let broken = LinkTarget(
            url: Self.host + "/bm/fgw/xx.html", status: 404, linkClass: .broken, reason: .none, isInternal: true,
            sources: [.init(from: Self.host + "/", kind: .a, text: "局长信箱")])
        let got = inspector.finish(linkTargets: [broken], homePages: [Self.host + "/"], accountChecks: checks)
            .filter { indicators.contains($0.indicator) }
        let keys = Set(got.map { "\($0.indicator.rawValue)|\($0.subject)" })
        for ind in indicators {
            let p = Self.planted.filter { $0.hasPrefix(ind.rawValue + "|") }
            let g = keys.filter { $0.hasPrefix(ind.rawValue + "|") }
            let hit = p.intersection(g).count
            print("content fixture \(ind.rawValue): recall \(hit)/\(p.count), precision \(hit)/\(g.count)")
        }
        XCTAssertEqual(keys, Self.planted)
        XCTAssertEqual(got.first { $0.subject == "01088887777" }?.department, "区发展改革委")
        XCTAssertEqual(got.first { $0.subject == "中华人民共合国" }?.severity, .veto)
        XCTAssertEqual(got.first { $0.indicator == .replyMissing }?.severity, .veto)
        let unfiled = got.first { $0.indicator == .newmediaUnfiled }
        XCTAssertEqual(unfiled?.url, Self.host + "/xmt/")
        XCTAssertEqual(unfiled?.department, "区融媒体中心")
        XCTAssertEqual(got.first { $0.indicator == .newmediaStale }?.department, "区政务服务管理局")
        XCTAssertEqual(got.first { $0.indicator == .newmediaStale }?.severity, .veto)
    }
}
