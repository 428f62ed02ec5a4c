public import Parse
import Vocabulary

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
    /// The labels' first characters (their values), and for each the indices in `labelScalars`
    /// of the labels it begins, in that order: a common character (发, 主, 文, 有, 成) is
    /// compared with its own two or three labels, not all 27.
    static let startValues: [UInt32] = Array(Set(labelScalars.map { $0.label[0].value })).sorted()
    static let labelsByStart: [[Int]] = startValues.map { v in labelScalars.indices.filter { labelScalars[$0].label[0].value == v } }
    /// The labels' first characters as a bitmap over the BMP (a character tested with one load).
    static let labelStartBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for l in labels { let v = Int(l.label.unicodeScalars.first!.value); bits[v >> 6] |= 1 << UInt64(v & 63) }
        return bits
    }()
    @inline(__always) static func startsLabel(_ v: UInt32) -> Bool {
        v < 0x10000 && labelStartBits[Int(v) >> 6] >> UInt64(v & 63) & 1 != 0
    }
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
        if v >= 0x4000 { return false }  // no white space at or above U+4000 (CJK, the text's bulk)
        // Unicode's White_Space characters above ASCII (what `properties.isWhitespace` looks up
        // in the character database, for every 、 and 。 next to a label) and U+200B.
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// The labels in one block's UTF-8: (field, start, end of label incl. colon, hasColon), as
    /// byte offsets. (Over the bytes, decoding each scalar where it is read: an array of the
    /// block's scalars for every short block of every page was 8% of a sweep's samples with
    /// this reader, on the realistic portal whose 字号： passes the gate on every article.)
    static func labelsIn(_ s: UnsafeBufferPointer<UInt8>) -> [(field: String, start: Int, end: Int, colon: Bool)] {
        var out: [(String, Int, Int, Bool)] = []
        var i = 0
        let n = s.count
        // The tables held locally: the loop asks the bitmap for every character (and a static's
        // access checks its initialisation each time).
        let bits = labelStartBits, table = labelScalars, byStart = labelsByStart, starts = startValues
        while i < n {
            // The value of the scalar at i (and its length) without making a Unicode.Scalar:
            // only a label start is decoded in full.
            let c = UInt32(s[i])
            let v: UInt32, length: Int
            if c < 0x80 {
                v = c; length = 1
            } else if c < 0xE0 {
                v = (c & 0x1F) << 6 | UInt32(s[i + 1] & 0x3F); length = 2
            } else if c < 0xF0 {
                v = (c & 0x0F) << 12 | UInt32(s[i + 1] & 0x3F) << 6 | UInt32(s[i + 2] & 0x3F); length = 3
            } else {
                i += 4; continue
            }  // beyond the BMP: no label starts there
            guard bits[Int(v) >> 6] >> UInt64(v & 63) & 1 != 0 else { i += length; continue }
            var hit: (String, Int)? = nil
            for idx in byStart[starts.firstIndex(of: v)!] {
                // Letters may be spaced out (索 引 号). (k in bytes, steps in scalars; the label
                // read in place in the table, not copied out of it.)
                let count = table[idx].label.count
                var k = i, steps = 0, m = 0
                while k < n, m < count {
                    let (u, ul) = scalar(s, at: k)
                    if u == table[idx].label[m] {
                        k += ul; steps += 1; m += 1
                    } else if m > 0, isSpace(u), steps < count * 3 {
                        k += ul; steps += 1
                    } else {
                        break
                    }
                }
                if m == count { hit = (table[idx].field, k); break }
            }
            guard let (field, labelEnd) = hit else { i += length; continue }
            // A label stands at the block start or after a space / separator …
            let before: Unicode.Scalar? = i > 0 ? scalar(s, at: start(before: i, in: s)).0 : nil
            let startOK = before == nil || isSpace(before!) || "|｜】]】:：;；,，、".unicodeScalars.contains(before!)
            // … and is followed by a colon, or by a space (table cells), or ends the block.
            var k = labelEnd
            var next: (Unicode.Scalar, Int)? = nil
            while k < n {
                let (u, ul) = scalar(s, at: k)
                guard isSpace(u) else { next = (u, ul); break }
                k += ul
            }
            let colon = next.map { $0.0 == "：" || $0.0 == ":" } ?? false
            let endOK = colon || k == n || (k > labelEnd && startOK)
            if startOK && endOK {
                let end = colon ? k + next!.1 : k
                out.append((field, i, end, colon))
                i = end
            } else {
                i = labelEnd
            }
        }
        return out
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

    public static func read(_ page: PageModel) -> Facts {
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
        guard policyColumn || all.indices.contains(where: { (gateMinBytes...600).contains(all[$0].text.utf8.count) && gate.containsAny(all[$0].text) }) else {
            return f
        }
        var pendingField: String? = nil  // a label whose value is in the next block (dt/dd)
        var tableFieldsSeen = Set<String>()
        var bodyChars = 0
        for i in all.indices where !all[i].hidden && all[i].region != .footer {
            let text = all[i].text
            // Long blocks are running text (a table row of labels is short).
            if text.utf8.count > 600 { bodyChars += text.utf8.count / 3; pendingField = nil; continue }
            // (The block's bytes read in place: no array of its scalars, no copy.)
            withUTF8Bytes(text) { s in
                let found = labelsIn(s)
                if found.isEmpty {
                    // A value cell or dd right after a label standing alone.
                    let count = scalarCount(s)
                    if let p = pendingField, count <= 60, ["dd", "td", "span", "div", "li"].contains(all[i].tag) {
                        f.values[p] = clean(s[...])
                        pendingField = nil
                    } else {
                        bodyChars += count
                    }
                    pendingField = nil
                    return
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
        }
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
