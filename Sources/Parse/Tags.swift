/// Element names the parser acts on, recognised from libxml2's lowercased C names
/// without making Strings: the first 8 bytes are packed into a UInt64 and switched on.
enum Tag: UInt8 {
    case other, html, head, title, body, meta, base, link, script, style, noscript, template
    case a, area, img, input, select, textarea, button, label, iframe, frame, source, form
    case h1, h2, h3, h4, h5, h6, p, li, td, th, tr, dt, dd, div, section, article
    case header, footer, nav, main, aside, ul, ol, dl, table, pre, address, center, caption, br
    case option, fieldset, legend, figure, figcaption, blockquote, tbody, menu

    @inline(__always)
    static func of(_ p: UnsafePointer<UInt8>) -> Tag {
        let (v, n) = packName(p)
        if n > 8 {
            if n == 10 {
                if v == 0x6F75716B636F6C62, p[8] == 0x74, p[9] == 0x65 { return .blockquote }  // "blockquo" "te"
                if v == 0x6974706163676966, p[8] == 0x6F, p[9] == 0x6E { return .figcaption }  // "figcapti" "on"
            }
            return .other
        }
        switch v {
        case 0x0000000000000061: return .a
        case 0x0000000000766964: return .div
        case 0x000000000000696C: return .li
        case 0x000000006E617073: return .other  // span: the most common inline element
        case 0x0000000000000070: return .p
        case 0x0000000000006474: return .td
        case 0x0000000000007274: return .tr
        case 0x0000000000676D69: return .img
        case 0x0000000000007262: return .br
        case 0x0000000000006C75: return .ul
        case 0x000000006C6D7468: return .html
        case 0x0000000064616568: return .head
        case 0x000000656C746974: return .title
        case 0x0000000079646F62: return .body
        case 0x000000006174656D: return .meta
        case 0x0000000065736162: return .base
        case 0x000000006B6E696C: return .link
        case 0x0000747069726373: return .script
        case 0x000000656C797473: return .style
        case 0x7470697263736F6E: return .noscript
        case 0x6574616C706D6574: return .template
        case 0x0000000061657261: return .area
        case 0x0000007475706E69: return .input
        case 0x00007463656C6573: return .select
        case 0x6165726174786574: return .textarea
        case 0x00006E6F74747562: return .button
        case 0x0000006C6562616C: return .label
        case 0x0000656D61726669: return .iframe
        case 0x000000656D617266: return .frame
        case 0x0000656372756F73: return .source
        case 0x000000006D726F66: return .form
        case 0x0000000000003168: return .h1
        case 0x0000000000003268: return .h2
        case 0x0000000000003368: return .h3
        case 0x0000000000003468: return .h4
        case 0x0000000000003568: return .h5
        case 0x0000000000003668: return .h6
        case 0x0000000000006874: return .th
        case 0x0000000000007464: return .dt
        case 0x0000000000006464: return .dd
        case 0x006E6F6974636573: return .section
        case 0x00656C6369747261: return .article
        case 0x0000726564616568: return .header
        case 0x00007265746F6F66: return .footer
        case 0x000000000076616E: return .nav
        case 0x000000006E69616D: return .main
        case 0x0000006564697361: return .aside
        case 0x0000000000006C6F: return .ol
        case 0x0000000000006C64: return .dl
        case 0x000000656C626174: return .table
        case 0x0000000000657270: return .pre
        case 0x0073736572646461: return .address
        case 0x00007265746E6563: return .center
        case 0x006E6F6974706163: return .caption
        case 0x00006E6F6974706F: return .option
        case 0x746573646C656966: return .fieldset
        case 0x0000646E6567656C: return .legend
        case 0x0000657275676966: return .figure
        case 0x00000079646F6274: return .tbody
        case 0x00000000756E656D: return .menu
        default: return .other
        }
    }

    /// Elements whose text forms its own `TextBlock`. Table cells are not blocks: a row
    /// (`tr`) is, so a list row's title and date stay together.
    var isBlock: Bool {
        switch self {
        case .p, .li, .tr, .dt, .dd, .h1, .h2, .h3, .h4, .h5, .h6, .div, .section, .article, .header, .footer,
            .nav, .main, .aside, .pre, .address, .center, .caption, .blockquote, .figure, .figcaption,
            .fieldset, .legend, .form, .body:
            return true
        default: return false
        }
    }

    /// Elements whose id/class words may name a page region or a list.
    var isContainer: Bool {
        switch self {
        case .div, .section, .article, .header, .footer, .nav, .main, .aside, .ul, .ol, .dl, .table, .tbody,
            .tr, .td, .p, .center, .form, .menu, .dd, .dt, .li:
            return true
        default: return false
        }
    }

    var headingLevel: Int {
        switch self {
        case .h1: return 1
        case .h2: return 2
        case .h3: return 3
        case .h4: return 4
        case .h5: return 5
        case .h6: return 6
        default: return 0
        }
    }

    var name: String {
        switch self {
        case .other: return "other"
        case .html: return "html"
        case .head: return "head"
        case .title: return "title"
        case .body: return "body"
        case .meta: return "meta"
        case .base: return "base"
        case .link: return "link"
        case .script: return "script"
        case .style: return "style"
        case .noscript: return "noscript"
        case .template: return "template"
        case .a: return "a"
        case .area: return "area"
        case .img: return "img"
        case .input: return "input"
        case .select: return "select"
        case .textarea: return "textarea"
        case .button: return "button"
        case .label: return "label"
        case .iframe: return "iframe"
        case .frame: return "frame"
        case .source: return "source"
        case .form: return "form"
        case .h1: return "h1"
        case .h2: return "h2"
        case .h3: return "h3"
        case .h4: return "h4"
        case .h5: return "h5"
        case .h6: return "h6"
        case .p: return "p"
        case .li: return "li"
        case .td: return "td"
        case .th: return "th"
        case .tr: return "tr"
        case .dt: return "dt"
        case .dd: return "dd"
        case .div: return "div"
        case .section: return "section"
        case .article: return "article"
        case .header: return "header"
        case .footer: return "footer"
        case .nav: return "nav"
        case .main: return "main"
        case .aside: return "aside"
        case .ul: return "ul"
        case .ol: return "ol"
        case .dl: return "dl"
        case .table: return "table"
        case .pre: return "pre"
        case .address: return "address"
        case .center: return "center"
        case .caption: return "caption"
        case .br: return "br"
        case .option: return "option"
        case .fieldset: return "fieldset"
        case .legend: return "legend"
        case .figure: return "figure"
        case .figcaption: return "figcaption"
        case .blockquote: return "blockquote"
        case .tbody: return "tbody"
        case .menu: return "menu"
        }
    }
}

/// The attributes the parser keeps, as slots of a reusable table.
enum Attr: Int {
    case href, src, alt, title, id, klass, style, hidden, ariaHidden, ariaLabel, ariaLabelledby, rel, role
    case type, name, value, placeholder, htmlFor, lang, xmlLang, content, httpEquiv, property, charset, action
    case tabindex, method, media
    static let count = 28

    /// The slot for a lowercased attribute name, -1 when it is not kept.
    @inline(__always)
    static func slot(_ p: UnsafePointer<UInt8>) -> Int {
        let (v, n) = packName(p)
        switch v {
        case 0x0000000066657268: return Attr.href.rawValue
        case 0x0000000000637273: return Attr.src.rawValue
        case 0x0000000000746C61: return Attr.alt.rawValue
        case 0x000000656C746974: return Attr.title.rawValue
        case 0x0000000000006469: return Attr.id.rawValue
        case 0x0000007373616C63: return Attr.klass.rawValue
        case 0x000000656C797473: return Attr.style.rawValue
        case 0x00006E6564646968: return Attr.hidden.rawValue
        case 0x6469682D61697261: return n == 11 && tail(p, "den") ? Attr.ariaHidden.rawValue : -1
        case 0x62616C2D61697261:
            if n == 10 && tail(p, "el") { return Attr.ariaLabel.rawValue }
            if n == 15 && tail(p, "elledby") { return Attr.ariaLabelledby.rawValue }
            return -1
        case 0x00000000006C6572: return Attr.rel.rawValue
        case 0x00000000656C6F72: return Attr.role.rawValue
        case 0x0000000065707974: return Attr.type.rawValue
        case 0x00000000656D616E: return Attr.name.rawValue
        case 0x00000065756C6176: return Attr.value.rawValue
        case 0x6C6F686563616C70: return n == 11 && tail(p, "der") ? Attr.placeholder.rawValue : -1
        case 0x0000000000726F66: return Attr.htmlFor.rawValue
        case 0x00000000676E616C: return Attr.lang.rawValue
        case 0x676E616C3A6C6D78: return n == 8 ? Attr.xmlLang.rawValue : -1
        case 0x00746E65746E6F63: return Attr.content.rawValue
        case 0x7571652D70747468: return n == 10 && tail(p, "iv") ? Attr.httpEquiv.rawValue : -1
        case 0x79747265706F7270: return n == 8 ? Attr.property.rawValue : -1
        case 0x0074657372616863: return Attr.charset.rawValue
        case 0x00006E6F69746361: return Attr.action.rawValue
        case 0x7865646E69626174: return n == 8 ? Attr.tabindex.rawValue : -1
        case 0x0000646F6874656D: return Attr.method.rawValue
        case 0x000000616964656D: return Attr.media.rawValue
        default: return -1
        }
    }

    @inline(__always)
    private static func tail(_ p: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
        let t = s.utf8Start
        for i in 0..<s.utf8CodeUnitCount where p[8 + i] != t[i] { return false }
        return true
    }
}

/// The first 8 bytes of a NUL-terminated name packed little-endian, and the length
/// (counted on to 9 and beyond only when needed; names of 8 bytes or fewer pack exactly).
@inline(__always)
func packName(_ p: UnsafePointer<UInt8>) -> (UInt64, Int) {
    var v: UInt64 = 0
    var i = 0
    while i < 8 {
        let c = p[i]
        if c == 0 { return (v, i) }
        v |= UInt64(c) &<< UInt64(i &* 8)
        i += 1
    }
    var n = 8
    while p[n] != 0, n < 64 { n += 1 }
    return (v, n)
}
