package import Foundation
import Inspect
package import Vocabulary

/// One site of a fleet round as the round summary shows it: who runs it, how far its sweep
/// got, and what its findings.json concluded. Built by `govsweep fleet report` from the store;
/// this module never reads a database.
package struct RoundSiteResult: Sendable, Equatable {
    /// How far the site's job got when the summary was written.
    package enum Status: Sendable, Equatable {
        case queued
        case running
        case done
        /// The sweep could not complete (unreachable, out of retries, …): the reason is shown as it is.
        case failed(reason: String)

        /// The CSV's and scripts' word: queued, running, done, failed.
        package var key: String {
            switch self {
            case .queued: return "queued"
            case .running: return "running"
            case .done: return "done"
            case .failed: return "failed"
            }
        }

        /// 排队中 / 检查中 / 已完成 / 检查失败.
        package var nameZh: String {
            switch self {
            case .queued: return "未开始（排队中）"
            case .running: return "检查中（汇总时未完成）"
            case .done: return "已完成"
            case .failed: return "检查失败"
            }
        }
    }

    /// The site's name (网站名称), e.g. 西湖区人民政府门户网站.
    package var name: String
    /// The start URL; it is also the site's identity when two rounds are compared.
    package var url: String
    /// The owning organisation (主办单位): a city, district/county or department.
    package var owner: String
    /// Administrative region code (行政区划代码), e.g. 330106.
    package var region: String
    /// The region's name (西湖区); nil shows the code.
    package var regionName: String?
    package var status: Status
    /// The score out of 100; nil until the site is swept.
    package var score: Double?
    package var verdict: Verdict?
    /// The indicators with a veto finding (findings.json's `vetoes`).
    package var vetoes: [Indicator]
    /// Points lost per indicator, as counted in the score (after the profile's caps).
    package var deductions: [Indicator: Double]
    /// Number of findings (every severity).
    package var findings: Int
    /// Pages fetched.
    package var pages: Int
    /// The site's report folder relative to the summary's folder (`sites/0001/`); the summary
    /// links its report.html. A path ending in `.html` is linked as it is.
    package var reportPath: String?

    package init(
        name: String, url: String, owner: String, region: String, regionName: String? = nil,
        status: Status, score: Double? = nil, verdict: Verdict? = nil, vetoes: [Indicator] = [],
        deductions: [Indicator: Double] = [:], findings: Int = 0, pages: Int = 0, reportPath: String? = nil
    ) {
        self.name = name; self.url = url; self.owner = owner; self.region = region
        self.regionName = regionName; self.status = status; self.score = score; self.verdict = verdict
        self.vetoes = vetoes; self.deductions = deductions; self.findings = findings; self.pages = pages
        self.reportPath = reportPath
    }

    /// Swept, with a score: the site takes part in the ranking and the averages.
    package var isScored: Bool { status == .done && score != nil }
}

extension RoundSiteResult {
    /// A swept site from its findings.json document: its score, verdict and vetoes, the points each
    /// indicator cost after the profile's caps (as the score counts them), findings and pages.
    /// `caps` nil: the bundled profile the document names (as report.html does).
    package init(
        document doc: FindingsDocument, name: String, owner: String, region: String, regionName: String? = nil,
        reportPath: String? = nil, caps: [Indicator: Double]? = nil
    ) {
        let plan = FixPlan(findings: doc.findings, caps: caps ?? ReportContext(caps: caps).effectiveCaps(profileID: doc.profile))
        var deductions: [Indicator: Double] = [:]
        for ind in plan.totals.keys { deductions[ind] = plan.capped(ind) }
        self.init(
            name: name, url: doc.sites.first ?? "", owner: owner, region: region, regionName: regionName, status: .done,
            score: doc.score, verdict: doc.verdict, vetoes: doc.vetoes, deductions: deductions,
            findings: doc.findings.count, pages: doc.pages.fetched, reportPath: reportPath)
    }
}

/// Everything the round summary shows: the round, its sites and (when there was one) the
/// previous round of the same sites, matched by URL.
package struct RoundSummaryInput: Sendable, Equatable {
    /// The round compared against.
    package struct Previous: Sendable, Equatable {
        package var roundID: Int64
        package var asOf: Day
        package var sites: [RoundSiteResult]
        package init(roundID: Int64, asOf: Day, sites: [RoundSiteResult]) {
            self.roundID = roundID; self.asOf = asOf; self.sites = sites
        }
    }

    package var roundID: Int64
    /// The inspection date (YYYY-MM-DD).
    package var asOf: Day
    /// When the summary was made (ISO 8601 as the reports print it).
    package var generatedAt: String
    /// The profile the round was judged by.
    package var profile: String
    package var sites: [RoundSiteResult]
    package var previous: Previous?

    package init(
        roundID: Int64, asOf: Day, generatedAt: String, profile: String, sites: [RoundSiteResult],
        previous: Previous? = nil
    ) {
        self.roundID = roundID; self.asOf = asOf; self.generatedAt = generatedAt; self.profile = profile
        self.sites = sites; self.previous = previous
    }
}

/// The round summary (`DIR/index.html` and `DIR/sites.csv` of `govsweep fleet report`): what a
/// provincial office (省政府办公厅) sends upward after sweeping every government site of the
/// province. The page is self-contained like report.html (inline CSS and SVG, nothing fetched,
/// well-formed XML) and reads without JavaScript; everything is linear in the sites but the
/// sorts.
package enum RoundSummary {
    /// Rows of the score tables in "what changed" (the ranking's column lists every change).
    static let maxChangeRows = 10

    package static func html(_ input: RoundSummaryInput) -> String {
        let r = Round(input)
        let title = "政府网站检查情况汇总 · 第 \(input.roundID) 轮 · \(input.asOf)"
        var h = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(esc(title))</title>
            <style>\(HTMLReport.css)\n\(css)</style>
            </head>
            <body>
            <header>
            <h1>\(esc(title))</h1>
            <p class="meta">检查日期：\(esc(input.asOf.description))；检查轮次：第 \(input.roundID) 轮；规则：\(esc(input.profile))；汇总时间：\(esc(input.generatedAt))\(input.previous.map { "；对比：第 \($0.roundID) 轮（\(esc($0.asOf.description))）" } ?? "")</p>

            """
        h += headline(r)
        h +=
            "<nav class=\"toc\" aria-label=\"目录\"><a href=\"#ranking\">得分排名</a> <a href=\"#regions\">分地区情况</a> <a href=\"#owners\">分主办单位情况</a> <a href=\"#indicators\">主要失分指标</a> <a href=\"#changes\">与上轮比较</a> <a href=\"#not-swept\">未完成检查</a> <a href=\"sites.csv\">下载表格（sites.csv）</a></nav>\n</header>\n<main>\n"
        h += rankingSection(r)
        h += groupSection(
            r, id: "regions", title: "分地区情况", key: "地区", groups: r.byRegion, chart: true)
        h += groupSection(
            r, id: "owners", title: "分主办单位情况", key: "主办单位", groups: r.byOwner, chart: false)
        h += indicatorSection(r)
        h += changesSection(r)
        h += notSweptSection(r)
        h +=
            "</main>\n<footer><p class=\"meta\">由 govsweep 于 \(esc(input.generatedAt)) 生成。各网站的检查报告、问题清单（findings.json）和部门清单见各自文件夹；本页全部数据见同目录下的 sites.csv。</p></footer>\n</body>\n</html>\n"
        return h
    }

    /// sites.csv: one row per site in ranking order, the points lost per indicator as columns
    /// (for pivot tables). UTF-8 with BOM and CRLF, quoted as the department lists are.
    package static func csv(_ input: RoundSummaryInput) -> String {
        let r = Round(input)
        var out = "\u{FEFF}" + csvHeader.map(DepartmentCSV.field).joined(separator: ",") + "\r\n"
        for row in r.ranking {
            let s = row.site
            let prev = r.previous(of: s)
            var reason = ""
            if case .failed(let why) = s.status { reason = why }
            let rank: String = row.rank.map(String.init) ?? ""
            let lost: Double = s.deductions.values.reduce(0, +)
            var cells: [String] = [rank, s.name, s.url, s.owner, s.region, s.regionName ?? "", s.status.nameZh]
            cells += [s.score.map(points) ?? "", s.verdict?.nameZh ?? "", s.vetoes.map(\.rawValue).joined(separator: " ")]
            cells += [points(lost), String(s.findings), String(s.pages), prev?.score.map(points) ?? ""]
            cells += [r.delta(of: s).map(signed) ?? "", prev?.verdict?.nameZh ?? "", s.reportPath ?? "", reason]
            for ind in Indicator.allCases { cells.append(s.deductions[ind].map(points) ?? "") }
            out += cells.map(DepartmentCSV.field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The CSV's header: Chinese and English, as the department lists have it.
    package static let csvHeader: [String] =
        [
            "排名 rank", "网站名称 name", "网址 url", "主办单位 owner", "地区代码 region", "地区 region name",
            "状态 status", "得分 score", "结论 verdict", "单项否决 vetoes", "失分合计 points lost",
            "问题数 findings", "页面数 pages", "上轮得分 previous score", "得分变化 score change",
            "上轮结论 previous verdict", "报告 report", "未完成原因 reason",
        ] + Indicator.allCases.map { "失分 \($0.rawValue)" }

    /// Writes DIR/index.html and DIR/sites.csv. Both are written beside their final names and
    /// renamed into place only when both are complete, so DIR never holds a half-written file
    /// and a failed write leaves the previous summary as it was.
    package static func write(_ input: RoundSummaryInput, to dir: URL) throws {
        let fm = FileManager.default
        let files = [("index.html", html(input)), ("sites.csv", csv(input))]
        let pid = getpid()
        var staged: [URL] = []
        do {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            for (name, text) in files {
                let tmp = dir.appendingPathComponent(".\(name).tmp-\(pid)")
                staged.append(tmp)
                try Data(text.utf8).write(to: tmp)
            }
            // A directory in a file's place would fail the second rename after the first: check first.
            for (name, _) in files {
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &isDir), isDir.boolValue {
                    throw ReportWriter.Failure(description: "\(dir.appendingPathComponent(name).path): is a directory")
                }
            }
            for ((name, _), tmp) in zip(files, staged) {
                // rename(2) replaces the old file in one step; FileManager.moveItem refuses to.
                guard rename(tmp.path, dir.appendingPathComponent(name).path) == 0 else {
                    throw ReportWriter.Failure(
                        description: "\(dir.appendingPathComponent(name).path): \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            for tmp in staged { try? fm.removeItem(at: tmp) }
            let why = (error as? ReportWriter.Failure)?.description ?? error.localizedDescription
            throw ReportWriter.Failure(description: "\(dir.path): cannot write the round summary (\(why))")
        }
    }

    // MARK: Sections

    static func headline(_ r: Round) -> String {
        let t = r.total
        var h = "<div class=\"headline\">\n"
        h +=
            "<table class=\"counts\" id=\"counts\"><caption>本轮概况</caption><thead><tr><th scope=\"col\">纳入检查</th><th scope=\"col\">完成检查</th><th scope=\"col\">合格</th><th scope=\"col\">不合格</th><th scope=\"col\">合格率</th><th scope=\"col\">平均得分</th><th scope=\"col\">单项否决</th><th scope=\"col\">未完成</th></tr></thead>"
        h +=
            "<tbody><tr><td class=\"num\" id=\"count-sites\">\(t.sites)</td><td class=\"num\" id=\"count-swept\">\(t.swept)</td><td class=\"num pass-text\" id=\"count-passed\">\(t.passed)</td><td class=\"num\(t.failed > 0 ? " veto" : "")\" id=\"count-failed\">\(t.failed)</td><td class=\"num\" id=\"pass-rate\">\(t.passRate)</td><td class=\"num\" id=\"mean-score\">\(t.meanText)</td><td class=\"num\(t.vetoes > 0 ? " veto" : "")\" id=\"count-vetoes\">\(t.vetoes)</td><td class=\"num\" id=\"count-not-swept\">\(t.notSwept)</td></tr></tbody></table>\n</div>\n"
        // The paragraph an office pastes into its report upward.
        var p =
            "本轮共检查政府网站 \(t.sites) 个，完成检查 \(t.swept) 个。其中合格 \(t.passed) 个、不合格 \(t.failed) 个"
        if t.swept > 0 { p += "，合格率 \(t.passRate)，平均得分 \(t.meanText) 分" }
        p += "；\(t.vetoSites) 个网站存在单项否决问题（共 \(t.vetoes) 项）"
        if t.notSwept > 0 { p += "；另有 \(t.notSwept) 个网站未完成检查，原因见文末" }
        p += "。"
        if let prev = r.input.previous {
            let c = r.changes
            p +=
                "与第 \(prev.roundID) 轮（\(prev.asOf)）相比，平均得分\(r.meanDelta.map(meanChange) ?? "无可比数据")，新增不合格 \(c.newlyFailing.count) 个，转为合格 \(c.newlyPassing.count) 个，消除单项否决 \(c.vetoesFixed) 项，新增单项否决 \(c.vetoesNew) 项。"
        }
        h += "<p class=\"lead\" id=\"lead\">\(esc(p))</p>\n"
        let top = r.indicators.prefix(3).map { i in
            var parts: [String] = []
            if i.vetoSites > 0 { parts.append("\(i.vetoSites) 个网站单项否决") }
            if i.sites > 0 { parts.append("\(i.sites) 个网站失分 \(points(i.points)) 分") }
            return "\(FixText.indicatorName(i.indicator))（\(parts.joined(separator: "，"))）"
        }
        if !top.isEmpty { h += "<p id=\"lead-indicators\">问题主要集中在：\(esc(top.joined(separator: "、")))。</p>\n" }
        let failing = r.ranking.filter { $0.site.isScored && $0.site.verdict == .fail }
        if !failing.isEmpty {
            h += "<p id=\"lead-failing\">不合格网站（\(failing.count) 个）："
            h += failing.map { siteLink($0.site) }.joined(separator: "、")
            h += "。</p>\n"
        }
        return h
    }

    static func rankingSection(_ r: Round) -> String {
        var h = "<section id=\"ranking\">\n<h2>得分排名</h2>\n"
        if r.ranking.isEmpty { return h + "<p>本轮没有网站。</p>\n</section>\n" }
        h +=
            "<p>完成检查的网站按得分从高到低排列（得分相同、结论相同的并列）；存在单项否决的网站无论得分均为不合格。未完成检查的网站列在最后。</p>\n"
        h +=
            "<table id=\"ranking-table\"><caption>各网站得分排名</caption><thead><tr><th scope=\"col\">排名</th><th scope=\"col\">网站</th><th scope=\"col\">主办单位</th><th scope=\"col\">地区</th><th scope=\"col\">得分</th><th scope=\"col\">结论</th><th scope=\"col\">单项否决</th><th scope=\"col\">失分最多的指标</th><th scope=\"col\">问题数</th><th scope=\"col\">页面数</th><th scope=\"col\">较上轮</th></tr></thead><tbody>\n"
        for row in r.ranking {
            let s = row.site
            let topLoss = s.deductions.filter { $0.value > 0 }.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }
                .prefix(2).map { "\(FixText.indicatorName($0.key)) −\(points($0.value))" }.joined(separator: "；")
            h +=
                "<tr data-url=\"\(esc(s.url))\"><td class=\"num\">\(row.rank.map(String.init) ?? "—")</td><th scope=\"row\">\(siteLink(s))<br/><span class=\"meta url\">\(esc(s.url))</span></th><td>\(esc(s.owner))</td><td>\(esc(regionLabel(s)))</td><td class=\"num\">\(s.isScored ? points(s.score ?? 0) : "—")</td><td>\(badge(s))</td><td>\(vetoNames(s.vetoes))</td><td>\(esc(topLoss))</td><td class=\"num\">\(s.isScored ? String(s.findings) : "—")</td><td class=\"num\">\(s.status == .done ? String(s.pages) : "—")</td><td class=\"num\">\(deltaCell(r.delta(of: s)))</td></tr>\n"
        }
        return h + "</tbody></table>\n</section>\n"
    }

    static func groupSection(
        _ r: Round, id: String, title: String, key: String, groups: [Round.Group], chart: Bool
    ) -> String {
        var h = "<section id=\"\(id)\">\n<h2>\(title)</h2>\n"
        if groups.isEmpty { return h + "<p>本轮没有网站。</p>\n</section>\n" }
        if chart {
            let rows = groups.map {
                Chart.StackRow(label: $0.label, parts: [$0.tally.passed, $0.tally.failed, $0.tally.notSwept])
            }
            h += Chart.stackBars(
                rows, id: "chart-\(id)", title: "\(title)：合格、不合格与未完成的网站数",
                desc: "每个\(key)的合格、不合格和未完成检查的网站数；数据见下表。", legend: ["合格", "不合格", "未完成"],
                colors: ["#2e7d32", "#c62828", "#9e9e9e"])
        }
        h +=
            "<table id=\"\(id)-table\"><caption>\(title)（小计与合计）</caption><thead><tr><th scope=\"col\">\(key)</th><th scope=\"col\">网站数</th><th scope=\"col\">完成检查</th><th scope=\"col\">合格</th><th scope=\"col\">不合格</th><th scope=\"col\">合格率</th><th scope=\"col\">平均得分</th><th scope=\"col\">最低得分</th><th scope=\"col\">单项否决</th><th scope=\"col\">未完成</th></tr></thead><tbody>\n"
        func cells(_ t: Round.Tally) -> String {
            "<td class=\"num\">\(t.sites)</td><td class=\"num\">\(t.swept)</td><td class=\"num\">\(t.passed)</td><td class=\"num\(t.failed > 0 ? " veto" : "")\">\(t.failed)</td><td class=\"num\">\(t.passRate)</td><td class=\"num\">\(t.meanText)</td><td class=\"num\">\(t.minScore.map(points) ?? "—")</td><td class=\"num\(t.vetoes > 0 ? " veto" : "")\">\(t.vetoes)</td><td class=\"num\">\(t.notSwept)</td>"
        }
        for g in groups {
            h += "<tr data-group=\"\(esc(g.key))\"><th scope=\"row\">\(esc(g.label))</th>\(cells(g.tally))</tr>\n"
        }
        h += "</tbody><tfoot><tr><th scope=\"row\">合计</th>\(cells(r.total))</tr></tfoot></table>\n"
        return h + "</section>\n"
    }

    static func indicatorSection(_ r: Round) -> String {
        var h = "<section id=\"indicators\">\n<h2>主要失分指标</h2>\n"
        if r.indicators.isEmpty { return h + "<p>完成检查的网站没有失分或单项否决。</p>\n</section>\n" }
        let lost = r.indicators.reduce(0) { $0 + $1.points }
        h +=
            "<p>按造成单项否决的网站数、再按全省失分合计排列。失分为计入得分的扣分（已按指标上限封顶），共 \(esc(points(lost))) 分。</p>\n"
        h +=
            "<table id=\"indicator-table\"><caption>各指标失分与单项否决</caption><thead><tr><th scope=\"col\">指标</th><th scope=\"col\">单项否决（网站数）</th><th scope=\"col\">失分网站数</th><th scope=\"col\">失分合计</th><th scope=\"col\">平均每站失分</th><th scope=\"col\">占全部失分</th></tr></thead><tbody>\n"
        for i in r.indicators {
            let share = lost > 0 ? String(format: "%.1f%%", 100 * i.points / lost) : "—"
            let mean = r.total.swept > 0 ? points(i.points / Double(r.total.swept)) : "—"
            h +=
                "<tr data-indicator=\"\(i.indicator.rawValue)\"><th scope=\"row\">\(esc(FixText.indicatorName(i.indicator))) <code>\(i.indicator.rawValue)</code></th><td class=\"num\(i.vetoSites > 0 ? " veto" : "")\">\(i.vetoSites)</td><td class=\"num\">\(i.sites)</td><td class=\"num\">\(points(i.points))</td><td class=\"num\">\(mean)</td><td class=\"num\">\(share)</td></tr>\n"
        }
        return h + "</tbody></table>\n</section>\n"
    }

    static func changesSection(_ r: Round) -> String {
        var h = "<section id=\"changes\">\n<h2>与上轮比较</h2>\n"
        guard let prev = r.input.previous else {
            return h + "<p id=\"changes-none\">没有上一轮的检查结果可比较；下一轮检查后这里会列出新增不合格、转为合格和单项否决的变化。</p>\n</section>\n"
        }
        let c = r.changes
        h +=
            "<p>与第 \(prev.roundID) 轮（\(esc(prev.asOf.description))）按网址对应比较：新增不合格 <strong class=\"veto\" id=\"newly-failing-count\">\(c.newlyFailing.count)</strong> 个，转为合格 <strong class=\"pass-text\" id=\"newly-passing-count\">\(c.newlyPassing.count)</strong> 个，消除单项否决 <strong class=\"pass-text\" id=\"vetoes-fixed-count\">\(c.vetoesFixed)</strong> 项，新增单项否决 <strong class=\"veto\" id=\"vetoes-new-count\">\(c.vetoesNew)</strong> 项\(c.added.isEmpty ? "" : "；本轮新纳入 \(c.added.count) 个网站")\(c.dropped.isEmpty ? "" : "；上轮检查、本轮未纳入 \(c.dropped.count) 个网站")。</p>\n"
        func siteTable(_ id: String, _ caption: String, _ sites: [RoundSiteResult]) -> String {
            if sites.isEmpty { return "<h3>\(caption)</h3>\n<p id=\"\(id)-none\">无。</p>\n" }
            var t =
                "<h3>\(caption)</h3>\n<table id=\"\(id)\"><thead><tr><th scope=\"col\">网站</th><th scope=\"col\">主办单位</th><th scope=\"col\">地区</th><th scope=\"col\">上轮得分</th><th scope=\"col\">本轮得分</th><th scope=\"col\">变化</th><th scope=\"col\">本轮单项否决</th></tr></thead><tbody>\n"
            for s in sites {
                let p = r.previous(of: s)
                t +=
                    "<tr data-url=\"\(esc(s.url))\"><th scope=\"row\">\(siteLink(s))</th><td>\(esc(s.owner))</td><td>\(esc(regionLabel(s)))</td><td class=\"num\">\(p?.score.map(points) ?? "—")</td><td class=\"num\">\(s.score.map(points) ?? "—")</td><td class=\"num\">\(deltaCell(r.delta(of: s)))</td><td>\(vetoNames(s.vetoes))</td></tr>\n"
            }
            return t + "</tbody></table>\n"
        }
        h += siteTable("newly-failing", "新增不合格（上轮合格、本轮不合格）", c.newlyFailing)
        h += siteTable("newly-passing", "转为合格（上轮不合格、本轮合格）", c.newlyPassing)
        h += "<h3>单项否决的变化</h3>\n"
        if c.vetoChanges.isEmpty {
            h += "<p id=\"veto-changes-none\">单项否决没有变化。</p>\n"
        } else {
            h +=
                "<table id=\"veto-changes\"><thead><tr><th scope=\"col\">网站</th><th scope=\"col\">主办单位</th><th scope=\"col\">已消除</th><th scope=\"col\">新增</th></tr></thead><tbody>\n"
            for v in c.vetoChanges {
                h +=
                    "<tr data-url=\"\(esc(v.site.url))\"><th scope=\"row\">\(siteLink(v.site))</th><td>\(esc(v.site.owner))</td><td>\(v.fixed.isEmpty ? "—" : "<span class=\"pass-text\">" + esc(v.fixed.map(FixText.indicatorName).joined(separator: "、")) + "</span>")</td><td>\(vetoNames(v.new))</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        let drops = c.deltas.filter { $0.delta < 0 }.prefix(maxChangeRows)
        let rises = c.deltas.reversed().filter { $0.delta > 0 }.prefix(maxChangeRows)
        func deltaTable(_ id: String, _ caption: String, _ rows: some Sequence<(site: RoundSiteResult, delta: Double)>) -> String {
            var t =
                "<h3>\(caption)</h3>\n<table id=\"\(id)\"><thead><tr><th scope=\"col\">网站</th><th scope=\"col\">主办单位</th><th scope=\"col\">上轮得分</th><th scope=\"col\">本轮得分</th><th scope=\"col\">变化</th></tr></thead><tbody>\n"
            var any = false
            for (s, d) in rows {
                any = true
                t +=
                    "<tr data-url=\"\(esc(s.url))\"><th scope=\"row\">\(siteLink(s))</th><td>\(esc(s.owner))</td><td class=\"num\">\(r.previous(of: s)?.score.map(points) ?? "—")</td><td class=\"num\">\(s.score.map(points) ?? "—")</td><td class=\"num\">\(deltaCell(d))</td></tr>\n"
            }
            return any ? t + "</tbody></table>\n" : "<h3>\(caption)</h3>\n<p id=\"\(id)-none\">无。</p>\n"
        }
        h += deltaTable("score-drops", "得分下降最多的网站（最多 \(maxChangeRows) 个）", drops)
        h += deltaTable("score-rises", "得分上升最多的网站（最多 \(maxChangeRows) 个）", rises)
        if !c.dropped.isEmpty {
            h +=
                "<p class=\"meta\" id=\"dropped\">上轮检查、本轮未纳入：\(c.dropped.map { esc($0.name) + "（" + esc($0.url) + "）" }.joined(separator: "、"))。</p>\n"
        }
        return h + "</section>\n"
    }

    static func notSweptSection(_ r: Round) -> String {
        var h = "<section id=\"not-swept\">\n<h2>未完成检查的网站</h2>\n"
        let rows = r.ranking.filter { !$0.site.isScored }.map(\.site)
        if rows.isEmpty { return h + "<p id=\"not-swept-none\">本轮所有网站均已完成检查。</p>\n</section>\n" }
        h += "<p>以下网站本轮没有得分，未计入排名、合格率和平均得分；请核实原因后补充检查。</p>\n"
        h +=
            "<table id=\"not-swept-table\"><thead><tr><th scope=\"col\">网站</th><th scope=\"col\">主办单位</th><th scope=\"col\">地区</th><th scope=\"col\">状态</th><th scope=\"col\">原因</th></tr></thead><tbody>\n"
        for s in rows {
            var reason = ""
            switch s.status {
            case .failed(let why): reason = why
            case .done: reason = "已完成但没有得分"
            case .queued, .running: reason = "汇总时该网站的检查尚未结束"
            }
            let why = reasonZh(reason).map { "\(esc($0))<br/><span class=\"meta\">\(esc(reason))</span>" } ?? esc(reason)
            h +=
                "<tr data-url=\"\(esc(s.url))\"><th scope=\"row\">\(siteLink(s))<br/><span class=\"meta url\">\(esc(s.url))</span></th><td>\(esc(s.owner))</td><td>\(esc(regionLabel(s)))</td><td class=\"veto\">\(esc(s.status.nameZh))</td><td>\(why)</td></tr>\n"
        }
        return h + "</tbody></table>\n</section>\n"
    }

    // MARK: Helpers

    /// The sweep's failure "no start URL could be fetched: URL: refused; URL: HTTP 503" in
    /// Chinese (首页无法访问（连接被拒绝、HTTP 503）); nil for any other reason, shown as it is.
    static func reasonZh(_ reason: String) -> String? {
        let prefix = "no start URL could be fetched"
        guard reason.hasPrefix(prefix) else { return nil }
        var causes: [String] = []
        for part in reason.dropFirst(prefix.count).split(separator: ";") {
            guard let last = part.split(separator: ":").last else { continue }
            let cause = last.trimmingCharacters(in: .whitespaces)
            let zh = FetchFailure(rawValue: cause)?.nameZh ?? cause
            if !zh.isEmpty, !causes.contains(zh) { causes.append(zh) }
        }
        return "首页无法访问" + (causes.isEmpty ? "" : "（" + causes.joined(separator: "、") + "）")
    }

    static func esc(_ s: String) -> String { HTMLReport.esc(s) }
    static func points(_ p: Double) -> String { Summary.points(p) }

    /// A change of score with its sign: +1.5, -2, 0.
    static func signed(_ d: Double) -> String {
        let t = points(abs(d))
        return t == "0" ? "0" : (d > 0 ? "+" : "-") + t
    }

    /// 提高 1.2 分 / 下降 0.5 分 / 持平.
    static func meanChange(_ d: Double) -> String {
        let t = points(abs(d))
        return t == "0" ? "持平" : (d > 0 ? "提高 " : "下降 ") + t + " 分"
    }

    static func deltaCell(_ d: Double?) -> String {
        guard let d else { return "—" }
        let t = signed(d)
        return t == "0" ? "0" : "<span class=\"\(d > 0 ? "fixed" : "new")\">\(t.replacingOccurrences(of: "-", with: "−"))</span>"
    }

    static func regionLabel(_ s: RoundSiteResult) -> String {
        guard let n = s.regionName, !n.isEmpty else { return s.region }
        return s.region.isEmpty ? n : "\(n)（\(s.region)）"
    }

    static func badge(_ s: RoundSiteResult) -> String {
        if s.isScored, let v = s.verdict { return "<span class=\"badge \(v == .pass ? "pass" : "fail")\">\(v.nameZh)</span>" }
        return "<span class=\"badge none\">\(esc(s.status == .done ? "无结论" : s.status.nameZh))</span>"
    }

    static func vetoNames(_ vs: [Indicator]) -> String {
        vs.isEmpty ? "—" : "<span class=\"veto\">\(esc(vs.map(FixText.indicatorName).joined(separator: "、")))</span>"
    }

    /// The site's name, linked to its report.html when it has one.
    static func siteLink(_ s: RoundSiteResult) -> String {
        let name = esc(s.name.isEmpty ? s.url : s.name)
        guard let path = s.reportPath, !path.isEmpty else { return name }
        return "<a href=\"\(esc(reportHref(path)))\">\(name)</a>"
    }

    /// A folder's report.html, percent-encoded so that a `#`, `?` or space in a folder name
    /// does not cut the link.
    static func reportHref(_ path: String) -> String {
        let file = path.hasSuffix(".html") ? path : (path.hasSuffix("/") ? path : path + "/") + "report.html"
        return file.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["?", "#", ";"])) ?? file
    }

    static let css = """
        .lead{font-size:1.05rem;max-width:60rem} .pass-text{color:#2e7d32;font-weight:bold}
        .badge{display:inline-block;padding:0 .5rem;border-radius:.2rem;color:#fff;font-weight:bold;white-space:nowrap} .badge.none{background:#757575;font-weight:normal}
        #ranking-table td:nth-child(1),#ranking-table td:nth-child(5){font-weight:bold} #ranking-table .url{font-size:.75rem} #ranking-table thead th{white-space:nowrap}
        tfoot th,tfoot td{font-weight:bold;background:#fafafa}
        @media print{.badge{border:1px solid #000;color:#000;background:none}}
        """

    // MARK: The round, computed once

    /// The round's figures: ranking, tallies, indicator totals and changes, each in one pass over
    /// the sites (plus sorts).
    struct Round {
        struct Row {
            var rank: Int?
            var site: RoundSiteResult
        }

        struct Tally {
            var sites = 0, swept = 0, passed = 0, failed = 0, notSwept = 0, vetoes = 0, vetoSites = 0
            var scoreSum = 0.0
            var minScore: Double?

            mutating func add(_ s: RoundSiteResult) {
                sites += 1
                guard s.isScored, let score = s.score else { notSwept += 1; return }
                swept += 1
                scoreSum += score
                minScore = min(minScore ?? score, score)
                if s.verdict == .pass { passed += 1 } else { failed += 1 }
                vetoes += s.vetoes.count
                if !s.vetoes.isEmpty { vetoSites += 1 }
            }

            var mean: Double? { swept > 0 ? scoreSum / Double(swept) : nil }
            var meanText: String { mean.map { String(format: "%.1f", $0) } ?? "—" }
            var passRate: String { swept > 0 ? String(format: "%.1f%%", 100 * Double(passed) / Double(swept)) : "—" }
        }

        struct Group {
            var key: String
            var label: String
            var tally: Tally
        }

        struct IndicatorCost {
            var indicator: Indicator
            var points = 0.0
            var sites = 0
            var vetoSites = 0
        }

        struct Changes {
            var newlyFailing: [RoundSiteResult] = []
            var newlyPassing: [RoundSiteResult] = []
            var vetoChanges: [(site: RoundSiteResult, fixed: [Indicator], new: [Indicator])] = []
            var vetoesFixed = 0, vetoesNew = 0
            /// Score changes, most negative first.
            var deltas: [(site: RoundSiteResult, delta: Double)] = []
            var added: [RoundSiteResult] = []
            var dropped: [RoundSiteResult] = []
        }

        let input: RoundSummaryInput
        var ranking: [Row] = []
        var total = Tally()
        var byRegion: [Group] = []
        var byOwner: [Group] = []
        var indicators: [IndicatorCost] = []
        var changes = Changes()
        var meanDelta: Double?
        let previousByURL: [String: RoundSiteResult]

        init(_ input: RoundSummaryInput) {
            self.input = input
            // The first entry wins if a URL were listed twice.
            previousByURL = Dictionary(
                (input.previous?.sites ?? []).map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
            ranking = Round.rank(input.sites)
            var regions: [String: Group] = [:], owners: [String: Group] = [:]
            var costs: [Indicator: IndicatorCost] = [:]
            for s in input.sites {
                total.add(s)
                regions[s.region, default: Group(key: s.region, label: RoundSummary.regionLabel(s), tally: Tally())].tally.add(s)
                owners[s.owner, default: Group(key: s.owner, label: s.owner.isEmpty ? "（未填写）" : s.owner, tally: Tally())]
                    .tally.add(s)
                guard s.isScored else { continue }
                for (ind, p) in s.deductions where p > 0 {
                    costs[ind, default: IndicatorCost(indicator: ind)].points += p
                    costs[ind, default: IndicatorCost(indicator: ind)].sites += 1
                }
                for ind in Set(s.vetoes) { costs[ind, default: IndicatorCost(indicator: ind)].vetoSites += 1 }
            }
            byRegion = regions.values.sorted { ($0.key, $0.label) < ($1.key, $1.label) }
            byOwner = owners.values.sorted { $0.key < $1.key }
            let order = Dictionary(uniqueKeysWithValues: Indicator.allCases.enumerated().map { ($1, $0) })
            indicators = costs.values.sorted {
                ($0.vetoSites, $0.points, order[$1.indicator] ?? 0) > ($1.vetoSites, $1.points, order[$0.indicator] ?? 0)
            }
            if let prev = input.previous { compare(prev) }
        }

        /// Scored sites by score (highest first; equal scores: pass before fail, fewer vetoes,
        /// then name and URL), sharing a rank when score and verdict are equal; the rest after, by name.
        static func rank(_ sites: [RoundSiteResult]) -> [Row] {
            let scored = sites.filter(\.isScored).sorted { a, b in
                let sa = a.score ?? 0, sb = b.score ?? 0
                if sa != sb { return sa > sb }
                let pa = a.verdict == .pass, pb = b.verdict == .pass
                if pa != pb { return pa }
                if a.vetoes.count != b.vetoes.count { return a.vetoes.count < b.vetoes.count }
                return (a.name, a.url) < (b.name, b.url)
            }
            var rows: [Row] = []
            rows.reserveCapacity(sites.count)
            for (i, s) in scored.enumerated() {
                if let last = rows.last, last.site.score == s.score, last.site.verdict == s.verdict {
                    rows.append(Row(rank: last.rank, site: s))
                } else {
                    rows.append(Row(rank: i + 1, site: s))
                }
            }
            rows += sites.filter { !$0.isScored }.sorted { ($0.name, $0.url) < ($1.name, $1.url) }.map { Row(rank: nil, site: $0) }
            return rows
        }

        func previous(of s: RoundSiteResult) -> RoundSiteResult? { previousByURL[s.url] }

        /// This round's score minus the previous round's, when both rounds scored the site.
        func delta(of s: RoundSiteResult) -> Double? {
            guard s.isScored, let p = previous(of: s), p.isScored, let a = s.score, let b = p.score else { return nil }
            return a - b
        }

        mutating func compare(_ prev: RoundSummaryInput.Previous) {
            var previousTally = Tally()
            for p in prev.sites { previousTally.add(p) }
            if let a = total.mean, let b = previousTally.mean {
                meanDelta = abs(a - b) < 0.005 ? 0 : a - b
            }
            var current = Set<String>()
            for row in ranking {
                let s = row.site
                current.insert(s.url)
                guard let p = previous(of: s) else {
                    changes.added.append(s)
                    continue
                }
                guard s.isScored, p.isScored else { continue }
                if p.verdict == .pass, s.verdict == .fail { changes.newlyFailing.append(s) }
                if p.verdict == .fail, s.verdict == .pass { changes.newlyPassing.append(s) }
                let now = Set(s.vetoes), before = Set(p.vetoes)
                let fixed = p.vetoes.filter { !now.contains($0) }, new = s.vetoes.filter { !before.contains($0) }
                if !fixed.isEmpty || !new.isEmpty {
                    changes.vetoChanges.append((s, fixed, new))
                    changes.vetoesFixed += fixed.count
                    changes.vetoesNew += new.count
                }
                if let d = delta(of: s), abs(d) >= 0.005 { changes.deltas.append((s, d)) }
            }
            changes.deltas.sort { ($0.delta, $0.site.name) < ($1.delta, $1.site.name) }
            changes.dropped = prev.sites.filter { !current.contains($0.url) }
        }
    }
}
