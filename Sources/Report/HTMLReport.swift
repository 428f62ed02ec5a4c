import Foundation
import Inspect
import Vocabulary

/// report.html: one self-contained file (inline CSS and SVG, one small inline script, nothing
/// fetched), in Chinese, that reads fully without JavaScript and prints on A4. The markup is
/// also well-formed XML (void elements closed, the script in CDATA), so tests parse it.
package enum HTMLReport {
    /// Rows of the findings table; the rest are counted and left to the CSV and JSON files.
    package static let maxRows = 1000
    /// Columns drawn in the timeline chart (the table lists them all).
    static let maxTimelineRows = 60

    package static func render(
        _ doc: FindingsDocument, history: RunHistory = RunHistory(),
        context: ReportContext = ReportContext()
    ) -> String {
        let pass = doc.verdict == .pass
        let title = "政府网站检查报告 · \(doc.sites.first.map(hostOf) ?? "") · \(doc.asOf)"
        let caps = context.effectiveCaps(profileID: doc.profile)
        let plan = FixPlan(findings: doc.findings, caps: caps)
        let count = { (s: Severity) in doc.findings.filter { $0.severity == s }.count }
        let newCount = doc.findings.filter { history.status(of: $0) == .new }.count
        var h = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(esc(title))</title>
            <style>\(css)</style>
            </head>
            <body>
            <header>
            <h1>\(esc(title))</h1>
            <p class="meta">检查站点：\(doc.sites.map(esc).joined(separator: "，"))；检查日期：\(esc(doc.asOf.description))；规则：\(esc(doc.profile))；运行：\(esc(doc.startedAt)) 至 \(esc(doc.finishedAt))</p>
            <p class="meta" id="pages">页面：抓取 \(doc.pages.fetched)，失败 \(doc.pages.failed)，跳过 \(doc.pages.skipped)\(context.skipDetail.isEmpty ? "" : "（" + esc(context.skipDetail) + "）")</p>
            <div class="headline">
            <p class="verdict \(pass ? "pass" : "fail")" id="verdict">\(doc.verdict.nameZh)</p>
            <p class="score">得分 <strong id="score">\(Summary.points(doc.score))</strong> / 100<br/><span class="meta">合格线 \(Summary.points(context.passMark))\(doc.vetoes.isEmpty ? "" : "；存在单项否决，无论得分均不合格")</span></p>
            <table class="counts" id="counts"><caption>问题数量</caption>
            <thead><tr><th scope="col">单项否决</th><th scope="col">扣分</th><th scope="col">提示</th><th scope="col">新发现</th><th scope="col">已修复</th></tr></thead>
            <tbody><tr><td class="num\(count(.veto) > 0 ? " veto" : "")" id="count-veto">\(count(.veto))</td><td class="num\(count(.deduct) > 0 ? " deduct" : "")" id="count-deduct">\(count(.deduct))</td><td class="num" id="count-advice">\(count(.advice))</td><td class="num" id="count-new">\(newCount)</td><td class="num" id="count-fixed">\(history.fixed.count)</td></tr></tbody>
            </table>
            </div>
            <nav class="toc" aria-label="目录"><a href="#vetoes">单项否决</a> <a href="#fix-first">先改这些</a> <a href="#indicators">各指标扣分</a> <a href="#departments">各部门问题</a> <a href="#columns">栏目更新</a> \(context.workPoints.isEmpty ? "" : "<a href=\"#workpoints\">工作要点落实</a> ")<a href="#trend">历次趋势</a> <a href="#changes">新发现与已修复</a> <a href="#findings">问题清单</a></nav>
            </header>
            <main>

            """
        h += vetoSection(doc, history: history, context: context)
        h += fixFirstSection(doc, plan: plan, context: context)
        h += indicatorSection(doc, plan: plan)
        h += departmentSection(doc, history: history)
        h += columnSection(doc, context: context)
        h += WorkPointsReport.section(context.workPoints)
        h += trendSection(doc, history: history)
        h += changesSection(doc, history: history)
        h += findingsSection(doc, history: history, context: context)
        h += "</main>\n<footer><p class=\"meta\">由 govsweep \(esc(doc.version)) 生成；完整数据见同目录下的 findings.json 和 departments/ 中各部门的问题清单（CSV）。</p></footer>\n"
        h += "<script>//<![CDATA[\n\(script)\n//]]></script>\n</body>\n</html>\n"
        return h
    }

    // MARK: Sections

    static func vetoSection(_ doc: FindingsDocument, history: RunHistory, context: ReportContext) -> String {
        var h = "<section id=\"vetoes\">\n<h2>单项否决</h2>\n"
        let vetoes = doc.findings.filter { $0.severity == .veto }
        if vetoes.isEmpty { return h + "<p>未发现单项否决问题。</p>\n</section>\n" }
        h +=
            "<p>有 \(vetoes.count) 处单项否决问题（\(doc.vetoes.map { key in esc(FixText.indicatorName(key)) + "（" + esc(key.rawValue) + "）" }.joined(separator: "、"))）：存在任何一项，网站即为不合格。</p>\n<ol class=\"veto-list\">\n"
        for f in vetoes {
            let r = context.rule(f.rule, indicator: f.indicator)
            h += "<li><p><strong class=\"veto\">\(esc(r.nameZh))</strong>：\(esc(f.message))</p>"
            h +=
                "<p>位置：\(link(f.url))\(f.department.isEmpty ? "" : "；责任部门：" + esc(f.department))；\(statusLabel(history.status(of: f)))，首次发现 \(esc(history.firstSeen(of: f, asOf: doc.asOf)))</p>"
            if !r.source.isEmpty { h += "<p class=\"why\">依据：\(esc(r.source))</p>" }
            h += "<p class=\"fix\">整改：\(esc(r.fix))</p></li>\n"
        }
        return h + "</ol>\n</section>\n"
    }

    static func fixFirstSection(_ doc: FindingsDocument, plan: FixPlan, context: ReportContext) -> String {
        var h = "<section id=\"fix-first\">\n<h2>先改这些</h2>\n"
        let perDept = 10
        let depts = plan.departments(doc.findings, top: perDept)
        if depts.isEmpty { return h + "<p>没有需要整改的单项否决或扣分问题。</p>\n</section>\n" }
        h += "<p>按部门列出：先解除单项否决，再按每项整改能挽回的分数排序。同一指标的扣分有上限，超出上限时单独整改一处不加分。</p>\n"
        for d in depts {
            let name = ReportWriter.departmentName(d.name)
            h +=
                "<h3>\(esc(name))</h3>\n<p class=\"meta\">\(esc(Summary.departmentLine(d)))。清单：<a href=\"\(esc(departmentFile(d.name)))\">\(esc(departmentFile(d.name)))</a></p>\n"
            h +=
                "<table class=\"fix-first\"><thead><tr><th scope=\"col\">序号</th><th scope=\"col\">问题</th><th scope=\"col\">位置</th><th scope=\"col\">整改收益</th><th scope=\"col\">怎么改</th></tr></thead><tbody>\n"
            for (i, item) in d.items.prefix(perDept).enumerated() {
                let f = item.finding
                let r = context.rule(f.rule, indicator: f.indicator)
                h +=
                    "<tr><td class=\"num\">\(i + 1)</td><td><span class=\"\(f.severity.rawValue)\">\(f.severity.nameZh)</span> \(esc(f.message))</td><td>\(link(f.url))</td><td>\(esc(item.note))</td><td>\(esc(r.fix))</td></tr>\n"
            }
            h += "</tbody></table>\n"
            if d.total > perDept { h += "<p class=\"meta\">另有 \(d.total - perDept) 处，见问题清单和部门清单。</p>\n" }
        }
        return h + "</section>\n"
    }

    static func indicatorSection(_ doc: FindingsDocument, plan: FixPlan) -> String {
        var h = "<section id=\"indicators\">\n<h2>各指标扣分</h2>\n"
        let groups = Dictionary(grouping: doc.findings, by: \.indicator)
        let shown = Indicator.allCases.filter { groups[$0] != nil }
        if shown.isEmpty { return h + "<p>没有发现问题。</p>\n</section>\n" }
        let bars = shown.map { ind -> Chart.CapBar in
            Chart.CapBar(
                label: "\(FixText.indicatorName(ind))", value: plan.capped(ind), raw: plan.totals[ind] ?? 0,
                cap: plan.caps[ind], veto: (plan.vetoCounts[ind] ?? 0) > 0)
        }
        h += Chart.capBars(
            bars, id: "chart-indicators", title: "各指标扣分与上限",
            desc: "每个指标的扣分（计入上限后）与该指标的扣分上限；数据见下表。")
        h +=
            "<table id=\"ind-table\"><caption>各指标问题与扣分（扣分合计按指标上限封顶）</caption><thead><tr><th scope=\"col\">指标</th><th scope=\"col\">单项否决</th><th scope=\"col\">扣分项</th><th scope=\"col\">提示</th><th scope=\"col\">扣分（原始）</th><th scope=\"col\">上限</th><th scope=\"col\">计入扣分</th></tr></thead><tbody>\n"
        for ind in shown {
            let fs = groups[ind] ?? []
            let n = { (s: Severity) in fs.filter { $0.severity == s }.count }
            h +=
                "<tr data-indicator=\"\(ind.rawValue)\"><th scope=\"row\">\(esc(FixText.indicatorName(ind))) <code>\(ind.rawValue)</code></th><td class=\"num\">\(n(.veto))</td><td class=\"num\">\(n(.deduct))</td><td class=\"num\">\(n(.advice))</td><td class=\"num\">\(Summary.points(plan.totals[ind] ?? 0))</td><td class=\"num\">\(plan.caps[ind].map(Summary.points) ?? "—")</td><td class=\"num\">\(Summary.points(plan.capped(ind)))</td></tr>\n"
        }
        let total = shown.reduce(0) { $0 + plan.capped($1) }
        h +=
            "</tbody><tfoot><tr><th scope=\"row\">合计</th><td class=\"num\">\(plan.vetoCounts.values.reduce(0, +))</td><td></td><td></td><td></td><td></td><td class=\"num\" id=\"deduct-total\">\(Summary.points(total))</td></tr></tfoot></table>\n"
        return h + "</section>\n"
    }

    static func departmentSection(_ doc: FindingsDocument, history: RunHistory) -> String {
        var h = "<section id=\"departments\">\n<h2>各部门问题</h2>\n"
        let depts = DepartmentCSV.group(doc.findings)
        if depts.isEmpty { return h + "<p>没有需要部门整改的问题。</p>\n</section>\n" }
        let rows = depts.map { (d, fs) in
            Chart.StackRow(
                label: ReportWriter.departmentName(d),
                parts: [
                    fs.filter { $0.severity == .veto }.count, fs.filter { $0.severity == .deduct }.count,
                    fs.filter { $0.severity == .advice }.count,
                ])
        }.sorted { ($0.parts.reduce(0, +), $1.label) > ($1.parts.reduce(0, +), $0.label) }
        h += Chart.stackBars(
            rows, id: "chart-departments", title: "各部门问题数量",
            desc: "每个部门的单项否决、扣分和提示问题数；数据见下表。",
            legend: Severity.allCases.map(\.nameZh))
        h +=
            "<table id=\"dept-table\"><caption>各部门问题数量与扣分</caption><thead><tr><th scope=\"col\">部门</th><th scope=\"col\">单项否决</th><th scope=\"col\">扣分项</th><th scope=\"col\">提示</th><th scope=\"col\">合计</th><th scope=\"col\">扣分（原始）</th><th scope=\"col\">新发现</th><th scope=\"col\">清单</th></tr></thead><tbody>\n"
        for (d, fs) in depts {
            let n = { (s: Severity) in fs.filter { $0.severity == s }.count }
            let file = departmentFile(d)
            h +=
                "<tr data-department=\"\(esc(d))\"><th scope=\"row\">\(esc(ReportWriter.departmentName(d)))</th><td class=\"num\">\(n(.veto))</td><td class=\"num\">\(n(.deduct))</td><td class=\"num\">\(n(.advice))</td><td class=\"num\">\(fs.count)</td><td class=\"num\">\(Summary.points(fs.filter { $0.severity == .deduct }.reduce(0) { $0 + $1.points }))</td><td class=\"num\">\(fs.filter { history.status(of: $0) == .new }.count)</td><td><a href=\"\(esc(file))\">\(esc(file))</a></td></tr>\n"
        }
        return h + "</tbody></table>\n</section>\n"
    }

    static func columnSection(_ doc: FindingsDocument, context: ReportContext) -> String {
        var h = "<section id=\"columns\">\n<h2>栏目更新情况</h2>\n"
        let columns = context.columns
        if columns.isEmpty { return h + "<p>本报告没有栏目更新数据。</p>\n</section>\n" }
        func age(_ c: ColumnFact) -> Int? {
            guard let l = c.latest, let d = Day(iso: l) else { return nil }
            return doc.asOf - d
        }
        // Most urgent first: blank, stale (furthest past the window), then the rest by age.
        let ordered = columns.sorted { a, b in
            func key(_ c: ColumnFact) -> (Int, Double, String) {
                let ratio = Double(age(c) ?? 0) / Double(c.windowDays ?? 100_000)
                return (c.blank ? 2 : c.stale ? 1 : 0, ratio, c.name)
            }
            let ka = key(a), kb = key(b)
            return (ka.0, ka.1, kb.2) > (kb.0, kb.1, ka.2)
        }
        let stale = columns.filter(\.stale).count, blank = columns.filter(\.blank).count
        h +=
            "<p>共 \(columns.count) 个栏目：超期未更新 <strong class=\"veto\" id=\"columns-stale\">\(stale)</strong> 个，空白 <strong class=\"veto\" id=\"columns-blank\">\(blank)</strong> 个。图中横条为最新信息距检查日期的天数，竖线为该类栏目的更新期限。</p>\n"
        // A column read from the rendered page (`--render`) says so, in the chart and the table.
        let rows = ordered.prefix(maxTimelineRows).map {
            Chart.TimelineRow(label: $0.name + ($0.rendered ? "（已渲染）" : ""), age: age($0), window: $0.windowDays, stale: $0.stale, blank: $0.blank)
        }
        h += Chart.timeline(
            rows, id: "chart-columns", title: "栏目最近更新与更新期限",
            desc: "每个栏目最新信息距检查日期 \(doc.asOf) 的天数，与其类别的更新期限比较；数据见下表。")
        if columns.count > maxTimelineRows { h += "<p class=\"meta\">图中显示最需关注的 \(maxTimelineRows) 个栏目，下表列出全部。</p>\n" }
        h +=
            "<table id=\"column-table\"><caption>栏目最近更新</caption><thead><tr><th scope=\"col\">栏目</th><th scope=\"col\">类别</th><th scope=\"col\">最近更新</th><th scope=\"col\">距今（天）</th><th scope=\"col\">更新期限（天）</th><th scope=\"col\">状态</th></tr></thead><tbody>\n"
        for c in ordered {
            let state =
                c.blank
                ? "<span class=\"veto\">空白</span>"
                : c.stale
                    ? "<span class=\"veto\">超期</span>"
                    : c.windowDays == nil ? "无更新期限" : "正常"
            h +=
                "<tr><th scope=\"row\"><a href=\"\(esc(c.url))\">\(esc(c.name))</a></th><td>\(esc(c.categoryName.isEmpty ? c.category : c.categoryName))</td><td>\(esc(c.latest ?? "—"))</td><td class=\"num\">\(age(c).map(String.init) ?? "—")</td><td class=\"num\">\(c.windowDays.map(String.init) ?? "—")</td><td>\(state)\(c.rendered ? " <span class=\"meta\" title=\"由浏览器渲染后判断\">已渲染</span>" : "")</td></tr>\n"
        }
        return h + "</tbody></table>\n</section>\n"
    }

    static func trendSection(_ doc: FindingsDocument, history: RunHistory) -> String {
        var h = "<section id=\"trend\">\n<h2>历次趋势</h2>\n"
        var points = history.trend
        if points.isEmpty {
            let n = { (s: Severity) in doc.findings.filter { $0.severity == s }.count }
            points = [
                RunHistory.Point(
                    runId: doc.runId ?? 0, asOf: doc.asOf, finishedAt: doc.finishedAt, score: doc.score,
                    verdict: doc.verdict, veto: n(.veto), deduct: n(.deduct), advice: n(.advice))
            ]
        }
        if points.count == 1 { h += "<p id=\"trend-note\">目前只有本次一次检查记录，再次检查后这里会显示得分和问题数的变化。</p>\n" }
        h += Chart.trend(
            points, id: "chart-trend", title: "历次检查得分与问题数",
            desc: "按检查先后排列的得分（0–100）和单项否决、扣分、提示问题数；数据见下表。")
        h +=
            "<table id=\"trend-table\"><caption>历次检查</caption><thead><tr><th scope=\"col\">运行</th><th scope=\"col\">检查日期</th><th scope=\"col\">结论</th><th scope=\"col\">得分</th><th scope=\"col\">单项否决</th><th scope=\"col\">扣分</th><th scope=\"col\">提示</th></tr></thead><tbody>\n"
        for p in points {
            h +=
                "<tr><th scope=\"row\">\(p.runId)</th><td>\(esc(p.asOf.description))</td><td>\(p.verdict.nameZh)</td><td class=\"num\">\(Summary.points(p.score))</td><td class=\"num\">\(p.veto)</td><td class=\"num\">\(p.deduct)</td><td class=\"num\">\(p.advice)</td></tr>\n"
        }
        return h + "</tbody></table>\n</section>\n"
    }

    static func changesSection(_ doc: FindingsDocument, history: RunHistory) -> String {
        var h = "<section id=\"changes\">\n<h2>新发现、仍存在与已修复</h2>\n"
        let new = doc.findings.filter { history.status(of: $0) == .new }.count
        let open = doc.findings.count - new
        if let prev = history.previousRunId {
            h += "<p>与上次检查（运行 \(prev)\(history.previousAsOf.map { "，\(esc($0.description))" } ?? "")）相比：</p>\n"
        } else {
            h += "<p>这是这些站点的首次检查记录，所有问题均为新发现。</p>\n"
        }
        h +=
            "<table id=\"changes-table\"><caption>与上次检查比较</caption><thead><tr><th scope=\"col\">新发现</th><th scope=\"col\">仍存在</th><th scope=\"col\">已修复</th></tr></thead><tbody><tr><td class=\"num\" id=\"changes-new\">\(new)</td><td class=\"num\" id=\"changes-open\">\(open)</td><td class=\"num\" id=\"changes-fixed\">\(history.fixed.count)</td></tr></tbody></table>\n"
        if !history.fixed.isEmpty {
            h +=
                "<table id=\"fixed-table\"><caption>已修复的问题</caption><thead><tr><th scope=\"col\">指标</th><th scope=\"col\">问题</th><th scope=\"col\">位置</th><th scope=\"col\">部门</th></tr></thead><tbody>\n"
            for f in history.fixed.prefix(maxRows) {
                h +=
                    "<tr data-id=\"\(esc(f.id))\"><td>\(esc(FixText.indicatorName(f.indicator)))</td><td>\(esc(f.message))</td><td>\(link(f.url))</td><td>\(esc(ReportWriter.departmentName(f.department)))</td></tr>\n"
            }
            h += "</tbody></table>\n"
            if history.fixed.count > maxRows { h += "<p>另有 \(history.fixed.count - maxRows) 条已修复问题，见 findings.json 的 fixed。</p>\n" }
        }
        return h + "</section>\n"
    }

    static func findingsSection(_ doc: FindingsDocument, history: RunHistory, context: ReportContext) -> String {
        var h = "<section id=\"findings\">\n<h2>问题清单</h2>\n"
        if doc.findings.isEmpty { return h + "<p>没有发现问题。</p>\n</section>\n" }
        let shown = doc.findings.prefix(maxRows)
        func options(_ values: [(String, String)]) -> String {
            values.map { "<option value=\"\(esc($0.0))\">\(esc($0.1))</option>" }.joined()
        }
        let depts = Set(shown.map(\.department)).sorted().map { ($0, ReportWriter.departmentName($0)) }
        let inds = Indicator.allCases.filter { i in shown.contains { $0.indicator == i } }.map { ($0.rawValue, FixText.indicatorName($0)) }
        let sevs = Severity.allCases.sorted(by: >).map { ($0.rawValue, $0.nameZh) }
        // Hidden until the script runs: without scripts the table simply shows every row.
        h += "<form id=\"filters\" class=\"filters\" hidden=\"hidden\" aria-label=\"筛选问题\">"
        h += "<label>部门 <select name=\"dept\"><option value=\"*\">全部</option>\(options(depts))</select></label> "
        h += "<label>指标 <select name=\"ind\"><option value=\"*\">全部</option>\(options(inds))</select></label> "
        h += "<label>严重程度 <select name=\"sev\"><option value=\"*\">全部</option>\(options(sevs))</select></label> "
        h += "<span>显示 <output id=\"shown\">\(shown.count)</output> 条</span></form>\n"
        h +=
            "<table id=\"findings-table\"><caption>全部问题（单项否决在前）</caption><colgroup>"
            + [9, 6, 19, 17, 8, 5, 16, 20].map { "<col style=\"width:\($0)%\"/>" }.joined()
            + "</colgroup><thead><tr><th scope=\"col\">状态</th><th scope=\"col\">严重程度</th><th scope=\"col\">问题</th><th scope=\"col\">位置</th><th scope=\"col\">部门</th><th scope=\"col\">扣分</th><th scope=\"col\">证据</th><th scope=\"col\">依据与整改</th></tr></thead><tbody>\n"
        for f in shown {
            var r = context.rule(f.rule, indicator: f.indicator)
            if case .string(let own)? = f.evidence["source"], !own.isEmpty { r.source = own }
            let status = history.status(of: f)
            var whereCell = link(f.url)
            if !f.foundOn.isEmpty {
                // foundOn may be a sample (a template's first pages, a broken link's first 50):
                // the evidence holds the total.
                let total = Summary.pageTotal(f)
                whereCell +=
                    "<br/>所在页面：" + f.foundOn.prefix(3).map(link).joined(separator: "<br/>")
                    + (total > 3 ? "<br/>等 \(total) 个页面" : "")
            }
            h +=
                "<tr data-dept=\"\(esc(f.department))\" data-ind=\"\(f.indicator.rawValue)\" data-sev=\"\(f.severity.rawValue)\" data-status=\"\(status.rawValue)\">"
            h += "<td class=\"nowrap\">\(statusLabel(status))<br/><span class=\"meta\">首次 \(esc(history.firstSeen(of: f, asOf: doc.asOf)))</span></td>"
            h += "<td class=\"nowrap \(f.severity.rawValue)\">\(f.severity.nameZh)</td>"
            h += "<td><strong>\(esc(r.nameZh))</strong>\(f.subject.isEmpty ? "" : "（" + esc(f.subject) + "）")<br/>\(esc(f.message))</td>"
            h +=
                "<td class=\"url\">\(whereCell)</td><td>\(esc(f.department))</td><td class=\"num\">\(f.severity == .deduct ? Summary.points(f.points) : "—")</td>"
            h += "<td class=\"evidence\">\(evidence(f.evidence))</td>"
            h += "<td>\(r.source.isEmpty ? "" : "<span class=\"why\">依据：\(esc(r.source))</span><br/>")整改：\(esc(r.fix))</td></tr>\n"
        }
        h += "</tbody></table>\n"
        if doc.findings.count > maxRows {
            h += "<p id=\"more-rows\">另有 \(doc.findings.count - maxRows) 条问题未在此列出，完整清单见 findings.json 和 departments/ 下各部门的问题清单。</p>\n"
        }
        return h + "</section>\n"
    }

    // MARK: Helpers

    static func statusLabel(_ s: RunHistory.Status) -> String {
        switch s {
        case .new: return "<span class=\"new\">新发现</span>"
        case .open: return "<span class=\"open\">仍存在</span>"
        case .fixed: return "<span class=\"fixed\">已修复</span>"
        }
    }

    static func departmentFile(_ d: String) -> String { "departments/\(DepartmentCSV.fileName(for: d)).csv" }

    static func link(_ url: String) -> String {
        let safe = url.hasPrefix("http://") || url.hasPrefix("https://")
        return safe ? "<a class=\"url\" href=\"\(esc(url))\">\(esc(url))</a>" : "<span class=\"url\">\(esc(url))</span>"
    }

    /// The evidence as short `key: value` lines (snippets cut, at most 8 keys).
    static func evidence(_ e: [String: JSONValue]) -> String {
        func text(_ v: JSONValue) -> String {
            switch v {
            case .string(let s): return s.count > 60 ? String(s.prefix(60)) + "…" : s
            case .int(let i): return String(i)
            case .double(let d): return Summary.points(d)
            case .bool(let b): return b ? "是" : "否"
            case .null: return "—"
            case .array(let a): return a.prefix(3).map(text).joined(separator: "；") + (a.count > 3 ? "；…（共 \(a.count) 项）" : "")
            case .object(let o): return o.sorted { $0.key < $1.key }.prefix(5).map { "\($0.key)=\(text($0.value))" }.joined(separator: "，")
            }
        }
        return e.sorted { $0.key < $1.key }.prefix(8).map { "<code>\(esc($0.key))</code>：\(esc(text($0.value)))" }.joined(separator: "<br/>")
    }

    static func hostOf(_ url: String) -> String {
        URLComponents(string: url)?.host ?? url
    }

    package static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters are not allowed in XML (nor useful in HTML).
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static let css = """
        body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:1.5rem auto;max-width:76rem;padding:0 1rem;color:#1a1a1a;line-height:1.5}
        h1{font-size:1.6rem;margin:0 0 .2rem} h2{font-size:1.3rem;border-bottom:2px solid #b71c1c;padding-bottom:.2rem;margin-top:2rem} h3{font-size:1.05rem;margin:1.2rem 0 .2rem}
        .meta{color:#555;font-size:.9rem} .headline{display:flex;flex-wrap:wrap;align-items:center;gap:1.5rem;margin:.8rem 0}
        .verdict{display:inline-block;margin:0;padding:.5rem 1.4rem;border-radius:.3rem;font-size:1.6rem;font-weight:bold;color:#fff}
        .pass{background:#2e7d32} .fail{background:#c62828} .score{margin:0;font-size:1.2rem} .score strong{font-size:2rem}
        table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.5rem 0} caption{text-align:left;font-weight:bold;padding:.2rem 0}
        th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:left;vertical-align:top} thead th{background:#f1f1f1} tbody th{font-weight:normal}
        table.counts{width:auto} table.fix-first td:first-child,table.fix-first th:first-child{white-space:nowrap} table.fix-first td:nth-child(4){min-width:6rem} table.counts td{font-size:1.3rem;text-align:center;min-width:4.5rem}
        td.num{text-align:right} .veto{color:#c62828;font-weight:bold} .deduct{color:#d84315} .advice{color:#555}
        .new{color:#c62828} .open{color:#6d4c41} .fixed{color:#2e7d32}
        .url{word-break:break-all} .nowrap{white-space:nowrap} .evidence{font-size:.8rem;overflow-wrap:anywhere;min-width:10rem;max-width:18rem} .why{color:#555;font-size:.85rem}
        ol.veto-list li{margin:.6rem 0;padding:.4rem .6rem;border-left:4px solid #c62828;background:#fff5f5} ol.veto-list p{margin:.15rem 0}
        nav.toc{margin:.5rem 0;font-size:.9rem} nav.toc a{margin-right:.8rem}
        svg.chart{display:block;width:100%;max-width:62rem;height:auto;margin:.5rem 0} svg.chart text{font-size:12px;font-family:inherit}
        form.filters{margin:.5rem 0;padding:.4rem;background:#f7f7f7} form.filters label{margin-right:1rem}
        @media print{body{margin:0;max-width:none;font-size:9.5pt} nav.toc,form.filters{display:none} h2,h3{break-after:avoid}
        tr,li,svg{break-inside:avoid} thead{display:table-header-group}
        #findings-table{table-layout:fixed} #findings-table,#findings-table *{font-size:7.5pt} .nowrap{white-space:normal} .evidence{min-width:0;max-width:none} .url{overflow-wrap:anywhere} a{color:#000;text-decoration:none} .verdict{border:2px solid #000;color:#000;background:none}
        }
        @page{size:A4;margin:14mm 12mm}
        """

    /// The filter: shows the form, hides the rows that do not match. No `<` or `&` so
    /// that, inside CDATA, the page stays well-formed XML.
    static let script = """
        (function () {
          var form = document.getElementById("filters");
          var table = document.getElementById("findings-table");
          if (!form || !table) return;
          form.hidden = false;
          var rows = table.tBodies[0].rows;
          function keep(row, name, value) { return value === "*" || row.getAttribute(name) === value; }
          function apply() {
            var d = form.elements.dept.value, i = form.elements.ind.value, s = form.elements.sev.value, n = 0;
            Array.prototype.forEach.call(rows, function (row) {
              var ok = [keep(row, "data-dept", d), keep(row, "data-ind", i), keep(row, "data-sev", s)].every(Boolean);
              row.hidden = !ok;
              if (ok) n += 1;
            });
            document.getElementById("shown").textContent = String(n);
          }
          form.addEventListener("change", apply);
        })();
        """
}
