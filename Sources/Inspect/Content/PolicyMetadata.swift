package import Parse
import Vocabulary

/// Reads a policy document page's metadata table (索引号, 发文机关, 发文字号 …) with the
/// label synonyms sites use.
package enum PolicyMetadata {
    /// Canonical field names, in the order findings list them.
    package static let canonicalFields = ["名称", "索引号", "发文机关", "文号", "有效性", "关键词", "主题分类", "成文日期", "发布日期", "正文"]

    /// Labels of each field (longest first where one contains another).
    static let labels: [(field: String, label: String)] = [
        ("名称", "公文名称"), ("名称", "文件名称"), ("名称", "标题"), ("名称", "名称"),
        ("索引号", "索引号"),
        ("发文机关", "发文机关"), ("发文机关", "发文机构"), ("发文机关", "发布机构"), ("发文机关", "制定机关"), ("发文机关", "发文单位"),
        ("发文机关", "办文部门"),
        ("文号", "发文字号"), ("文号", "文号"),
        ("有效性", "时效性"), ("有效性", "有效性"), ("有效性", "效力状态"), ("有效性", "效力"),
        ("关键词", "关键词"), ("关键词", "主题词"),
        ("主题分类", "主题分类"), ("主题分类", "主题"),
        ("成文日期", "成文日期"), ("成文日期", "发文日期"), ("成文日期", "印发日期"),
        ("发布日期", "发布日期"), ("发布日期", "发布时间"), ("发布日期", "公开日期"),
    ]
    /// The labels compiled for the byte scan (`LabelTable`).
    static let table = LabelTable(labels)
    /// Fields that only a metadata table carries (发布日期 and 名称 are on every article).
    static let tableFields: Set<String> = ["索引号", "发文机关", "文号", "有效性", "关键词", "主题分类", "成文日期"]

    /// Titles of policy documents (关于印发…的通知, …办法, …实施意见 …).
    static let policyTitleWords = ["印发", "通知", "办法", "意见", "规定", "决定", "方案", "细则", "条例", "规则", "措施", "规划", "指引", "政策"]

    package struct Facts: Sendable, Equatable {
        /// Fields whose label was found, with their value ("" when the label stands empty).
        package var values: [String: String] = [:]
        /// Characters of running text outside the table (the body), counted up to about
        /// `LabelTable.bodyMinimum` (a long paragraph adds its bytes / 3 at once).
        package var bodyChars = 0
        package var hasAttachment = false
        package var hasTitle = false
        /// The page is a policy document: three table fields labelled, or a policy column's article.
        package var isPolicy = false

        package func present(_ field: String) -> Bool {
            switch field {
            case "名称": return hasTitle || !(values["名称"] ?? "").isEmpty
            case "正文": return bodyChars >= LabelTable.bodyMinimum || hasAttachment
            default: return !(values[field] ?? "").isEmpty
            }
        }
    }

    /// Spaces, including the en and em spaces (U+2002, U+2003) templates pad labels with.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        if v >= 0x4000 { return false }  // no white space at or above U+4000 (CJK, the text's bulk)
        // Unicode's White_Space characters above ASCII (what `properties.isWhitespace` looks up
        // in the character database, for every 、 and 。 next to a label) and U+200B.
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// The labels in one block's UTF-8 (`LabelTable.labels(in:)` over the policy labels).
    static func labelsIn(_ s: UnsafeBufferPointer<UInt8>) -> [(field: String, start: Int, end: Int, colon: Bool)] {
        table.labels(in: s)
    }

    /// The scalar starting at byte `i` of valid UTF-8, and its length.
    @inline(__always)
    static func scalar(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let c = UInt32(b[i])
        if c < 0x80 { return (Unicode.Scalar(UInt8(c)), 1) }
        if c < 0xE0 { return (Unicode.Scalar((c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F))!, 2) }
        if c < 0xF0 { return (Unicode.Scalar((c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F))!, 3) }
        let v = (c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
        return (Unicode.Scalar(v)!, 4)
    }

    /// The value of the scalar starting at byte `i` of valid UTF-8, and its length.
    @inline(__always)
    static func scalarValue(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let c = UInt32(b[i])
        if c < 0x80 { return (c, 1) }
        if c < 0xE0 { return ((c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2) }
        if c < 0xF0 { return ((c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3) }
        return ((c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F), 4)
    }

    /// Where the scalar ending just before byte `i` starts.
    @inline(__always)
    static func start(before i: Int, in b: UnsafeBufferPointer<UInt8>) -> Int {
        var j = i - 1
        while j > 0, b[j] & 0xC0 == 0x80 { j -= 1 }
        return j
    }

    /// The scalars in valid UTF-8: the bytes that are not continuation bytes.
    static func scalarCount(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var continuation = 0
        var i = 0
        // Eight bytes at a time: a continuation byte is 10xxxxxx (bit 7 set, bit 6 clear).
        if let base = UnsafeRawPointer(b.baseAddress) {
            while i + 8 <= b.count {
                let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                continuation += (x & ~(x << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                i += 8
            }
        }
        while i < b.count { if b[i] & 0xC0 == 0x80 { continuation += 1 }; i += 1 }
        return b.count - continuation
    }

    /// A policy page's table has at least one of these (byte test before the full read).
    static let gateWords = ["索引", "索 引", "索\u{2002}引", "索\u{3000}引", "索\u{00A0}引", "文号", "字号", "有效性", "效力", "时效", "发文机关", "发文机构", "发布机构", "制定机关"]
    static let gateMinBytes = gateWords.map(\.utf8.count).min()!
    /// One pass over each block for all the gate words.
    static let gate = AhoCorasick(gateWords)

    static let interpretationBytes = Array("解读".utf8)
    static let attachmentSuffixes = [".pdf", ".doc", ".docx", ".wps", ".ofd", ".xls", ".xlsx"].map { Array($0.utf8) }
    static let policyColumnBytes = ["政策文件", "规范性文件", "政府文件", "行政规范性"].map { Array($0.utf8) }
    static let policyTitleBytes = policyTitleWords.map { Array($0.utf8) }

    package static func read(_ page: PageModel) -> Facts { read(page, words: nil) }
    /// `words`: the page's words from the shared pass (which blocks hold a gate word); nil:
    /// each block is scanned.
    static func read(_ page: PageModel, words: PageWords?) -> Facts {
        var f = Facts()
        let column = (page.meta("ColumnName") ?? "") + (page.meta("ColumnType") ?? "")
        let articleTitle = page.meta("ArticleTitle")  // (looked up once: a scan of the page's metas each time)
        // An interpretation (解读, 图解) filed under the policy column is not the document itself.
        // (Substring tests on UTF-8 bytes: Foundation's string search costs more than the read.)
        let interpretation =
            ByteMatch.contains(column + (articleTitle ?? "") + (page.title ?? ""), interpretationBytes)
            || (articleTitle ?? page.title ?? "").hasPrefix("图解")
        if interpretation { return f }
        let policyColumn = policyColumnBytes.contains { ByteMatch.contains(column, $0) } && articleTitle != nil
        // Only short blocks can hold labels (the reader below skips running text over 600 bytes).
        // (Blocks shorter than the shortest gate word cannot hold one.)
        // (By index, the text read in place: no copy of each block.)
        let all = page.blocks
        guard
            policyColumn
                || all.indices.contains(where: {
                    (gateMinBytes...600).contains(all[$0].text.utf8.count)
                        && (words.map { [i = $0] w in w.blockFlags[i] & PageWords.policyGate != 0 } ?? gate.containsAny(all[$0].text))
                })
        else {
            return f
        }
        let reading = table.read(all)
        f.values = reading.values
        let tableFieldsSeen = reading.labelled.intersection(tableFields)
        let bodyChars = reading.bodyChars
        f.bodyChars = bodyChars
        f.hasTitle =
            !(articleTitle ?? "").isEmpty || page.headings.contains { $0.level <= 2 && !$0.hidden && !$0.text.isEmpty }
            || !(page.title ?? "").isEmpty
        // (Bytes, any case: no lowercased copy of every link's URL.)
        f.hasAttachment = page.links.indices.contains { ByteMatch.hasSuffixIgnoringCase(page.links[$0].href, attachmentSuffixes) }
        // Every 信息公开 article has an index table; a policy document's also labels its
        // number or validity, or its title names a document type (statistical bulletins,
        // news and notices of events are not policy documents).
        let title = (articleTitle ?? "") + (f.values["名称"] ?? "") + (page.headings.first { $0.level <= 2 }?.text ?? "") + (page.title ?? "")
        let policyTitle = policyTitleBytes.contains { ByteMatch.contains(title, $0) }
        let policyLabels = tableFieldsSeen.contains("文号") || tableFieldsSeen.contains("有效性")
        f.isPolicy = (tableFieldsSeen.count >= 3 && (policyLabels || policyTitle)) || policyColumn
        return f
    }

    /// A value without surrounding spaces and separators; placeholders (--, 无 …) stay.
    static func clean(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        var t = String(decoding: UnsafeBufferPointer(rebasing: s), as: UTF8.self)
        t = t.trimmingSpaces
        while let l = t.last, "|｜;；,，、".contains(l) { t.removeLast(); t = t.trimmingSpaces }
        return String(t.prefix(80))
    }
}
