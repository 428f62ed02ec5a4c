#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signs that a page's lists are filled by script in the browser (脚本生成的列表): what a
/// static read of the page cannot see. Noted by the builder in the one pass it makes
/// anyway (attribute names, text, inline script text, list containers), outside header,
/// nav and footer. The rules that judge a page by its dated items (home page and column
/// updates) read it before they give a veto on what they could not see.
package struct ScriptFill: Sendable, Equatable {
    package enum Sign: String, Sendable, CaseIterable {
        /// A list template left for a script to fill: `ms-repeat`/`ms-for` (avalon), `v-for`
        /// (Vue), `ng-repeat`, `x-for`, a `{{…}}` placeholder in a list, or a
        /// `<script type="text/html">` template of list rows (art-template and the like).
        case template
        /// Hanweb (大汉) jpage: the list's records sit in `<script type="text/xml"><datastore>`,
        /// or come from its `dataproxy.jsp`.
        case datastore
        /// An inline script writes list rows or links (`document.write('<li>…')` as TRS/拓尔思
        /// list templates do, `.append("<li>…")`, `innerHTML = "<tr>…"`).
        case listScript
        /// A list container whose only content is a script's source: `<ul id="gwyxx"><script src=…></script></ul>`,
        /// `<div class="ls_news"><script src=…></script></div>` (Hanweb's list widgets). An inline
        /// script there is as often a search box's handler.
        case scriptInList
        /// A list container with an `id` (what a script fills it by) and no item.
        case emptyList
        /// TRS's pager (`createPageHTML(…)`) on a page whose list is not in the static page.
        case pagerScript
        /// No content text or link at all, only scripts (a page assembled in the browser).
        case emptyBody

        /// The sign shows that item markup itself comes from script: the page cannot be
        /// judged from its static items even when some are dated. The weak signs (an empty
        /// container, a pager, an empty body) only matter when no dated item is seen.
        package var isStrong: Bool {
            switch self {
            case .template, .datastore, .listScript, .scriptInList: return true
            case .emptyList, .pagerScript, .emptyBody: return false
            }
        }
    }

    /// The strongest sign seen (the first of equal strength).
    package var sign: Sign
    /// What was seen, as written: `ms-repeat`, `ul#gwyxx`, `createPageHTML`, `document.write`.
    package var detail: String
    /// Signs seen on the page (each list container or script counts once).
    package var count: Int
    /// Why the page could not be rendered in a browser when it was tried (`--render`): the
    /// static result and its advice stand, with this reason. nil when not tried or rendered.
    package var renderFailure: String? = nil

    package init(sign: Sign, detail: String, count: Int = 1) {
        self.sign = sign; self.detail = detail; self.count = count
    }

    /// The sign in words, for messages (中文).
    package var descriptionZh: String {
        let seen: String
        switch sign {
        case .template: seen = "列表模板（\(detail)）"
        case .datastore: seen = "大汉 jpage 数据脚本（\(detail)）"
        case .listScript: seen = "脚本写入列表（\(detail)）"
        case .scriptInList: seen = "列表容器内只有脚本（\(detail)）"
        case .emptyList: seen = "空的列表容器（\(detail)）"
        case .pagerScript: seen = "分页脚本（\(detail)），静态页面无列表"
        case .emptyBody: seen = "页面正文为空，只有脚本"
        }
        return seen + (renderFailure.map { "；浏览器渲染未成功：\($0)" } ?? "")
    }

    /// Adds a sign: a strong one replaces a weak one.
    mutating func add(_ other: ScriptFill) {
        count += other.count
        if other.sign.isStrong && !sign.isStrong { sign = other.sign; detail = other.detail }
    }
}

extension ScriptFill {
    /// Attribute names that repeat an element over a list in a client-side template.
    /// `name` is libxml2's lowercased attribute name. Called only for attributes the
    /// builder keeps no slot for, and decided on the first byte for almost all of them.
    static func repeatAttribute(_ p: UnsafePointer<UInt8>) -> StaticString? {
        switch p[0] {
        case UInt8(ascii: "m"):
            if hasPrefix(p, "ms-repeat") { return "ms-repeat" }
            if hasPrefix(p, "ms-for") { return "ms-for" }
            if hasPrefix(p, "ms-each") { return "ms-each" }
        case UInt8(ascii: "v"):
            if equals(p, "v-for") { return "v-for" }
        case UInt8(ascii: "n"):
            if equals(p, "ng-repeat") { return "ng-repeat" }
        case UInt8(ascii: "x"):
            if equals(p, "x-for") { return "x-for" }
        default:
            break
        }
        return nil
    }

    /// The accessible name of an element whose text a template binds to data.
    static let boundName = "{{…}}"

    /// Attribute names that fill an element's text or title from data in a client-side template
    /// (`<a ms-attr-href="el.url" ms-text="el.title"></a>`): the rendered element has a name the
    /// static page cannot show, so the a11y rules take it as named (a browser's axe run would).
    static func isTextBinding(_ p: UnsafePointer<UInt8>) -> Bool {
        switch p[0] {
        case UInt8(ascii: "m"):
            return equals(p, "ms-text") || equals(p, "ms-html") || equals(p, "ms-attr-title")
        case UInt8(ascii: "v"):
            return equals(p, "v-text") || equals(p, "v-html") || equals(p, "v-bind:title") || equals(p, "v-bind:aria-label")
        case UInt8(ascii: "n"):
            return equals(p, "ng-bind") || equals(p, "ng-bind-html")
        case UInt8(ascii: "x"):
            return equals(p, "x-text") || equals(p, "x-html")
        case UInt8(ascii: ":"):
            return equals(p, ":title") || equals(p, ":aria-label")
        default:
            return false
        }
    }

    /// `{{` followed later by `}}` in one text chunk (a placeholder left unrendered).
    static func hasPlaceholder(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard let open = find(p, n, "{{") else { return false }
        return find(p + open + 2, n - open - 2, "}}") != nil
    }

    /// Offset of the first `needle` in `p[0 ..< n]`: memchr for the needle's byte at `anchor`
    /// (a rare one: `j` of `.jsp`, not the `d` of `dataproxy` that JavaScript is full of), then
    /// a compare. (glibc's memmem is not exported to Swift.)
    static func find(_ p: UnsafePointer<UInt8>, _ n: Int, _ needle: StaticString, anchor: Int = 0) -> Int? {
        let k = needle.utf8CodeUnitCount
        let t = needle.utf8Start
        var i = anchor
        while n - (i - anchor) >= k {
            guard let hit = memchr(p + i, Int32(t[anchor]), n - (i - anchor) - k + 1) else { return nil }
            let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - p - anchor
            if memcmp(p + at, t, k) == 0 { return at }
            i = at + anchor + 1
        }
        return nil
    }

    /// A list row's opening tag (`<li`, `<tr`, `<dd`, any case, not `<link` or `<track`) in
    /// script text: one memchr pass over the `<`s.
    static func hasRowTag(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i + 3 < n, let hit = memchr(p + i, 0x3C, n - i - 3) {
            let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - p
            let a = p[at + 1] | 0x20, b = p[at + 2] | 0x20, c = p[at + 3]
            if (a, b) == (0x6C, 0x69) || (a, b) == (0x74, 0x72) || (a, b) == (0x64, 0x64),  // li, tr, dd
                c == 0x3E || c == 0x20 || c == 0x2F || c == 0x09 || c == 0x0A || c == 0x27 || c == 0x22
            {
                return true
            }
            i = at + 1
        }
        return false
    }

    /// What an inline script's text shows about lists, nil when nothing.
    /// `kind`: how the script's `type` reads it. A few memchr passes over the text; the
    /// write calls are looked for only in a script that holds row markup (few do).
    static func scriptSign(_ p: UnsafePointer<UInt8>, _ n: Int, kind: InlineScriptKind) -> ScriptFill? {
        guard n > 0 else { return nil }
        switch kind {
        case .xml:
            if find(p, n, "<datastore") != nil || find(p, n, "<recordset") != nil {
                return ScriptFill(sign: .datastore, detail: "<datastore>")
            }
            return nil
        case .template:
            if hasRowTag(p, n) || find(p, n, "{{") != nil { return ScriptFill(sign: .template, detail: "<script type=text/html>") }
            return nil
        case .code:
            if find(p, n, "dataproxy.jsp", anchor: 10) != nil { return ScriptFill(sign: .datastore, detail: "dataproxy.jsp") }
            if hasRowTag(p, n) {
                for (call, name) in [
                    ("document.write", "document.write"), (".append(", "append"), (".html(", "html"),
                    ("innerHTML", "innerHTML"), (".prepend(", "prepend"),
                ] as [(StaticString, String)]
                where find(p, n, call) != nil {
                    // A written link alone (a counter badge, an a11y toolbar) is not a list: rows are.
                    return ScriptFill(sign: .listScript, detail: name)
                }
            }
            if find(p, n, "PageHTML(") != nil { return ScriptFill(sign: .pagerScript, detail: "createPageHTML") }
            return nil
        }
    }

    private static func hasPrefix(_ p: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
        let t = s.utf8Start
        for i in 0..<s.utf8CodeUnitCount where p[i] != t[i] { return false }  // (stops at the NUL)
        return true
    }

    private static func equals(_ p: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
        hasPrefix(p, s) && p[s.utf8CodeUnitCount] == 0
    }
}

/// How an inline `<script>`'s `type` says its text is read.
enum InlineScriptKind: UInt8 {
    /// JavaScript (no type, or a JavaScript type).
    case code
    /// `text/xml`: Hanweb's datastore.
    case xml
    /// `text/html`, `text/template`, `text/x-…-template`: a client-side template.
    case template

    static func of(type: UnsafePointer<UInt8>?) -> InlineScriptKind {
        guard let type else { return .code }
        var n = 0
        while type[n] != 0 { n += 1 }
        func has(_ s: StaticString) -> Bool {
            guard n >= s.utf8CodeUnitCount else { return false }
            // (types are ASCII; compared case-insensitively)
            let t = s.utf8Start
            outer: for i in 0...(n - s.utf8CodeUnitCount) {
                for j in 0..<s.utf8CodeUnitCount where type[i + j] | 0x20 != t[j] { continue outer }
                return true
            }
            return false
        }
        if has("xml") { return .xml }
        if has("html") || has("template") { return .template }
        return .code
    }
}

extension PageBuilder {
    /// Header, nav and footer hold menus and badges that scripts often build; a
    /// script-filled list there says nothing about the page's content.
    @inline(__always)
    static func mayHoldLists(_ r: Region) -> Bool { r != .header && r != .nav && r != .footer }

    func noteScriptFill(_ sign: ScriptFill) {
        if model.scriptFill == nil { model.scriptFill = sign } else { model.scriptFill!.add(sign) }
    }

    /// At a list container's end tag: no anchor and (almost) no text inside means its
    /// items come from elsewhere: from the script source inside it, or a script that finds it by `id`.
    func endListContainer(_ frame: ElementFrame) {
        guard anchorsSeen == frame.listAnchors, PageBuilder.mayHoldLists(frame.region),
            text.count - Int(frame.listText) < 4
        else { return }
        let id = frame.idSlot >= 0 ? ids[Int(frame.idSlot)].id : nil
        let detail = frame.tag.name + (id.map { "#" + $0 } ?? "")
        if scriptSourcesSeen > frame.listScripts {
            noteScriptFill(ScriptFill(sign: .scriptInList, detail: detail))
        } else if id != nil {
            noteScriptFill(ScriptFill(sign: .emptyList, detail: detail))
        }
    }

    /// A page with scripts and no content text or anchor at all (a shell a script fills).
    func noteEmptyBody() {
        guard model.scriptFill == nil, scriptsSeen > 0, anchorsSeen == 0 else { return }
        var textBytes = 0
        for b in model.blocks where PageBuilder.mayHoldLists(b.region) { textBytes += b.text.utf8.count }
        if textBytes < 20 { noteScriptFill(ScriptFill(sign: .emptyBody, detail: "body")) }
    }
}
