/// Classifies an element's `id` / `class` words, as Chinese CMS templates write them
/// (`footer`, `foot_nav`, `bottom`, `copyright`, `fwxx` 服务信息, `bq` 版权, `daohang` 导航,
/// `rmht` 热门话题, `xgxx` 相关信息, `zw` 正文, `xxgk` 信息公开, `con_list` …).
/// Words are split at non-letters and at camelCase humps; compounds such as `topnav`,
/// `newslist` or `footer01` also match by prefix or suffix.
struct RegionWords {
    /// Strong words decide alone; main words beat weak ones (`top`, `head`, `left`, `right`),
    /// which only apply when nothing else matched.
    var strong: Region?
    var mainWord = false
    var weak: Region?
    var listy = false

    /// The region these words give an element inside `parent`. Strong words always
    /// win; main and weak words only refine an unknown or main parent, so the
    /// `div.content` or `div.right` inside a footer stays footer.
    func region(inside parent: Region) -> Region? {
        if let strong { return strong }
        guard parent == .unknown || parent == .main else { return nil }
        if mainWord { return .main }
        return weak
    }

    private static func priority(_ r: Region) -> Int {
        switch r {
        case .footer: return 4
        case .nav: return 3
        case .aside: return 2
        case .header: return 1
        default: return 0
        }
    }

    private mutating func addStrong(_ r: Region) {
        if let s = strong, Self.priority(s) >= Self.priority(r) { return }
        strong = r
    }

    /// Scans one attribute value (NUL-terminated) and accumulates its words.
    mutating func scan(_ p: UnsafePointer<UInt8>) {
        var token: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var len = 0
        var i = 0
        var prevLower = false
        while true {
            let c = p[i]
            let isUpper = c >= 0x41 && c <= 0x5A
            let isLower = c >= 0x61 && c <= 0x7A
            if (isUpper && prevLower) || !(isUpper || isLower) {
                if len > 0 { classifyToken(&token, len) }
                token = (0, 0, 0)
                len = 0
            }
            if c == 0 { break }
            if isUpper || isLower {
                if len < 24 {
                    withUnsafeMutableBytes(of: &token) { $0[len] = c | 0x20 }
                }
                len += 1
            }
            prevLower = isLower
            i += 1
        }
    }

    private mutating func classifyToken(_ token: inout (UInt64, UInt64, UInt64), _ len: Int) {
        guard len <= 24 else { return }
        withUnsafeBytes(of: &token) { raw in
            let t = UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: len)
            classify(t)
        }
    }

    private mutating func classify(_ t: UnsafeBufferPointer<UInt8>) {
        @inline(__always) func eq(_ s: StaticString) -> Bool {
            s.utf8CodeUnitCount == t.count && memcmpEqual(t.baseAddress!, s.utf8Start, t.count)
        }
        @inline(__always) func prefix(_ s: StaticString) -> Bool {
            s.utf8CodeUnitCount < t.count && memcmpEqual(t.baseAddress!, s.utf8Start, s.utf8CodeUnitCount)
        }
        @inline(__always) func suffix(_ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            return n < t.count && memcmpEqual(t.baseAddress! + (t.count - n), s.utf8Start, n)
        }
        @inline(__always) func contains(_ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard n <= t.count else { return false }
            for start in 0...(t.count - n) where memcmpEqual(t.baseAddress! + start, s.utf8Start, n) { return true }
            return false
        }

        if contains("list") || contains("news") || contains("xxgk") || eq("lb") { listy = true }

        // Exact words.
        if eq("footer") || eq("foot") || eq("bottom") || eq("copyright") || eq("fwxx") || eq("bq")
            || eq("banquan") || eq("copy") || eq("ft")
        {
            addStrong(.footer); return
        }
        if eq("nav") || eq("menu") || eq("daohang") || eq("dh") || eq("topnav") || eq("navbar") || eq("navigation") {
            addStrong(.nav); return
        }
        if eq("header") || eq("banner") || eq("logo") {
            addStrong(.header); return
        }
        if eq("side") || eq("sidebar") || eq("aside") || eq("rmht") || eq("xgxx") || eq("related") || eq("sider") {
            addStrong(.aside); return
        }
        if eq("main") || eq("content") || eq("container") || eq("list") || eq("article") || eq("zw")
            || eq("detail") || eq("text") || eq("news") || eq("xxgk") || eq("con")
        {
            mainWord = true; return
        }
        if eq("head") || eq("top") {
            if weak == nil { weak = .header }
            return
        }
        if eq("left") || eq("right") {
            if weak == nil { weak = .aside }
            return
        }
        // Compounds: footer01, pagefoot, foot-nav written footnav, topnav, navbar, newslist …
        if prefix("footer") || prefix("foot") || suffix("foot") || suffix("footer") || prefix("bottom") || suffix("bottom")
            || prefix("copyright") || suffix("copyright")
        {
            addStrong(.footer); return
        }
        if prefix("nav") || suffix("nav") || prefix("menu") || suffix("menu") || prefix("daohang") {
            addStrong(.nav); return
        }
        if prefix("header") || suffix("header") || prefix("banner") || suffix("banner") {
            addStrong(.header); return
        }
        if prefix("sidebar") || prefix("side") {
            addStrong(.aside); return
        }
        if prefix("main") || prefix("content") || suffix("content") || prefix("list") || suffix("list")
            || prefix("article") || prefix("detail") || suffix("detail") || prefix("news") || suffix("news")
        {
            mainWord = true; return
        }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}

extension Region {
    /// The region an ARIA landmark role names, nil for other roles.
    init?(role p: UnsafePointer<UInt8>) {
        let (v, n) = packName(p)
        switch v {
        case 0x000072656E6E6162: self = .header  // banner
        case 0x697461676976616E:  // "navigati" + "on"
            guard n == 10, p[8] == 0x6F, p[9] == 0x6E else { return nil }
            self = .nav
        case 0x000000006E69616D: self = .main
        case 0x656D656C706D6F63:  // "compleme" + "ntary"
            guard n == 13 else { return nil }
            self = .aside
        default:
            // "contentinfo": "contenti" + "nfo"
            if v == 0x69746E65746E6F63, n == 11 { self = .footer; return }
            return nil
        }
    }
}
