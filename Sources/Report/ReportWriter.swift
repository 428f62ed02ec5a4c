public import Foundation
public import Inspect

/// Writes the output directory: findings.json, report.html, departments/<department>.csv
/// and summary.md. Everything is written into a fresh sibling directory first and moved
/// into place at the end, so DIR never holds a half-written report.
public enum ReportWriter {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The department list file for findings without a department.
    public static let unassigned = "未归属"

    /// `history` compares the run with the previous run of the same sites (empty: a first run).
    public static func write(_ doc: FindingsDocument, history: RunHistory = RunHistory(), to dir: URL) throws {
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
            try jsonData(doc).write(to: staging.appendingPathComponent("findings.json"))
            try Data(HTMLReport.render(doc).utf8).write(to: staging.appendingPathComponent("report.html"))
            try Data(Summary.markdown(doc).utf8).write(to: staging.appendingPathComponent("summary.md"))
            for (department, findings) in DepartmentCSV.group(doc.findings) {
                let name = DepartmentCSV.fileName(for: department)
                let status = history.status.mapValues { $0 == .new ? "新发现 new" : "仍未整改 still open" }
                try DepartmentCSV.data(findings, firstSeen: history.firstSeen, status: status)
                    .write(to: staging.appendingPathComponent("departments/\(name).csv"))
            }
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

    /// findings.json with one finding per line. The findings are encoded one at a time, so a
    /// site with ten thousand findings does not hold an encoder tree of all of them at once.
    public static func jsonData(_ doc: FindingsDocument) throws -> Data {
        let one = JSONEncoder()
        one.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var head = doc
        head.findings = []
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // The document without findings, pretty-printed; its empty findings array is then filled in.
        let skeleton = String(decoding: try pretty.encode(head), as: UTF8.self)
        guard let marker = skeleton.range(of: "\"findings\" : [\n\n  ]") ?? skeleton.range(of: "\"findings\" : [\n  ]")
                ?? skeleton.range(of: "\"findings\" : []") else {
            return try pretty.encode(doc)
        }
        var out = Data()
        out.append(contentsOf: skeleton[..<marker.lowerBound].utf8)
        out.append(contentsOf: "\"findings\" : [".utf8)
        for (i, f) in doc.findings.enumerated() {
            out.append(contentsOf: (i == 0 ? "\n    " : ",\n    ").utf8)
            out.append(try one.encode(f))
        }
        out.append(contentsOf: (doc.findings.isEmpty ? "]" : "\n  ]").utf8)
        out.append(contentsOf: skeleton[marker.upperBound...].utf8)
        return out
    }
}

/// Per-department defect lists: UTF-8 with BOM so spreadsheet programs open Chinese correctly.
public enum DepartmentCSV {
    public static let header = ["指标 indicator", "严重程度 severity", "扣分 points", "位置 url", "对象 subject",
                                "问题 message", "首次发现 first seen", "状态 status", "规则 rule", "链接所在页面 found on"]

    public static func group(_ findings: [Finding]) -> [(String, [Finding])] {
        let d = Dictionary(grouping: findings) { $0.department }
        return d.sorted { $0.key < $1.key }
    }

    public static func fileName(for department: String) -> String {
        let name = department.isEmpty ? ReportWriter.unassigned : department
        return String(name.map { "/\\:*?\"<>|\0".contains($0) ? "_" : $0 })
    }

    public static func data(_ findings: [Finding], firstSeen: [String: String] = [:], status: [String: String] = [:]) -> Data {
        var out = "\u{FEFF}" + header.map(field).joined(separator: ",") + "\r\n"
        for f in findings {
            let row = [f.indicator.rawValue, Summary.severityName(f.severity), Summary.points(f.points), f.url, f.subject,
                       f.message, firstSeen[f.id] ?? "", status[f.id] ?? "新发现 new", f.rule,
                       f.foundOn.prefix(5).joined(separator: " ")]
            out += row.map(field).joined(separator: ",") + "\r\n"
        }
        return Data(out.utf8)
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
public enum Summary {
    public static func severityName(_ s: Severity) -> String {
        switch s {
        case .veto: return "单项否决"
        case .deduct: return "扣分"
        case .advice: return "提示"
        }
    }

    static func points(_ p: Double) -> String {
        p == p.rounded() ? String(Int(p)) : String(format: "%.2f", p).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
    }

    public static func markdown(_ doc: FindingsDocument) -> String {
        let bySeverity = Dictionary(grouping: doc.findings, by: \.severity)
        var s = "# 网站检查摘要 \(doc.sites.joined(separator: " "))\n\n"
        s += "- 检查日期：\(doc.asOf)（规则：\(doc.profile)）\n"
        s += "- 结论：**\(doc.verdict == "pass" ? "合格" : "不合格")**，得分 \(points(doc.score))\n"
        if !doc.vetoes.isEmpty { s += "- 单项否决：\(doc.vetoes.joined(separator: "、"))\n" }
        s += "- 页面：抓取 \(doc.pages.fetched)，失败 \(doc.pages.failed)，跳过 \(doc.pages.skipped)\n"
        s += "- 问题：单项否决 \(bySeverity[.veto]?.count ?? 0)，扣分 \(bySeverity[.deduct]?.count ?? 0)，提示 \(bySeverity[.advice]?.count ?? 0)\n"
        let byIndicator = Dictionary(grouping: doc.findings, by: \.indicator).sorted { $0.value.count > $1.value.count }
        if !byIndicator.isEmpty {
            s += "\n| 指标 | 数量 | 扣分 |\n|---|---:|---:|\n"
            for (ind, fs) in byIndicator {
                s += "| \(ind.rawValue) | \(fs.count) | \(points(fs.reduce(0) { $0 + $1.points })) |\n"
            }
        }
        let depts = DepartmentCSV.group(doc.findings.filter { $0.severity != .advice })
        if !depts.isEmpty {
            s += "\n需整改的部门：" + depts.map { "\($0.0.isEmpty ? ReportWriter.unassigned : $0.0)（\($0.1.count)）" }.joined(separator: "、") + "\n"
        }
        return s
    }
}
