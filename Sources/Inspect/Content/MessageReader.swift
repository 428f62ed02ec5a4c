package import Parse
import Foundation
package import Vocabulary

/// Reads public messages (咨询, 留言, 信箱, 问答) from message pages: each with its
/// 留言时间 and its 答复时间, or none. Three layouts: labels in one row (a list row
/// "标题 留言时间：… 答复时间：…"), labels across a detail page, and a table whose header
/// row names the two columns. Interviews, surveys, petitions and discipline reports are
/// not consultation channels and are skipped.
package enum MessageReader {
    package struct Message: Sendable, Equatable {
        package var title: String
        package var posted: Day
        package var replied: Day?
        /// The page shows an answer whose date it does not print (`message-times` reports
        /// that): answered, so neither late nor missing.
        package var answeredUndated = false
    }

    static let postedLabels = ["留言时间", "提问时间", "咨询时间", "来信时间", "写信时间"]
    /// A message page names its channel or shows answers (a notice with a date label is not one).
    static let channelWords = ["咨询", "留言", "信箱", "问答", "互动", "来信", "诉求", "问政"]
    static let channelBytes = channelWords.map { Array($0.utf8) }
    static let answerBytes = ["答复", "回复"].map { Array($0.utf8) }
    static let replyLabels = ["答复时间", "回复时间", "办理时间", "反馈时间"]
    static let timeBytes = Array("时间".utf8)
    static let titleBytes = Array("标题".utf8)
    static let postedBytes = postedLabels.map { Array($0.utf8) }
    static let excluded = ["访谈", "调查", "征集", "信访", "纪检", "监察", "举报"]
    static let excludedBytes = excluded.map { Array($0.utf8) }

    /// The posted labels without their 时间 (all of them end in it), as UTF-8.
    static let postedPrefixes: [[UInt8]] = postedLabels.map { Array($0.utf8.dropLast(timeBytes.count)) }

    /// Whether `s` holds one of `postedLabels`: each 时间 (found as `ByteMatch.forEachEnd`
    /// finds it) with the bytes before it.
    static func hasPostedLabel(_ s: String) -> Bool {
        withUTF8Bytes(s) { b in
            guard let base = b.baseAddress else { return false }
            var found = false
            ByteMatch.forEachEnd(of: timeBytes, anchor: timeAnchor, in: b) { end in
                let at = end - timeBytes.count
                for prefix in postedPrefixes where at >= prefix.count {
                    if memcmp(base + at - prefix.count, prefix, prefix.count) == 0 { found = true; return false }
                }
                return true
            }
            return found
        }
    }
    static let timeAnchor = ByteMatch.anchor(timeBytes)

    static func firstRange(of words: [String], in s: String) -> Range<String.Index>? {
        words.compactMap { s.range(of: $0) }.min { $0.lowerBound < $1.lowerBound }
    }

    /// The first date after `index` in `s` (within 40 characters).
    static func date(after index: String.Index, in s: String, asOf: Day) -> Day? {
        let tail = s[index...].prefix(40)
        // Stop at the next label, so an empty 答复时间 does not borrow a later date.
        var cut = String(tail)
        for w in postedLabels + replyLabels { if let r = cut.range(of: w) { cut = String(cut[..<r.lowerBound]) } }
        return DateScanner.dates(in: cut, asOf: asOf).first
    }

    package static func messages(in page: PageModel, asOf: Day) -> [Message] {
        // A page without a posted-time label anywhere has no message: one scan of the page's
        // text for 时间 and the two characters before it, instead of a search of every block
        // (every article prints 发布时间, so the blocks were searched on every page: 1.4% of a
        // sweep's samples on the realistic portal). Every block's text is a part of allText.
        guard hasPostedLabel(page.allText) else { return [] }
        let context = (page.title ?? "") + (page.meta("ColumnName") ?? "") + (page.meta("ArticleTitle") ?? "")
        if excludedBytes.contains(where: { ByteMatch.contains(context, $0) }) { return [] }
        let readable = { (b: TextBlock) in !b.hidden && b.region != .footer && b.region != .nav }
        // Every label ends in 时间: a page without a posted-time label is skipped cheaply,
        // before any copy of its blocks.
        // (By index, fields read in place: no copy of each block.)
        let all = page.blocks
        guard
            all.indices.contains(where: { i in
                !all[i].hidden && all[i].region != .footer && all[i].region != .nav
                    && ByteMatch.contains(all[i].text, timeBytes) && postedBytes.contains { ByteMatch.contains(all[i].text, $0) }
            })
        else { return [] }
        let blocks = page.blocks.filter(readable)
        var out: [Message] = []
        var headerList: Int? = nil
        var pageLabels = 0
        var pagePosted: Day? = nil, pageReplied: Day? = nil, pageTitle: String? = nil
        let channel = context + (page.meta("ColumnType") ?? "")
        guard
            channelWords.contains(where: { channel.contains($0) })
                || blocks.contains(where: { b in answerBytes.contains { ByteMatch.contains(b.text, $0) } })
        else { return [] }
        for b in blocks {
            let t = b.text
            let hasTime = ByteMatch.contains(t, timeBytes)
            let p = hasTime ? firstRange(of: postedLabels, in: t) : nil
            let r = hasTime ? firstRange(of: replyLabels, in: t) : nil
            // A table header row naming both columns (no dates in it).
            if let _ = p, let _ = r, DateScanner.dates(in: t, asOf: asOf).isEmpty, b.list >= 0 {
                headerList = b.list
                continue
            }
            if let hl = headerList, b.list == hl, p == nil {
                let dates = DateScanner.dates(in: t, asOf: asOf)
                guard let posted = dates.first else { continue }
                out.append(Message(title: rowTitle(b, page: page, before: nil), posted: posted, replied: dates.count > 1 ? dates[1] : nil))
                continue
            }
            if let p {
                guard let posted = date(after: p.upperBound, in: t, asOf: asOf) else { continue }
                let replied = r.flatMap { date(after: $0.upperBound, in: t, asOf: asOf) }
                if b.linkCount > 0 || p.lowerBound > t.startIndex {
                    // A list row: the title is its link or the text before the label.
                    out.append(Message(title: rowTitle(b, page: page, before: p.lowerBound), posted: posted, replied: replied))
                } else {
                    pageLabels += 1
                    pagePosted = pagePosted ?? posted
                    if let replied { pageReplied = pageReplied ?? replied }
                }
            } else if let r, pagePosted != nil, pageReplied == nil {
                pageReplied = date(after: r.upperBound, in: t, asOf: asOf)
            }
            if pageTitle == nil, ByteMatch.contains(t, titleBytes), let tr = t.range(of: "留言标题") ?? t.range(of: "信件标题") ?? t.range(of: "标题：") {
                pageTitle = String(t[tr.upperBound...]).trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "：:")))
            }
        }
        // One message a detail page; several bare posted labels are a list laid out in
        // separate blocks, whose replies cannot be paired safely: not read.
        if let posted = pagePosted, pageLabels == 1 {
            let title = pageTitle ?? page.meta("ArticleTitle") ?? page.headings.first { $0.level <= 2 && !$0.text.isEmpty }?.text ?? page.title ?? ""
            var m = Message(title: String(title.prefix(80)), posted: posted, replied: pageReplied)
            if pageReplied == nil, let t = MessageTimes.read(page, asOf: asOf), t.replyShown, !t.repliedShown { m.answeredUndated = true }
            out.append(m)
        }
        return out
    }

    static func rowTitle(_ b: TextBlock, page: PageModel, before: String.Index?) -> String {
        if b.linkCount > 0, b.firstLink < page.links.count {
            let text = page.links[b.firstLink].text.trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { return String(text.prefix(80)) }
        }
        let head = before.map { String(b.text[..<$0]) } ?? b.text
        // The text before the first date or label, without separators.
        var cut = head
        if let d = cut.firstIndex(where: { $0.isNumber }) { cut = String(cut[..<d]) }
        return String(cut.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "|｜:：-"))).prefix(80))
    }
}
