package import Parse
package import Vocabulary

/// Whether a public message's page shows its message time and its reply time (留言时间,
/// 答复时间): the labels of a message detail page, read with the policy reader's byte scan.
package enum MessageTimes {
    static let labels: [(field: String, label: String)] = [
        ("posted", "留言时间"), ("posted", "提问时间"), ("posted", "咨询时间"), ("posted", "来信时间"), ("posted", "写信时间"),
        ("posted", "提交时间"),
        ("replied", "答复时间"), ("replied", "回复时间"), ("replied", "反馈时间"), ("replied", "办结时间"),
        ("reply", "答复内容"), ("reply", "回复内容"), ("reply", "答复意见"), ("reply", "答复单位"), ("reply", "回复单位"),
        ("reply", "办理结果"), ("reply", "处理结果"), ("reply", "答复"), ("reply", "回复"),
        ("title", "留言标题"), ("title", "信件标题"), ("title", "咨询标题"),
    ]
    static let table = LabelTable(labels)
    static let replyBytes = ["答复", "回复", "办理结果", "处理结果"].map { Array($0.utf8) }

    /// One message page's reading: its title, whether it shows a reply, and whether its two
    /// times are shown (a label with a date after it).
    package struct Facts: Sendable, Equatable {
        package var title = ""
        package var replyShown = false
        package var postedShown = false
        package var repliedShown = false
    }

    static let statusBytes = ["状态", "是否答复", "是否回复"].map { Array($0.utf8) }
    static let answeredBytes = ["已答复", "已回复", "已办结", "已反馈"].map { Array($0.utf8) }
    static let replyTimeBytes = MessageReader.replyLabels.map { Array($0.utf8) }

    /// The titles of a message list's rows marked answered (已答复, 已回复 …) under a header that
    /// names the message time and a status column but no reply time: the list publishes the
    /// answer without its date. Empty for any other page.
    package static func answeredRowsWithoutReplyTime(in page: PageModel) -> [String] {
        let context = (page.title ?? "") + (page.meta("ColumnName") ?? "") + (page.meta("ColumnType") ?? "")
        guard MessageReader.channelBytes.contains(where: { ByteMatch.contains(context, $0) }),
            !MessageReader.excludedBytes.contains(where: { ByteMatch.contains(context, $0) }),
            answeredBytes.contains(where: { ByteMatch.contains(page.allText, $0) }), MessageReader.hasPostedLabel(page.allText)
        else { return [] }
        var header: Int? = nil
        var out: [String] = []
        for b in page.blocks where !b.hidden && b.region != .nav && b.region != .footer && b.list >= 0 {
            let t = b.text
            if MessageReader.postedBytes.contains(where: { ByteMatch.contains(t, $0) }) {
                // A header row: the message time and a status column, no reply time.
                let status = statusBytes.contains { ByteMatch.contains(t, $0) }
                let replyTime = replyTimeBytes.contains { ByteMatch.contains(t, $0) }
                header = status && !replyTime ? b.list : nil
                continue
            }
            guard b.list == header, answeredBytes.contains(where: { ByteMatch.contains(t, $0) }) else { continue }
            let title = MessageReader.rowTitle(b, page: page, before: nil)
            if !title.isEmpty && !out.contains(title) { out.append(title) }
        }
        return out
    }

    /// A message detail page (a consultation channel's page, not an interview, survey,
    /// petition or report) that shows a reply; nil for any other page.
    package static func read(_ page: PageModel, asOf: Day) -> Facts? {
        let context = (page.title ?? "") + (page.meta("ColumnName") ?? "") + (page.meta("ColumnType") ?? "") + (page.meta("ArticleTitle") ?? "")
        // (Bytes: the context's few words first, then one search of the page's text.)
        guard MessageReader.channelBytes.contains(where: { ByteMatch.contains(context, $0) }),
            !MessageReader.excludedBytes.contains(where: { ByteMatch.contains(context, $0) }),
            replyBytes.contains(where: { ByteMatch.contains(page.allText, $0) })
        else { return nil }
        let blocks = page.blocks.filter { $0.region != .nav }
        let r = table.read(blocks)
        guard r.labelled.contains("reply") else { return nil }
        var f = Facts()
        f.replyShown = !(r.values["reply"] ?? "").isEmpty || r.labelled.contains("reply")
        f.postedShown = !DateScanner.dates(in: r.values["posted"] ?? "", asOf: asOf).isEmpty
        f.repliedShown = !DateScanner.dates(in: r.values["replied"] ?? "", asOf: asOf).isEmpty
        let title =
            r.values["title"].flatMap { $0.isEmpty ? nil : $0 } ?? page.meta("ArticleTitle")
            ?? page.headings.first { $0.level <= 2 && !$0.text.isEmpty }?.text ?? page.title ?? ""
        f.title = String(title.prefix(80))
        return f
    }
}
