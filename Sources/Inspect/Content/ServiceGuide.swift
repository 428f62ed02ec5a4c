package import Parse
import Vocabulary

/// Reads a service guide's element table (办事指南: 事项名称, 设定依据, 申请条件 …) with the
/// label synonyms sites use (受理条件, 承诺时限, 咨询电话, 办理依据 …), through the same
/// byte scan as the policy-metadata reader (`LabelTable`).
package enum ServiceGuide {
    /// The ten key elements of the national indicators (国办秘函〔2019〕19号), in the order
    /// findings list them.
    package static let canonicalFields = ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理机构", "收费标准", "办理时间", "联系电话", "办理流程"]

    static let labels: [(field: String, label: String)] = [
        ("事项名称", "事项名称"), ("事项名称", "服务事项名称"), ("事项名称", "事项全称"),
        ("设定依据", "设定依据"), ("设定依据", "办理依据"), ("设定依据", "法律依据"), ("设定依据", "实施依据"),
        ("设定依据", "政策依据"), ("设定依据", "法定依据"), ("设定依据", "受理依据"), ("设定依据", "审批依据"),
        ("申请条件", "申请条件"), ("申请条件", "受理条件"), ("申请条件", "办理条件"), ("申请条件", "申报条件"),
        ("申请条件", "准入条件"),
        ("办理材料", "办理材料"), ("办理材料", "申请材料"), ("办理材料", "申报材料"), ("办理材料", "提交材料"),
        ("办理材料", "所需材料"), ("办理材料", "材料目录"), ("办理材料", "办事材料"), ("办理材料", "受理材料"),
        ("办理地点", "办理地点"), ("办理地点", "受理地点"), ("办理地点", "办公地点"), ("办理地点", "办理地址"),
        ("办理地点", "受理地址"), ("办理地点", "办事地点"), ("办理地点", "窗口地址"), ("办理地点", "服务地点"),
        ("办理机构", "办理机构"), ("办理机构", "受理机构"), ("办理机构", "实施机构"), ("办理机构", "实施主体"),
        ("办理机构", "办理部门"), ("办理机构", "受理部门"), ("办理机构", "承办机构"), ("办理机构", "决定机构"),
        ("办理机构", "责任部门"),
        ("收费标准", "收费标准"), ("收费标准", "收费依据及标准"), ("收费标准", "是否收费"), ("收费标准", "收费情况"),
        ("收费标准", "收费依据"),
        ("办理时间", "办理时间"), ("办理时间", "受理时间"), ("办理时间", "办公时间"), ("办理时间", "工作时间"),
        ("办理时间", "办理时限"), ("办理时间", "承诺时限"), ("办理时间", "法定时限"), ("办理时间", "承诺办结时限"),
        ("办理时间", "办结时限"), ("办理时间", "服务时间"),
        ("联系电话", "联系电话"), ("联系电话", "咨询电话"), ("联系电话", "咨询方式"), ("联系电话", "联系方式"),
        ("联系电话", "咨询途径"),
        ("办理流程", "办理流程"), ("办理流程", "办事流程"), ("办理流程", "办理程序"), ("办理流程", "受理流程"),
        ("办理流程", "审批流程"), ("办理流程", "业务流程"), ("办理流程", "办理环节"),
    ]
    static let table = LabelTable(labels)

    /// Elements only a guide labels (a contact page labels 办公地点, 办公时间 and 联系电话 too).
    static let coreFields: Set<String> = ["设定依据", "申请条件", "办理材料", "收费标准", "办理流程"]
    /// What every label of a core element contains (设定依据/办理依据 … 依据, 受理条件 … 条件, …
    /// 材料, … 收费, 办理流程/办理程序/办理环节), by element: a page whose text holds fewer than
    /// two of them cannot have two core labels and is not read. (memchr-driven byte searches:
    /// an automaton over every page's text was 11% of the parse's time on the benchmark
    /// portal, debug build; the stems cost a few memchr scans.)
    static let coreStems: [[[UInt8]]] = [["依据"], ["条件"], ["材料"], ["收费"], ["流程", "程序", "环节"]].map { $0.map { Array($0.utf8) } }
    /// A guide's column or title says so (办事指南, 服务指南).
    static let guideTitleBytes = ["办事指南", "服务指南"].map { Array($0.utf8) }
    /// A services column (its ColumnName or ColumnType meta; a news title naming 政务服务 is not one).
    static let serviceColumnBytes = ["办事指南", "服务指南", "政务服务", "办事服务", "便民服务"].map { Array($0.utf8) }

    package struct Facts: Sendable, Equatable {
        /// Elements whose label was found, with their value ("" when the label stands empty).
        package var values: [String: String] = [:]
        package var hasTitle = false
        /// The page is a service guide: six elements labelled, three of them only a guide has; or
        /// titled 办事指南/服务指南 with two; or an article of a services column (办事指南, 政务服务 …)
        /// with three, one of them only a guide has.
        package var isGuide = false

        /// 事项名称 is shown by a labelled name or the guide's own title.
        package func present(_ field: String) -> Bool {
            field == "事项名称" && hasTitle ? true : !(values[field] ?? "").isEmpty
        }
    }

    package static func read(_ page: PageModel) -> Facts { read(page, words: nil) }
    /// `words`: the page's words from the shared pass (its stems); nil: the text is searched.
    static func read(_ page: PageModel, words: PageWords?) -> Facts {
        var f = Facts()
        let articleTitle = page.meta("ArticleTitle")
        let column = (page.meta("ColumnName") ?? "") + (page.meta("ColumnType") ?? "")
        let titles = (articleTitle ?? "") + (page.title ?? "")
        let titled = guideTitleBytes.contains { ByteMatch.contains(titles, $0) }
        let serviceColumn = articleTitle != nil && serviceColumnBytes.contains { ByteMatch.contains(column, $0) }
        if !titled && !serviceColumn {
            var stems = 0
            for (g, group) in coreStems.enumerated()
            where words.map({ $0.stems >> UInt8(g) & 1 != 0 }) ?? group.contains(where: { ByteMatch.contains(page.allText, $0) }) {
                stems += 1
                if stems == 2 { break }
            }
            guard stems == 2 else { return f }
        }
        let reading = table.read(page.blocks)
        let labelled = reading.labelled.subtracting(["事项名称"])
        let core = labelled.intersection(coreFields).count
        // Elsewhere a guide is told by its table: six elements, three only a guide has (a subsidy
        // notice's sections 申请条件, 申请材料, 办理流程 and 咨询电话 are not a guide).
        // Titled a guide: two elements; an article of a services column: three, one only a guide has.
        f.isGuide =
            (labelled.count >= 6 && core >= 3) || (titled && labelled.count >= 2) || (serviceColumn && labelled.count >= 3 && core >= 1)
        guard f.isGuide else { return f }
        f.values = reading.values
        f.hasTitle =
            !(articleTitle ?? "").isEmpty || page.headings.contains { $0.level <= 2 && !$0.hidden && !$0.text.isEmpty }
        return f
    }
}
