import Foundation
package import Inspect
import Vocabulary

/// The work-point table in the output: workpoints.csv, the 工作要点落实情况 section of
/// report.html, and each department's items at the end of its department list.
package enum WorkPointsReport {
    package static let fileName = "workpoints.csv"
    package static let header = ["序号", "要点", "牵头部门", "配合部门", "完成时限", "状态", "依据链接", "依据标题", "依据日期", "说明"]

    /// workpoints.csv: UTF-8 with a BOM (spreadsheets read it as UTF-8), one line per item.
    package static func csv(_ rows: [WorkPointRow]) -> String {
        var out = "\u{FEFF}" + header.map(DepartmentCSV.field).joined(separator: ",") + "\r\n"
        for r in rows {
            let first = r.evidence.first
            var note = r.note
            if r.evidence.count > 1 { note += "；另见：" + r.evidence.dropFirst().map { "\($0.date) \($0.title) \($0.url)" }.joined(separator: "；") }
            let cells = [
                String(r.item), r.name, r.lead.joined(separator: "、"), r.co.joined(separator: "、"), r.deadline,
                r.status.rawValue, first?.url ?? "", first?.title ?? "", first?.date ?? "", note,
            ]
            out += cells.map(DepartmentCSV.field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// Writes workpoints.csv into `dir` (nothing when the profile has no work points).
    static func write(_ rows: [WorkPointRow], to dir: URL) throws {
        guard !rows.isEmpty else { return }
        try Data(csv(rows).utf8).write(to: dir.appendingPathComponent(fileName))
    }

    /// Appends each department's items (lead or co-department) to its list in `departments`,
    /// creating the list when the department has no findings. An item whose `work-point`
    /// finding is already on the department's list is not repeated.
    static func appendToDepartments(_ rows: [WorkPointRow], findings: [Finding], departments dir: URL) throws {
        guard !rows.isEmpty else { return }
        var reported = Set<String>()
        for f in findings where f.indicator == .workPoint { reported.insert(f.department + "\u{1F}" + f.subject) }
        var byDepartment: [String: [String]] = [:]
        var order: [String] = []
        for r in rows {
            for (d, role) in r.lead.map({ ($0, "牵头") }) + r.co.map({ ($0, "配合") }) where !reported.contains(d + "\u{1F}\(r.item)") {
                if byDepartment[d] == nil { order.append(d) }
                let cells = [
                    Indicator.workPoint.rawValue, "", "", r.evidence.first?.url ?? "", String(r.item),
                    "工作要点第 \(r.item) 项“\(r.name)”（\(role)，完成时限 \(r.deadline)）：\(r.note)", "", r.status.rawValue, "work-point", "",
                ]
                byDepartment[d, default: []].append(cells.map(DepartmentCSV.field).joined(separator: ",") + "\r\n")
            }
        }
        for d in order {
            let file = dir.appendingPathComponent("\(DepartmentCSV.fileName(for: d)).csv")
            let lines = (byDepartment[d] ?? []).joined()
            if let h = try? FileHandle(forWritingTo: file) {
                defer { try? h.close() }
                try h.seekToEnd()
                try h.write(contentsOf: Data(lines.utf8))
            } else {
                let head = "\u{FEFF}" + DepartmentCSV.header.map(DepartmentCSV.field).joined(separator: ",") + "\r\n"
                try Data((head + lines).utf8).write(to: file)
            }
        }
    }

    /// summary.md's line: the items by status ("" without work points).
    static func summaryLine(_ rows: [WorkPointRow]) -> String {
        guard !rows.isEmpty else { return "" }
        let counts = WorkPointRow.Status.allCases.map { s in "\(s.rawValue) \(rows.filter { $0.status == s }.count)" }
        return "- 工作要点 \(rows.count) 项：\(counts.joined(separator: "，"))（\(fileName)）\n"
    }

    /// The report's 工作要点落实情况 section: counts by status and the whole table, with the
    /// evidence links; "" when the profile has no work points.
    static func section(_ rows: [WorkPointRow]) -> String {
        guard !rows.isEmpty else { return "" }
        let esc = HTMLReport.esc
        var h = "<section id=\"workpoints\">\n<h2>工作要点落实情况</h2>\n"
        let counts = WorkPointRow.Status.allCases.map { s in (s, rows.filter { $0.status == s }.count) }
        h += "<p id=\"workpoint-counts\">共 \(rows.count) 项：" + counts.map { "\($0.0.rawValue) <strong>\($0.1)</strong>" }.joined(separator: "，")
        h += "。“已公开”列出最新的依据页面；“未发现”“仅见旧信息”为完成时限已过、网站上未见本年度相关信息的事项（关键词检查，请牵头部门核对）；“需人工核查”的事项无法从网站外部判断，或由其他检查项发现了问题。完整表格见 workpoints.csv。</p>\n"
        h +=
            "<table id=\"workpoint-table\"><caption>工作要点落实情况</caption><thead><tr><th scope=\"col\">序号</th><th scope=\"col\">要点</th><th scope=\"col\">牵头部门</th><th scope=\"col\">完成时限</th><th scope=\"col\">状态</th><th scope=\"col\">依据</th><th scope=\"col\">说明</th></tr></thead><tbody>\n"
        for r in rows {
            let cls: String
            switch r.status {
            case .notFound, .onlyOld: cls = "deduct"
            case .published: cls = "fixed"
            case .notDue, .manual: cls = "advice"
            }
            let evidence = r.evidence.map { e in
                let title = esc(e.title.isEmpty ? e.url : e.title)
                let a = e.url.hasPrefix("http://") || e.url.hasPrefix("https://") ? "<a href=\"\(esc(e.url))\">\(title)</a>" : title
                return a + (e.date.isEmpty ? "" : " <span class=\"nowrap\">\(esc(e.date))</span>")
            }.joined(separator: "<br/>")
            h +=
                "<tr data-status=\"\(esc(r.status.rawValue))\"><td class=\"num\">\(r.item)</td><th scope=\"row\">\(esc(r.name))</th><td>\(esc(r.lead.joined(separator: "、")))</td><td class=\"nowrap\">\(esc(r.deadline))</td><td class=\"nowrap \(cls)\">\(esc(r.status.rawValue))</td><td class=\"evidence\">\(evidence.isEmpty ? "—" : evidence)</td><td class=\"why\">\(esc(r.note))</td></tr>\n"
        }
        return h + "</tbody></table>\n</section>\n"
    }
}
