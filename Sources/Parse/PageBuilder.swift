/// Builds a `PageModel` from libxml2 SAX events. One builder per parse; it lives only
/// inside `PageParser.parse`. Hot paths work on C bytes: element and attribute names
/// are never turned into Strings, text is collapsed into reusable byte buffers and
/// becomes one String per block.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    enum LabelTarget: UInt8 { case link, image, control }

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

    // Script-filled lists (`ScriptFill`): an inline script's text is kept until its end tag.
    @exclusivity(unchecked) var scriptText = ByteBuffer(capacity: 256)
    @exclusivity(unchecked) var inScript = false
    @exclusivity(unchecked) var scriptKind = InlineScriptKind.code
    @exclusivity(unchecked) var anchorsSeen: Int32 = 0
    @exclusivity(unchecked) var scriptsSeen: Int32 = 0
    @exclusivity(unchecked) var scriptSourcesSeen: Int32 = 0
    @exclusivity(unchecked) var placeholderList: Int32 = -1

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
            || startsWithLower(q, n, "data:") { return nil }
        return UTF8String.trusted(q, n)
    }

    @inline(__always)
    private func startsWithLower(_ p: UnsafePointer<UInt8>, _ n: Int, _ s: StaticString) -> Bool {
        let k = s.utf8CodeUnitCount
        guard n >= k else { return false }
        let t = s.utf8Start
        for i in 0 ..< k {
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
        for j in 0 ..< k {
            var c = p[i + j]
            if c == 0 { return false }
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != t[j] { return false }
        }
        var e = i + k
        while TextDecoding.isSpace(p[e]) { e += 1 }
        return p[e] == 0
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
        for j in 0 ..< name.utf8CodeUnitCount {
            let c = p[i]
            if c == 0 || (c | 0x20) != n[j] { return false }
            i += 1
        }
        while p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        guard p[i] == UInt8(ascii: ":") else { return false }
        i += 1
        while p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        let v = value.utf8Start
        for j in 0 ..< value.utf8CodeUnitCount {
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
                        for j in 0 ..< n {
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
            return UTF8String.make(base, count)   // (checked: a value in it may be cut)
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
        let block = TextBlock(tag: ctx.tag.name, text: hasText ? text.string(from: start) : "",
                              region: ctx.region, list: Int(ctx.list), firstLink: linkFlushPos,
                              linkCount: linkEnd - linkFlushPos, depth: Int(ctx.depth), hidden: ctx.hidden,
                              textStart: start)
        model.blocks.append(block)
        if linkFlushPos < linkEnd {
            for i in linkFlushPos ..< linkEnd { model.links[i].block = index }
        }
        linkFlushPos = linkEnd
        text.separate()
        textFlushPos = text.count
    }

    // MARK: - Names

    @inline(__always)
    func beginCapture(_ frame: inout ElementFrame) {
        frame.nameStart = Int32(names.count)
        nameCapture += 1
    }

    func endCapture(_ frame: ElementFrame) -> String {
        let s = names.string(from: Int(frame.nameStart))
        nameCapture -= 1
        if nameCapture == 0 { names.count = 0 } else { names.separate() }
        return s
    }

    // MARK: - Events

    func startElement(_ name: UnsafePointer<UInt8>, _ atts: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        let tag = Tag.of(name)
        // Attributes into slots.
        mask = 0
        var repeatAttribute: StaticString?
        if let atts {
            var i = 0
            while let an = atts[i] {
                let slot = Attr.slot(an)
                if slot >= 0 {
                    slots[slot] = atts[i + 1].map { UnsafePointer($0) } ?? UnsafePointer(emptyCString)
                    mask |= 1 << UInt32(slot)
                } else if let r = ScriptFill.repeatAttribute(an) {
                    repeatAttribute = r
                }
                i += 2
            }
        }

        let parent = frames.last
        var frame = ElementFrame(tag: tag, region: parent?.region ?? .unknown, hidden: parent?.hidden ?? false,
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
            blockStack.append(BlockContext(tag: tag, region: frame.region, list: frame.list,
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
                model.lang = string(.lang) ?? string(.xmlLang)
            }
        case .title:
            skipText += 1
            if !titleSeen { inTitle = true }
        case .meta:
            model.metas.append(Meta(name: string(.name), httpEquiv: string(.httpEquiv), property: string(.property),
                                    content: string(.content), charset: string(.charset)))
        case .base:
            if model.baseHref == nil, let h = trimmed(.href) { model.baseHref = h }
        case .link:
            if let href = linkTarget(.href) {
                // (No snippet: only links without text, images, frames, controls and headings are reported with one.)
                addLink(Link(href: href, kind: .link, title: string(.title), rel: string(.rel), region: frame.region,
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
            if tag != .select { skipText += 1 }
        case .a:
            anchorsSeen += 1
            if let href = linkTarget(.href) {
                let index = addLink(Link(href: href, kind: .a, title: string(.title), ariaLabel: string(.ariaLabel),
                                         rel: string(.rel), role: string(.role), region: frame.region,
                                         hidden: frame.hidden))
                buildSnippet(name, atts)
                frame.snippetStart = Int32(anchorSnippets.count)
                frame.snippetCount = Int32(snippet.count)
                anchorSnippets.append(snippet.base, snippet.count)
                if let ids = string(.ariaLabelledby) {
                    pendingLabelledBy.append(PendingLabelledBy(target: .link, index: Int32(index), ids: ids))
                }
                frame.pending = Int32(index)
                openAnchors += 1
                beginCapture(&frame)
            }
        case .area:
            if has(.href) {
                let snip = makeSnippet(name, atts)
                let alt = string(.alt)
                if let href = linkTarget(.href) {
                    addLink(Link(href: href, kind: .area, text: alt ?? "", title: string(.title),
                                 ariaLabel: string(.ariaLabel), rel: string(.rel), role: string(.role),
                                 region: frame.region, snippet: snip, hidden: frame.hidden))
                }
                addImage(src: trimmed(.href) ?? "", alt: alt, element: "area", frame: frame, snippet: snip)
            }
        case .img:
            let snip = makeSnippet(name, atts)
            if let src = linkTarget(.src) {
                addLink(Link(href: src, kind: .img, title: string(.title), region: frame.region, snippet: snip,
                             hidden: frame.hidden))
            }
            let alt = attr(.alt)
            addImage(src: trimmed(.src) ?? "", alt: alt.map { UTF8String.trusted(cString: $0) }, element: "img", frame: frame,
                     snippet: snip)
            if nameCapture > 0, let alt, skipText == 0 {
                var n = 0
                while alt[n] != 0 { n += 1 }
                names.appendCollapsed(alt, n)
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
            model.frames.append(Frame(src: trimmed(.src) ?? "", title: string(.title), element: tag.name, snippet: snip,
                                      ariaLabel: string(.ariaLabel), region: frame.region, hidden: frame.hidden))
            if let src = linkTarget(.src) {
                addLink(Link(href: src, kind: tag == .iframe ? .iframe : .frame, title: string(.title),
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
        case .h1, .h2, .h3, .h4, .h5, .h6:
            frame.pending = Int32(model.headings.count)
            model.headings.append(Heading(level: tag.headingLevel, text: "", region: frame.region,
                                          snippet: makeSnippet(name, atts), hidden: frame.hidden))
            beginCapture(&frame)
        }
        frames.append(frame)
    }

    @discardableResult
    private func addLink(_ link: consuming Link) -> Int {
        let index = model.links.count
        model.links.append(consume link)   // moved in, not copied
        // Links outside any block (in <head>) belong to no block.
        if blockStack.isEmpty { linkFlushPos = model.links.count }
        return index
    }

    private func addImage(src: String, alt: String?, element: String, frame: ElementFrame, snippet: String) {
        let index = model.images.count
        model.images.append(Image(src: src, alt: alt, role: string(.role), title: string(.title),
                                  ariaLabel: string(.ariaLabel), element: element, region: frame.region,
                                  snippet: snippet, hidden: frame.hidden))
        if let ids = string(.ariaLabelledby) {
            pendingLabelledBy.append(PendingLabelledBy(target: .image, index: Int32(index), ids: ids))
        }
    }

    @discardableResult
    private func addControl(_ tag: Tag, _ name: UnsafePointer<UInt8>,
                            _ atts: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, _ frame: ElementFrame) -> Int {
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
        model.controls.append(FormControl(element: tag.name, type: type, id: string(.id), name: string(.name),
                                          region: frame.region, snippet: snip, hidden: hidden))
        controlInfo.append(ControlInfo(ariaLabel: string(.ariaLabel), labelledBy: string(.ariaLabelledby),
                                       title: string(.title), placeholder: string(.placeholder),
                                       value: string(.value), alt: string(.alt), text: nil, wrappingLabel: nil,
                                       id: trimmed(.id)))
        if !labels.isEmpty { labels[labels.count - 1].controls.append(index) }
        if type == "image" {
            addImage(src: trimmed(.src) ?? "", alt: string(.alt), element: "input", frame: frame, snippet: snip)
            if let src = linkTarget(.src) {
                addLink(Link(href: src, kind: .img, region: frame.region, snippet: snip, hidden: hidden))
            }
        }
        return index
    }

    func endElement() {
        guard let frame = frames.popLast() else { return }
        switch frame.tag {
        case .a:
            if frame.pending >= 0 {
                let text = endCapture(frame)
                if text.isBlank, frame.snippetStart >= 0 {  // (as the link-text rule reads it)
                    model.links[Int(frame.pending)].snippet = snippetString(anchorSnippets.base + Int(frame.snippetStart),
                                                                            Int(frame.snippetCount))
                }
                model.links[Int(frame.pending)].text = text
                openAnchors -= 1
                if openAnchors == 0 { anchorSnippets.count = 0 }
            }
        case .h1, .h2, .h3, .h4, .h5, .h6:
            model.headings[Int(frame.pending)].text = endCapture(frame)
        case .button:
            controlInfo[Int(frame.pending)].text = endCapture(frame)
        case .label:
            let labelText = endCapture(frame)
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
        case .td, .th:
            text.separate()
        case .script:
            if inScript {
                inScript = false
                if PageBuilder.mayHoldLists(frame.region),
                   let sign = ScriptFill.scriptSign(scriptText.base, scriptText.count, kind: scriptKind) {
                    noteScriptFill(sign)
                }
            }
        default:
            break
        }
        if frame.listAnchors >= 0 { endListContainer(frame) }
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
            if nameCapture > 0 { names.appendCollapsed(p, n) }
            // A `{{…}}` placeholder in a list: a template left unrendered (memchr first: rare).
            if memchr(p, 0x7B, n) != nil, let f = frames.last, f.list >= 0, f.list != placeholderList,
               PageBuilder.mayHoldLists(f.region), ScriptFill.hasPlaceholder(p, n) {
                placeholderList = f.list   // (a list counts once)
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

        for p in pendingLabelledBy {
            let resolved = textOf(ids: p.ids)
            switch p.target {
            case .link: model.links[Int(p.index)].labelledByText = resolved
            case .image: model.images[Int(p.index)].labelledByText = resolved
            case .control: break
            }
        }

        // Accessible names of controls, in accname order.
        func nonEmpty(_ s: String?) -> String? {
            guard let s else { return nil }
            let t = String(s.trimmedSpaces())
            return t.isEmpty ? nil : t
        }
        for i in model.controls.indices {
            let info = controlInfo[i]
            let c = model.controls[i]
            var name = info.labelledBy.flatMap { textOf(ids: $0) }
            if name == nil { name = nonEmpty(info.ariaLabel) }
            switch (c.element, c.type) {
            case ("button", _):
                if name == nil { name = nonEmpty(info.text) }
            case ("input", "submit"), ("input", "reset"), ("input", "button"):
                if name == nil { name = nonEmpty(info.value) }
                if name == nil, info.value == nil {
                    // Browsers show a default caption; axe counts it.
                    if c.type == "submit" { name = "Submit" } else if c.type == "reset" { name = "Reset" }
                }
            case ("input", "image"):
                if name == nil { name = nonEmpty(info.alt) }
            default:
                if name == nil, let id = info.id, !id.isEmpty { name = nonEmpty(labelFor[id]) }
                if name == nil { name = nonEmpty(info.wrappingLabel) }
            }
            if name == nil { name = nonEmpty(info.title) }
            if name == nil, c.element != "button" { name = nonEmpty(info.placeholder) }
            model.controls[i].accessibleName = name
        }
        return model
    }
}

