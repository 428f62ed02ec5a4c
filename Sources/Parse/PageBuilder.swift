#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a `PageModel` from libxml2 SAX events. One builder per parse; it lives only
/// inside `PageParser.parse`. Hot paths work on C bytes: element and attribute names
/// are never turned into Strings, text is collapsed into reusable byte buffers and
/// becomes one String per block.
final class PageBuilder {
    struct ElementFrame {
        var tag: Tag
        var region: Region
        var hidden: Bool
        /// The list context comes from a list-named div (so a `ul` inside joins that list).
        var listFromDiv: Bool
        var list: Int32
        /// Depth of the list-named div that set `list` (when `listFromDiv`).
        var listDivDepth: Int32 = -1
        /// Index of what this element opened: link, heading, control or label; -1 none.
        var pending: Int32 = -1
        /// Where this element's name capture started in `names`; -1 none.
        var nameStart: Int32 = -1
        var idSlot: Int32 = -1
        /// An anchor's opening tag, kept as bytes in `anchorSnippets` until its text shows
        /// whether it is needed (only a link without text is ever reported with it).
        var snippetStart: Int32 = -1
        var snippetCount: Int32 = 0
        /// A list container's anchors, script sources and text bytes when it opened (-1: not a
        /// list container): an empty one is a sign of a script-filled list (`ScriptFill`).
        var listAnchors: Int32 = -1
        var listScripts: Int32 = 0
        var listText: Int32 = 0
        /// Index into `model.namedElements` of what this element opened; -1 none.
        var named: Int32 = -1
        /// Index into `openNames` of this element's aria-label and title, until it closes; -1 none.
        var openName: Int32 = -1
        /// Index into `childNames`: a child's aria-label or image title, this captured element's
        /// name when it has no text of its own (`<a href><i aria-label="微博"></i></a>`); -1 none.
        var childName: Int32 = -1
    }

    /// The attributes that name an element whose content is still being read.
    struct OpenName {
        var ariaLabel: String?
        var title: String?
    }

    struct BlockContext {
        var tag: Tag
        var region: Region
        var list: Int32
        var depth: Int32
        var hidden: Bool
    }

    struct IDRecord {
        var id: String
        var start: Int32
        var end: Int32
    }

    enum LabelTarget: UInt8 { case link, image, control, frame, heading, named }

    struct PendingLabelledBy {
        var target: LabelTarget
        var index: Int32
        var ids: String
    }

    struct ControlInfo {
        var ariaLabel: String?
        var labelledBy: String?
        var title: String?
        var placeholder: String?
        var value: String?
        var alt: String?
        var text: String?
        var wrappingLabel: String?
        var id: String?
        /// Index into `model.images` of an image input; -1 none.
        var image: Int = -1
    }

    struct LabelContext {
        var forID: String?
        var controls: [Int]
    }

    @exclusivity(unchecked) var model: PageModel
    @exclusivity(unchecked) var frames: [ElementFrame] = []
    @exclusivity(unchecked) var blockStack: [BlockContext] = []
    @exclusivity(unchecked) var text: ByteBuffer
    @exclusivity(unchecked) var names = ByteBuffer(capacity: 1024)
    @exclusivity(unchecked) var titleText = ByteBuffer(capacity: 256)
    @exclusivity(unchecked) var snippet = ByteBuffer(capacity: 512)
    @exclusivity(unchecked) var anchorSnippets = ByteBuffer(capacity: 512)
    /// Attribute values of the element being opened, by `Attr` slot; valid while `mask` has the bit.
    let slots: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    @exclusivity(unchecked) var mask: UInt32 = 0
    /// A NUL byte, the value of attributes written without one (`<div hidden>`).
    let emptyCString: UnsafeMutablePointer<UInt8>

    @exclusivity(unchecked) var textFlushPos = 0
    @exclusivity(unchecked) var linkFlushPos = 0
    @exclusivity(unchecked) var nameCapture = 0
    @exclusivity(unchecked) var skipText = 0
    @exclusivity(unchecked) var openAnchors = 0
    @exclusivity(unchecked) var inTitle = false
    var titleSeen = false
    var langSeen = false
    @exclusivity(unchecked) var nextList: Int32 = 0

    @exclusivity(unchecked) var ids: [IDRecord] = []
    @exclusivity(unchecked) var pendingLabelledBy: [PendingLabelledBy] = []
    @exclusivity(unchecked) var controlInfo: [ControlInfo] = []
    @exclusivity(unchecked) var labels: [LabelContext] = []
    var labelFor: [String: String] = [:]
    /// Frame indices of the elements whose name is being captured, innermost last.
    @exclusivity(unchecked) var captureRoots: [Int32] = []
    /// The innermost captured element is hidden: text in hidden elements then counts for it.
    @exclusivity(unchecked) var captureHidden = false
    @exclusivity(unchecked) var openNames: [OpenName] = []
    @exclusivity(unchecked) var childNames: [String] = []

    // Script-filled lists (`ScriptFill`): an inline script's text is kept until its end tag.
    @exclusivity(unchecked) var scriptText = ByteBuffer(capacity: 256)
    @exclusivity(unchecked) var inScript = false
    @exclusivity(unchecked) var scriptKind = InlineScriptKind.code
    @exclusivity(unchecked) var anchorsSeen: Int32 = 0
    @exclusivity(unchecked) var scriptsSeen: Int32 = 0
    @exclusivity(unchecked) var scriptSourcesSeen: Int32 = 0
    @exclusivity(unchecked) var placeholderList: Int32 = -1
    /// Index in `model.forms` of the open `<form>`, -1 when none (forms do not nest).
    @exclusivity(unchecked) var openForm = -1
    /// Inside a `<style>` element whose media queries are still unread.
    @exclusivity(unchecked) var inStyle = false
    /// Data islands are read as list items (not in a rendered DOM, which shows them already).
    var readsIslands = true

    /// `bodyBytes`: the size of the UTF-8 body, an upper bound of its text (collapsed), so
    /// the text buffer is allocated once instead of doubled while the page is read.
    init(url: String, bodyBytes: Int = 0) {
        model = PageModel(url: url)
        text = ByteBuffer(capacity: min(max(16 * 1024, bodyBytes), 4 << 20))
        frames.reserveCapacity(128)
        blockStack.reserveCapacity(64)
        slots = .allocate(capacity: Attr.count)
        slots.initialize(repeating: nil, count: Attr.count)
        emptyCString = .allocate(capacity: 1)
        emptyCString.initialize(to: 0)
        model.links.reserveCapacity(256)
        model.blocks.reserveCapacity(256)
    }

    deinit {
        text.free(); names.free(); titleText.free(); snippet.free(); anchorSnippets.free(); scriptText.free()
        slots.deallocate()
        emptyCString.deallocate()
    }

    // MARK: - Attribute access

    @inline(__always)
    func attr(_ a: Attr) -> UnsafePointer<UInt8>? {
        mask & (1 << UInt32(a.rawValue)) != 0 ? slots[a.rawValue] : nil
    }

    @inline(__always)
    func has(_ a: Attr) -> Bool { mask & (1 << UInt32(a.rawValue)) != 0 }

    @inline(__always)
    func string(_ a: Attr) -> String? {
        guard let p = attr(a) else { return nil }
        return UTF8String.trusted(cString: p)
    }

    /// The attribute with ASCII whitespace trimmed.
    func trimmed(_ a: Attr) -> String? {
        guard let p = attr(a) else { return nil }
        var s = 0
        while TextDecoding.isSpace(p[s]) { s += 1 }
        var e = s
        while p[e] != 0 { e += 1 }
        while e > s, TextDecoding.isSpace(p[e - 1]) { e -= 1 }
        return UTF8String.trusted(p + s, e - s)
    }

    /// A URL attribute worth listing as a link: not empty, not "#", not javascript:,
    /// mailto:, tel: or data:.
    func linkTarget(_ a: Attr) -> String? {
        guard let p = attr(a) else { return nil }
        var s = 0
        while TextDecoding.isSpace(p[s]) { s += 1 }
        var e = s
        while p[e] != 0 { e += 1 }
        while e > s, TextDecoding.isSpace(p[e - 1]) { e -= 1 }
        let n = e - s
        if n == 0 { return nil }
        if n == 1 && p[s] == UInt8(ascii: "#") { return nil }
        let q = p + s
        if startsWithLower(q, n, "javascript:") || startsWithLower(q, n, "mailto:") || startsWithLower(q, n, "tel:")
            || startsWithLower(q, n, "data:")
        {
            return nil
        }
        return UTF8String.trusted(q, n)
    }

    @inline(__always)
    private func startsWithLower(_ p: UnsafePointer<UInt8>, _ n: Int, _ s: StaticString) -> Bool {
        let k = s.utf8CodeUnitCount
        guard n >= k else { return false }
        let t = s.utf8Start
        for i in 0..<k {
            var c = p[i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != t[i] { return false }
        }
        return true
    }

    @inline(__always)
    private func equalsLower(_ p: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
        var i = 0
        while TextDecoding.isSpace(p[i]) { i += 1 }
        let k = s.utf8CodeUnitCount
        let t = s.utf8Start
        for j in 0..<k {
            var c = p[i + j]
            if c == 0 { return false }
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != t[j] { return false }
        }
        var e = i + k
        while TextDecoding.isSpace(p[e]) { e += 1 }
        return p[e] == 0
    }

    /// An attribute value that `String.isBlank` finds not blank, decided on its first byte after
    /// ASCII white space: any other ASCII byte, or a lead byte from E4 on (every Unicode space
    /// is below U+4000). false when absent, and when unsure (a lead byte below E4).
    @inline(__always)
    static func nonBlank(_ p: UnsafePointer<UInt8>?) -> Bool {
        guard let p else { return false }
        var i = 0
        while p[i] == 0x20 || (p[i] >= 0x09 && p[i] <= 0x0D) { i += 1 }
        let b = p[i]
        return b < 0x80 ? b != 0 : b >= 0xE4
    }

    /// `display:none` or `visibility:hidden` in an inline style.
    private func styleHides(_ p: UnsafePointer<UInt8>) -> Bool {
        var i = 0
        while p[i] != 0 {
            let c = p[i] | 0x20
            if c == UInt8(ascii: "d"), matchProperty(p, at: i, "display", "none") { return true }
            if c == UInt8(ascii: "v"), matchProperty(p, at: i, "visibility", "hidden") { return true }
            i += 1
        }
        return false
    }

    private func matchProperty(_ p: UnsafePointer<UInt8>, at start: Int, _ name: StaticString, _ value: StaticString) -> Bool {
        var i = start
        let n = name.utf8Start
        for j in 0..<name.utf8CodeUnitCount {
            let c = p[i]
            if c == 0 || (c | 0x20) != n[j] { return false }
            i += 1
        }
        while p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        guard p[i] == UInt8(ascii: ":") else { return false }
        i += 1
        while p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        let v = value.utf8Start
        for j in 0..<value.utf8CodeUnitCount {
            let c = p[i]
            if c == 0 || (c | 0x20) != v[j] { return false }
            i += 1
        }
        return true
    }

    // MARK: - Snippets

    /// The opening tag rebuilt from libxml2's attributes, cut to 200 characters.
    func makeSnippet(_ name: UnsafePointer<UInt8>, _ atts: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) -> String {
        buildSnippet(name, atts)
        return snippetString(snippet.base, snippet.count)
    }

    /// The snippet's bytes (at most 200 characters' worth and then some) into `snippet`.
    func buildSnippet(_ name: UnsafePointer<UInt8>, _ atts: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        snippet.count = 0
        snippet.append(UInt8(ascii: "<"))
        snippet.append(name, strlen(name))
        if let atts {
            var i = 0
            while let an = atts[i], snippet.count < 600 {
                snippet.append(0x20)
                snippet.append(an, strlen(an))
                if let av = atts[i + 1] {
                    snippet.append(UInt8(ascii: "=")); snippet.append(0x22)
                    let n = min(strlen(av), 600)
                    if memchr(av, 0x22, n) == nil {
                        snippet.append(av, n)
                    } else {
                        for j in 0..<n {
                            if av[j] == 0x22 {
                                snippet.append(UInt8(ascii: "&")); snippet.append(UInt8(ascii: "q")); snippet.append(UInt8(ascii: "u"))
                                snippet.append(UInt8(ascii: "o")); snippet.append(UInt8(ascii: "t")); snippet.append(UInt8(ascii: ";"))
                            } else {
                                snippet.append(av[j])
                            }
                        }
                    }
                    snippet.append(0x22)
                }
                i += 2
            }
        }
        snippet.append(UInt8(ascii: ">"))
    }

    /// Snippet bytes as a String cut to 200 characters.
    func snippetString(_ base: UnsafePointer<UInt8>, _ count: Int) -> String {
        if count <= 200 {
            return UTF8String.make(base, count)  // (checked: a value in it may be cut)
        }
        // Cut to 200 characters: at most 800 bytes are needed for that.
        let s = UTF8String.make(base, min(count, 800))
        return s.count <= 200 ? s : String(s.prefix(200))
    }

    // MARK: - Blocks

    /// Emits the text gathered since the last boundary as a block of the innermost open
    /// block element.
    func flush() {
        // Where the block's text begins once leading spaces are trimmed (its textStart).
        var start = textFlushPos
        while start < text.count && text.base[start] == 0x20 { start += 1 }
        let hasText = start < text.count
        let linkEnd = model.links.count
        if !hasText {
            // Whitespace only. Links of an anchor still open (an `a` wrapping blocks)
            // wait for the block that holds its text.
            if linkEnd == linkFlushPos || openAnchors > 0 {
                text.separate()
                textFlushPos = text.count
                return
            }
        }
        let ctx = blockStack.last ?? BlockContext(tag: .body, region: .unknown, list: -1, depth: 0, hidden: false)
        let index = model.blocks.count
        let block = TextBlock(
            tag: ctx.tag.name, text: hasText ? text.string(from: start) : "",
            region: ctx.region, list: Int(ctx.list), firstLink: linkFlushPos,
            linkCount: linkEnd - linkFlushPos, depth: Int(ctx.depth), hidden: ctx.hidden,
            textStart: start)
        model.blocks.append(block)
        if linkFlushPos < linkEnd {
            for i in linkFlushPos..<linkEnd { model.links[i].block = index }
        }
        linkFlushPos = linkEnd
        text.separate()
        textFlushPos = text.count
    }

    // MARK: - Names

    /// Starts capturing the element's visible text (the element is not yet on `frames`).
    @inline(__always)
    func beginCapture(_ frame: inout ElementFrame) {
        frame.nameStart = Int32(names.count)
        nameCapture += 1
        captureRoots.append(Int32(frames.count))
        captureHidden = frame.hidden
    }

    /// The element's captured text (already popped from `frames`). Text inside a hidden
    /// element counts only for a captured element that is hidden itself (a hidden link keeps
    /// its text for the column rules); it leaves the name of a shown element around it.
    func endCapture(_ frame: ElementFrame) -> String {
        let s = names.string(from: Int(frame.nameStart))
        nameCapture -= 1
        captureRoots.removeLast()
        if nameCapture == 0 {
            names.count = 0
            captureHidden = false
            childNames.removeAll(keepingCapacity: true)
        } else {
            captureHidden = frames[Int(captureRoots[captureRoots.count - 1])].hidden
            if frame.hidden && !captureHidden { names.count = Int(frame.nameStart) }
            names.separate()
        }
        return s
    }

    /// A child's own name (aria-label, an image's title) for the captured elements around it
    /// that have none yet.
    func addChildName(_ name: String, hidden: Bool) {
        var k: Int32 = -1
        for r in captureRoots where frames[Int(r)].childName < 0 && (!hidden || frames[Int(r)].hidden) {
            if k < 0 { k = Int32(childNames.count); childNames.append(name) }
            frames[Int(r)].childName = k
        }
    }

    /// The first token of `role` when it is one the a11y rules check for a name.
    func namedRole() -> NamedElement.Role? {
        guard let p = attr(.role) else { return nil }
        var i = 0
        while TextDecoding.isSpace(p[i]) { i += 1 }
        var e = i
        while p[e] != 0 && !TextDecoding.isSpace(p[e]) { e += 1 }
        switch e - i {
        case 4 where startsWithLower(p + i, 4, "link"): return .link
        case 6 where startsWithLower(p + i, 6, "button"): return .button
        case 3 where startsWithLower(p + i, 3, "img"): return .img
        case 7 where startsWithLower(p + i, 7, "heading"): return .heading
        default: return nil
        }
    }

    /// `tabindex` read as browsers do (`parseInt`: white space, a sign, digits); nil when absent or no number.
    func tabIndex() -> Int? {
        guard let p = attr(.tabindex) else { return nil }
        var i = 0
        while TextDecoding.isSpace(p[i]) { i += 1 }
        let negative = p[i] == UInt8(ascii: "-")
        if negative || p[i] == UInt8(ascii: "+") { i += 1 }
        var v = 0, digits = 0
        while p[i] >= 0x30 && p[i] <= 0x39 && digits < 9 { v = v * 10 + Int(p[i] - 0x30); i += 1; digits += 1 }
        return digits == 0 ? nil : (negative ? -v : v)
    }

    /// Records an element checked for a name that no other list holds (see `NamedElement`).
    func openNamed(
        _ role: NamedElement.Role, _ frame: inout ElementFrame, _ name: UnsafePointer<UInt8>,
        _ atts: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    ) {
        frame.named = Int32(model.namedElements.count)
        model.namedElements.append(NamedElement(role: role, region: frame.region, hidden: frame.hidden))
        if frame.openName < 0 {
            frame.openName = Int32(openNames.count)
            openNames.append(OpenName(ariaLabel: string(.ariaLabel), title: string(.title)))
        }
        if let ids = string(.ariaLabelledby) {
            pendingLabelledBy.append(PendingLabelledBy(target: .named, index: frame.named, ids: ids))
        }
        if role == .img {  // (named by attributes only: axe role-img-alt)
            model.namedElements[Int(frame.named)].snippet = makeSnippet(name, atts)
            return
        }
        if frame.snippetStart < 0 {
            buildSnippet(name, atts)
            frame.snippetStart = Int32(anchorSnippets.count)
            frame.snippetCount = Int32(snippet.count)
            anchorSnippets.append(snippet.base, snippet.count)
        }
        if frame.nameStart < 0 { beginCapture(&frame) }
    }

    // MARK: - Events

    func startElement(_ name: UnsafePointer<UInt8>, _ atts: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        let tag = Tag.of(name)
        // Attributes into slots.
        mask = 0
        var repeatAttribute: StaticString?
        var boundText = false
        if let atts {
            var i = 0
            while let an = atts[i] {
                let slot = Attr.slot(an)
                if slot >= 0 {
                    slots[slot] = atts[i + 1].map { UnsafePointer($0) } ?? UnsafePointer(emptyCString)
                    mask |= 1 << UInt32(slot)
                } else if let r = ScriptFill.repeatAttribute(an) {
                    repeatAttribute = r
                } else if ScriptFill.isTextBinding(an) {
                    boundText = true
                }
                i += 2
            }
        }

        let parent = frames.last
        var frame = ElementFrame(
            tag: tag, region: parent?.region ?? .unknown, hidden: parent?.hidden ?? false,
            listFromDiv: parent?.listFromDiv ?? false, list: parent?.list ?? -1,
            listDivDepth: parent?.listDivDepth ?? -1)

        if mask != 0 {
            if has(.hidden) { frame.hidden = true }
            if let v = attr(.ariaHidden), equalsLower(v, "true") { frame.hidden = true }
            if let v = attr(.style), styleHides(v) { frame.hidden = true }
            if let id = attr(.id), id[0] != 0 {
                frame.idSlot = Int32(ids.count)
                ids.append(IDRecord(id: UTF8String.trusted(cString: id), start: Int32(text.count), end: -1))
            }
            if nameCapture > 0, let label = string(.ariaLabel), !label.isBlank { addChildName(label, hidden: frame.hidden) }
        }

        // Region and list membership.
        var words = RegionWords()
        var ownRegion: Region?
        switch tag {
        case .header: ownRegion = .header
        case .footer: ownRegion = .footer
        case .nav: ownRegion = .nav
        case .main: ownRegion = .main
        case .aside: ownRegion = .aside
        default: break
        }
        if tag.isContainer && (has(.id) || has(.klass)) {
            if let v = attr(.id) { words.scan(v) }
            if let v = attr(.klass) { words.scan(v) }
            if ownRegion == nil { ownRegion = words.region(inside: frame.region) }
        }
        if let r = attr(.role), let landmark = Region(role: r) { ownRegion = landmark }
        if let ownRegion { frame.region = ownRegion }
        if let repeatAttribute, PageBuilder.mayHoldLists(frame.region) {
            noteScriptFill(ScriptFill(sign: .template, detail: repeatAttribute.description))
        }

        switch tag {
        case .ul, .ol, .dl, .table:
            // Groups of a list-named div close above (pingtan: 15 `ul`s of 5 items in
            // `div.list_base`) are one list; otherwise the innermost container wins.
            if !frame.listFromDiv || frame.list < 0 || Int32(frames.count) - frame.listDivDepth > 3 {
                frame.list = nextList; nextList += 1
            }
            frame.listFromDiv = false
        case .li, .td, .th, .dt, .dd:
            // A list-named div inside an item starts its own list.
            frame.listFromDiv = false
        default:
            if words.listy && (tag == .div || tag == .section) {
                frame.list = nextList; nextList += 1
                frame.listFromDiv = true
                frame.listDivDepth = Int32(frames.count)
            }
        }
        // (A bare table is layout as often as a list: only a list-named one counts.)
        if tag == .ul || tag == .ol || (words.listy && (tag == .div || tag == .section || tag == .table)) {
            frame.listAnchors = anchorsSeen
            frame.listScripts = scriptSourcesSeen
            frame.listText = Int32(truncatingIfNeeded: text.count)
        }

        if tag.isBlock {
            flush()
            blockStack.append(
                BlockContext(
                    tag: tag, region: frame.region, list: frame.list,
                    depth: Int32(frames.count), hidden: frame.hidden))
        }

        switch tag {
        case .other, .div, .li, .p, .tr, .ul, .ol, .dl, .section, .article, .header, .footer, .nav, .main, .aside,
            .tbody, .pre, .address, .center, .caption, .dt, .dd, .figure, .figcaption, .blockquote, .fieldset,
            .legend, .menu, .body, .head, .option, .table:
            break
        case .td, .th:
            text.separate()
        case .br:
            text.separate()
            if nameCapture > 0 { names.separate() }
        case .html:
            if !langSeen {
                langSeen = true
                model.lang = string(.lang)
                model.xmlLang = string(.xmlLang)
            }
        case .title:
            skipText += 1
            if !titleSeen { inTitle = true }
        case .meta:
            model.metas.append(
                Meta(
                    name: string(.name), httpEquiv: string(.httpEquiv), property: string(.property),
                    content: string(.content), charset: string(.charset)))
        case .base:
            if model.baseHref == nil, let h = trimmed(.href) { model.baseHref = h }
        case .link:
            if !model.widthMediaQuery, let media = attr(.media),
                PageBuilder.mediaOnWidth(media, strlen(UnsafeRawPointer(media).assumingMemoryBound(to: CChar.self)))
            {
                model.widthMediaQuery = true
            }
            if let href = linkTarget(.href) {
                // (No snippet: only links without text, images, frames, controls and headings are reported with one.)
                addLink(
                    Link(
                        href: href, kind: .link, title: string(.title), rel: string(.rel), region: frame.region,
                        hidden: frame.hidden))
            }
        case .script:
            scriptsSeen += 1
            if let src = linkTarget(.src) {
                scriptSourcesSeen += 1
                addLink(Link(href: src, kind: .script, region: frame.region, hidden: frame.hidden))
            } else if !has(.src) {
                inScript = true
                scriptKind = InlineScriptKind.of(type: attr(.type))
                scriptText.count = 0
            }
        case .style, .noscript, .template, .textarea, .select:
            if tag == .textarea || tag == .select { addControl(tag, name, atts, frame) }
            if tag == .style && !model.widthMediaQuery { inStyle = true }
            if tag != .select { skipText += 1 }
        case .a:
            anchorsSeen += 1
            if let href = linkTarget(.href) {
                let index = addLink(
                    Link(
                        href: href, kind: .a, title: string(.title), ariaLabel: string(.ariaLabel),
                        rel: string(.rel), role: string(.role), region: frame.region,
                        hidden: frame.hidden))
                // The opening tag, for a link that turns out to have no name: a title or
                // aria-label that is not blank names it whatever its text (a portal titles
                // about 40% of its anchors), and the tag is not copied.
                if !(PageBuilder.nonBlank(attr(.title)) || PageBuilder.nonBlank(attr(.ariaLabel))) {
                    buildSnippet(name, atts)
                    frame.snippetStart = Int32(anchorSnippets.count)
                    frame.snippetCount = Int32(snippet.count)
                    anchorSnippets.append(snippet.base, snippet.count)
                }
                if let ids = string(.ariaLabelledby) {
                    pendingLabelledBy.append(PendingLabelledBy(target: .link, index: Int32(index), ids: ids))
                }
                frame.pending = Int32(index)
                openAnchors += 1
                beginCapture(&frame)
            } else if has(.href) {  // `#`, `javascript:`, `mailto:` …: still a link to name (axe link-name: a[href])
                openNamed(.link, &frame, name, atts)
            }
        case .area:
            if has(.href) {
                let snip = makeSnippet(name, atts)
                let alt = string(.alt)
                if let href = linkTarget(.href) {
                    addLink(
                        Link(
                            href: href, kind: .area, text: alt ?? "", title: string(.title),
                            ariaLabel: string(.ariaLabel), rel: string(.rel), role: string(.role),
                            region: frame.region, snippet: snip, hidden: frame.hidden))
                }
                addImage(src: trimmed(.href) ?? "", alt: alt, element: .area, frame: frame, snippet: snip)
            }
        case .img:
            let snip = makeSnippet(name, atts)
            if let src = linkTarget(.src) {
                addLink(
                    Link(
                        href: src, kind: .img, title: string(.title), region: frame.region, snippet: snip,
                        hidden: frame.hidden))
            }
            let alt = attr(.alt)
            addImage(
                src: trimmed(.src) ?? "", alt: alt.map { UTF8String.trusted(cString: $0) }, element: .img, frame: frame,
                snippet: snip)
            if nameCapture > 0, skipText == 0, captureHidden || !frame.hidden {
                if let alt {
                    var n = 0
                    while alt[n] != 0 { n += 1 }
                    names.appendCollapsed(alt, n)
                } else if let title = string(.title), !title.isBlank {
                    addChildName(title, hidden: frame.hidden)
                }
            }
        case .input:
            addControl(tag, name, atts, frame)
        case .button:
            frame.pending = Int32(addControl(tag, name, atts, frame))
            beginCapture(&frame)
        case .label:
            frame.pending = Int32(labels.count)
            labels.append(LabelContext(forID: trimmed(.htmlFor), controls: []))
            beginCapture(&frame)
        case .iframe, .frame:
            let snip = makeSnippet(name, atts)
            var f = Frame(
                src: trimmed(.src) ?? "", title: string(.title), element: tag == .frame ? .frame : .iframe, snippet: snip,
                ariaLabel: string(.ariaLabel), region: frame.region, hidden: frame.hidden)
            f.accessibleName = AccessibleName.of(ariaLabel: f.ariaLabel, title: f.title)
            f.role = string(.role)
            f.tabIndex = tabIndex()
            if let ids = string(.ariaLabelledby) {
                pendingLabelledBy.append(PendingLabelledBy(target: .frame, index: Int32(model.frames.count), ids: ids))
            }
            model.frames.append(f)
            if let src = linkTarget(.src) {
                addLink(
                    Link(
                        href: src, kind: tag == .iframe ? .iframe : .frame, title: string(.title),
                        region: frame.region, snippet: snip, hidden: frame.hidden))
            }
        case .source:
            if let src = linkTarget(.src) {
                addLink(Link(href: src, kind: .source, region: frame.region, hidden: frame.hidden))
            }
        case .form:
            if let action = linkTarget(.action) {
                addLink(Link(href: action, kind: .form, region: frame.region, hidden: frame.hidden))
            }
            let label = [string(.role), string(.id), string(.klass), string(.name)].compactMap { $0 }.joined(separator: " ")
            openForm = model.forms.count
            model.forms.append(
                Form(
                    action: trimmed(.action) ?? "", method: trimmed(.method)?.lowercased() ?? "get",
                    label: label.lowercased(), region: frame.region))
        case .h1, .h2, .h3, .h4, .h5, .h6:
            frame.pending = Int32(model.headings.count)
            var h = Heading(
                level: tag.headingLevel, text: "", region: frame.region, snippet: makeSnippet(name, atts),
                hidden: frame.hidden)
            h.role = string(.role)
            model.headings.append(h)
            frame.openName = Int32(openNames.count)
            openNames.append(OpenName(ariaLabel: string(.ariaLabel), title: string(.title)))
            if let ids = string(.ariaLabelledby) {
                pendingLabelledBy.append(PendingLabelledBy(target: .heading, index: frame.pending, ids: ids))
            }
            beginCapture(&frame)
        }
        // An element that ARIA makes a link, button, image or heading, unless it names itself.
        if mask & (1 << UInt32(Attr.role.rawValue)) != 0, frame.named < 0, let role = namedRole() {
            switch tag {
            case .a where has(.href): break
            case .area, .img, .input, .button, .select, .textarea, .iframe, .frame, .fieldset, .figure, .table: break
            case _ where role == .heading && tag.headingLevel > 0: break
            case .other
            where strcmp(name, "svg") == 0 || strcmp(name, "summary") == 0 || strcmp(name, "output") == 0
                || strcmp(name, "object") == 0:
                break
            default: openNamed(role, &frame, name, atts)
            }
        }
        frames.append(frame)
        // Text or a title bound to data by a template names what is being captured (this
        // element, or the link or button it sits in) once a browser has rendered it.
        if boundText && nameCapture > 0 { addChildName(ScriptFill.boundName, hidden: frame.hidden) }
    }

    @discardableResult
    private func addLink(_ link: consuming Link) -> Int {
        let index = model.links.count
        model.links.append(consume link)  // moved in, not copied
        // Links outside any block (in <head>) belong to no block.
        if blockStack.isEmpty { linkFlushPos = model.links.count }
        return index
    }

    private func addImage(src: String, alt: String?, element: ImageElement, frame: ElementFrame, snippet: String) {
        let index = model.images.count
        var image = Image(
            src: src, alt: alt, role: string(.role), title: string(.title), ariaLabel: string(.ariaLabel),
            element: element, region: frame.region, snippet: snippet, hidden: frame.hidden)
        // (An image input's name, which its <label> may give, is its control's: set in `finish`.)
        if element != .input { image.accessibleName = AccessibleName.of(ariaLabel: image.ariaLabel, native: alt, title: image.title) }
        model.images.append(image)
        if let ids = string(.ariaLabelledby) {
            pendingLabelledBy.append(PendingLabelledBy(target: .image, index: Int32(index), ids: ids))
        }
    }

    @discardableResult
    private func addControl(
        _ tag: Tag, _ name: UnsafePointer<UInt8>,
        _ atts: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, _ frame: ElementFrame
    ) -> Int {
        var type = ""
        if tag == .input {
            type = trimmed(.type)?.lowercased() ?? "text"
            if type.isEmpty { type = "text" }
        } else if tag == .button {
            type = trimmed(.type)?.lowercased() ?? "submit"
        }
        let snip = makeSnippet(name, atts)
        let index = model.controls.count
        let hidden = frame.hidden || type == "hidden"
        model.controls.append(
            FormControl(
                element: tag == .select ? .select : tag == .textarea ? .textarea : tag == .button ? .button : .input, type: type, id: string(.id),
                name: string(.name),
                region: frame.region, snippet: snip, hidden: hidden))
        controlInfo.append(
            ControlInfo(
                ariaLabel: string(.ariaLabel), labelledBy: string(.ariaLabelledby),
                title: string(.title), placeholder: string(.placeholder),
                value: string(.value), alt: string(.alt), text: nil, wrappingLabel: nil,
                id: trimmed(.id)))
        if !labels.isEmpty { labels[labels.count - 1].controls.append(index) }
        if openForm >= 0, tag == .input, let field = trimmed(.name), !field.isEmpty {
            if type == "text" || type == "search" {
                model.forms[openForm].textFields.append(field)
            } else if type == "hidden", model.forms[openForm].hiddenFields.count < 8 {
                model.forms[openForm].hiddenFields.append(FormValue(name: field, value: string(.value) ?? ""))
            }
        }
        if type == "image" {
            controlInfo[index].image = model.images.count
            addImage(src: trimmed(.src) ?? "", alt: string(.alt), element: .input, frame: frame, snippet: snip)
            if let src = linkTarget(.src) {
                addLink(Link(href: src, kind: .img, region: frame.region, snippet: snip, hidden: hidden))
            }
        }
        return index
    }

    func endElement() {
        guard let frame = frames.popLast() else { return }
        // The captured visible text, and the content that names the element: the text, or
        // else a child's own name.
        var captured = "", content: String?
        if frame.nameStart >= 0 {
            let child = frame.childName >= 0 ? childNames[Int(frame.childName)] : nil  // (before endCapture clears them)
            captured = endCapture(frame)
            content = captured.isBlank && child != nil ? child : captured
        }
        // The opening tag kept in `anchorSnippets`, for an element that turned out to have no name.
        func lazySnippet() -> String {
            frame.snippetStart < 0 ? "" : snippetString(anchorSnippets.base + Int(frame.snippetStart), Int(frame.snippetCount))
        }
        if frame.named >= 0 {
            let i = Int(frame.named), o = openNames[Int(frame.openName)]
            let name = AccessibleName.of(ariaLabel: o.ariaLabel, content: content, title: o.title)
            model.namedElements[i].accessibleName = name
            if name == nil, model.namedElements[i].snippet.isEmpty { model.namedElements[i].snippet = lazySnippet() }
        }
        switch frame.tag {
        case .a:
            if frame.pending >= 0 {
                let i = Int(frame.pending)
                let name = AccessibleName.of(ariaLabel: model.links[i].ariaLabel, content: content, title: model.links[i].title)
                if name == nil { model.links[i].snippet = lazySnippet() }  // (as the link-text rule reads it)
                model.links[i].text = captured
                model.links[i].accessibleName = name
                openAnchors -= 1
            }
        case .h1, .h2, .h3, .h4, .h5, .h6:
            let o = openNames[Int(frame.openName)]
            model.headings[Int(frame.pending)].text = captured
            model.headings[Int(frame.pending)].accessibleName = AccessibleName.of(ariaLabel: o.ariaLabel, content: content, title: o.title)
        case .button:
            controlInfo[Int(frame.pending)].text = content
        case .label:
            let labelText = captured
            if let label = labels.popLast() {
                if let forID = label.forID, !forID.isEmpty, labelFor[forID] == nil { labelFor[forID] = labelText }
                for c in label.controls where controlInfo[c].wrappingLabel == nil {
                    controlInfo[c].wrappingLabel = labelText
                }
            }
        case .title:
            skipText -= 1
            if inTitle {
                inTitle = false
                titleSeen = true
                model.title = titleText.string(from: 0)
            }
        case .style, .noscript, .template, .textarea:
            skipText -= 1
            if frame.tag == .style { inStyle = false }
        case .form:
            openForm = -1
        case .td, .th:
            text.separate()
        case .script:
            if inScript {
                inScript = false
                if PageBuilder.mayHoldLists(frame.region), !(readsIslands && readDataIsland(kind: scriptKind)),
                    let sign = ScriptFill.scriptSign(scriptText.base, scriptText.count, kind: scriptKind)
                {
                    noteScriptFill(sign)
                }
                if !model.mobileRedirectScript, PageBuilder.isMobileRedirect(scriptText.base, scriptText.count) {
                    model.mobileRedirectScript = true
                }
            }
        default:
            break
        }
        if frame.listAnchors >= 0 { endListContainer(frame) }
        if frame.openName >= 0 { openNames.removeLast() }
        if nameCapture == 0 { anchorSnippets.count = 0 }
        if frame.idSlot >= 0 { ids[Int(frame.idSlot)].end = Int32(text.count) }
        if frame.tag.isBlock {
            flush()
            blockStack.removeLast()
        }
    }

    @inline(__always)
    func characters(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if skipText == 0 {
            text.appendCollapsed(p, n)
            if nameCapture > 0 && (captureHidden || !frames[frames.count - 1].hidden) { names.appendCollapsed(p, n) }
            // A `{{…}}` placeholder in a list: a template left unrendered (memchr first: rare).
            if memchr(p, 0x7B, n) != nil, let f = frames.last, f.list >= 0, f.list != placeholderList,
                PageBuilder.mayHoldLists(f.region), ScriptFill.hasPlaceholder(p, n)
            {
                placeholderList = f.list  // (a list counts once)
                noteScriptFill(ScriptFill(sign: .template, detail: "{{…}}"))
            }
        } else if inTitle {
            titleText.appendCollapsed(p, n)
        }
    }

    // MARK: - Finish

    /// An inline script's text (libxml2 hands script and style content to `cdataBlock`).
    @inline(__always)
    func scriptCharacters(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if inScript { scriptText.append(p, n) }
        if inStyle, PageBuilder.styleHasWidthQuery(p, n) {
            model.widthMediaQuery = true
            inStyle = false
        }
    }

    /// A script that sends phones elsewhere: it reads `navigator.userAgent`, names a phone
    /// (iPhone, Android, Mobile) and sets the location (`if(/iPhone|Android/i.test(navigator.
    /// userAgent)) location.href = "http://m.…"`). A few memchr passes over the script's bytes.
    static func isMobileRedirect(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard ScriptFill.find(p, n, "userAgent") != nil, ScriptFill.find(p, n, "location") != nil else { return false }
        return ScriptFill.find(p, n, "iPhone") != nil || ScriptFill.find(p, n, "Android") != nil
            || ScriptFill.find(p, n, "Mobile") != nil || ScriptFill.find(p, n, "mobile") != nil
    }

    /// An `@media` rule in style text whose condition (up to its `{`) names a width. One
    /// pass over the bytes; a rule split between two of libxml2's chunks is missed (style
    /// elements come in one chunk in practice).
    static func styleHasWidthQuery(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i + 6 <= n {
            guard let at = memchr(p + i, 0x40, n - i) else { return false }  // '@'
            let j = p.distance(to: at.assumingMemoryBound(to: UInt8.self))
            i = j + 1
            guard j + 6 <= n, memcmp(p + j + 1, "media", 5) == 0 else { continue }
            var end = j + 6
            while end < n && end - j < 300 && p[end] != 0x7B { end += 1 }  // '{'
            if mediaOnWidth(p + j + 6, end - j - 6) { return true }
        }
        return false
    }

    /// A media condition that names a width (`max-width`, `min-device-width`, `width <= 768px`).
    static func mediaOnWidth(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n >= 5 else { return false }
        for k in 0...(n - 5) where p[k] | 0x20 == 0x77 {  // 'w'
            if p[k + 1] | 0x20 == 0x69 && p[k + 2] | 0x20 == 0x64 && p[k + 3] | 0x20 == 0x74 && p[k + 4] | 0x20 == 0x68 { return true }
        }
        return false
    }

    func finish() -> PageModel {
        while !frames.isEmpty { endElement() }
        flush()
        model.allText = text.string(from: 0)
        noteEmptyBody()

        // Ids: duplicates, and text for aria-labelledby.
        var firstByID: [String: Int] = [:]
        firstByID.reserveCapacity(ids.count)
        var duplicates: [String] = []
        var seenDuplicate = Set<String>()
        for (i, rec) in ids.enumerated() {
            if firstByID[rec.id] == nil {
                firstByID[rec.id] = i
            } else if seenDuplicate.insert(rec.id).inserted {
                duplicates.append(rec.id)
            }
        }
        model.duplicateIDs = duplicates

        func textOf(ids list: String) -> String? {
            var parts: [String] = []
            for id in list.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
                guard let i = firstByID[String(id)] else { continue }
                let rec = ids[i]
                let end = rec.end < 0 ? text.count : Int(rec.end)
                let s = text.string(from: Int(rec.start), to: end)
                if !s.isEmpty { parts.append(s) }
            }
            return parts.isEmpty ? nil : parts.joined(separator: " ")
        }

        // aria-labelledby comes first in the name: it replaces the name set when the element closed.
        for p in pendingLabelledBy {
            let resolved = textOf(ids: p.ids)
            let name = AccessibleName.of(labelledBy: resolved)
            let i = Int(p.index)
            switch p.target {
            case .link:
                model.links[i].labelledByText = resolved
                if name != nil { model.links[i].accessibleName = name }
            case .image:
                model.images[i].labelledByText = resolved
                if name != nil { model.images[i].accessibleName = name }
            case .frame: if name != nil { model.frames[i].accessibleName = name }
            case .heading: if name != nil { model.headings[i].accessibleName = name }
            case .named: if name != nil { model.namedElements[i].accessibleName = name }
            case .control: break
            }
        }

        // Accessible names of controls. Every control may be named by its <label> (axe's
        // implicit-label and explicit-label checks accept one for buttons and image inputs too).
        func present(_ s: String?) -> String? { s.flatMap { $0.isBlank ? nil : $0 } }
        for i in model.controls.indices {
            let info = controlInfo[i]
            let c = model.controls[i]
            let label = present(info.id.flatMap { labelFor[$0] }) ?? present(info.wrappingLabel)
            var native = label, content: String?
            switch (c.element, c.type) {
            case (.button, _):
                content = info.text
            case (.input, "submit"), (.input, "reset"), (.input, "button"):
                // Browsers show a default caption when there is no value; axe counts it.
                let caption = info.value == nil ? (c.type == "submit" ? "Submit" : c.type == "reset" ? "Reset" : nil) : nil
                native = present(info.value) ?? label ?? caption
            case (.input, "image"):
                native = present(info.alt) ?? label
            default:
                break
            }
            let name = AccessibleName.of(
                labelledBy: info.labelledBy.flatMap { textOf(ids: $0) }, ariaLabel: info.ariaLabel,
                native: native, content: content, title: info.title,
                placeholder: c.element == .button ? nil : info.placeholder)
            model.controls[i].accessibleName = name
            if info.image >= 0 { model.images[info.image].accessibleName = name }
        }
        return model
    }
}
