import Demo
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LocalServer
import Report
import Sweep
import Vocabulary
import XCTest

/// `govsweep demo --fleet`'s sites: variants of the demo portal under other names, owners and
/// regions, served on their own ports, with a SITES.csv for `govsweep fleet add`.
final class DemoFleetTests: XCTestCase {
    let asOf = DemoDate(year: 2026, month: 12, day: 1)

    func testPlanSpreadsNamesRegionsAndVerdicts() {
        let plan = DemoFleet.plan(count: 30)
        XCTAssertEqual(plan.count, 30)
        XCTAssertEqual(Set(plan.map(\.name)).count, 30, "names are unique")
        XCTAssertEqual(Set(plan.map(\.region)).count, 7)
        XCTAssertGreaterThan(Set(plan.map(\.owner)).count, 20)
        XCTAssertEqual(plan.filter { !$0.reachable }.count, 2, "sites 15 and 30 cannot be reached")
        let passing = plan.filter { $0.reachable && $0.first.expectedVetoes.isEmpty }.count
        XCTAssertEqual(passing, 15, "half pass")
        XCTAssertEqual(
            Set(plan.flatMap(\.first.expectedVetoes)), ["homepage-stale", "reply-missing", "wording", "newmedia-stale"])
        XCTAssertGreaterThan(Set(plan.map(\.first.brokenLinks)).count, 5, "scores spread")
        // The second round: some sites fixed, some newly failing, scores moved.
        let reachable = plan.filter(\.reachable)
        let newlyPassing = reachable.filter { !$0.first.expectedVetoes.isEmpty && $0.second.expectedVetoes.isEmpty }.count
        let newlyFailing = reachable.filter { $0.first.expectedVetoes.isEmpty && !$0.second.expectedVetoes.isEmpty }.count
        XCTAssertEqual([newlyPassing, newlyFailing], [10, 6])
        XCTAssertGreaterThan(plan.filter { $0.first.brokenLinks != $0.second.brokenLinks }.count, 20)
        XCTAssertEqual(DemoFleet.plan(count: 30), plan, "deterministic")
        XCTAssertEqual(plan[0].name, "示范市人民政府门户网站")
        XCTAssertEqual(plan[7].owner, "示范市教育局")
    }

    func page(_ path: String, _ changes: Set<DemoFleet.Change>, brokenLinks: Int = 0) throws -> String {
        let req = ServerRequest(method: "GET", target: path, path: path, query: nil, headers: ["host": "127.0.0.1:8080"])
        let patches = DemoFleet.patches(changes, brokenLinks: brokenLinks, asOf: asOf)
        guard case .full(let status, _, let body) = DemoPortal.respond(req, asOf: asOf, externalBase: "http://127.0.0.1:9/", patches: patches) else {
            XCTFail("\(path): not a full response")
            return ""
        }
        XCTAssertEqual(status, 200, path)
        return String(decoding: body, as: UTF8.self)
    }

    /// Every change patches its page (the text it replaces is still in the shipped portal).
    func testEveryChangeAppliesToItsPage() throws {
        for change in DemoFleet.Change.allCases {
            let patches = DemoFleet.patches([change], asOf: asOf)
            XCTAssertFalse(patches.isEmpty, change.rawValue)
            for p in patches {
                XCTAssertNotEqual(try page(p.path, [change]), try page(p.path, []), "\(change.rawValue) changes \(p.path)")
                if !p.find.isEmpty { XCTAssertTrue(try page(p.path, []).contains(p.find), "\(change.rawValue): \(p.find)") }
            }
        }
        XCTAssertFalse(try page("/hdjl/", [.replyAnswered]).contains("未答复"))
        XCTAssertTrue(try page("/hdjl/", [.replyAnswered]).contains("<td>2026-08-06</td>"), "answered 3 days after 120 days ago")
        XCTAssertFalse(try page("/ywdt/art_1004.html", [.wordingCorrected]).contains("示范区人民政俯"))
        XCTAssertTrue(try page("/xmt/feeds/zwfw-wx.atom", [.feedFresh]).contains("2026-11-23T09:00:00+08:00"), "8 days old")
        let home = try page("/", [], brokenLinks: 3)
        XCTAssertTrue(home.contains("/xxgk/old_3.html"))
        XCTAssertFalse(home.contains("/xxgk/old_4.html"))
        XCTAssertEqual(try page("/ywdt/", Set(DemoFleet.Change.allCases)), try page("/ywdt/", []), "other pages as shipped")
    }

    func testServesVariantsAndWritesSitesCSV() throws {
        let fleet = try DemoFleet(asOf: asOf, count: 16)
        defer { fleet.stop() }
        XCTAssertEqual(Set(fleet.sites.map(\.url)).count, 16)
        func fetch(_ url: String) -> (Int, String) {
            final class Box: @unchecked Sendable { var result: (Int, String) = (0, "") }
            let box = Box()
            let done = DispatchSemaphore(value: 0)
            URLSession.shared.dataTask(with: URL(string: url)!) { data, response, _ in
                box.result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
                done.signal()
            }.resume()
            done.wait()
            return box.result
        }
        // Site 1 answers the message; site 10 is the portal as shipped, and fixed later; site 15 refuses.
        XCTAssertFalse(fetch(fleet.sites[0].url + "hdjl/").1.contains("未答复"))
        XCTAssertTrue(fetch(fleet.sites[9].url + "hdjl/").1.contains("未答复"))
        XCTAssertFalse(fleet.isAdvanced)
        fleet.advance()
        XCTAssertFalse(fetch(fleet.sites[9].url + "hdjl/").1.contains("未答复"))
        XCTAssertFalse(fleet.sites[14].reachable)
        XCTAssertEqual(fetch(fleet.sites[14].url).0, 0, "connection refused")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try fleet.writeSitesCSV(to: dir)
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        XCTAssertEqual(lines[0], ["url", "name", "owner", "region", "departments", "phones", "accounts", "wording"])
        XCTAssertEqual(lines.count, 17)
        for (row, site) in zip(lines.dropFirst(), fleet.sites) {
            XCTAssertEqual(row.prefix(4), [site.url, site.name, site.owner, "\(site.region) \(site.regionName)"])
            for file in row[4...] { XCTAssertTrue(FileManager.default.fileExists(atPath: file), file) }
            // Each site's accounts file names its own feeds.
            XCTAssertTrue(try String(contentsOfFile: row[6], encoding: .utf8).contains(site.url + "xmt/feeds/"), row[6])
        }
    }

    /// A sweep of a passing variant and of a vetoed one, with SITES.csv's inputs, reports what
    /// the plan says.
    func testVariantsSweepToTheirPlannedVerdicts() async throws {
        let fleet = try DemoFleet(asOf: asOf, count: 5)
        defer { fleet.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try fleet.writeSitesCSV(to: dir)
        let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        for i in [1, 4] {
            let site = fleet.sites[i], row = rows[i]
            // The first state is the sites a fortnight before the second's date.
            XCTAssertEqual(fleet.firstAsOf, asOf.adding(days: -14))
            var settings = SweepSettings(startURLs: [CrawlURL(site.url)!], asOf: fleet.firstAsOf.calendarDay)
            settings.out = dir.appendingPathComponent("out-\(i)").path
            settings.storePath = dir.appendingPathComponent("s.sqlite").path
            (settings.departmentsPath, settings.phonesPath, settings.accountsPath, settings.wordingPath) = (row[4], row[5], row[6], row[7])
            settings.fetch.totalTimeout = 5
            settings.quiet = true
            try settings.loadInputs()
            let code = try await SweepJob(settings: settings, printSummary: false).run()
            XCTAssertEqual(code, 0)
            let json = try XCTUnwrap(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: settings.out + "/findings.json"))) as? [String: Any])
            XCTAssertEqual(json["vetoes"] as? [String], site.first.expectedVetoes, "site \(i + 1)")
            XCTAssertEqual(json["verdict"] as? String, site.first.expectedVetoes.isEmpty ? "pass" : "fail", "site \(i + 1)")
        }
    }

    /// Two rounds of the demo fleet swept site by site (the SQLite path, no fleet database) and
    /// summarised: the summary's counts are the plan's. GOVSWEEP_FLEET_SAMPLE=DIR sweeps all 30
    /// sites and writes DIR/index.html and DIR/sites.csv (the summary checked in Chromium).
    func testDemoFleetRoundsSummarise() async throws {
        let sample = ProcessInfo.processInfo.environment["GOVSWEEP_FLEET_SAMPLE"]
        let fleet = try DemoFleet(asOf: asOf, count: sample == nil ? 16 : 30)
        defer { fleet.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try fleet.writeSitesCSV(to: dir)
        let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let out = sample.map { URL(fileURLWithPath: $0) } ?? dir.appendingPathComponent("summary")

        func sweepRound(_ round: Int) async throws -> [RoundSiteResult] {
            var results: [RoundSiteResult] = []
            for (i, (site, row)) in zip(fleet.sites, rows).enumerated() {
                let folder = String(format: "round-%d/%02d", round, i + 1)
                // Each round as of its state's date: the first a fortnight before the second.
                var settings = SweepSettings(startURLs: [CrawlURL(site.url)!], asOf: (round == 1 ? fleet.firstAsOf : asOf).calendarDay)
                settings.out = out.appendingPathComponent(folder).path
                settings.storePath = dir.appendingPathComponent("s.sqlite").path
                (settings.departmentsPath, settings.phonesPath, settings.accountsPath, settings.wordingPath) = (row[4], row[5], row[6], row[7])
                settings.fetch.totalTimeout = 5
                settings.quiet = true
                try settings.loadInputs()
                do {
                    _ = try await SweepJob(settings: settings, printSummary: false).run()
                    let doc = try JSONDecoder().decode(FindingsDocument.self, from: Data(contentsOf: URL(fileURLWithPath: settings.out + "/findings.json")))
                    results.append(
                        RoundSiteResult(
                            document: doc, name: site.name, owner: site.owner, region: site.region, regionName: site.regionName,
                            reportPath: folder + "/"))
                } catch let e as UserFailure {
                    results.append(
                        RoundSiteResult(
                            name: site.name, url: site.url, owner: site.owner, region: site.region, regionName: site.regionName,
                            status: .failed(reason: e.message)))
                }
            }
            return results
        }
        let first = try await sweepRound(1)
        fleet.advance()
        let second = try await sweepRound(2)
        let input = RoundSummaryInput(
            roundID: 2, asOf: asOf.calendarDay, generatedAt: "2026-12-01T18:00:00+08:00", profile: "national-2019", sites: second,
            previous: .init(roundID: 1, asOf: fleet.firstAsOf.calendarDay, sites: first))
        try RoundSummary.write(input, to: out)

        // Every sweep concluded as planned.
        for (site, r) in zip(fleet.sites, second) {
            XCTAssertEqual(r.vetoes.map(\.rawValue), site.reachable ? site.second.expectedVetoes : [], site.name)
            XCTAssertEqual(r.status == .done, site.reachable, site.name)
        }
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        func count(_ id: String) -> String? {
            guard let r = html.range(of: "id=\"\(id)\">") else { return nil }
            return String(html[r.upperBound...].prefix { $0 != "<" })
        }
        let reachable = fleet.sites.filter(\.reachable)
        XCTAssertEqual(count("count-passed"), String(reachable.filter { $0.second.expectedVetoes.isEmpty }.count))
        XCTAssertEqual(count("count-not-swept"), String(fleet.sites.count - reachable.count))
        XCTAssertEqual(
            count("newly-passing-count"),
            String(reachable.filter { !$0.first.expectedVetoes.isEmpty && $0.second.expectedVetoes.isEmpty }.count))
        XCTAssertEqual(
            count("newly-failing-count"),
            String(reachable.filter { $0.first.expectedVetoes.isEmpty && !$0.second.expectedVetoes.isEmpty }.count))
        XCTAssertTrue(html.contains("href=\"round-2/01/report.html\""))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("round-2/01/report.html").path))
    }
}
