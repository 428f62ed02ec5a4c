import Foundation
import Inspect
import Vocabulary

/// Inline SVG charts for report.html. Each chart is an `img` with a `<title>` and
/// `<desc>` (its text alternative); the report puts a data table next to every chart.
enum Chart {
    static let width = 760.0
    static let labelWidth = 200.0
    static let rowHeight = 24.0

    static func open(id: String, height: Double, title: String, desc: String) -> String {
        """
        <svg class="chart" id="\(id)" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="\(id)-title \(id)-desc" \
        viewBox="0 0 \(fmt(width)) \(fmt(height))" width="\(fmt(width))" height="\(fmt(height))">\
        <title id="\(id)-title">\(HTMLReport.esc(title))</title><desc id="\(id)-desc">\(HTMLReport.esc(desc))</desc>

        """
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v).replacingOccurrences(of: ".0", with: "") }

    static func label(_ s: String, max: Int = 13) -> String {
        HTMLReport.esc(s.count > max ? String(s.prefix(max - 1)) + "…" : s)
    }

    // MARK: Deductions against caps

    struct CapBar {
        var label: String
        /// Deduction counted (capped).
        var value: Double
        /// Deduction before the cap.
        var raw: Double
        var cap: Double?
        var veto: Bool
    }

    static func capBars(_ bars: [CapBar], id: String, title: String, desc: String) -> String {
        let height = Double(bars.count) * rowHeight + 30
        let scaleMax = max(1, bars.map { max($0.cap ?? 0, $0.value) }.max() ?? 1)
        let plot = width - labelWidth - 190
        var s = open(id: id, height: height, title: title, desc: desc)
        for (i, b) in bars.enumerated() {
            let y = 8 + Double(i) * rowHeight
            s += "<text x=\"\(fmt(labelWidth - 8))\" y=\"\(fmt(y + 14))\" text-anchor=\"end\">\(label(b.label))</text>"
            if let cap = b.cap {
                s +=
                    "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(plot * cap / scaleMax))\" height=\"14\" fill=\"#eeeeee\" stroke=\"#bbbbbb\"/>"
            }
            let w = plot * b.value / scaleMax
            if w > 0 {
                let color = b.cap.map { b.value >= $0 } == true ? "#b71c1c" : "#ef6c00"
                s += "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(w))\" height=\"14\" fill=\"\(color)\"/>"
            }
            var text = "扣 \(Summary.points(b.value))" + (b.cap.map { " / 上限 \(Summary.points($0))" } ?? "（无上限）")
            if b.raw > b.value { text += "，原始 \(Summary.points(b.raw))" }
            if b.veto { text += "，有否决" }
            let tx = labelWidth + plot * max(b.value, b.cap ?? 0) / scaleMax + 6
            s += "<text x=\"\(fmt(tx))\" y=\"\(fmt(y + 14))\"\(b.veto ? " fill=\"#c62828\"" : "")>\(HTMLReport.esc(text))</text>\n"
        }
        s += "<text x=\"\(fmt(labelWidth))\" y=\"\(fmt(height - 6))\" fill=\"#555555\">灰框：指标扣分上限；红色：已达上限</text>\n"
        return s + "</svg>\n"
    }

    // MARK: Stacked counts

    struct StackRow {
        var label: String
        var parts: [Int]
    }

    static let stackColors = ["#c62828", "#ef6c00", "#9e9e9e"]

    static func stackBars(
        _ rows: [StackRow], id: String, title: String, desc: String, legend: [String], colors: [String] = stackColors
    ) -> String {
        let height = Double(rows.count) * rowHeight + 36
        let maxTotal = max(1, rows.map { $0.parts.reduce(0, +) }.max() ?? 1)
        let plot = width - labelWidth - 60
        var s = open(id: id, height: height, title: title, desc: desc)
        for (i, r) in rows.enumerated() {
            let y = 8 + Double(i) * rowHeight
            s += "<text x=\"\(fmt(labelWidth - 8))\" y=\"\(fmt(y + 14))\" text-anchor=\"end\">\(label(r.label))</text>"
            var x = labelWidth
            for (k, n) in r.parts.enumerated() where n > 0 {
                let w = plot * Double(n) / Double(maxTotal)
                s += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(w))\" height=\"14\" fill=\"\(colors[k % colors.count])\"/>"
                x += w
            }
            s += "<text x=\"\(fmt(x + 6))\" y=\"\(fmt(y + 14))\">\(r.parts.reduce(0, +))</text>\n"
        }
        var lx = labelWidth
        let ly = height - 12
        for (k, name) in legend.enumerated() {
            s +=
                "<rect x=\"\(fmt(lx))\" y=\"\(fmt(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(colors[k % colors.count])\"/><text x=\"\(fmt(lx + 14))\" y=\"\(fmt(ly))\">\(HTMLReport.esc(name))</text>"
            lx += 90
        }
        return s + "\n</svg>\n"
    }

    // MARK: Column timeline

    struct TimelineRow {
        var label: String
        /// Days since the newest item; nil when undated.
        var age: Int?
        var window: Int?
        var stale: Bool
        var blank: Bool
    }

    static func timeline(_ rows: [TimelineRow], id: String, title: String, desc: String) -> String {
        let height = Double(rows.count) * rowHeight + 40
        let plot = width - labelWidth - 110
        // Scale to the longest window or age, but at most two years (longer bars are cut).
        let maxDays = Double(min(730, max(30, rows.map { max($0.age ?? 0, $0.window ?? 0) }.max() ?? 30)))
        func x(_ days: Int) -> Double { labelWidth + plot * min(Double(days), maxDays) / maxDays }
        var s = open(id: id, height: height, title: title, desc: desc)
        for (i, r) in rows.enumerated() {
            let y = 8 + Double(i) * rowHeight
            s += "<text x=\"\(fmt(labelWidth - 8))\" y=\"\(fmt(y + 14))\" text-anchor=\"end\">\(label(r.label))</text>"
            let note: String
            if r.blank {
                s +=
                    "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(plot))\" height=\"14\" fill=\"none\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"/>"
                note = "空白栏目"
            } else if let age = r.age {
                let color = r.stale ? "#c62828" : r.window == nil ? "#9e9e9e" : "#2e7d32"
                s += "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(max(1, x(age) - labelWidth)))\" height=\"14\" fill=\"\(color)\"/>"
                note = "\(age) 天" + (Double(age) > maxDays ? "（超出图幅）" : "") + (r.stale ? " 超期" : "")
            } else {
                note = "无日期"
            }
            if let w = r.window {
                s += "<line x1=\"\(fmt(x(w)))\" x2=\"\(fmt(x(w)))\" y1=\"\(fmt(y))\" y2=\"\(fmt(y + 20))\" stroke=\"#000000\" stroke-width=\"2\"/>"
            }
            s +=
                "<text x=\"\(fmt(labelWidth + plot + 6))\" y=\"\(fmt(y + 14))\"\(r.stale || r.blank ? " fill=\"#c62828\"" : "")>\(HTMLReport.esc(note))</text>\n"
        }
        let axisY = Double(rows.count) * rowHeight + 14
        s += "<line x1=\"\(fmt(labelWidth))\" x2=\"\(fmt(labelWidth + plot))\" y1=\"\(fmt(axisY))\" y2=\"\(fmt(axisY))\" stroke=\"#888888\"/>"
        for d in stride(from: 0, through: Int(maxDays), by: maxDays > 400 ? 180 : maxDays > 120 ? 60 : 14) {
            s += "<text x=\"\(fmt(x(d)))\" y=\"\(fmt(axisY + 14))\" text-anchor=\"middle\" fill=\"#555555\">\(d)</text>"
        }
        s += "<text x=\"\(fmt(labelWidth + plot + 6))\" y=\"\(fmt(axisY + 14))\" fill=\"#555555\">天前</text>\n"
        return s + "</svg>\n"
    }

    // MARK: Trend

    static func trend(_ points: [RunHistory.Point], id: String, title: String, desc: String) -> String {
        let height = 230.0
        let left = 50.0, right = width - 70, top = 30.0, bottom = height - 50
        // Runs sit inside the axes, so the first and last columns clear the axis labels.
        let inner = (from: left + 36, to: right - 36)
        let maxCount = max(1, points.map { $0.veto + $0.deduct + $0.advice }.max() ?? 1)
        func x(_ i: Int) -> Double {
            points.count == 1 ? (left + right) / 2 : inner.from + (inner.to - inner.from) * Double(i) / Double(points.count - 1)
        }
        func yScore(_ v: Double) -> Double { bottom - (bottom - top) * v / 100 }
        func yCount(_ v: Int) -> Double { bottom - (bottom - top) * Double(v) / Double(maxCount) }
        var s = open(id: id, height: height, title: title, desc: desc)
        s += "<line x1=\"\(fmt(left))\" x2=\"\(fmt(right))\" y1=\"\(fmt(bottom))\" y2=\"\(fmt(bottom))\" stroke=\"#888888\"/>"
        for v in [0, 60, 100] {
            s += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(yScore(Double(v)) + 4))\" text-anchor=\"end\" fill=\"#1565c0\">\(v)</text>"
        }
        s +=
            "<line x1=\"\(fmt(left))\" x2=\"\(fmt(right))\" y1=\"\(fmt(yScore(60)))\" y2=\"\(fmt(yScore(60)))\" stroke=\"#1565c0\" stroke-dasharray=\"3 3\" stroke-opacity=\"0.5\"/>"
        s += "<line x1=\"\(fmt(right))\" x2=\"\(fmt(right))\" y1=\"\(fmt(top))\" y2=\"\(fmt(bottom))\" stroke=\"#bbbbbb\"/>"
        s += "<text x=\"\(fmt(right + 6))\" y=\"\(fmt(yCount(maxCount) + 4))\" fill=\"#555555\">\(maxCount) 个</text>"
        s += "<text x=\"\(fmt(right + 6))\" y=\"\(fmt(bottom + 4))\" fill=\"#555555\">0</text>"
        s += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(top - 14))\" text-anchor=\"end\" fill=\"#1565c0\">得分</text>"
        s += "<text x=\"\(fmt(right + 6))\" y=\"\(fmt(top - 14))\" fill=\"#555555\">问题数</text>\n"
        // Finding counts as stacked columns, the score as a line.
        let bw = min(30, (right - left) / Double(max(points.count, 1)) * 0.5)
        for (i, p) in points.enumerated() {
            var y = bottom
            for (k, n) in [p.veto, p.deduct, p.advice].enumerated() where n > 0 {
                let h = (bottom - top) * Double(n) / Double(maxCount)
                s +=
                    "<rect x=\"\(fmt(x(i) - bw / 2))\" y=\"\(fmt(y - h))\" width=\"\(fmt(bw))\" height=\"\(fmt(h))\" fill=\"\(stackColors[k])\" fill-opacity=\"0.55\"/>"
                y -= h
            }
            // At most about ten date labels, always the last run's.
            let step = max(1, (points.count + 9) / 10)
            if i % step == 0 || i == points.count - 1 {
                s += "<text x=\"\(fmt(x(i)))\" y=\"\(fmt(bottom + 16))\" text-anchor=\"middle\">\(HTMLReport.esc(p.asOf.description))</text>"
            }
            s += "\n"
        }
        let path = points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(fmt(x($0.offset))) \(fmt(yScore($0.element.score)))" }.joined(separator: " ")
        if points.count > 1 { s += "<path d=\"\(path)\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>" }
        for (i, p) in points.enumerated() {
            let step = max(1, (points.count + 9) / 10)
            s += "<circle cx=\"\(fmt(x(i)))\" cy=\"\(fmt(yScore(p.score)))\" r=\"4\" fill=\"#1565c0\"/>"
            if i % step == 0 || i == points.count - 1 {
                s += "<text x=\"\(fmt(x(i)))\" y=\"\(fmt(yScore(p.score) - 8))\" text-anchor=\"middle\" fill=\"#1565c0\">\(Summary.points(p.score))</text>"
            }
        }
        let ly = height - 12
        s +=
            "\n<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + 20))\" y1=\"\(fmt(ly - 4))\" y2=\"\(fmt(ly - 4))\" stroke=\"#1565c0\" stroke-width=\"2\"/><text x=\"\(fmt(left + 24))\" y=\"\(fmt(ly))\">得分</text>"
        for (k, name) in Severity.allCases.map(\.nameZh).enumerated() {
            let lx = left + 80 + Double(k) * 130
            s +=
                "<rect x=\"\(fmt(lx))\" y=\"\(fmt(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(stackColors[k])\" fill-opacity=\"0.55\"/><text x=\"\(fmt(lx + 14))\" y=\"\(fmt(ly))\">\(name)问题数</text>"
        }
        return s + "\n</svg>\n"
    }
}
