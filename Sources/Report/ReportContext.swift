package import Inspect
package import Vocabulary

/// What the report needs besides the findings: the profile's scoring (caps, pass mark),
/// each rule's official source and fix text, and the columns the sweep found.
/// An empty context still renders: caps then come from the bundled profile the document
/// names (if any), rule texts from the rule registry, and the timeline is left out.
package struct ReportContext: Sendable {
    /// A rule as the report explains it.
    package struct RuleInfo: Sendable, Equatable {
        package var nameZh: String
        /// The official text the rule implements.
        package var source: String
        /// How to fix a finding of the rule (Chinese).
        package var fix: String
        package init(nameZh: String, source: String, fix: String) {
            self.nameZh = nameZh; self.source = source; self.fix = fix
        }
    }

    /// Deduction caps per indicator (an indicator absent here is uncapped); nil: unknown.
    package var caps: [Indicator: Double]?
    package var passMark: Double
    /// Columns with their newest item and window, for the update timeline.
    package var columns: [ColumnFact]
    /// URLs found and not fetched, by the crawl's skip reason (`robots`, `sitemap-max-pages`, …):
    /// findings.json keeps only their sum; summary.md and the report say what was cut.
    package var skippedByReason: [String: Int] = [:]
    /// The profile's work points as the sweep judged them (workpoints.csv, 工作要点落实情况); empty: none.
    package var workPoints: [WorkPointRow] = []

    package init(
        caps: [Indicator: Double]? = nil, passMark: Double = 60, columns: [ColumnFact] = []
    ) {
        self.caps = caps; self.passMark = passMark; self.columns = columns
    }

    /// The context of a sweep under `profile`.
    package init(profile: Profile, columns: [ColumnFact] = [], skippedByReason: [String: Int] = [:]) {
        self.init(caps: profile.caps, passMark: profile.passMark, columns: columns)
        self.skippedByReason = skippedByReason
    }

    /// The skip reasons as a reader sees them, most first: "robots.txt 禁止 3、…"; "" when none.
    package var skipDetail: String {
        skippedByReason.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\(ReportContext.skipLabels[$0.key] ?? $0.key) \($0.value)" }.joined(separator: "、")
    }

    /// The crawl's skip reasons (Crawl's `SkipReason`), in Chinese; an unknown one prints as it is.
    static let skipLabels: [String: String] = [
        "robots": "robots.txt 禁止",
        "excluded": "按 --include/--exclude 排除",
        "max-pages": "超出页数上限",
        "max-depth": "超出深度上限",
        "trap-length": "疑似爬虫陷阱（地址超过 1 KiB）",
        "trap-depth": "疑似爬虫陷阱（路径过深）",
        "trap-repeat": "疑似爬虫陷阱（路径重复）",
        "trap-query": "疑似爬虫陷阱（参数组合过多）",
        "trap-calendar": "疑似爬虫陷阱（日历）",
        "url-too-long": "链接地址超过 8 KiB，未访问",
        "unparseable-url": "链接地址无法解析",
        "unsupported-scheme": "非 http(s) 链接",
        "sitemap-max-pages": "站点地图中超出页数上限的网址",
        "sitemap-url-limit": "站点地图文件超过 5 万条的网址",
        "sitemap-off-site": "站点地图中其他站点的网址",
        "sitemap-too-large": "超过 50 MB 的站点地图文件（只读前 50 MB）",
        "sitemap-cycle": "站点地图索引重复列出的文件",
        "sitemap-depth": "站点地图索引嵌套过深的文件",
        "sitemap-files": "超过 50 个的站点地图文件",
        "sitemap-unread": "页数已满、未读取的站点地图文件",
    ]

    /// The caps to score with: the context's, else the bundled profile named `profileID`'s, else none.
    func effectiveCaps(profileID: String) -> [Indicator: Double] {
        if let caps { return caps }
        if Profile.bundledNames.contains(profileID), let p = try? Profile.bundled(name: profileID) { return p.caps }
        return [:]
    }

    /// Name, source and fix text of a finding's rule (a variant's id finds its rule).
    package func rule(_ id: RuleID, indicator: Indicator) -> RuleInfo {
        guard let d = RuleRegistry.description(of: id) else {
            return RuleInfo(nameZh: FixText.indicatorName(indicator), source: "", fix: FixText.fix(indicator: indicator))
        }
        // The rule's own advice (a11y and footer rules give one per check), else the indicator's.
        let fix = d.fix.isEmpty ? FixText.fix(indicator: indicator) : d.fix
        return RuleInfo(nameZh: d.nameZh, source: ReportContext.readerSource(d.source), fix: fix)
    }

    /// A rule's source as a reader of the report needs it: the confidence notes the rules
    /// carry for their maintainers (`points L`, `severity and points L (profile setting)`,
    /// `common-typo severity L`) said once, in Chinese.
    static func readerSource(_ source: String) -> String {
        var parts: [String] = []
        var unconfirmed = false
        for part in source.components(separatedBy: "; ") {
            let p = part.trimmingCharacters(in: .whitespaces)
            if p.hasSuffix(" L") || p.hasSuffix(" L (profile setting)") { unconfirmed = true } else { parts.append(p) }
        }
        var out = parts.joined(separator: "；")
        if unconfirmed { out += (out.isEmpty ? "" : "；") + "扣分值或严重程度为经验设置，未见于官方文件（可在规则配置中调整）" }
        return out
    }
}

/// Names and general fix texts in Chinese, per indicator (a rule's own advice is its description's `fix`).
package enum FixText {
    package static func indicatorName(_ i: Indicator) -> String {
        switch i {
        case .siteUnavailable: return "网站无法访问"
        case .homepageStale: return "首页不更新"
        case .columnStale: return "栏目不更新"
        case .columnBlank: return "空白栏目"
        case .columnMissing: return "缺少必设栏目"
        case .linkBroken: return "链接不可用"
        case .footerMarker: return "网站标识缺失或错误"
        case .a11y: return "无障碍与适老化"
        case .phoneUnfiled: return "电话未备案"
        case .phoneMalformed: return "电话号码错误"
        case .policyMetadata: return "政策文件要素缺失"
        case .replyLate: return "留言答复超期"
        case .replyMissing: return "留言未答复"
        case .wording: return "表述错误"
        case .newmediaStale: return "新媒体不更新"
        case .newmediaUnfiled: return "新媒体未备案"
        case .newmediaUnreachable: return "新媒体无法访问"
        case .workPoint: return "工作要点未落实"
        case .serviceGuide: return "办事服务不实用"
        case .consultChannel: return "在线咨询渠道不可用"
        case .messageTimes: return "留言未公开时间"
        case .search: return "站内搜索不可用"
        case .mobile: return "未适配移动端"
        case .policyInterpretation: return "政策文件与解读未关联"
        case .dateSuspect: return "疑似虚假更新"
        }
    }

    /// The general advice for an indicator, for rules that give none of their own.
    package static func fix(indicator: Indicator) -> String {
        switch indicator {
        case .siteUnavailable: return "排查服务器、网络和域名解析，确保网站持续可访问（15 秒内响应）；必要时增加监控与冗余。"
        case .homepageStale: return "在首页发布新的、带日期的信息，确保两周内有更新。"
        case .columnStale: return "由栏目责任部门在更新期限内发布新信息；确已停用的栏目应整合或下线，并从导航中移除。"
        case .columnBlank: return "为栏目补充内容，或将空白栏目整合、下线并移除其链接。"
        case .columnMissing: return "按要求开设该栏目（或专题），放在首页或信息公开目录中可找到的位置，并按时更新。"
        case .linkBroken: return "修正或删除不可用的链接（见“所在页面”），站外链接失效时改为有效地址或删除。"
        case .footerMarker: return "按政府网站发展指引在页脚补齐并核对网站标识信息。"
        case .a11y: return "按无障碍要求修改页面模板或内容（替代文本、标签、标题等）。"
        case .phoneUnfiled: return "核对该号码：属实的报备到电话登记，不再使用的从页面删除。"
        case .phoneMalformed: return "改正号码的写法（区号 + 号码，如 010-66012345）或删除无效号码。"
        case .policyMetadata: return "在政策文件页面补齐缺少的要素（发文机关、文号、发布日期、有效性等）。"
        case .replyLate: return "按时限答复留言；检查留言办理流程，必要时设提醒。"
        case .replyMissing: return "尽快答复该留言并公开答复内容和时间。"
        case .wording: return "将错误或禁用的表述改为规范表述，并检查同类页面。"
        case .newmediaStale: return "在两周内发布新内容；无力维护的账号按规定注销并报备。"
        case .newmediaUnfiled: return "将账号报备到政务新媒体登记，或删除门户上的链接。"
        case .newmediaUnreachable: return "核对账号的订阅地址（feed），确认账号正常运营。"
        case .workPoint: return "由牵头部门按工作要点在门户网站相应栏目发布该项信息（带发布日期）；已在其他位置发布的，请在说明中注明并核对关键词。"
        case .serviceGuide: return "由事项办理部门补齐办事指南要素（事项名称、设定依据、申请条件、办理材料、办理地点、办理机构、收费标准、办理时间、联系电话、办理流程）。"
        case .consultChannel: return "在首页提供可用的在线咨询渠道（留言板、信箱表单或政务服务平台咨询页），并确保入口链接有效。"
        case .messageTimes: return "在公开的留言页面同时显示留言时间和答复时间。"
        case .search: return "提供站内搜索，并确保以网站上已有文章的标题检索时能返回该文章。"
        case .mobile: return "为页面设置 viewport 并采用响应式布局，或提供手机版网站并在首页给出入口。"
        case .policyInterpretation: return "在政策文件页面链接其解读，在解读页面链接回所解读的政策文件（国办发〔2017〕47号）。"
        case .dateSuspect: return "核对信息的发布日期：日期应为真实发布日期，不得批量改写旧信息的日期。"
        }
    }
}
