import CLibXML2
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Inspect
import Report
import XCTest
import Vocabulary

/// A small run with every severity, a capped indicator, awkward text for CSV, and a history
/// in which one finding is new, one still open and one fixed.
enum ReportFixture {
    static let site = "http://127.0.0.1:1/"
    static let caps: [Indicator: Double] = [.linkBroken: 1, .columnMissing: 10]

    static let veto = Finding(
        rule: "column.stale.notice", indicator: .columnStale, severity: .veto, url: site + "tzgg/",
        subject: "通知公告", department: "区政务服务管理局", foundOn: [site],
        message: "栏目“通知公告”最近更新于 2022-03-02，超过 6 个月未更新",
        evidence: ["latest": "2022-03-02", "windowDays": 183])
    static let missing = Finding(
        rule: "column.missing", indicator: .columnMissing, severity: .deduct, points: 2, url: site,
        subject: "规划专栏", department: "区发展改革委", message: "未找到要求设置的栏目“规划专栏”（第 6 项）")
    /// Four broken links of 0.4 each: 1.6 raw against a cap of 1.
    static let broken: [Finding] = (0..<4).map { i in
        Finding(
            rule: "link.broken", indicator: .linkBroken, severity: .deduct, points: 0.4, url: site + "x\(i).html",
            department: "区发展改革委", foundOn: [site], message: "链接无法访问（HTTP 404）",
            evidence: ["status": 404])
    }
    /// A message a CSV must quote: comma, quotes, a line break; and a leading = (formula).
    static let awkward = Finding(
        rule: "wording", indicator: .wording, severity: .advice, url: site + "a.html",
        subject: "=HYPERLINK(\"x\")", department: "",
        message: "表述“某某”有误,应为\"某某某\"\n第二行 <b>&amp;</b>")
    static let fixed = Finding(
        rule: "footer.icp", indicator: .footerMarker, severity: .deduct, points: 0.5, url: site,
        subject: "icp", department: "区财政局", message: "首页页脚缺少 ICP 备案编号")

    static var findings: [Finding] { [veto, missing] + broken + [awkward] }

    static func document(_ findings: [Finding] = findings) -> FindingsDocument {
        var scoring = Scoring()
        scoring.caps = caps
        let r = scoring.score(findings)
        return FindingsDocument(
            version: "0.1.0", sites: [site], asOf: Day(iso: "2022-11-01")!, profile: "test-profile",
            startedAt: "2022-11-01T08:00:00+08:00", finishedAt: "2022-11-01T08:01:00+08:00",
            pages: .init(fetched: 10, failed: 1, skipped: 0, checked: 3), score: r.score,
            verdict: r.verdict, vetoes: r.vetoes, findings: findings, runId: 4)
    }

    /// `veto` and the broken links were in run 3 (first seen 2022-10-01); the rest is new;
    /// `fixed` went away.
    static var history: RunHistory {
        var status: [String: RunHistory.Status] = [:]
        var firstSeen: [String: String] = [:]
        for f in findings {
            let old = f.id == veto.id || broken.contains { $0.id == f.id }
            status[f.id] = old ? .open : .new
            firstSeen[f.id] = old ? "2022-10-01" : "2022-11-01"
        }
        let doc = document()
        return RunHistory(
            previousRunId: 3, previousAsOf: Day(iso: "2022-10-01")!, status: status, firstSeen: firstSeen, fixed: [fixed],
            trend: [
                RunHistory.Point(
                    runId: 3, asOf: Day(iso: "2022-10-01")!, finishedAt: "2022-10-01T08:00:00+08:00",
                    score: 97, verdict: .fail, veto: 1, deduct: 5, advice: 0),
                RunHistory.Point(
                    runId: 4, asOf: Day(iso: "2022-11-01")!, finishedAt: doc.finishedAt, score: doc.score,
                    verdict: doc.verdict, veto: 1, deduct: 5, advice: 1),
            ])
    }

    static var context: ReportContext {
        ReportContext(
            caps: caps, passMark: 60,
            columns: [
                ColumnFact(
                    name: "通知公告", url: site + "tzgg/", category: "notice", categoryName: "通知公告、政策文件类",
                    latest: "2022-03-02", windowDays: 183, stale: true),
                ColumnFact(
                    name: "工作动态", url: site + "gzdt/", category: "news", categoryName: "动态要闻类",
                    latest: "2022-10-30", windowDays: 14),
                ColumnFact(name: "人事信息", url: site + "rsxx/", blank: true),
            ])
    }

    /// Writes the fixture's report into a fresh directory.
    static func write(
        history: RunHistory = history, context: ReportContext = context,
        doc: FindingsDocument = document()
    ) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)/out")
        try ReportWriter.write(doc, history: history, context: context, to: dir)
        return dir
    }
}

struct NotWellFormed: Error, CustomStringConvertible { var description: String }

/// report.html parsed as XML (the report is written well-formed for exactly this).
struct ParsedReport {
    let doc: XMLDocument
    let text: String

    init(_ html: String, file: StaticString = #filePath, line: UInt = #line) throws {
        text = html
        // The HTML5 doctype is not XML's; everything after it must parse.
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>", with: "")
        // XMLDocument recovers from errors on Linux: libxml2's own parser, without recovery, does not.
        try ParsedReport.checkWellFormed(body)
        doc = try XMLDocument(xmlString: body, options: [])
    }

    static func checkWellFormed(_ xml: String) throws {
        var bytes = Array(xml.utf8)
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let doc = bytes.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlReadMemory($0, Int32(buf.count), "report.html", "UTF-8", options)
            }
        }
        guard let doc else {
            let message = xmlGetLastError().map { String(cString: $0.pointee.message) } ?? "parse error"
            throw NotWellFormed(description: "report.html is not well-formed: \(message)")
        }
        xmlFreeDoc(doc)
    }

    func nodes(_ xpath: String) throws -> [XMLNode] { try doc.nodes(forXPath: xpath) }

    func value(id: String) throws -> String? {
        try nodes("//*[@id='\(id)']").first?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The cells (th and td) of a table's body rows, as text.
    func rows(table id: String) throws -> [[String]] {
        try nodes("//table[@id='\(id)']/tbody/tr").map { tr in
            (tr.children ?? []).map { ($0.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }
}

/// RFC 4180 parsing, for checking what a spreadsheet program will read.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
    var it = Array(text).makeIterator()
    var pending: Character? = nil
    while let c = pending ?? it.next() {
        pending = nil
        if quoted {
            if c == "\"" {
                if let n = it.next() {
                    if n == "\"" { field.append("\"") } else { quoted = false; pending = n }
                } else {
                    quoted = false
                }
            } else {
                field.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\r\n" || c == "\n" {
            row.append(field); rows.append(row); row = []; field = ""
        } else {
            field.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}
