import Synchronization
package import Foundation
import Inspect
package import Vocabulary

/// Writes the output directory: findings.json, report.html, departments/<department>.csv
/// and summary.md. Everything is written into a fresh sibling directory first and moved
/// into place at the end, so DIR never holds a half-written report.
package enum ReportWriter {
    /// Findings up to which the report files are written side by side.
    static let parallelFindings = 5_000

    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// The department list file for findings without a department.
    package static let unassigned = "未归属"

    /// A finding's department as the outputs name it: `unassigned` for none (the one place
    /// the fallback is made).
    package static func departmentName(_ department: String) -> String {
        department.isEmpty ? unassigned : department
    }

    /// Writes DIR. `history` compares the run with the previous one (an empty history is a
    /// first run: every finding new); `context` carries the profile's caps, rule texts and
    /// the columns for report.html.
    /// Creates `url` and hands `body` a sink that appends to it.
    static func writeFile(_ url: URL, _ body: (_ sink: (Data) throws -> Void) throws -> Void) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw Failure(description: "\(url.path): cannot create the file")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try body { try handle.write(contentsOf: $0) }
    }

    package static func write(
        _ doc: FindingsDocument, history: RunHistory = RunHistory(),
        context: ReportContext = ReportContext(), to dir: URL,
        trace: (@Sendable (String) -> Void)? = nil
    ) throws {
        let fm = FileManager.default
        let parent = dir.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "\(parent.path): cannot create the output directory (\(error.localizedDescription))")
        }
        let staging = parent.appendingPathComponent(".\(dir.lastPathComponent).tmp-\(getpid())")
        try? fm.removeItem(at: staging)
        do {
            try fm.createDirectory(at: staging.appendingPathComponent("departments"), withIntermediateDirectories: true)
            var withHistory = doc
            withHistory.previousRunId = history.previousRunId
            withHistory.fixed = history.fixed
            let full = withHistory
            // Three independent files, written side by side (the sweep's last second is single-threaded otherwise).
            let failures = Mutex<[Error]>([])
            // Side by side only while the findings are few: the three together hold more memory at
            // once, and a big sweep's peak must stay where the crawl put it.
            let parts = 0..<3
            let write: @Sendable (Int) -> Void = { part in
                do {
                    switch part {
                    case 0:
                        try writeFile(staging.appendingPathComponent("findings.json")) { sink in
                            try writeJSON(full, history: history, sink: sink)
                        }
                        trace?("findings.json")
                    case 1:
                        try Data(HTMLReport.render(doc, history: history, context: context).utf8)
                            .write(to: staging.appendingPathComponent("report.html"))
                        trace?("report.html")
                        try Data(Summary.markdown(doc, history: history, context: context, reportDir: dir.path).utf8)
                            .write(to: staging.appendingPathComponent("summary.md"))
                    default:
                        let fixedBy = Dictionary(grouping: history.fixed, by: \.department)
                        // By index and streamed to each file: a big site's findings are not copied per department.
                        for (department, indices) in DepartmentCSV.groupIndices(doc.findings, fixed: history.fixed) {
                            let file = staging.appendingPathComponent("departments/\(DepartmentCSV.fileName(for: department)).csv")
                            try writeFile(file) { sink in
                                try DepartmentCSV.write(
                                    indices.lazy.map { doc.findings[$0] }, history: history, asOf: doc.asOf,
                                    fixed: fixedBy[department] ?? [], sink: sink)
                            }
                        }
                        try WorkPointsReport.appendToDepartments(
                            context.workPoints, findings: doc.findings,
                            departments: staging.appendingPathComponent("departments"))
                        try WorkPointsReport.write(context.workPoints, to: staging)
                        trace?("departments")
                    }
                } catch {
                    failures.withLock { $0.append(error) }
                }
            }
            if doc.findings.count <= ReportWriter.parallelFindings {
                DispatchQueue.concurrentPerform(iterations: parts.count, execute: write)
            } else {
                parts.forEach(write)
            }
            if let first = failures.withLock({ $0.first }) { throw first }
            // Swap in: the old directory (if any) is removed only once the new one is complete.
            if fm.fileExists(atPath: dir.path) {
                let old = parent.appendingPathComponent(".\(dir.lastPathComponent).old-\(getpid())")
                try fm.moveItem(at: dir, to: old)
                try fm.moveItem(at: staging, to: dir)
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: staging, to: dir)
            }
        } catch let e as Failure {
            try? fm.removeItem(at: staging)
            throw e
        } catch {
            try? fm.removeItem(at: staging)
            throw Failure(description: "\(dir.path): cannot write the report (\(error.localizedDescription))")
        }
    }

    /// A finding line of findings.json with its history fields added.
    struct HistoryLine: Encodable {
        var finding: Finding
        var status: String
        var firstSeen: String
        enum Keys: String, CodingKey { case status, firstSeen }
        func encode(to encoder: Encoder) throws {
            try finding.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(status, forKey: .status)
            try c.encode(firstSeen, forKey: .firstSeen)
        }
    }

    /// findings.json with one finding per line. The findings are encoded one at a time, so a
    /// site with ten thousand findings does not hold an encoder tree of all of them at once.
    /// With a history, each finding carries `status` (`new` / `still-open`) and `firstSeen`.
    package static func jsonData(_ doc: FindingsDocument, history: RunHistory? = nil) throws -> Data {
        var out = Data()
        try writeJSON(doc, history: history) { out.append($0) }
        return out
    }

    /// The same, handed to `sink` in pieces of about 64 KB (written straight to the file:
    /// a big site's findings.json is never held whole in memory).
    package static func writeJSON(_ doc: FindingsDocument, history: RunHistory? = nil, sink: (Data) throws -> Void) throws {
        let one = JSONEncoder()
        one.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var head = doc
        head.findings = []
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // The document without findings, pretty-printed; its empty findings array is then filled in.
        let skeleton = String(decoding: try pretty.encode(head), as: UTF8.self)
        guard
            let marker = skeleton.range(of: "\"findings\" : [\n\n  ]") ?? skeleton.range(of: "\"findings\" : [\n  ]")
                ?? skeleton.range(of: "\"findings\" : []")
        else {
            try sink(try pretty.encode(doc))
            return
        }
        var out = Data()
        out.append(contentsOf: skeleton[..<marker.lowerBound].utf8)
        out.append(contentsOf: "\"findings\" : [".utf8)
        for (i, f) in doc.findings.enumerated() {
            out.append(contentsOf: (i == 0 ? "\n    " : ",\n    ").utf8)
            if let history {
                out.append(
                    try one.encode(
                        HistoryLine(
                            finding: f, status: history.status(of: f).rawValue,
                            firstSeen: history.firstSeen(of: f, asOf: doc.asOf))))
            } else {
                out.append(try one.encode(f))
            }
            if out.count >= 1 << 16 { try sink(out); out.removeAll(keepingCapacity: true) }
        }
        out.append(contentsOf: (doc.findings.isEmpty ? "]" : "\n  ]").utf8)
        out.append(contentsOf: skeleton[marker.upperBound...].utf8)
        try sink(out)
    }
}

/// Per-department defect lists: UTF-8 with BOM so spreadsheet programs open Chinese correctly.
package enum DepartmentCSV {
    package static let header = [
        "指标 indicator", "严重程度 severity", "扣分 points", "位置 url", "对象 subject",
        "问题 message", "首次发现 first seen", "状态 status", "规则 rule", "链接所在页面 found on",
    ]

    /// Findings by department, sorted by name; with `fixed`, departments that only have
    /// fixed findings get a (possibly empty) entry too, so their list shows what went away.
    package static func group(_ findings: [Finding], fixed: [Finding] = []) -> [(String, [Finding])] {
        groupIndices(findings, fixed: fixed).map { ($0.0, $0.1.map { findings[$0] }) }
    }

    /// The same, as indices into `findings` (nothing copied).
    package static func groupIndices(_ findings: [Finding], fixed: [Finding] = []) -> [(String, [Int])] {
        var d = Dictionary(grouping: findings.indices) { findings[$0].department }
        for f in fixed where d[f.department] == nil { d[f.department] = [] }
        return d.sorted { $0.key < $1.key }
    }

    package static func fileName(for department: String) -> String {
        let name = ReportWriter.departmentName(department)
        return String(name.map { "/\\:*?\"<>|\0".contains($0) ? "_" : $0 })
    }

    /// The status column's words.
    package static func statusName(_ s: RunHistory.Status) -> String {
        switch s {
        case .new: return "新发现"
        case .open: return "仍存在"
        case .fixed: return "已修复"
        }
    }

    /// Every page the finding names (a template's sample of 20, a broken link's first 50), and
    /// the total when the sample is not all of them, so a department can check each fix.
    static func foundOnCell(_ f: Finding) -> String {
        let total = Summary.pageTotal(f)
        return f.foundOn.joined(separator: " ") + (total > f.foundOn.count ? " 等 \(total) 个页面" : "")
    }

    /// One department's list, handed to `sink` in pieces of about 64 KB: its findings with
    /// status and first-seen date from `history`, then its `fixed` findings (status 已修复).
    package static func write(
        _ findings: some Sequence<Finding>, history: RunHistory, asOf: Day, fixed: [Finding] = [],
        sink: (Data) throws -> Void
    ) throws {
        var out = "\u{FEFF}" + header.map(field).joined(separator: ",") + "\r\n"
        func row(_ f: Finding, firstSeen: String, status: String) throws {
            let cells = [
                f.indicator.rawValue, f.severity.nameZh, Summary.points(f.points), f.url, f.subject,
                f.message, firstSeen, status, f.rule.rawValue, foundOnCell(f),
            ]
            out += cells.map(field).joined(separator: ",") + "\r\n"
            if out.utf8.count >= 1 << 16 { try sink(Data(out.utf8)); out = "" }
        }
        for f in findings {
            try row(f, firstSeen: history.firstSeen(of: f, asOf: asOf), status: statusName(history.status(of: f)))
        }
        for f in fixed { try row(f, firstSeen: history.firstSeen[f.id] ?? "", status: statusName(.fixed)) }
        try sink(Data(out.utf8))
    }

    /// RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet does not run it as a formula.
    static func field(_ s: String) -> String {
        var v = s
        if let f = v.first, "=+-@".contains(f), Double(v) == nil { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}

/// summary.md: short enough to paste into a work chat.
package enum Summary {
    /// How many pages carry the finding: `foundOn` may be a sample (a template's first 20 pages,
    /// a broken link's first 50), and the evidence holds the total.
    static func pageTotal(_ f: Finding) -> Int {
        var total = f.foundOn.count
        for key in ["pages", "linkingPages"] { if case .int(let n)? = f.evidence[key] { total = max(total, n) } }
        return total
    }

    static func points(_ p: Double) -> String { pointsText(p) }

    /// What a department has to fix and what fixing it gives back, in one line.
    static func departmentLine(_ d: FixPlan.Department) -> String {
        var parts: [String] = []
        if d.vetoes > 0 { parts.append("单项否决 \(d.vetoes) 处") }
        if d.deducts > 0 { parts.append("扣分问题 \(d.deducts) 处共 \(points(d.points)) 分") }
        var line = parts.joined(separator: "，")
        if d.deducts > 0 { line += "；全部整改可挽回 \(points(d.gain)) 分" }
        if d.vetoes > 0 { line += d.deducts > 0 ? "，并消除本部门的否决问题" : "；整改后消除本部门的否决问题" }
        return line
    }

    /// summary.md: at most about 25 lines. `reportDir` is where the report was written.
    package static func markdown(
        _ doc: FindingsDocument, history: RunHistory = RunHistory(),
        context: ReportContext = ReportContext(), reportDir: String? = nil
    ) -> String {
        let bySeverity = Dictionary(grouping: doc.findings, by: \.severity)
        let hosts = doc.sites.map(HTMLReport.hostOf)
        var s = "# 网站检查摘要：\(hosts.prefix(3).joined(separator: " "))\(hosts.count > 3 ? " 等 \(hosts.count) 个站点" : "")（\(doc.asOf)）\n\n"
        s += "- 结论：**\(doc.verdict.nameZh)**，得分 \(points(doc.score)) / 100（规则 \(doc.profile)）\n"
        let vetoes = bySeverity[.veto] ?? []
        if !vetoes.isEmpty {
            let byInd = Dictionary(grouping: vetoes, by: \.indicator)
            let names = doc.vetoes.map { "\(FixText.indicatorName($0)) \(byInd[$0]?.count ?? 0) 处" }
            s += "- 单项否决 \(vetoes.count) 处：\(names.joined(separator: "、"))\n"
            for f in vetoes.prefix(3) { s += "  - \(f.message)（\(f.url)）\n" }
            if vetoes.count > 3 { s += "  - 另有 \(vetoes.count - 3) 处，见报告\n" }
        } else {
            s += "- 无单项否决\n"
        }
        s += "- 问题：单项否决 \(vetoes.count)，扣分 \(bySeverity[.deduct]?.count ?? 0)，提示 \(bySeverity[.advice]?.count ?? 0)\n"
        let new = doc.findings.filter { history.status(of: $0) == .new }.count
        if let prev = history.previousRunId {
            s += "- 与上次（运行 \(prev)\(history.previousAsOf.map { "，\($0)" } ?? "")）比：新发现 \(new)，仍存在 \(doc.findings.count - new)，已修复 \(history.fixed.count)\n"
        } else {
            s += "- 首次检查：新发现 \(new)，已修复 0\n"
        }
        let skips = context.skipDetail
        s += "- 页面：抓取 \(doc.pages.fetched)，失败 \(doc.pages.failed)，跳过 \(doc.pages.skipped)\(skips.isEmpty ? "" : "（\(skips)）")\n"
        s += WorkPointsReport.summaryLine(context.workPoints)
        let plan = FixPlan(findings: doc.findings, caps: context.effectiveCaps(profileID: doc.profile))
        let depts = plan.departments(doc.findings, top: 0)
        if !depts.isEmpty {
            s += "\n待整改部门（按未解决的否决和扣分）：\n"
            for (i, d) in depts.prefix(5).enumerated() {
                let name = ReportWriter.departmentName(d.name)
                s += "\(i + 1). \(name)：\(departmentLine(d))\n"
            }
            if depts.count > 5 { s += "（另有 \(depts.count - 5) 个部门）\n" }
        }
        if let dir = reportDir {
            let base = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
            s += "\n完整报告：\(base)/report.html；部门清单：\(base)/departments/\n"
        }
        return s
    }
}
