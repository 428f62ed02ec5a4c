import Foundation
import Inspect
import Sweep
import XCTest

final class ProfileTests: XCTestCase {
    func testBundledProfiles() throws {
        let national = try Profile.bundled(name: "national-2019")
        XCTAssertEqual(national.categories.map(\.key), ["news", "notice", "personnel"])
        XCTAssertEqual(national.categories.map(\.windowDays), [14, 183, 365])
        XCTAssertEqual([national.veto.staleColumns, national.veto.unupdatedColumns, national.veto.blankColumns], [5, 10, 5])
        XCTAssertEqual(national.passMark, 60)
        XCTAssertEqual(national.category(ofColumn: "通知公告")?.key, "notice")
        XCTAssertEqual(national.category(ofColumn: "规划计划")?.key, "personnel")

        let xicheng = try Profile.bundled(name: "xicheng-2022")
        XCTAssertEqual(xicheng.lineage, ["national-2019"])
        XCTAssertEqual(xicheng.categories, national.categories)
        let items = Dictionary(uniqueKeysWithValues: xicheng.required.filter { $0.item > 0 }.map { ($0.item, $0) })
        XCTAssertEqual(Set(items.keys), [6, 12, 21, 31, 36, 44, 46, 48])
        XCTAssertEqual(items[21]?.name, "财政资金直达基层")
        XCTAssertEqual(items[21]?.department, "区财政局")
        XCTAssertEqual(items[12]?.department, "区卫生健康委")
        XCTAssertEqual(items[46]?.name, "现行有效规章")
        XCTAssertEqual(xicheng.required.count, national.required.count + 8)
    }

    /// The embedded copies must equal Rules/profiles (run Rules/embed-profiles.sh after editing).
    func testEmbeddedProfilesMatchTheFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in Profile.bundledNames {
            let path = root.appendingPathComponent("Rules/profiles/\(name).yaml").path
            let fromFile = try InputFiles.profile(path: path)
            let bundled = try Profile.bundled(name: name)
            XCTAssertEqual(fromFile.required, bundled.required, "\(name): run Rules/embed-profiles.sh")
            XCTAssertEqual(fromFile.categories, bundled.categories, "\(name): run Rules/embed-profiles.sh")
            XCTAssertEqual(fromFile.rules, bundled.rules, "\(name): run Rules/embed-profiles.sh")
        }
    }

    func error(_ yaml: String) -> String {
        do { _ = try Profile.load(yaml: yaml, file: "p.yaml"); return "no error" } catch { return "\(error)" }
    }

    func testErrorsNameFileAndLine() {
        // The list of keys grows as profiles learn settings: its head and some members are checked.
        let unknownKey = error("id: x\nextends: national-2019\nwindows: 3\n")
        XCTAssertTrue(
            unknownKey.hasPrefix(
                "p.yaml:3: unknown key \"windows\" (expected one of: id, name, source, extends, passMark, caps, categories, veto, homepageWindowDays, rules,"),
            unknownKey)
        for key in ["replyLimitDays", "availability", "newmediaWindowDays"] { XCTAssertTrue(unknownKey.contains(" \(key)"), unknownKey) }
        XCTAssertEqual(
            error("id: x\nextends: national-2019\nrules:\n  column.stael: {points: 1}\n"),
            "p.yaml:4: rules: unknown rule id \"column.stael\" (see `govsweep rules`)")
        // A finding's variant id is no rule: it passed a prefix match and configured nothing.
        XCTAssertEqual(
            error("id: x\nextends: national-2019\nrules:\n  column.stale.notice: {enabled: false}\n"),
            "p.yaml:4: rules: unknown rule id \"column.stale.notice\" (see `govsweep rules`)")
        XCTAssertEqual(
            error("id: x\nrules:\n  a11y.img-alt#template: {enabled: false}\n"),
            "p.yaml:3: rules: unknown rule id \"a11y.img-alt#template\" (see `govsweep rules`)")
        XCTAssertEqual(
            error("id: x\nextends: national-2019\ncategories:\n  news:\n    windowDays: two weeks\n"),
            "p.yaml:5: categories.news.windowDays: expected a whole number ≥ 1")
        XCTAssertEqual(
            error("id: x\nrules:\n  a11y.img-alt: {severity: fatal}\n"),
            "p.yaml:3: rules.a11y.img-alt.severity: expected veto, deduct or advice")
        XCTAssertEqual(error("id: x\ncaps: {links: 3}\n").prefix(38), "p.yaml:2: caps: unknown indicator \"lin")
        XCTAssertEqual(error("id: x\nextends: nowhere\n").prefix(47), "p.yaml:2: extends \"nowhere\": no such profile (b")
        XCTAssertTrue(error("id: x\nrules: [unclosed\n").hasPrefix("p.yaml:3: not valid YAML"), error("id: x\nrules: [unclosed\n"))
        XCTAssertEqual(error("id: x\nveto: {staleCategories: [news, gossip]}\n"), "p.yaml:2: veto.staleCategories: unknown category \"news\" (defined: )")
    }

    func testAvailabilitySettings() throws {
        let national = try Profile.bundled(name: "national-2019")
        XCTAssertEqual(national.availability, Profile.Availability())
        XCTAssertEqual(try Profile.bundled(name: "xicheng-2022").availability.vetoShare, 0.05, "inherited")
        let p = try Profile.load(yaml: "id: x\nextends: national-2019\navailability: {homepageShare: 0.02, homepagePoints: 3}\n", file: "a.yaml")
        XCTAssertEqual(p.availability.homepageShare, 0.02)
        XCTAssertEqual(p.availability.homepagePoints, 3)
        XCTAssertEqual(p.availability.probesPerDay, 20)
        XCTAssertEqual(error("id: x\navailability: {vetoShare: 5}\n"), "p.yaml:2: availability.vetoShare: expected a share between 0 and 1 (0.05 is 5%)")
        XCTAssertEqual(
            error("id: x\navailability:\n  dayz: 7\n"),
            "p.yaml:3: unknown key \"dayz\" in availability (expected one of: days, probesPerDay, timeoutSeconds, vetoShare, homepageShare, homepagePoints)")
        XCTAssertEqual(error("id: x\navailability: {homepageShare: 0.1}\n"), "p.yaml:2: availability: homepageShare 0.1 is above vetoShare 0.05")
    }

    func testOverrideSingleValues() throws {
        let p = try Profile.load(
            yaml: "id: strict\nextends: national-2019\ncategories:\n  news: {windowDays: 7}\nrules:\n  a11y.img-alt: {severity: deduct, points: 0.2}\n",
            file: "s.yaml")
        XCTAssertEqual(p.categories.first?.windowDays, 7)
        XCTAssertEqual(p.categories.first?.keywords.first, "动态")
        XCTAssertEqual(p.rules["a11y.img-alt"]?.points, 0.2)
        XCTAssertEqual(p.rules["column.stale"]?.points, 1)
    }

    func testLoadFromFileExtendsASibling() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "id: base\npassMark: 70\ncategories:\n  news: {windowDays: 10, keywords: [动态]}\n".write(
            to: dir.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        try "id: child\nextends: base\nhomepageWindowDays: 7\nbogus: 1\n".write(to: dir.appendingPathComponent("child.yaml"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try InputFiles.profile(path: dir.appendingPathComponent("child.yaml").path)) { e in
            XCTAssertTrue("\(e)".contains("child.yaml:4: unknown key \"bogus\" (expected one of: id, name, source, extends, passMark,"), "\(e)")
        }
        try "id: child\nextends: base\nhomepageWindowDays: 7\n".write(to: dir.appendingPathComponent("child.yaml"), atomically: true, encoding: .utf8)
        let p = try InputFiles.profile(path: dir.appendingPathComponent("child.yaml").path)
        XCTAssertEqual(p.passMark, 70)
        XCTAssertEqual(p.homepageWindowDays, 7)
    }
}
