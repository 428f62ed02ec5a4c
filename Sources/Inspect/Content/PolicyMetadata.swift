public import Parse

/// Reads a policy document page's metadata table (索引号, 发文机关, 发文字号 …) with the
/// label synonyms sites use.
public enum PolicyMetadata {
    /// Canonical field names, in the order findings list them.
    public static let canonicalFields = ["名称", "索引号", "发文机关", "文号", "有效性", "关键词", "主题分类", "成文日期", "发布日期", "正文"]

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
    static let labelScalars: [(field: String, label: [Unicode.Scalar])] =
        labels.sorted { $0.label.count > $1.label.count }.map { ($0.field, Array($0.label.unicodeScalars)) }
    /// The labels' first characters as a bitmap over the BMP (a character tested with one load).
    static let labelStartBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for l in labels { let v = Int(l.label.unicodeScalars.first!.value); bits[v >> 6] |= 1 << UInt64(v & 63) }
        return bits
    }()
    @inline(__always) static func startsLabel(_ v: UInt32) -> Bool {
        v < 0x10000 && labelStartBits[Int(v) >> 6] >> UInt64(v & 63) & 1 != 0
    }
    /// The labels' first characters: a block without any of them holds no label, and is
    /// counted as body text without being read character by character.
    static let labelStarts = AhoCorasick(Array(Set(labels.map { String($0.label.unicodeScalars.first!) })).sorted())
    /// Fields that only a metadata table carries (发布日期 and 名称 are on every article).
    static let tableFields: Set<String> = ["索引号", "发文机关", "文号", "有效性", "关键词", "主题分类", "成文日期"]

    /// Titles of policy documents (关于印发…的通知, …办法, …实施意见 …).
    static let policyTitleWords = ["印发", "通知", "办法", "意见", "规定", "决定", "方案", "细则", "条例", "规则", "措施", "规划", "指引", "政策"]

    public struct Facts: Sendable, Equatable {
        /// Fields whose label was found, with their value ("" when the label stands empty).
        public var values: [String: String] = [:]
        /// Characters of running text outside the table (the body).
        public var bodyChars = 0
        public var hasAttachment = false
        public var hasTitle = false
        /// The page is a policy document: three table fields labelled, or a policy column's article.
        public var isPolicy = false

        public func present(_ field: String) -> Bool {
            switch field {
            case "名称": return hasTitle || !(values["名称"] ?? "").isEmpty
            case "正文": return bodyChars >= 80 || hasAttachment
            default: return !(values[field] ?? "").isEmpty
            }
        }
    }

    /// Spaces, including the en and em spaces (U+2002, U+2003) templates pad labels with.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        if v >= 0x4000 { return false }   // no white space at or above U+4000 (CJK, the text's bulk)
        return c.properties.isWhitespace || v == 0x200B
    }

    /// The labels in one block's text: (field, start, end of label incl. colon, hasColon).
    static func labelsIn(_ s: [Unicode.Scalar]) -> [(field: String, start: Int, end: Int, colon: Bool)] {
        var out: [(String, Int, Int, Bool)] = []
        var i = 0
        let n = s.count
        while i < n {
            let v = s[i].value
            guard startsLabel(v) else { i += 1; continue }
            var hit: (String, Int)? = nil
            for (field, label) in labelScalars where s[i] == label[0] {
                // Letters may be spaced out (索 引 号).
                var k = i, m = 0
                while k < n, m < label.count {
                    if s[k] == label[m] { k += 1; m += 1 } else if m > 0, isSpace(s[k]), k - i < label.count * 3 { k += 1 } else { break }
                }
                if m == label.count { hit = (field, k); break }
            }
            guard let (field, labelEnd) = hit else { i += 1; continue }
            // A label stands at the block start or after a space / separator …
            let before: Unicode.Scalar? = i > 0 ? s[i - 1] : nil
            let startOK = before == nil || isSpace(before!) || "|｜】]】:：;；,，、".unicodeScalars.contains(before!)
            // … and is followed by a colon, or by a space (table cells), or ends the block.
            var k = labelEnd
            while k < n, isSpace(s[k]) { k += 1 }
            let colon = k < n && (s[k] == "：" || s[k] == ":")
            let endOK = colon || k == n || (k > labelEnd && startOK)
            if startOK && endOK {
                out.append((field, i, colon ? k + 1 : k, colon))
                i = colon ? k + 1 : k
            } else {
                i = labelEnd
            }
        }
        return out
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

    public static func read(_ page: PageModel) -> Facts {
        var f = Facts()
        let column = (page.meta("ColumnName") ?? "") + (page.meta("ColumnType") ?? "")
        let articleTitle = page.meta("ArticleTitle")   // (looked up once: a scan of the page's metas each time)
        // An interpretation (解读, 图解) filed under the policy column is not the document itself.
        // (Substring tests on UTF-8 bytes: Foundation's string search costs more than the read.)
        let interpretation = ByteMatch.contains(column + (articleTitle ?? "") + (page.title ?? ""), interpretationBytes)
            || (articleTitle ?? page.title ?? "").hasPrefix("图解")
        if interpretation { return f }
        let policyColumn = policyColumnBytes.contains { ByteMatch.contains(column, $0) } && articleTitle != nil
        // Only short blocks can hold labels (the reader below skips running text over 600 bytes).
        // (Blocks shorter than the shortest gate word cannot hold one.)
        // (By index, the text read in place: no copy of each block.)
        let all = page.blocks
        guard policyColumn || all.indices.contains(where: { (gateMinBytes ... 600).contains(all[$0].text.utf8.count) && gate.containsAny(all[$0].text) }) else { return f }
        var pendingField: String? = nil   // a label whose value is in the next block (dt/dd)
        var tableFieldsSeen = Set<String>()
        var bodyChars = 0
        for i in all.indices where !all[i].hidden && all[i].region != .footer {
            let text = all[i].text
            // Long blocks are running text (a table row of labels is short).
            if text.utf8.count > 600 { bodyChars += text.utf8.count / 3; pendingField = nil; continue }
            if pendingField == nil && !labelStarts.containsAny(text) {
                bodyChars += text.unicodeScalars.count
                continue
            }
            let s = Array(text.unicodeScalars)
            let found = labelsIn(s)
            if found.isEmpty {
                // A value cell or dd right after a label standing alone.
                if let p = pendingField, s.count <= 60, ["dd", "td", "span", "div", "li"].contains(all[i].tag) {
                    f.values[p] = clean(s[...])
                    pendingField = nil
                } else {
                    bodyChars += s.count
                }
                pendingField = nil
                continue
            }
            pendingField = nil
            for (idx, l) in found.enumerated() {
                let valueEnd = idx + 1 < found.count ? found[idx + 1].start : s.count
                let value = clean(s[l.end..<max(l.end, valueEnd)])
                if tableFields.contains(l.field) { tableFieldsSeen.insert(l.field) }
                // A value read twice (a label repeated in a sidebar): the non-empty one wins.
                if (f.values[l.field] ?? "").isEmpty { f.values[l.field] = value }
                if value.isEmpty && found.count == 1 { pendingField = l.field }
            }
        }
        f.bodyChars = bodyChars
        f.hasTitle = !(articleTitle ?? "").isEmpty || page.headings.contains { $0.level <= 2 && !$0.hidden && !$0.text.isEmpty }
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
    static func clean(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var t = String(String.UnicodeScalarView(s))
        t = t.trimmingSpaces
        while let l = t.last, "|｜;；,，、".contains(l) { t.removeLast(); t = t.trimmingSpaces }
        return String(t.prefix(80))
    }
}
