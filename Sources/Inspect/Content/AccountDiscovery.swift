import Foundation
package import Parse

/// Finds the new-media accounts a portal lists: on its new-media page (政务新媒体,
/// 新媒体矩阵) anywhere, and on every page in the header and footer, where a platform and
/// an account name appear as text (`微信公众号：示范区发布`, `新浪微博：@示范区发布`) or as an
/// image's alt (`“示范区发布”微信公众号二维码`). On the new-media page, a table's or a list's
/// own cells come first: a platform cell (`今日头条`) beside a name cell (`示范区发布`), placed
/// by the table's header row when it has one. Alt text comes last and never overrides what
/// the cells said (`示范区发布今日头条二维码` is not an account `示范区发布今日`). Precision over
/// recall: a platform word in a sentence (`分享到微信`, `关注微信公众号获取更多`) is never an
/// account, and article bodies of other pages are not read at all.
package enum AccountDiscovery {
    package struct Listed: Sendable, Equatable {
        package var platform: NewMediaPlatform
        /// As printed, quotes, `@` and the platform label removed.
        package var name: String
        /// The name with the word printed after a space (`示范区 发布`): a space may split a
        /// name or end it, so the account is filed when either form is.
        package var alternate: String?
    }

    /// Words of a page that lists the accounts.
    static let pageMarkers = ["政务新媒体", "新媒体矩阵", "新媒体平台", "政务微博微信", "新媒体账号"]
    static let pageMarkerMatcher = AhoCorasick(pageMarkers)

    /// A "name" made of these is an instruction or a button, not an account.
    static let stopWords = [
        "分享", "扫一扫", "扫码", "关注", "点击", "打开", "搜索", "长按", "识别", "下载", "登录", "转发",
        "二维码", "官方账号", "我们", "本站", "本网", "更多", "手机版", "客户端",
    ]

    /// Words that complete a platform label rather than name an account (`官方微博`,
    /// `新浪微博`, `政务微信二维码`): never a name on their own.
    static let genericNames: Set<String> = [
        "官方", "政务", "新浪", "腾讯", "今日", "本区", "我区", "本市", "我市", "本站",
        "区政府", "市政府", "欢迎", "订阅", "官网", "网站", "移动", "手机", "掌上",
    ]

    package static func isListingPage(_ page: PageModel) -> Bool {
        // (Each name asked in place: no array of them, no lowercased copy of every meta's name.)
        if pageMarkerMatcher.containsAny(page.title ?? "") { return true }
        let metas = page.metas, headings = page.headings
        for i in metas.indices {
            if let n = metas[i].name, PageModel.sameIgnoringCase(n, "columnname"), let c = metas[i].content, pageMarkerMatcher.containsAny(c) {
                return true
            }
        }
        for i in headings.indices where headings[i].region == .main || headings[i].region == .unknown {
            if pageMarkerMatcher.containsAny(headings[i].text) { return true }
        }
        return false
    }

    /// The accounts listed on `page`, each once, in order.
    package static func accounts(in page: PageModel) -> [Listed] { accounts(in: page, words: nil) }
    /// `words`: the page's words from the shared pass (which blocks mention a platform); nil:
    /// each block is scanned.
    static func accounts(in page: PageModel, words: PageWords?) -> [Listed] {
        let listing = isListingPage(page)
        var out: [Listed] = []
        func add(_ l: Listed?) {
            guard let l else { return }
            let key = NewMediaPlatform.normalizedName(l.name)
            if !out.contains(where: { $0.platform == l.platform && NewMediaPlatform.normalizedName($0.name) == key }) { out.append(l) }
        }
        let blocks = page.blocks
        // The listing's own cells first: a table row or list item naming platform and account apart.
        if listing { cells(of: blocks).forEach { add($0) } }
        for i in blocks.indices where listing || blocks[i].region == .header || blocks[i].region == .footer {
            let text = blocks[i].text  // (by index: the block itself is not copied)
            guard words.map({ $0.blockFlags[i] & PageWords.account != 0 }) ?? mayMention(text) else { continue }
            labelled(text).forEach { add($0) }
            if text.count <= 30 { add(suffixed(text)) }
        }
        // Alt text last: an alt that contains an account already read on the same platform
        // is that account's QR code, however its words would split.
        for img in page.images where listing || img.region == .header || img.region == .footer {
            for t in [img.alt, img.title].compactMap({ $0 }) where mayMention(t) && t.count <= 40 {
                let key = NewMediaPlatform.normalizedName(t)
                let known = Set(out.filter { key.contains(NewMediaPlatform.normalizedName($0.name)) }.map(\.platform))
                let found = labelled(t)
                found.filter { !known.contains($0.platform) }.forEach { add($0) }
                if found.isEmpty, let l = suffixed(t), !known.contains(l.platform) { add(l) }
            }
        }
        return out
    }

    // MARK: Cells

    /// Words of a header cell naming the account column, and the platform column.
    static let nameHeaders = ["名称", "账号", "帐号", "公众号名", "昵称"]
    static let platformHeaders = ["平台", "类型", "类别", "渠道", "媒体"]

    /// Accounts read from cells on a new-media page (main content only; navigation rows are
    /// not listings). A table row (`tr`, cells separated by spaces) or a list row whose one
    /// cell is exactly a platform label (`今日头条`, `微信公众号`) names the account in another
    /// cell: the header row's name column when the table has one and the row has as many
    /// cells; else the cell after the platform when the platform is the row's first
    /// (a 序号 aside), the cell before it otherwise. Rows of one cell each (`<p>今日头条</p>
    /// <p>示范区发布</p>`) pair the same way, the side chosen by which pairs more valid names.
    static func cells(of blocks: [TextBlock]) -> [Listed] {
        var out: [Listed] = []
        var header: [Int: (cells: Int, name: Int)] = [:]  // list ordinal → header row's layout
        var singles: [(platform: NewMediaPlatform?, text: String)] = []
        func flushSingles() {
            defer { singles.removeAll() }
            guard singles.contains(where: { $0.platform != nil }) else { return }
            func pairs(_ offset: Int) -> [Listed] {
                singles.indices.compactMap { i -> Listed? in
                    guard let platform = singles[i].platform, singles.indices.contains(i + offset),
                        singles[i + offset].platform == nil
                    else { return nil }
                    return cellName(platform, singles[i + offset].text)
                }
            }
            let after = pairs(1), before = pairs(-1)
            out += before.count > after.count ? before : after
        }
        for b in blocks where b.region == .main || b.region == .unknown {
            let text = b.text
            guard !text.isEmpty, text.count <= 80 else { flushSingles(); continue }
            let row = text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
            if row.count == 1 {
                if text.count <= 24 { singles.append((exactPlatform(text), text)) } else { flushSingles() }
                continue
            }
            flushSingles()
            guard row.count <= 8 else { continue }
            if let nameColumn = row.firstIndex(where: { c in nameHeaders.contains { c.contains($0) } }),
                row.contains(where: { c in platformHeaders.contains { c.contains($0) } }), exactPlatform(row[nameColumn]) == nil
            {
                header[b.list] = (row.count, nameColumn)
                continue
            }
            // One platform cell per row: a row of several (`首页 微信 微博`) is navigation.
            let platforms = row.indices.filter { exactPlatform(row[$0]) != nil }
            guard platforms.count == 1, let at = platforms.first, let platform = exactPlatform(row[at]) else { continue }
            let k: Int?
            if b.list >= 0, let h = header[b.list], h.cells == row.count {
                k = h.name != at && cellName(platform, row[h.name]) != nil ? h.name : nil
            } else {
                let first = row.firstIndex { !$0.allSatisfy(\.isNumber) } ?? 0
                let side = at == first ? [at + 1, at - 1] : [at - 1, at + 1]
                k = side.first { row.indices.contains($0) && cellName(platform, row[$0]) != nil }
            }
            guard let k, var l = cellName(platform, row[k]) else { continue }
            // A space may split a name (`示范区 发布`) and so shift the columns: the name is
            // also tried joined with the cell after it, as for a labelled name.
            if k + 1 < row.count, k + 1 != at, exactPlatform(row[k + 1]) == nil { l.alternate = row[k] + row[k + 1] }
            out.append(l)
        }
        flushSingles()
        return out
    }

    /// The platform a cell names when the cell is nothing but its label (`今日头条`, `微信公众号：`).
    static func exactPlatform(_ cell: String) -> NewMediaPlatform? {
        let c = cell.lowercased().filter { !$0.isWhitespace && $0 != ":" && $0 != "：" }
        return NewMediaPlatform.labels.first { $0.0 == c }?.1
    }

    /// Cells of a navigation row, never an account's name.
    static let navigationWords: Set<String> = [
        "首页", "网站首页", "网站地图", "无障碍", "无障碍浏览", "长者模式", "关怀版", "English", "返回",
        "返回顶部", "上一页", "下一页", "登录", "注册", "邮箱", "关于我们", "联系我们", "移动版",
    ]

    /// A cell as an account name: not a number, a heading of the page, a department, or
    /// anything `listed` refuses.
    static func cellName(_ platform: NewMediaPlatform, _ cell: String) -> Listed? {
        guard cell.count <= 24, !cell.allSatisfy({ $0.isNumber || $0.isPunctuation }), !cell.contains(":"), !cell.contains("："),
            !pageMarkerMatcher.containsAny(cell), !navigationWords.contains(cell)
        else { return nil }
        return listed(platform, cell)
    }

    static let cheapWords = [
        "微信", "公众号", "微博", "抖音", "头条", "快手", "视频号", "人民号", "哔哩", "学习强国", "百家号",
        "企鹅号", "网易号", "澎湃号", "央视频", "小红书", "wechat", "weibo", "WeChat", "Weibo", "B站",
    ]
    /// All the words in one automaton: one pass over the bytes per block (Foundation's
    /// string search per word cost a fifth of a sweep).
    static let cheapMatcher = AhoCorasick(cheapWords)
    static func mayMention(_ s: String) -> Bool { cheapMatcher.containsAny(s) }

    static let labelAlternation = NewMediaPlatform.labels.map { NSRegularExpression.escapedPattern(for: $0.0) }.joined(separator: "|")
    static let nameChars = "[\\p{Han}A-Za-z0-9·_\\-]"

    /// `微信公众号：示范区发布`: a platform label, a colon, the name.
    static let labelPattern = try! NSRegularExpression(
        pattern: "(?i)(\(labelAlternation))\\s*[:：]\\s*[@＠]?\\s*[\"“「《]?(\(nameChars){2,24})", options: [])

    /// `“示范区发布”微信公众号二维码`, `示范区发布官方微博`: the name, then a platform label (a
    /// bare 微信/抖音/快手 only before 二维码), and nothing else.
    static let suffixPattern = try! NSRegularExpression(
        pattern:
            "^[\"“「《]?(\(nameChars){2,24}?)[\"”」》]?\\s*(?:(微信公众号|微信视频号|公众号|新浪微博|官方微博|政务微博|微博|抖音号|今日头条号|今日头条|头条号|快手号|视频号|人民号|百家号|企鹅号|网易号|澎湃号|学习强国号|哔哩哔哩|央视频|小红书)(?:官方)?(?:二维码|账号|帐号)?|(微信|抖音|快手|头条|学习强国)(?:二维码))$",
        options: [])

    static func labelled(_ text: String) -> [Listed] {
        let ns = text as NSString
        var out: [Listed] = []
        var from = 0
        while from < ns.length, let m = labelPattern.firstMatch(in: text, range: NSRange(location: from, length: ns.length - from)) {
            from = m.range.upperBound
            guard let platform = NewMediaPlatform(label: ns.substring(with: m.range(at: 1))) else { continue }
            var name = ns.substring(with: m.range(at: 2))
            // The next label may follow without a space (`…发布新浪微博：`): when a colon
            // follows the name, its trailing label belongs to the next account.
            let rest = ns.substring(from: m.range.upperBound).drop { $0 == " " }
            if rest.first == ":" || rest.first == "：",
                let label = NewMediaPlatform.labels.first(where: { name.hasSuffix($0.0) && name.count > $0.0.count })
            {
                name = String(name.dropLast(label.0.count))
                from = m.range.upperBound - (label.0 as NSString).length  // read the next account from its label
            }
            guard var l = listed(platform, name) else { continue }
            if from == m.range.upperBound, let next = spacedWord.firstMatch(in: text, range: NSRange(location: from, length: ns.length - from)) {
                l.alternate = name + ns.substring(with: next.range(at: 1))
            }
            out.append(l)
        }
        return out
    }

    /// A word after one or two spaces (not the next label).
    static let spacedWord = try! NSRegularExpression(pattern: "^[ \\u3000]{1,2}(\\p{Han}{1,8})(?![:：])", options: [])

    static func suffixed(_ text: String) -> Listed? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let ns = t as NSString
        guard let m = suffixPattern.firstMatch(in: t, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let label = m.range(at: 2).location != NSNotFound ? ns.substring(with: m.range(at: 2)) : ns.substring(with: m.range(at: 3))
        guard let platform = NewMediaPlatform(label: label) else { return nil }
        return listed(platform, ns.substring(with: m.range(at: 1)))
    }

    static func listed(_ platform: NewMediaPlatform, _ raw: String) -> Listed? {
        let name = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\"“”「」《》@＠ -_·"))
        let key = NewMediaPlatform.normalizedName(name)
        guard key.count >= 2, !stopWords.contains(where: { name.contains($0) }), !genericNames.contains(key),
            NewMediaPlatform(label: key) == nil || key.count > 4
        else { return nil }
        return Listed(platform: platform, name: name)
    }
}
