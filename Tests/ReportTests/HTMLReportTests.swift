import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Inspect
@testable import Report
import XCTest
import Vocabulary

final class HTMLReportTests: XCTestCase {
    func testReportIsWellFormedSelfContainedAndAccessible() throws {
        let html = HTMLReport.render(ReportFixture.document(), history: ReportFixture.history, context: ReportFixture.context)
        let page = try ParsedReport(html)
        XCTAssertEqual(try page.nodes("/html/@lang").first?.stringValue, "zh-CN")
        XCTAssertEqual(try page.nodes("/html/head/title").first?.stringValue?.isEmpty, false)
        // Nothing fetched: no external stylesheet, script, image or font.
        for needle in ["<link", "<img", "<script src", "@import", "url("] {
            XCTAssertFalse(html.contains(needle), needle)
        }
        // Every chart is an image with a title and a description, and a data table follows it.
        let charts = try page.nodes("//*[local-name()='svg']")
        XCTAssertEqual(charts.count, 4, "indicators, departments, columns, trend")
        for chart in charts {
            XCTAssertEqual(try chart.nodes(forXPath: "@role").first?.stringValue, "img")
            let labelled = (try chart.nodes(forXPath: "@aria-labelledby").first?.stringValue ?? "").split(separator: " ").map(String.init)
            XCTAssertEqual(labelled.count, 2)
            for id in labelled { XCTAssertFalse(try page.value(id: id)?.isEmpty ?? true, id) }
        }
        // Every table header cell has a scope; every table has a caption or is the counts row.
        let ths = try page.nodes("//th")
        XCTAssertFalse(ths.isEmpty)
        for th in ths { XCTAssertNotNil((th as? XMLElement)?.attribute(forName: "scope"), th.xmlString) }
        // ids are unique (duplicate-id).
        let ids = try page.nodes("//@id").compactMap(\.stringValue)
        XCTAssertEqual(ids.count, Set(ids).count)
        // A4 print.
        XCTAssertTrue(html.contains("@media print"))
        XCTAssertTrue(html.contains("@page{size:A4"))
        // Sections in the order a reader needs them: the verdict, vetoes, what to fix first …
        let order = [
            "id=\"verdict\"", "id=\"vetoes\"", "id=\"fix-first\"", "id=\"indicators\"", "id=\"departments\"",
            "id=\"columns\"", "id=\"trend\"", "id=\"changes\"", "id=\"findings\"",
        ]
        let positions = order.map { html.range(of: $0)?.lowerBound }
        XCTAssertFalse(positions.contains(nil))
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted())
    }

    /// What the crawl cut (skip reasons) is said in the report and summary.md, most first, in
    /// Chinese; findings.json keeps only the sum.
    func testSkipReasonsAreShown() throws {
        var context = ReportFixture.context
        context.skippedByReason = ["sitemap-max-pages": 45_001, "sitemap-cycle": 2, "robots": 0, "future-reason": 1]
        let page = try ParsedReport(HTMLReport.render(ReportFixture.document(), context: context))
        let line = try XCTUnwrap(page.value(id: "pages"))
        XCTAssertTrue(line.contains("站点地图中超出页数上限的网址 45001、站点地图索引重复列出的文件 2、future-reason 1"), line)
        XCTAssertFalse(line.contains("robots"), "a reason counted 0 times is left out")
        let md = Summary.markdown(ReportFixture.document(), context: context)
        XCTAssertTrue(md.contains("（站点地图中超出页数上限的网址 45001、"), md)
        XCTAssertTrue(Summary.markdown(ReportFixture.document()).contains("跳过 \(ReportFixture.document().pages.skipped)\n"))
    }

    /// The well-formedness check can fail: an unclosed tag does not parse.
    func testParserRejectsUnbalancedMarkup() {
        XCTAssertThrowsError(try ParsedReport("<html lang=\"zh-CN\"><body><p>未闭合</body></html>"))
        XCTAssertThrowsError(try ParsedReport("<html><body><br></body></html>"))
    }

    func testRenderWithJustADocument() throws {
        let html = HTMLReport.render(ReportFixture.document())
        let page = try ParsedReport(html)
        XCTAssertEqual(try page.rows(table: "findings-table").count, ReportFixture.findings.count)
        XCTAssertNotNil(try page.value(id: "trend-note"), "one run: the trend says so")
        XCTAssertEqual(try ParsedReport(HTMLReport.render(ReportFixture.document([]))).rows(table: "findings-table").count, 0)
    }

    func testVetoIsSpelledOutWithPlaceReasonAndFix() throws {
        let page = try ParsedReport(HTMLReport.render(ReportFixture.document(), context: ReportFixture.context))
        let items = try page.nodes("//section[@id='vetoes']//li")
        XCTAssertEqual(items.count, 1)
        let text = items[0].stringValue ?? ""
        XCTAssertTrue(text.contains(ReportFixture.veto.message))
        XCTAssertTrue(text.contains("国办秘函〔2019〕19号"), "the rule's official source: \(text)")
        XCTAssertTrue(text.contains("整改："))
        XCTAssertEqual(try page.nodes("//section[@id='vetoes']//a/@href").first?.stringValue, ReportFixture.veto.url)
    }

    func testNumbersMatchFindingsJSON() throws {
        let dir = try ReportFixture.write()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("findings.json"))) as? [String: Any])
        let findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        let page = try ParsedReport(String(decoding: try Data(contentsOf: dir.appendingPathComponent("report.html")), as: UTF8.self))

        let score = try XCTUnwrap(json["score"] as? Double)
        XCTAssertEqual(try page.value(id: "score").flatMap(Double.init), score)
        XCTAssertEqual(try page.value(id: "verdict"), json["verdict"] as? String == "pass" ? "合格" : "不合格")
        func count(_ pick: ([String: Any]) -> Bool) -> Int { findings.filter(pick).count }
        for sev in ["veto", "deduct", "advice"] {
            XCTAssertEqual(try page.value(id: "count-\(sev)"), String(count { $0["severity"] as? String == sev }), sev)
        }
        // Per indicator: counts, raw points, capped points; the capped total is 100 - score.
        let indRows = try page.nodes("//table[@id='ind-table']/tbody/tr")
        let indicators = Set(findings.compactMap { $0["indicator"] as? String })
        XCTAssertEqual(indRows.count, indicators.count)
        var cappedTotal = 0.0
        for row in indRows {
            let ind = try XCTUnwrap((row as? XMLElement)?.attribute(forName: "data-indicator")?.stringValue)
            let cells = (row.children ?? []).map { ($0.stringValue ?? "").trimmingCharacters(in: .whitespaces) }
            let mine = findings.filter { $0["indicator"] as? String == ind }
            XCTAssertEqual(cells[1], String(mine.filter { $0["severity"] as? String == "veto" }.count), ind)
            XCTAssertEqual(cells[2], String(mine.filter { $0["severity"] as? String == "deduct" }.count), ind)
            XCTAssertEqual(cells[3], String(mine.filter { $0["severity"] as? String == "advice" }.count), ind)
            let raw = mine.filter { $0["severity"] as? String == "deduct" }.reduce(0.0) { $0 + ($1["points"] as? Double ?? 0) }
            XCTAssertEqual(Double(cells[4]) ?? -1, raw, accuracy: 0.001, ind)
            let capped = ReportFixture.caps[Indicator(rawValue: ind)!].map { min(raw, $0) } ?? raw
            XCTAssertEqual(Double(cells[6]) ?? -1, capped, accuracy: 0.001, ind)
            cappedTotal += capped
        }
        XCTAssertEqual(cappedTotal, 100 - score, accuracy: 0.001)
        XCTAssertEqual(try page.value(id: "deduct-total").flatMap(Double.init) ?? -1, 100 - score, accuracy: 0.001)
        // Per department.
        let deptRows = try page.rows(table: "dept-table")
        let departments = Set(findings.map { $0["department"] as? String ?? "" })
        XCTAssertEqual(deptRows.count, departments.count)
        for d in departments {
            let name = d.isEmpty ? ReportWriter.unassigned : d
            let row = try XCTUnwrap(deptRows.first { $0[0] == name }, name)
            let mine = findings.filter { $0["department"] as? String == d }
            XCTAssertEqual(row[1], String(mine.filter { $0["severity"] as? String == "veto" }.count), name)
            XCTAssertEqual(row[2], String(mine.filter { $0["severity"] as? String == "deduct" }.count), name)
            XCTAssertEqual(row[3], String(mine.filter { $0["severity"] as? String == "advice" }.count), name)
            XCTAssertEqual(row[4], String(mine.count), name)
            let points = mine.filter { $0["severity"] as? String == "deduct" }.reduce(0.0) { $0 + ($1["points"] as? Double ?? 0) }
            XCTAssertEqual(Double(row[5]) ?? -1, points, accuracy: 0.001, name)
        }
        // The department chart draws one labelled bar group per department.
        let chartLabels = try page.nodes("//*[@id='chart-departments']/*[local-name()='text' and @text-anchor='end']").compactMap(\.stringValue)
        XCTAssertEqual(Set(chartLabels), Set(departments.map { $0.isEmpty ? ReportWriter.unassigned : $0 }))
    }

    func testFilterScriptPresentButEveryRowShownWithoutIt() throws {
        let html = HTMLReport.render(ReportFixture.document(), history: ReportFixture.history, context: ReportFixture.context)
        let page = try ParsedReport(html)
        let scripts = try page.nodes("//script")
        XCTAssertEqual(scripts.count, 1)
        XCTAssertTrue(scripts[0].stringValue?.contains("getElementById(\"filters\")") ?? false)
        // The form stays hidden until the script shows it; no row is hidden in the markup.
        XCTAssertEqual(try page.nodes("//form[@id='filters']/@hidden").count, 1)
        let rows = try page.nodes("//table[@id='findings-table']/tbody/tr")
        XCTAssertEqual(rows.count, ReportFixture.findings.count)
        XCTAssertTrue(try page.nodes("//table[@id='findings-table']/tbody/tr[@hidden]").isEmpty)
        // Each row carries what the filter reads, and the selects offer the values present.
        for (row, f) in zip(rows, ReportFixture.findings) {
            let e = try XCTUnwrap(row as? XMLElement)
            XCTAssertEqual(e.attribute(forName: "data-dept")?.stringValue, f.department)
            XCTAssertEqual(e.attribute(forName: "data-ind")?.stringValue, f.indicator.rawValue)
            XCTAssertEqual(e.attribute(forName: "data-sev")?.stringValue, f.severity.rawValue)
        }
        let deptOptions = try page.nodes("//select[@name='dept']/option/@value").compactMap(\.stringValue)
        XCTAssertEqual(Set(deptOptions), Set(ReportFixture.findings.map(\.department) + ["*"]))
        // Each finding row: what, where (linked), evidence, source and fix.
        let first = rows[0].stringValue ?? ""
        XCTAssertTrue(first.contains("windowDays"), first)
        XCTAssertTrue(first.contains("依据："), first)
        XCTAssertTrue(first.contains("整改："), first)
    }

    func testTableKeepsItsCapAndSaysHowManyMore() throws {
        let many = (0..<1003).map { i in
            Finding(
                rule: "link.broken", indicator: .linkBroken, severity: .deduct, points: 0.1,
                url: ReportFixture.site + "b\(i).html", message: "链接无法访问（HTTP 404）")
        }
        let page = try ParsedReport(HTMLReport.render(ReportFixture.document(many)))
        XCTAssertEqual(try page.rows(table: "findings-table").count, HTMLReport.maxRows)
        XCTAssertTrue(try page.value(id: "more-rows")?.contains("另有 3 条") ?? false)
    }

    /// A template finding names a sample of its pages; the report says the total.
    func testTemplateFindingShowsItsPagesAndTheirTotal() throws {
        let pages = (0..<20).map { ReportFixture.site + "p\($0).html" }
        let f = Finding(
            rule: "a11y.img-alt", indicator: .a11y, severity: .deduct, points: 0.1, url: pages[0], subject: "img-alt",
            foundOn: pages, message: "图片缺少替代文本：页面模板问题，出现在 60 个页面，修改模板一次即可",
            evidence: ["template": true, "pages": 60])
        let html = HTMLReport.render(ReportFixture.document([f]))
        XCTAssertTrue(html.contains("等 60 个页面"))
        XCTAssertTrue(html.contains(pages[2]))
        // The department's list names every page of the sample (it showed the first 5) and the total.
        var csv = Data()
        try DepartmentCSV.write([f], history: RunHistory(), asOf: Day(iso: "2022-11-01")!) { csv.append($0) }
        let text = String(decoding: csv, as: UTF8.self)
        for page in pages { XCTAssertTrue(text.contains(page + " ") || text.contains(page + "\""), page) }
        XCTAssertTrue(text.contains("等 60 个页面"))
    }

    func testFixFirstRanksByPointsRegainedUnderCaps() throws {
        let page = try ParsedReport(
            HTMLReport.render(
                ReportFixture.document(), history: ReportFixture.history,
                context: ReportFixture.context))
        let heads = try page.nodes("//section[@id='fix-first']/h3").compactMap(\.stringValue)
        // The department with a veto comes first.
        XCTAssertEqual(heads.first, "区政务服务管理局")
        XCTAssertEqual(heads, ["区政务服务管理局", "区发展改革委"], "advice-only departments have nothing to fix first")
        let tables = try page.nodes("//section[@id='fix-first']/table")
        XCTAssertEqual(tables.count, 2)
        let rows = try tables[1].nodes(forXPath: "tbody/tr").map { $0.stringValue ?? "" }
        // The missing column regains its 2 points; each broken link alone regains nothing,
        // since the indicator (1.6) is over its cap (1).
        XCTAssertTrue(rows[0].contains("规划专栏") && rows[0].contains("挽回 2 分"), rows[0])
        XCTAssertTrue(rows[1].contains("挽回 0 分") && rows[1].contains("超出上限 1"), rows[1])
        // Fixing everything of the department regains 2 + 1 (the capped link deduction).
        let meta = try page.nodes("//section[@id='fix-first']/p[@class='meta']").compactMap(\.stringValue)
        XCTAssertTrue(meta[1].contains("全部整改可挽回 3 分"), meta[1])
    }

    func testLongTrendKeepsItsLabelsReadable() throws {
        var history = RunHistory()
        history.trend = (1...30).map { i in
            RunHistory.Point(
                runId: Int64(i), asOf: Day(year: 2022, month: 10, day: i)!, finishedAt: "", score: Double(60 + i),
                verdict: .pass, veto: 0, deduct: 30 - i, advice: 1)
        }
        let page = try ParsedReport(HTMLReport.render(ReportFixture.document(), history: history))
        let dates = try page.nodes("//*[@id='chart-trend']/*[local-name()='text']").compactMap(\.stringValue).filter { $0.hasPrefix("2022-") }
        XCTAssertLessThanOrEqual(dates.count, 11)
        XCTAssertEqual(dates.last, "2022-10-30")
        XCTAssertEqual(try page.rows(table: "trend-table").count, 30)
        XCTAssertEqual(try page.nodes("//*[@id='chart-trend']/*[local-name()='circle']").count, 30)
    }

    func testColumnTimeline() throws {
        let page = try ParsedReport(HTMLReport.render(ReportFixture.document(), context: ReportFixture.context))
        let rows = try page.rows(table: "column-table")
        XCTAssertEqual(rows.map { $0[0] }, ["人事信息", "通知公告", "工作动态"], "blank, stale, then the rest")
        XCTAssertEqual(rows[1], ["通知公告", "通知公告、政策文件类", "2022-03-02", "244", "183", "超期"])
        XCTAssertEqual(rows[2].last, "正常")
        XCTAssertEqual(try page.value(id: "columns-stale"), "1")
        XCTAssertEqual(try page.value(id: "columns-blank"), "1")
        XCTAssertEqual(try page.nodes("//*[@id='chart-columns']/*[local-name()='text' and @text-anchor='end']").count, 3)
    }

    /// The rules' confidence notes are for maintainers: the report says them once, in Chinese.
    func testRuleSourceReadsAsChinese() {
        XCTAssertEqual(
            ReportContext.readerSource("国办秘函〔2019〕19号 严重错别字; 国办发〔2017〕47号; common-typo severity L"),
            "国办秘函〔2019〕19号 严重错别字；国办发〔2017〕47号；扣分值或严重程度为经验设置，未见于官方文件（可在规则配置中调整）")
        XCTAssertEqual(ReportContext.readerSource("西城区2022年政务公开工作要点 第42项"), "西城区2022年政务公开工作要点 第42项")
        let info = ReportContext().rule("wording", indicator: .wording)
        XCTAssertFalse(info.source.contains(" L"), info.source)
    }
}
