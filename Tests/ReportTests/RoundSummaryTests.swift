import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Report
import XCTest
import Vocabulary

/// The fleet round summary (index.html and sites.csv) over `RoundSummaryFixture`'s round 7,
/// whose every figure is worked out in the fixture's comments.
final class RoundSummaryTests: XCTestCase {
    typealias F = RoundSummaryFixture

    func page(_ input: RoundSummaryInput = F.input()) throws -> ParsedReport {
        try ParsedReport(RoundSummary.html(input))
    }

    /// The first cell of each body row's site column (names), as the reader sees it.
    func names(_ page: ParsedReport, table: String) throws -> [String] {
        try page.nodes("//table[@id='\(table)']/tbody/tr/th[1]").map {
            ($0.stringValue ?? "").components(separatedBy: "http").first ?? ""
        }
    }

    func testRankingByScoreThenVerdictWithTiesSharingARank() throws {
        let p = try page()
        let rows = try p.rows(table: "ranking-table")
        XCTAssertEqual(
            try p.nodes("//table[@id='ranking-table']/tbody/tr/@data-url").compactMap(\.stringValue),
            [F.a, F.d, F.c, F.b, F.g, F.e, F.f].map(\.url), "score; pass before fail; then name; unscored last by name (= before 东)")
        XCTAssertEqual(rows.map { $0[0] }, ["1", "2", "2", "4", "5", "—", "—"])
        XCTAssertEqual(rows.map { $0[4] }, ["95", "88", "88", "88", "55", "—", "—"])
        XCTAssertEqual(rows.map { $0[5] }, ["合格", "合格", "合格", "不合格", "不合格", "检查失败", "未开始（排队中）"])
        XCTAssertEqual(rows[3][6], "栏目不更新", "b's veto")
        XCTAssertEqual(rows[4][7], "缺少必设栏目 −20；链接不可用 −15", "the two biggest losses")
        XCTAssertEqual(rows.map { $0[10] }, ["+5", "—", "+8", "−4", "−5", "—", "—"], "d is new this round")
        // Each swept site links its report.html; a folder without a slash gets one.
        let links = try p.nodes("//table[@id='ranking-table']/tbody/tr/th/a/@href").compactMap(\.stringValue)
        XCTAssertEqual(
            links,
            ["sites/0001-a/report.html", "sites/0004-d/report.html", "sites/0003-c/report.html", "sites/0002-b/report.html", "sites/0007-g/report.html"])
        XCTAssertEqual(RoundSummary.reportHref("sites/第 1 #站?/"), "sites/%E7%AC%AC%201%20%23%E7%AB%99%3F/report.html")
        XCTAssertEqual(RoundSummary.reportHref("x/summary.html"), "x/summary.html")
    }

    func testHeadlineCountsOnlySweptSitesInRatesAndMeans() throws {
        let p = try page()
        XCTAssertEqual(try p.value(id: "count-sites"), "7")
        XCTAssertEqual(try p.value(id: "count-swept"), "5")
        XCTAssertEqual(try p.value(id: "count-passed"), "3")
        XCTAssertEqual(try p.value(id: "count-failed"), "2")
        XCTAssertEqual(try p.value(id: "pass-rate"), "60.0%")
        XCTAssertEqual(try p.value(id: "mean-score"), "82.8", "(95 + 88 × 3 + 55) / 5")
        XCTAssertEqual(try p.value(id: "count-vetoes"), "1")
        XCTAssertEqual(try p.value(id: "count-not-swept"), "2")
        let lead = try XCTUnwrap(p.value(id: "lead"))
        XCTAssertTrue(lead.hasPrefix("本轮共检查政府网站 7 个，完成检查 5 个。其中合格 3 个、不合格 2 个，合格率 60.0%，平均得分 82.8 分；1 个网站存在单项否决问题（共 1 项）；另有 2 个网站未完成检查"), lead)
        // Round 6's mean: (90 + 92 + 80 + 60 + 75 + 70) / 6 = 77.83…; +4.97.
        XCTAssertTrue(lead.contains("与第 6 轮（2026-11-01）相比，平均得分提高 4.97 分，新增不合格 2 个，转为合格 1 个，消除单项否决 1 项，新增单项否决 1 项。"), lead)
        XCTAssertEqual(
            try p.nodes("//*[@id='lead-failing']/a").compactMap(\.stringValue), [F.b.name, F.g.name])
    }

    func testRegionAndOwnerSubtotalsAddUpToTheTotal() throws {
        let p = try page()
        let regions = try p.rows(table: "regions-table")
        // 地区, 网站数, 完成, 合格, 不合格, 合格率, 平均, 最低, 否决, 未完成
        XCTAssertEqual(
            regions,
            [
                ["示范市（110100）", "3", "2", "2", "0", "100.0%", "91.5", "88", "0", "1"],
                ["东城区（110101）", "2", "1", "0", "1", "0.0%", "88.0", "88", "1", "1"],
                ["西城区（110102）", "2", "2", "1", "1", "50.0%", "71.5", "55", "0", "0"],
            ])
        let total = try p.nodes("//table[@id='regions-table']/tfoot/tr/*").map { $0.stringValue ?? "" }
        XCTAssertEqual(total, ["合计", "7", "5", "3", "2", "60.0%", "82.8", "55", "1", "2"])
        let owners = try p.rows(table: "owners-table")
        XCTAssertEqual(owners.count, 7, "every owner is its own row here")
        for column in 1...4 {
            XCTAssertEqual(owners.map { Int($0[column]) ?? -1 }.reduce(0, +), Int(total[column]), "column \(column)")
        }
        XCTAssertEqual(try p.nodes("//table[@id='owners-table']/tfoot/tr/*").map { $0.stringValue ?? "" }, total)
        // The chart shows the same per region: passed, failed, not swept.
        XCTAssertEqual(try p.nodes("//*[local-name()='svg'][@id='chart-regions']").count, 1)
    }

    func testIndicatorsThatCostMostVetoesFirstThenPoints() throws {
        let rows = try page().rows(table: "indicator-table")
        // 指标, 否决网站数, 失分网站数, 失分合计, 平均每站, 占比. Unswept sites add nothing.
        XCTAssertEqual(
            rows.map { $0[0] }, ["栏目不更新 column-stale", "链接不可用 link-broken", "无障碍与适老化 a11y", "缺少必设栏目 column-missing", "表述错误 wording", "电话未备案 phone-unfiled"])
        XCTAssertEqual(rows[0].dropFirst().prefix(3), ["1", "0", "0"], "a veto without points; g's 0 is no loss")
        XCTAssertEqual(rows[1].dropFirst(), ["0", "4", "34", "6.8", "39.5%"], "3 + 4 + 12 + 15 of 86 over 5 swept sites")
        XCTAssertEqual(rows[2].dropFirst().prefix(3), ["0", "3", "22"], "2 + 10 + 10")
    }

    func testChangesSincePreviousRoundMatchedByURL() throws {
        let p = try page()
        XCTAssertEqual(try p.value(id: "newly-failing-count"), "2")
        XCTAssertEqual(
            try p.nodes("//table[@id='newly-failing']/tbody/tr/@data-url").compactMap(\.stringValue), [F.b.url, F.g.url],
            "e was passing but is not swept now: not counted as failing")
        XCTAssertEqual(try p.nodes("//table[@id='newly-passing']/tbody/tr/@data-url").compactMap(\.stringValue), [F.c.url])
        let vetoRows = try p.rows(table: "veto-changes")
        XCTAssertEqual(vetoRows.map { Array($0.dropFirst(2)) }, [["网站无法访问", "—"], ["—", "栏目不更新"]], "in ranking order: c, b")
        XCTAssertEqual(try p.nodes("//table[@id='score-drops']/tbody/tr/@data-url").compactMap(\.stringValue), [F.g.url, F.b.url])
        XCTAssertEqual(try p.nodes("//table[@id='score-rises']/tbody/tr/@data-url").compactMap(\.stringValue), [F.c.url, F.a.url])
        XCTAssertEqual(try p.rows(table: "score-rises").map { $0[4] }, ["+8", "+5"])
        XCTAssertTrue(try XCTUnwrap(p.value(id: "dropped")).contains("已关停网站（http://h.example/）"))
        // Without a previous round: a note, no tables.
        let first = try page(F.input(previous: nil))
        XCTAssertNotNil(try first.value(id: "changes-none"))
        XCTAssertTrue(try first.nodes("//table[@id='newly-failing']").isEmpty)
        XCTAssertEqual(try first.rows(table: "ranking-table").map { $0[10] }, Array(repeating: "—", count: 7))
    }

    func testNotSweptSitesWithReasons() throws {
        let rows = try page().rows(table: "not-swept-table")
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[1][3], "未开始（排队中）")
        XCTAssertEqual(rows[1][4], "汇总时该网站的检查尚未结束")
        XCTAssertEqual(rows[0][3], "检查失败")
        XCTAssertEqual(rows[0][4], "无法访问：连接被拒绝,重试 3 次\n最后一次 <15 秒>")
        // The sweep's own failure gets a Chinese sentence, the original beside it.
        var input = F.input()
        input.sites[0].status = .failed(
            reason: "no start URL could be fetched: http://e.example/: refused; http://e.example/x: HTTP 503; http://e.example/y: refused")
        let cell = try page(input).rows(table: "not-swept-table")[0][4]
        XCTAssertTrue(cell.hasPrefix("首页无法访问（连接被拒绝、HTTP 503）no start URL could be fetched: "), cell)
        XCTAssertNil(RoundSummary.reasonZh("lease lost"))
    }

    /// Markup in a name, owner, URL or reason is text, never markup; the page stays well-formed,
    /// self-contained and accessible like report.html.
    func testEscapingAndSelfContained() throws {
        let html = RoundSummary.html(F.input())
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertTrue(html.contains("=卫健委&lt;script&gt;alert(1)&lt;/script&gt;"))
        let p = try ParsedReport(html)
        XCTAssertEqual(try p.nodes("/html/@lang").first?.stringValue, "zh-CN")
        let row = try XCTUnwrap(p.nodes("//table[@id='ranking-table']/tbody/tr[@data-url='\(F.e.url)']").first)
        XCTAssertEqual(try row.nodes(forXPath: "td[2]").first?.stringValue, F.e.owner)
        XCTAssertTrue((try row.nodes(forXPath: "th").first?.stringValue ?? "").hasPrefix(F.e.name))
        for needle in ["<link", "<img", "<script", "@import", "url(", "src="] { XCTAssertFalse(html.contains(needle), needle) }
        for th in try p.nodes("//th") { XCTAssertNotNil((th as? XMLElement)?.attribute(forName: "scope"), th.xmlString) }
        let ids = try p.nodes("//@id").compactMap(\.stringValue)
        XCTAssertEqual(ids.count, Set(ids).count)
        let order = ["id=\"counts\"", "id=\"ranking\"", "id=\"regions\"", "id=\"owners\"", "id=\"indicators\"", "id=\"changes\"", "id=\"not-swept\""]
        let positions = order.compactMap { html.range(of: $0)?.lowerBound }
        XCTAssertEqual(positions.count, order.count)
        XCTAssertEqual(positions, positions.sorted())
    }

    func testCSVColumnsBOMAndQuoting() throws {
        let text = RoundSummary.csv(F.input())
        XCTAssertTrue(text.hasPrefix("\u{FEFF}排名 rank,网站名称 name,"), "a BOM, like the department lists")
        XCTAssertTrue(text.hasSuffix("\r\n"))
        let rows = parseCSV(String(text.dropFirst()))
        let header = rows[0]
        XCTAssertEqual(header, RoundSummary.csvHeader)
        XCTAssertEqual(header.count, 18 + Indicator.allCases.count)
        XCTAssertEqual(rows.count, 8)
        for r in rows { XCTAssertEqual(r.count, header.count, r.joined(separator: "|")) }
        func col(_ row: [String], _ name: String) -> String { row[header.firstIndex(of: name)!] }
        XCTAssertEqual(rows.dropFirst().map { col($0, "网址 url") }, [F.a, F.d, F.c, F.b, F.g, F.e, F.f].map(\.url))
        let b = rows[4]
        XCTAssertEqual(col(b, "排名 rank"), "4")
        XCTAssertEqual(col(b, "得分 score"), "88")
        XCTAssertEqual(col(b, "结论 verdict"), "不合格")
        XCTAssertEqual(col(b, "单项否决 vetoes"), "column-stale")
        XCTAssertEqual(col(b, "失分合计 points lost"), "12")
        XCTAssertEqual(col(b, "上轮得分 previous score"), "92")
        XCTAssertEqual(col(b, "得分变化 score change"), "-4")
        XCTAssertEqual(col(b, "上轮结论 previous verdict"), "合格")
        XCTAssertEqual(col(b, "报告 report"), "sites/0002-b")
        XCTAssertEqual(col(b, "失分 link-broken"), "4")
        XCTAssertEqual(col(b, "失分 a11y"), "")
        let e = rows[6]
        XCTAssertEqual(col(e, "网站名称 name"), "'" + F.e.name, "a leading = is not run as a formula")
        XCTAssertEqual(col(e, "状态 status"), "检查失败")
        XCTAssertEqual(col(e, "未完成原因 reason"), "无法访问：连接被拒绝,重试 3 次\n最后一次 <15 秒>")
        XCTAssertEqual(col(e, "得分 score"), "")
    }

    func testWriteReplacesBothFilesOrNeither() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("round-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = root.appendingPathComponent("out")
        try RoundSummary.write(F.input(), to: dir)
        let listing = { try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() }
        XCTAssertEqual(try listing(), ["index.html", "sites.csv"])
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8), RoundSummary.html(F.input()))
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("sites.csv")), Data(RoundSummary.csv(F.input()).utf8))
        // A second write replaces both (the sites' folders beside them stay).
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sites"), withIntermediateDirectories: true)
        try RoundSummary.write(F.input(previous: nil), to: dir)
        XCTAssertEqual(try listing(), ["index.html", "sites", "sites.csv"])
        XCTAssertTrue(try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8).contains("changes-none"))
        // sites.csv cannot be replaced (a directory is in its place): index.html keeps the old summary, no temporary file stays.
        let before = try Data(contentsOf: dir.appendingPathComponent("index.html"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("sites.csv"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sites.csv"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try RoundSummary.write(F.input(), to: dir)) { error in
            XCTAssertTrue("\(error)".contains("cannot write the round summary"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("index.html")), before)
        XCTAssertEqual(try listing(), ["index.html", "sites", "sites.csv"])
        // DIR is a file: nothing is written.
        let file = root.appendingPathComponent("plain")
        try Data("x".utf8).write(to: file)
        XCTAssertThrowsError(try RoundSummary.write(F.input(), to: file))
        XCTAssertEqual(try Data(contentsOf: file), Data("x".utf8))
    }

    /// A site's row from its findings.json: deductions are the capped points the score counts.
    func testSiteResultFromFindingsDocument() {
        let doc = ReportFixture.document()
        let r = RoundSiteResult(
            document: doc, name: "示范区", owner: "示范区人民政府", region: "110199", reportPath: "sites/1/",
            caps: ReportFixture.caps)
        XCTAssertEqual(r.url, ReportFixture.site)
        XCTAssertEqual(r.status, .done)
        XCTAssertEqual(r.score, doc.score)
        XCTAssertEqual(r.verdict, .fail)
        XCTAssertEqual(r.vetoes, [.columnStale])
        XCTAssertEqual(r.deductions, [.linkBroken: 1, .columnMissing: 2], "four broken links of 0.4 capped at 1")
        XCTAssertEqual(100 - r.deductions.values.reduce(0, +), doc.score)
        XCTAssertEqual(r.findings, ReportFixture.findings.count)
        XCTAssertEqual(r.pages, 10)
    }

    /// A province of 40 sites renders well-formed; with GOVSWEEP_ROUND_SAMPLE=DIR it is also
    /// written there, for scripts/screenshot-report.sh.
    func testProvinceSampleRenders() throws {
        let input = F.province()
        XCTAssertEqual(input.sites.count, 40)
        let p = try ParsedReport(RoundSummary.html(input))
        XCTAssertEqual(try p.rows(table: "ranking-table").count, 40)
        XCTAssertEqual(try p.rows(table: "regions-table").count, 9)
        XCTAssertEqual(try p.rows(table: "not-swept-table").count, 2)
        XCTAssertFalse(try p.rows(table: "indicator-table").isEmpty)
        if let out = ProcessInfo.processInfo.environment["GOVSWEEP_ROUND_SAMPLE"] {
            try RoundSummary.write(input, to: URL(fileURLWithPath: out))
        }
    }
}
