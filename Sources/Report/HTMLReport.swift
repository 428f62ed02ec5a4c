import Foundation
import Inspect

/// report.html: one self-contained file (inline CSS, no scripts fetched from anywhere),
/// in Chinese, that reads fully without JavaScript and prints on A4.
public enum HTMLReport {
    /// Rows of the findings table; the rest are counted and left to the CSV and JSON files.
    public static let maxRows = 1000

    public static func render(_ doc: FindingsDocument) -> String {
        let pass = doc.verdict == "pass"
        let title = "政府网站检查报告 · \(doc.sites.first.map(hostOf) ?? "") · \(doc.asOf)"
        var h = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(title))</title>
        <style>
        body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a;line-height:1.5}
        h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.25rem;border-bottom:2px solid #c00;padding-bottom:.2rem;margin-top:2rem}
        .meta{color:#555} .verdict{display:inline-block;padding:.4rem 1rem;border-radius:.3rem;font-size:1.3rem;font-weight:bold;color:#fff}
        .pass{background:#2e7d32} .fail{background:#c62828}
        table{border-collapse:collapse;width:100%;font-size:.9rem} th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
        th{background:#f3f3f3} td.num{text-align:right} .veto{color:#c62828;font-weight:bold} .deduct{color:#e65100} .advice{color:#555}
        .url{word-break:break-all} ul.veto-list li{margin:.3rem 0}
        @media print{body{margin:0;max-width:none;font-size:10pt} h2{break-after:avoid} tr{break-inside:avoid} a{color:#000;text-decoration:none}}
        @page{size:A4;margin:15mm}
        </style>
        </head>
        <body>
        <header>
        <h1>\(esc(title))</h1>
        <p class="meta">检查站点：\(doc.sites.map(esc).joined(separator: "，"))；检查日期（as-of）：\(esc(doc.asOf))；规则：\(esc(doc.profile))；运行：\(esc(doc.startedAt)) 至 \(esc(doc.finishedAt))</p>
        <p><span class="verdict \(pass ? "pass" : "fail")">\(pass ? "合格" : "不合格")</span> 得分 <strong>\(Summary.points(doc.score))</strong> / 100</p>
        </header>
        <main>

        """
        h += "<h2>单项否决</h2>\n"
        let vetoes = doc.findings.filter { $0.severity == .veto }
        if vetoes.isEmpty {
            h += "<p>未发现单项否决问题。</p>\n"
        } else {
            h += "<ul class=\"veto-list\">\n"
            for f in vetoes { h += "<li class=\"veto\">\(esc(f.indicator.rawValue))：\(esc(f.message))（<a class=\"url\" href=\"\(esc(f.url))\">\(esc(f.url))</a>）</li>\n" }
            h += "</ul>\n"
        }

        h += "<h2>抓取概况</h2>\n<table><thead><tr><th scope=\"col\">抓取成功</th><th scope=\"col\">抓取失败</th><th scope=\"col\">跳过</th><th scope=\"col\">检查的链接（站外、图片、附件）</th></tr></thead>\n"
        h += "<tbody><tr><td class=\"num\">\(doc.pages.fetched)</td><td class=\"num\">\(doc.pages.failed)</td><td class=\"num\">\(doc.pages.skipped)</td><td class=\"num\">\(doc.pages.checked ?? 0)</td></tr></tbody></table>\n"

        h += "<h2>各指标扣分</h2>\n"
        let byIndicator = Dictionary(grouping: doc.findings, by: \.indicator).sorted { $0.key.rawValue < $1.key.rawValue }
        if byIndicator.isEmpty {
            h += "<p>没有发现问题。</p>\n"
        } else {
            h += "<table><thead><tr><th scope=\"col\">指标</th><th scope=\"col\">单项否决</th><th scope=\"col\">扣分项</th><th scope=\"col\">提示</th><th scope=\"col\">扣分合计</th></tr></thead><tbody>\n"
            for (ind, fs) in byIndicator {
                let n = { (s: Severity) in fs.filter { $0.severity == s }.count }
                h += "<tr><th scope=\"row\">\(esc(ind.rawValue))</th><td class=\"num\">\(n(.veto))</td><td class=\"num\">\(n(.deduct))</td><td class=\"num\">\(n(.advice))</td><td class=\"num\">\(Summary.points(fs.reduce(0) { $0 + $1.points }))</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }

        h += "<h2>各部门问题</h2>\n"
        let depts = DepartmentCSV.group(doc.findings)
        if depts.isEmpty { h += "<p>没有需要部门整改的问题。</p>\n" } else {
            h += "<table><thead><tr><th scope=\"col\">部门</th><th scope=\"col\">问题数</th><th scope=\"col\">扣分</th><th scope=\"col\">清单</th></tr></thead><tbody>\n"
            for (d, fs) in depts {
                let file = "departments/\(DepartmentCSV.fileName(for: d)).csv"
                h += "<tr><th scope=\"row\">\(esc(d.isEmpty ? ReportWriter.unassigned : d))</th><td class=\"num\">\(fs.count)</td><td class=\"num\">\(Summary.points(fs.reduce(0) { $0 + $1.points }))</td><td><a href=\"\(esc(file))\">\(esc(file))</a></td></tr>\n"
            }
            h += "</tbody></table>\n"
        }

        h += "<h2>问题清单</h2>\n"
        if doc.findings.isEmpty { h += "<p>没有发现问题。</p>\n" } else {
            h += "<table><thead><tr><th scope=\"col\">严重程度</th><th scope=\"col\">指标</th><th scope=\"col\">问题</th><th scope=\"col\">位置</th><th scope=\"col\">所在页面</th><th scope=\"col\">部门</th><th scope=\"col\">扣分</th></tr></thead><tbody>\n"
            // The table shows the first rows (vetoes and deductions first); every finding is in
            // findings.json and the department lists, so a site with ten thousand broken links
            // still gets a report that opens.
            for f in doc.findings.prefix(HTMLReport.maxRows) {
                let sev = f.severity.rawValue
                let on = f.foundOn.prefix(3).map { "<a class=\"url\" href=\"\(esc($0))\">\(esc($0))</a>" }.joined(separator: "<br>")
                    + (f.foundOn.count > 3 ? "<br>等 \(f.foundOn.count) 个页面" : "")
                h += "<tr><td class=\"\(sev)\">\(Summary.severityName(f.severity))</td><td>\(esc(f.indicator.rawValue))\(f.subject.isEmpty ? "" : "<br>" + esc(f.subject))</td><td>\(esc(f.message))</td><td><a class=\"url\" href=\"\(esc(f.url))\">\(esc(f.url))</a></td><td>\(on)</td><td>\(esc(f.department))</td><td class=\"num\">\(Summary.points(f.points))</td></tr>\n"
            }
            h += "</tbody></table>\n"
            if doc.findings.count > HTMLReport.maxRows {
                h += "<p>另有 \(doc.findings.count - HTMLReport.maxRows) 条问题未在此列出，完整清单见 findings.json 和 departments/ 下各部门的问题清单。</p>\n"
            }
        }
        h += "</main>\n<footer><p class=\"meta\">由 govsweep \(esc(doc.version)) 生成。</p></footer>\n</body>\n</html>\n"
        return h
    }

    static func hostOf(_ url: String) -> String {
        URLComponents(string: url)?.host ?? url
    }

    public static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
