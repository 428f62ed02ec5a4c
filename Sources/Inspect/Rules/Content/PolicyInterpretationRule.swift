#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
package import Parse
package import Vocabulary

/// `policy-interpretation`: a policy document and its interpretation (政策文件 ↔ 政策解读) not
/// linked both ways, as 国办发〔2017〕47号 asks. Pairs are found by links and by titles
/// (解读《…》, 关于《…》的解读, 图解：…).
package struct PolicyInterpretationRule: CollectingRule {
    package init() {}

    /// Words of an interpretation's title, and of a link to one.
    static let interpretationWords = ["解读", "图解", "一图读懂", "答记者问"]
    /// Words of a link back to the document (besides its title).
    static let documentLinkWords = ["原文", "政策文件", "对应文件", "相关文件", "文件全文"]

    static let interpretationBytes = interpretationWords.map { Array($0.utf8) }
    static let documentLinkBytes = documentLinkWords.map { Array($0.utf8) } + [Array("《".utf8)]
    static func names(_ s: String, _ words: [[UInt8]]) -> Bool { words.contains { ByteMatch.contains(s, $0) } }

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        guard context.depth > 0, let title = Self.title(of: page) else { return [] }
        // (The page's URL parsed only for a page with links to keep.)
        var resolved: CrawlURL??
        func resolve(_ href: String) -> String? {
            if resolved == nil { resolved = .some(CrawlURL(page.url).flatMap { u in page.baseHref.flatMap { u.resolve($0) } ?? u }) }
            return resolved!?.resolve(href)?.string
        }
        // An interpretation says so outside the 《…》 it names (《政策解读工作办法》 is a document).
        let bare = Self.outsideBrackets(title)
        // (An article: a 政策解读 column's list page is not an interpretation.)
        if Self.names(bare, Self.interpretationBytes), Summarizer.isArticle(page, url: context.url) {
            let subject = Self.documentTitle(inInterpretation: title)
            let key = Summarizer.clean(subject)
            guard key.count >= 4 else { return [] }
            // Links that may lead back: those naming a document (《…》, 原文 …) or the subject.
            var links: [String] = []
            let keyBytes = Array(key.utf8)
            for l in page.links where l.kind == .a && Self.isContent(l.region) && links.count < 10 {
                let text = l.text + (l.title ?? "")
                guard Self.names(text, Self.documentLinkBytes) || ByteMatch.contains(Summarizer.clean(text), keyBytes) else { continue }
                if let u = resolve(l.href), u != page.url, !links.contains(u) { links.append(u) }
            }
            return [PageNote(key: "interpretation", text: ([subject, key] + links).joined(separator: "\t"))]
        }
        var links: [String] = []
        // (Text and title tested apart: no joined copy of every link's text on every page; the
        // links looked at only on a page whose text names an interpretation at all, one memchr
        // scan of it a word.)
        // Only the links of the blocks whose text names an interpretation: the words found in the
        // page's text with memmem and placed in their blocks (testing every link cost 3x the rest
        // of the rule on the real pages).
        // A link to the 政策解读 column (a list page: …/, index.html) is navigation, not this
        // document's interpretation.
        let all = page.links  // (by index, fields read in place: no copy of each link)
        var found: [Int] = []
        // (The blocks found in the pass the content rules share, when there is one.)
        let naming =
            context.pageWords(page).map { w in w.blockFlags.indices.filter { w.blockFlags[$0] & PageWords.interpretation != 0 } }
            ?? Self.blocks(of: page, naming: Self.interpretationBytes)
        for b in naming {
            let block = page.blocks[b]
            for i in block.firstLink..<min(all.count, block.firstLink + block.linkCount)
            where all[i].kind == .a && Self.isContent(all[i].region) && found.count < 10
                && Self.names(all[i].text, Self.interpretationBytes) && !Self.isListHref(all[i].href)
            {
                found.append(i)
            }
        }
        let inner = Self.bracketed(title)
        // A document links an interpretation (its metadata table read to be sure), or is named by
        // one through a 《…》 title of a document type (关于印发《…》的通知): the table is not read
        // for every such title (policy.metadata reads it already; twice cost 70% of that rule).
        if found.isEmpty {
            guard inner != nil, PolicyMetadata.policyTitleBytes.contains(where: { ByteMatch.contains(bare, $0) }) else {
                return []
            }
        } else {
            guard context.policyMetadata(page).isPolicy else { return [] }
            for i in found { if let u = resolve(all[i].href), u != page.url, !links.contains(u) { links.append(u) } }
        }
        return [
            PageNote(
                key: "document",
                text: ([inner ?? title, Summarizer.clean(title), Summarizer.clean(inner ?? "")] + links).joined(separator: "\t"))
        ]
    }

    /// Indices of the blocks whose text holds one of `words`, in order, each once: one memmem
    /// pass over the page's text a word.
    static func blocks(of page: PageModel, naming words: [[UInt8]]) -> [Int] {
        var found = Set<Int>()
        withUTF8Bytes(page.allText) { hay in
            for w in words {
                ByteMatch.forEachEnd(of: w, anchor: ByteMatch.anchor(w), in: hay) { end in
                    if let b = page.block(atBytes: end - w.count, end) { found.insert(b) }
                    return true
                }
            }
        }
        return found.sorted()
    }

    /// An href to a list page: ending in `/`, or a file named index…, list…, default… .
    static func isListHref(_ href: String) -> Bool {
        // (On the bytes: splitting every content link's path into an array of substrings was
        // 1% of a sweep's samples on the realistic portal.)
        withUTF8Bytes(href) { b in
            var end = b.count
            if let q = b.firstIndex(where: { $0 == 0x3F || $0 == 0x23 }) { end = q }  // ? #
            if end == 0 || b[end - 1] == 0x2F { return true }
            var start = end
            while start > 0, b[start - 1] != 0x2F { start -= 1 }
            let file = UnsafeBufferPointer(rebasing: b[start..<end])
            return listFilePrefixes.contains { p in file.count >= p.count && zip(file, p).allSatisfy { $0 == $1 } }
        }
    }
    static let listFilePrefixes = ["index", "list", "default"].map { Array($0.utf8) }

    static func isContent(_ r: Region) -> Bool { r != .header && r != .nav && r != .footer }

    /// The page's title: its first h1, else `ArticleTitle`, else `<title>` before its site suffix.
    static func title(of page: PageModel) -> String? {
        if let h = page.headings.first(where: { $0.level == 1 && !$0.hidden && $0.text.count >= 4 }) { return h.text }
        if let t = page.meta("ArticleTitle"), t.count >= 4 { return t }
        guard let t = page.title?.split(whereSeparator: { "_|".contains($0) }).first.map(String.init), t.count >= 4 else { return nil }
        return t
    }

    /// The text inside the first 《…》 of a title, nil when none.
    static func bracketed(_ s: String) -> String? {
        withUTF8Bytes(s) { b in
            guard let (open, close) = brackets(b), close > open + 3 else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: b[(open + 3)..<close]), as: UTF8.self)
        }
    }

    /// The title without its first 《…》.
    static func outsideBrackets(_ s: String) -> String {
        withUTF8Bytes(s) { b in
            guard let (open, close) = brackets(b) else { return s }
            return String(decoding: UnsafeBufferPointer(rebasing: b[..<open]), as: UTF8.self)
                + String(decoding: UnsafeBufferPointer(rebasing: b[(close + 3)...]), as: UTF8.self)
        }
    }

    /// Byte offsets of the first 《 (E3 80 8A) and of the first 》 (E3 80 8B) after it; nil
    /// when there is no such pair. (On the bytes: a search by Character walked the title's
    /// grapheme clusters, on every page, twice.)
    static func brackets(_ b: UnsafeBufferPointer<UInt8>) -> (open: Int, close: Int)? {
        var open = -1
        var i = 0
        while i + 2 < b.count {
            if b[i] == 0xE3 && b[i + 1] == 0x80 {
                if open < 0 && b[i + 2] == 0x8A {
                    open = i
                    i += 3
                    continue
                }
                if open >= 0 && b[i + 2] == 0x8B { return (open, i) }
            }
            i += 1
        }
        return nil
    }

    /// The document an interpretation's title names: 《…》 when there, else the title without
    /// 图解：, 政策解读：, 关于…的解读 and the like.
    static func documentTitle(inInterpretation title: String) -> String {
        if let inner = bracketed(title) { return inner }
        var t = title
        for prefix in ["一图读懂", "政策解读", "图解", "解读"] where t.hasPrefix(prefix) {
            t = String(t.dropFirst(prefix.count))
            break
        }
        t = String(t.drop { "：:|-—　 ".contains($0) })
        if t.hasPrefix("关于") { t = String(t.dropFirst(2)) }
        for suffix in ["的政策解读", "政策解读", "的解读", "解读", "的图解", "图解"] where t.hasSuffix(suffix) {
            t = String(t.dropLast(suffix.count))
            break
        }
        return t
    }

    struct Document { var url: String; var title: String; var keys: [String]; var links: Set<String> }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        var documents: [String: Document] = [:]
        var byKey: [String: String] = [:]
        // The interpretations' notes by index: their fields are split one note at a time below,
        // not kept for all at once (15,702 interpretations of ten links each took 21 MB at
        // 100,000 pages, the sweep's peak).
        var interpretations: [Int] = []
        for (index, n) in notes.enumerated() {
            if n.key == "document" {
                let f = ByteMatch.fields(n.text)
                guard f.count >= 3 else { continue }
                let keys = [f[1], f[2]].filter { $0.count >= 4 }
                documents[n.url] = Document(url: n.url, title: f[0], keys: keys, links: Set(f.dropFirst(3)))
                for k in keys where byKey[k] == nil || n.url < byKey[k]! { byKey[k] = n.url }
            } else if n.key == "interpretation" {
                interpretations.append(index)
            }
        }
        interpretations.sort { notes[$0].url < notes[$1].url }
        let d = Self.description
        let (_, severity, points) = site.profile.settings(for: d)
        var out: [Finding] = []
        func finding(_ url: String, _ subject: String, _ kind: String, _ message: String, _ other: String) {
            out.append(
                Finding(
                    rule: d.id, indicator: d.indicator, severity: severity, points: points, url: url, subject: subject,
                    department: site.department(for: url), message: message,
                    evidence: ["kind": .string(kind), "counterpart": .string(other)]))
        }
        // A document that links none of its interpretations is one finding (its id is the
        // document's), naming every interpretation that links it: one a pair gave the same id
        // many times over (18 on the bench portal's most-interpreted document).
        var unlinkedFrom: [String: [String]] = [:]
        var unlinkedOrder: [String] = []
        for index in interpretations {
            let url = notes[index].url
            let f = ByteMatch.fields(notes[index].text)
            guard f.count >= 2 else { continue }
            let (subject, key, links) = (f[0], f[1], f.dropFirst(2))
            let linked = links.first { documents[$0] != nil }
            guard let docURL = linked ?? byKey[key], let doc = documents[docURL] else {
                // No document of the sweep: a link naming one (an external original) is enough.
                if links.isEmpty {
                    finding(url, subject, "no-document-link", "政策解读未链接其解读的政策文件《\(subject)》", "")
                }
                continue
            }
            let back = doc.links.contains(url)
            switch (linked != nil, back) {
            case (true, true): continue
            case (true, false):
                if unlinkedFrom[doc.url] == nil { unlinkedOrder.append(doc.url) }
                unlinkedFrom[doc.url, default: []].append(url)
            case (false, true):
                finding(url, doc.title, "no-link-to-document", "政策解读未链接回所解读的政策文件《\(doc.title)》（文件页已链接本解读）", doc.url)
            case (false, false):
                finding(url, doc.title, "unlinked", "政策文件《\(doc.title)》与其解读互未链接", doc.url)
            }
        }
        for url in unlinkedOrder {
            guard let doc = documents[url], let from = unlinkedFrom[url] else { continue }
            let count = from.count > 1 ? "\(from.count) 篇" : ""
            finding(doc.url, doc.title, "no-link-to-interpretation", "政策文件《\(doc.title)》未链接其解读（\(count)解读页已链接本文件）", from[0])
            if from.count > 1 { out[out.count - 1].evidence["interpretations"] = .array(from.map { .string($0) }) }
        }
        return out
    }

    static func doc(_ inner: String, related: String = "") -> String {
        examplePage(
            """
            <h1>北京市示例区人民政府关于印发《\(inner)》的通知</h1>
            <table class="xxgk"><tr><td>索引号：</td><td>11010200Y/2022-00012</td><td>发文机关：</td><td>示例区人民政府</td></tr>
            <tr><td>发文字号：</td><td>示政发〔2022〕12号</td><td>发布日期：</td><td>2022年10月28日</td></tr></table>
            <div class="content"><p>各街道办事处：现将《\(inner)》印发给你们，请认真贯彻执行。</p>\(related)</div>
            """)
    }
    static func interpretation(_ title: String, back: String = "") -> String {
        examplePage(
            head: "<meta name=\"ArticleTitle\" content=\"\(title)\"><meta name=\"PubDate\" content=\"2022-10-28\">",
            "<h1>\(title)</h1><div class=\"content\"><p>为便于理解，现就有关内容解读如下。</p>\(back)</div>")
    }

    package static let description = RuleDescription(
        id: "policy.interpretation", indicator: .policyInterpretation, nameZh: "政策文件与解读未关联", nameEn: "Policy document and interpretation not linked",
        summary: """
            Policy document pages (as policy-metadata recognises them) and interpretation pages (a title with 解读, 图解, \
            一图读懂 or 答记者问) are paired by their links, else by title: the interpretation's 《…》, or its title without \
            图解：/关于…的解读, equals the document's 《…》 or title. Reports a document that does not link its \
            interpretation (`no-link-to-interpretation`, on the document), an interpretation that does not link back \
            (`no-link-to-document`), a pair found by title with no link either way (`unlinked`), and an interpretation \
            that links no document at all (`no-document-link`). The subject is the document's title.
            """,
        source: "国办发〔2017〕47号 (政策文件与解读材料相互关联); 国办秘函〔2019〕19号 扣分指标 政策解读; points L",
        confidence: "H (both directions); L (title pairing, points)",
        severity: .deduct, points: 0.5,
        fix: "在政策文件页面增加“相关解读”链接指向其解读，在解读页面增加“相关文件/原文”链接指向所解读的政策文件。",
        passing: [
            RuleExample(
                "linked both ways (a 图解 without 《》)",
                pages: [
                    ExamplePage("/zcwj/1.html", doc("示例区优化营商环境措施", related: "<p>相关解读：<a href=\"/zcjd/1.html\">图解：示例区优化营商环境措施</a></p>")),
                    ExamplePage("/zcjd/1.html", interpretation("图解：示例区优化营商环境措施", back: "<p>原文：<a href=\"/zcwj/1.html\">关于印发《示例区优化营商环境措施》的通知</a></p>")),
                ]),
            RuleExample(
                "an interpretation of a State Council document, linking the original on www.gov.cn",
                pages: [
                    ExamplePage(
                        "/zcjd/2.html",
                        interpretation("关于《国务院关于加快建设全国一体化在线政务服务平台的指导意见》的解读", back: "<p><a href=\"http://www.gov.cn/zhengce/content/1.htm\">原文链接</a></p>"))
                ]),
            RuleExample(
                "a 政策解读 column's list page is not an interpretation",
                pages: [
                    ExamplePage(
                        "/zcjd/",
                        examplePage(
                            title: "政策解读_示例区人民政府",
                            "<h1>政策解读</h1><ul class=\"list\"><li><a href=\"/zcjd/1.html\">图解：示例区优化营商环境措施</a> 2022-10-28</li></ul>"))
                ]),
            RuleExample(
                "a news article mentioning 解读 in its text is not an interpretation",
                pages: [ExamplePage("/xwdt/1.html", examplePage("<h1>区领导调研街道工作</h1><p>会上对新政策进行了解读。</p>"))]),
        ],
        failing: [
            RuleExample(
                "the interpretation links the document, the document not back",
                pages: [
                    ExamplePage("/zcwj/3.html", doc("示例区老旧小区综合整治方案")),
                    ExamplePage("/zcjd/3.html", interpretation("解读《示例区老旧小区综合整治方案》", back: "<p>相关文件：<a href=\"/zcwj/3.html\">《示例区老旧小区综合整治方案》</a></p>")),
                ], subjects: ["示例区老旧小区综合整治方案"], severity: .deduct),
            RuleExample(
                "two interpretations link the document, which links neither: one finding on the document",
                pages: [
                    ExamplePage("/zcwj/7.html", doc("示例区背街小巷环境整治方案")),
                    ExamplePage("/zcjd/7.html", interpretation("解读《示例区背街小巷环境整治方案》", back: "<p><a href=\"/zcwj/7.html\">原文</a></p>")),
                    ExamplePage("/zcjd/8.html", interpretation("图解《示例区背街小巷环境整治方案》", back: "<p><a href=\"/zcwj/7.html\">原文</a></p>")),
                ], subjects: ["示例区背街小巷环境整治方案"]),
            RuleExample(
                "the document links the interpretation, which does not link back",
                pages: [
                    ExamplePage("/zcwj/4.html", doc("示例区街巷长制工作规范", related: "<p><a href=\"/zcjd/4.html\">《示例区街巷长制工作规范》解读</a></p>")),
                    ExamplePage("/zcjd/4.html", interpretation("《示例区街巷长制工作规范》解读")),
                ], subjects: ["示例区街巷长制工作规范"]),
            RuleExample(
                "paired by title only, and an interpretation with no document link",
                pages: [
                    ExamplePage("/zcwj/5.html", doc("示例区垃圾分类管理办法")),
                    ExamplePage("/zcjd/5.html", interpretation("关于《示例区垃圾分类管理办法》的解读")),
                    ExamplePage("/zcjd/6.html", interpretation("关于示例区停车管理规定的政策解读")),
                ], subjects: ["示例区垃圾分类管理办法", "示例区停车管理规定"]),
        ])
}
