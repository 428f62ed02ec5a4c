package import Vocabulary
/// The compact model of one HTML page that every rule reads. Built once per page,
/// straight from libxml2's parser events; the libxml2 document never leaves the
/// parse. Everything here is plain Swift values, so a page can cross tasks.
package struct PageModel: Sendable {
    /// The page's own URL (after redirects).
    package var url: String
    /// `<base href>` when present (links are resolved against it by the crawler).
    package var baseHref: String?
    /// The charset the text was decoded from ("utf-8", "gb18030", "windows-1252",
    /// "utf-16le" …). gb2312, gbk, x-gbk, cp936 and gb_2312-80 are reported as gb18030.
    package var charset: String
    package var charsetSource: CharsetSource
    /// Bytes that could not be decoded and were replaced with U+FFFD (a run of bad bytes
    /// becomes one U+FFFD; every byte is counted).
    package var invalidBytes: Int
    /// `<title>` text, whitespace collapsed; nil when there is no title element.
    package var title: String?
    /// `<html lang>`, nil when absent.
    package var lang: String?
    /// `<html xml:lang>`, nil when absent (an HTML page needs `lang`: axe's html-has-lang).
    package var xmlLang: String?
    package var metas: [Meta]
    package var links: [Link]
    package var images: [Image]
    package var controls: [FormControl]
    package var frames: [Frame]
    /// `<form>` elements, with their method and text fields (the search check reads the
    /// home page's search form from them).
    package var forms: [Form]
    /// A CSS media query on a width (`@media (max-width: 768px)`, `screen and (min-width…)`)
    /// in a `<style>` element or a `<link media>`: a sign of a responsive layout.
    package var widthMediaQuery: Bool
    /// An inline script sends phones to another address by their user agent (a mobile site).
    package var mobileRedirectScript: Bool
    package var headings: [Heading]
    /// Elements checked for a name that the lists above do not hold (a11y rules).
    package var namedElements: [NamedElement]
    /// `id` values used by more than one element.
    package var duplicateIDs: [String]
    /// Text in document order, one entry per block-level element (hidden ones flagged).
    package var blocks: [TextBlock]
    /// All of the blocks' text in one string, in document order, blocks separated by a space:
    /// every block's `text` is a part of it, at the block's `textStart`. For a rule's quick
    /// test of whether a word occurs anywhere on the page before it looks block by block, or
    /// for one scan of the whole page (`block(atByte:)` places a hit).
    package var allText: String
    /// Signs that the page's lists are filled by script in the browser (list templates,
    /// Hanweb datastores, list-writing scripts, empty list containers); nil when none.
    package var scriptFill: ScriptFill?
    /// Items read from data islands in the page's scripts (a Hanweb datastore's records, an
    /// inline JSON array of items): they are among `blocks` and `links` like static items.
    package var islandItems = 0
    /// The page's lists look filled by script: what a static read sees of them is not all.
    package var scriptFilled: Bool { scriptFill != nil }

    /// The block whose text holds UTF-8 bytes `start ..< end` of `allText`; nil when they
    /// are not inside one block's text (they span a boundary between blocks).
    package func block(atBytes start: Int, _ end: Int) -> Int? {
        // The last block beginning at or before `start` (blocks are in document order).
        var lo = 0, hi = blocks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if blocks[mid].textStart <= start { lo = mid + 1 } else { hi = mid }
        }
        var i = lo - 1
        // Blocks without text (a link row with no words) share the next block's start.
        while i >= 0 && blocks[i].text.isEmpty { i -= 1 }
        guard i >= 0, end <= blocks[i].textStart + blocks[i].text.utf8.count else { return nil }
        return i
    }

    package init(url: String) {
        self.url = url
        baseHref = nil
        charset = "utf-8"
        charsetSource = .assumed
        invalidBytes = 0
        title = nil
        lang = nil
        xmlLang = nil
        metas = []
        links = []
        images = []
        controls = []
        frames = []
        forms = []
        widthMediaQuery = false
        mobileRedirectScript = false
        headings = []
        namedElements = []
        duplicateIDs = []
        blocks = []
        allText = ""
        scriptFill = nil
    }

    /// The content of the first `<meta name=…>` with this name, compared case-insensitively
    /// (government pages write `SiteIDCode`, `siteidcode` …).
    /// (By index: `first(where:)` copied each `Meta`, five optional strings retained and
    /// released, on every call; the rules call this two dozen times a page.)
    package func meta(_ name: String) -> String? {
        for i in metas.indices {
            if let n = metas[i].name, PageModel.sameIgnoringCase(n, name) { return metas[i].content }
        }
        return nil
    }

    /// The content of the first `<meta http-equiv=…>` with this name (case-insensitive).
    package func httpEquiv(_ name: String) -> String? {
        for i in metas.indices {
            if let n = metas[i].httpEquiv, PageModel.sameIgnoringCase(n, name) { return metas[i].content }
        }
        return nil
    }

    /// `a.lowercased() == b.lowercased()`, without building either when both are ASCII
    /// (rules ask for meta tags many times a page).
    package static func sameIgnoringCase(_ a: String, _ b: String) -> Bool {
        // 0: equal, 1: different, 2: not ASCII (lowercased() decides)
        let verdict = withUTF8Bytes(a) { p in
            withUTF8Bytes(b) { q -> Int in
                if p.count != q.count {
                    for c in p where c >= 0x80 { return 2 }
                    for c in q where c >= 0x80 { return 2 }
                    return 1
                }
                var i = 0
                var differs = false  // decided only once both are known to be ASCII
                while i < p.count {
                    let c = p[i], d = q[i]
                    if c >= 0x80 || d >= 0x80 { return 2 }
                    if c != d && (c | 0x20 != d | 0x20 || !(c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)) { differs = true }
                    i += 1
                }
                return differs ? 1 : 0
            }
        }
        return verdict == 2 ? a.lowercased() == b.lowercased() : verdict == 0
    }
}

/// How the charset was settled, in the order tried: a BOM (which browsers let override the
/// header), the Content-Type header, a `<meta>` found by a byte prescan of the first
/// 4 KB, detection (valid UTF-8; else GB18030 when it decodes cleanly; else
/// windows-1252); `assumed` is UTF-8 for pure ASCII or empty bodies.
package enum CharsetSource: String, Sendable, Codable {
    case header, bom, meta, detected, assumed
}

/// Where on the page an element sits. From HTML5 sectioning tags, ARIA landmarks and
/// the id/class words that Chinese CMS templates use (foot, bottom, copyright, nav,
/// menu, daohang, side, left, right …).
package enum Region: String, Sendable, Codable {
    case header, nav, main, aside, footer, unknown
}

package struct Meta: Sendable, Equatable {
    package var name: String?
    package var httpEquiv: String?
    package var property: String?
    package var content: String?
    package var charset: String?
    package init(name: String? = nil, httpEquiv: String? = nil, property: String? = nil, content: String? = nil, charset: String? = nil) {
        self.name = name; self.httpEquiv = httpEquiv; self.property = property; self.content = content; self.charset = charset
    }
}

package struct Link: Sendable, Equatable {
    /// The attribute value as written (whitespace trimmed), not yet resolved.
    package var href: String
    package var kind: LinkKind
    /// Visible text of an `a` (including the alt of images inside it), whitespace collapsed;
    /// text in a hidden element inside a shown link is left out (all of it is kept for a
    /// link that is hidden itself).
    package var text: String
    package var title: String?
    package var ariaLabel: String?
    /// `aria-labelledby` resolved to text when the referenced ids exist on the page.
    package var labelledByText: String?
    package var rel: String?
    /// `target`, `download` and the like are not kept; `role` is, for link-name checks.
    package var role: String?
    package var region: Region
    /// Index into `PageModel.blocks` of the block holding the link, -1 when none (head).
    /// An `a` wrapping block elements belongs to the first block holding its text.
    package var block: Int
    /// The opening tag as written, cut to 200 characters: evidence for findings.
    package var snippet: String
    package var hidden: Bool
    /// The accessible name of an `a` (`AccessibleName`); nil when nothing names it.
    package var accessibleName: String?
}

extension Link {
    /// (Through the memberwise initialiser, which this one in an extension leaves in place:
    /// assigning the properties one by one here had every new link copied once and the
    /// original destroyed, two outlined value-witness calls a link, 0.8% of the parse.)
    package init(
        href: String, kind: LinkKind, text: String = "", title: String? = nil, ariaLabel: String? = nil,
        labelledByText: String? = nil, rel: String? = nil, role: String? = nil, region: Region = .unknown,
        block: Int = -1, snippet: String = "", hidden: Bool = false
    ) {
        self.init(
            href: href, kind: kind, text: text, title: title, ariaLabel: ariaLabel, labelledByText: labelledByText,
            rel: rel, role: role, region: region, block: block, snippet: snippet, hidden: hidden, accessibleName: nil)
    }
}

package struct Image: Sendable, Equatable {
    package var src: String
    /// nil when the attribute is absent; "" is a decorative image (correct).
    package var alt: String?
    package var role: String?
    package var title: String?
    package var ariaLabel: String?
    package var labelledByText: String?
    package var element: ImageElement
    package var region: Region
    package var snippet: String
    package var hidden: Bool
    /// `AccessibleName` from aria-labelledby, aria-label, alt (and an image input's `<label>`), title.
    package var accessibleName: String?
}

extension Image {
    /// (Through the memberwise initialiser, as `Link`'s.)
    package init(
        src: String, alt: String?, role: String? = nil, title: String? = nil, ariaLabel: String? = nil,
        labelledByText: String? = nil, element: ImageElement = .img, region: Region = .unknown,
        snippet: String = "", hidden: Bool = false
    ) {
        self.init(
            src: src, alt: alt, role: role, title: title, ariaLabel: ariaLabel, labelledByText: labelledByText,
            element: element, region: region, snippet: snippet, hidden: hidden, accessibleName: nil)
    }
}

/// The element an image comes from.
package enum ImageElement: String, Sendable {
    case img
    /// `<input type=image>`, checked by input-image-alt.
    case input
    /// `<area href>`, checked by area-alt; `src` then holds its href.
    case area
}

/// The element a form control is.
package enum ControlElement: String, Sendable {
    case input, select, textarea, button
}

/// The element a frame is.
package enum FrameElement: String, Sendable {
    case iframe, frame
}

/// A form control (`input`, `select`, `textarea`, `button`) with what names it.
package struct FormControl: Sendable, Equatable {
    package var element: ControlElement
    /// The input type, lowercased ("text", "submit", "hidden", "image" …); "" for others.
    package var type: String
    package var id: String?
    package var name: String?
    /// The accessible name, in accname order: `aria-labelledby` text, `aria-label`, then
    /// `<label for>` / a wrapping `<label>` (text fields, select, textarea), a button's
    /// text (with image alts), an input button's `value` ("Submit"/"Reset" by default),
    /// an image input's `alt`; then `title`, then `placeholder` (axe's label rule accepts
    /// it). nil when nothing names it. Type "hidden" controls are listed with `hidden` set.
    package var accessibleName: String?
    package var region: Region
    package var snippet: String
    package var hidden: Bool

    package init(
        element: ControlElement, type: String = "", id: String? = nil, name: String? = nil,
        accessibleName: String? = nil, region: Region = .unknown, snippet: String = "", hidden: Bool = false
    ) {
        self.element = element; self.type = type; self.id = id; self.name = name
        self.accessibleName = accessibleName; self.region = region; self.snippet = snippet; self.hidden = hidden
    }
}

/// A `<form>`: where it sends, how, and the names of its text fields (`type` text or
/// search, in document order), for the search check.
package struct Form: Sendable, Equatable {
    /// `action` as written (trimmed); "" when absent (the page itself).
    package var action: String
    /// `method`, lowercased; "get" when absent.
    package var method: String
    package var textFields: [String]
    /// The form's hidden inputs (`siteCode=…`), which a query sends along.
    package var hiddenFields: [FormValue] = []
    /// `role`, `id`, `class` and `name` of the form, lowercased and joined: search forms say so.
    package var label: String
    package var region: Region
    package init(action: String, method: String = "get", textFields: [String] = [], label: String = "", region: Region = .unknown) {
        self.action = action; self.method = method; self.textFields = textFields; self.label = label; self.region = region
    }
}

/// A form input's name and value.
package struct FormValue: Sendable, Equatable {
    package var name: String
    package var value: String
    package init(name: String, value: String) { self.name = name; self.value = value }
}

package struct Frame: Sendable, Equatable {
    /// The `src` as written (trimmed); "" when absent.
    package var src: String
    package var title: String?
    package var element: FrameElement
    package var snippet: String
    /// `aria-label`, which also names a frame for frame-title.
    package var ariaLabel: String?
    package var region: Region
    package var hidden: Bool
    /// `AccessibleName` from aria-labelledby, aria-label and title.
    package var accessibleName: String?
    /// `role` as written (`presentation`/`none` exempt a frame without title from frame-title).
    package var role: String?
    /// `tabindex` as browsers read it (leading integer); nil when absent or not a number.
    package var tabIndex: Int?
    package init(
        src: String, title: String?, element: FrameElement, snippet: String,
        ariaLabel: String? = nil, region: Region = .unknown, hidden: Bool = false
    ) {
        self.src = src; self.title = title; self.element = element; self.snippet = snippet
        self.ariaLabel = ariaLabel; self.region = region; self.hidden = hidden
    }
}

package struct Heading: Sendable, Equatable {
    package var level: Int
    /// Visible text including the alt of images inside, whitespace collapsed.
    package var text: String
    package var region: Region
    package var snippet: String
    /// Inside a hidden element (`hidden`, `aria-hidden`, `display:none` …).
    package var hidden: Bool
    /// `AccessibleName`: aria-labelledby, aria-label, visible content, title.
    package var accessibleName: String?
    /// `role` as written: `<h2 role="button">` is a button, not a heading.
    package var role: String?
    package init(level: Int, text: String, region: Region, snippet: String, hidden: Bool = false) {
        self.level = level; self.text = text; self.region = region; self.snippet = snippet; self.hidden = hidden
    }
}

/// An element checked for a name that `links`, `images`, `controls` and `headings` do not
/// hold: an `<a href>` that leads to nothing fetchable (`#`, `javascript:`, `mailto:`, empty),
/// and an element that ARIA makes a link, button, image or heading
/// (`<span role="button" tabindex="0">`; elements with a name of their own, such as
/// `<a href>`, `<button>`, `<img>`, `<input>`, are in their lists).
package struct NamedElement: Sendable, Equatable {
    package enum Role: String, Sendable { case link, button, img, heading }
    package var role: Role
    /// `AccessibleName`; nil when nothing names it.
    package var accessibleName: String?
    package var region: Region
    /// The opening tag (kept only when the element has no name).
    package var snippet: String
    package var hidden: Bool
    package init(role: Role, accessibleName: String? = nil, region: Region = .unknown, snippet: String = "", hidden: Bool = false) {
        self.role = role; self.accessibleName = accessibleName; self.region = region; self.snippet = snippet; self.hidden = hidden
    }
}

/// The text of one block-level element (p, li, tr, div, section, h1…, dt, dd …), in
/// document order; script, style, noscript, template, textarea and title text excluded,
/// whitespace collapsed. Text goes to the innermost open block and is cut at every block
/// boundary, so a `div` with text before and after a `p` yields two blocks. Table cells
/// are not blocks: a row (`tr`) is, its cells separated by spaces, so a list row's title
/// and date stay together. Rules find a column's own list by grouping the blocks of one
/// list container (`list`) outside header, nav, aside and footer.
package struct TextBlock: Sendable, Equatable {
    /// The block element's tag, lowercased ("li", "p", "td", "div" …).
    package var tag: String
    package var text: String
    package var region: Region
    /// Ordinal of the nearest enclosing list container (`ul`, `ol`, `dl`, `table`, or a
    /// `div`/`section` whose id/class says list, news or xxgk), -1 when none. Equal values:
    /// same list. A `ul`/`table` at most three levels inside a list-named div joins the
    /// div's list (CMS templates split one column list into groups of five).
    package var list: Int
    /// Links inside the block: `links[firstLink ..< firstLink + linkCount]`.
    package var firstLink: Int
    package var linkCount: Int
    /// Nesting depth of the element, for telling a list's rows from its wrapper.
    package var depth: Int
    /// The block sits in a hidden element (a `display:none` tab pane, say). Its text is
    /// kept: CMS home pages hide whole tabs of dated items that still count as content.
    package var hidden: Bool
    /// Where `text` begins in the page's `allText`, in UTF-8 bytes: a rule can scan
    /// `allText` once and place what it finds in its block.
    package var textStart: Int

    package init(
        tag: String, text: String, region: Region, list: Int = -1, firstLink: Int = 0, linkCount: Int = 0,
        depth: Int = 0, hidden: Bool = false, textStart: Int = 0
    ) {
        self.tag = tag; self.text = text; self.region = region; self.list = list
        self.firstLink = firstLink; self.linkCount = linkCount; self.depth = depth; self.hidden = hidden
        self.textStart = textStart
    }
}
