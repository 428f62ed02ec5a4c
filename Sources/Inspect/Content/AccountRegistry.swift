import Foundation

/// `--accounts`: the filed new-media accounts (政务新媒体备案), CSV `platform,name,department,feed`.
package struct AccountRegistry: Sendable {
    package struct Entry: Sendable, Equatable {
        package var platform: String
        package var name: String
        package var department: String
        /// The URL of the account's feed (RSS 2.0, Atom or JSON Feed, from a feed bridge).
        package var feed: String
        package var line: Int
        package init(platform: String, name: String, department: String, feed: String, line: Int = 0) {
            self.platform = platform; self.name = name; self.department = department; self.feed = feed; self.line = line
        }
    }
    package var entries: [Entry]
    package var file: String

    package init(entries: [Entry], file: String = "--accounts") { self.entries = entries; self.file = file }

    /// Parses the CSV (`file` names it in errors); an empty name or a feed that is not an
    /// http(s) URL is an `InputError`.
    package init(csv bytes: [UInt8], file path: String) throws {
        let csv = try InputCSV(bytes: bytes, file: path, columns: ["platform", "name", "department", "feed"], minimum: 4)
        var entries: [Entry] = []
        for row in csv.rows {
            let f = row.fields
            guard !f[1].isEmpty else { throw InputError(file: path, line: row.line, problem: "empty account name") }
            guard !f[0].isEmpty else { throw InputError(file: path, line: row.line, problem: "empty platform") }
            let feed = f[3]
            guard feed.hasPrefix("http://") || feed.hasPrefix("https://"), let u = URL(string: feed), u.host?.isEmpty == false else {
                throw InputError(file: path, line: row.line, problem: "feed \"\(feed)\" is not an http(s) URL")
            }
            entries.append(Entry(platform: f[0], name: f[1], department: f[2], feed: feed, line: row.line))
        }
        self.init(entries: entries, file: path)
    }

    /// Whether an account the portal lists is filed: same normalised name, on the same
    /// platform when both platforms are known (a 抖音 account needs its own filing).
    package func contains(platform: NewMediaPlatform?, name: String) -> Bool {
        let key = NewMediaPlatform.normalizedName(name)
        guard !key.isEmpty else { return true }
        return entries.contains { e in
            guard NewMediaPlatform.normalizedName(e.name) == key else { return false }
            guard let platform, let theirs = NewMediaPlatform(label: e.platform) else { return true }
            return theirs == platform
        }
    }
}

/// The platforms of government new media, with the labels sites and registries use.
package enum NewMediaPlatform: String, Sendable, CaseIterable {
    case wechat = "微信", channels = "视频号", weibo = "微博", douyin = "抖音", toutiao = "头条号", kuaishou = "快手",
        renmin = "人民号", bilibili = "哔哩哔哩", xuexi = "学习强国", baijia = "百家号", penguin = "企鹅号",
        netease = "网易号", thepaper = "澎湃号", cctv = "央视频", xiaohongshu = "小红书"

    /// Labels, longest first within a platform; matched as printed (after removing spaces).
    static let labels: [(String, NewMediaPlatform)] = [
        ("微信视频号", .channels), ("视频号", .channels),
        ("微信公众号", .wechat), ("微信公众平台", .wechat), ("微信服务号", .wechat), ("微信订阅号", .wechat),
        ("公众号", .wechat), ("微信号", .wechat), ("微信", .wechat), ("wechat", .wechat),
        ("新浪微博", .weibo), ("官方微博", .weibo), ("政务微博", .weibo), ("微博", .weibo), ("weibo", .weibo),
        ("抖音号", .douyin), ("抖音", .douyin), ("今日头条", .toutiao), ("头条号", .toutiao), ("头条", .toutiao),
        ("快手号", .kuaishou), ("快手", .kuaishou), ("人民号", .renmin), ("哔哩哔哩", .bilibili), ("b站", .bilibili),
        ("学习强国号", .xuexi), ("学习强国", .xuexi), ("百家号", .baijia), ("企鹅号", .penguin), ("网易号", .netease),
        ("澎湃号", .thepaper), ("央视频", .cctv), ("小红书", .xiaohongshu),
        ("weixin", .wechat), ("douyin", .douyin), ("toutiao", .toutiao), ("kuaishou", .kuaishou), ("bilibili", .bilibili),
        ("xiaohongshu", .xiaohongshu),
    ].sorted { $0.0.count > $1.0.count }

    /// A platform as sites and registries name it, through the same aliases (`今日头条` and
    /// `头条号`, `微信`, `微信公众号` and `公众号`, `新浪微博` and `微博`, `抖音` and `抖音号`,
    /// `WeChat`, `政务微信`, `腾讯微信` …): the longest label the text begins with, else the
    /// longest it contains; nil when unknown.
    package init?(label: String) {
        let l = label.lowercased().filter { !$0.isWhitespace }
        guard
            let hit = NewMediaPlatform.labels.first(where: { l == $0.0 || l.hasPrefix($0.0) })
                ?? NewMediaPlatform.labels.first(where: { l.contains($0.0) })
        else { return nil }
        self = hit.1
    }

    /// An account name for matching: spaces, quotes, punctuation and `@` removed, Latin
    /// letters lowered, and a platform label at the end removed (`示范区发布微信公众号` →
    /// `示范区发布`). Nothing else: two different names never become equal here.
    package static func normalizedName(_ name: String) -> String {
        var s = String(
            name.lowercased().unicodeScalars.filter { u in
                !(CharacterSet.whitespacesAndNewlines.contains(u) || CharacterSet.punctuationCharacters.contains(u)
                    || CharacterSet.symbols.contains(u) || u == "\u{3000}")
            })
        var changed = true
        while changed {
            changed = false
            for suffix in ["二维码", "官方账号", "官方帐号", "账号", "帐号", "官方"] + labels.map(\.0) where s.hasSuffix(suffix) && s.count > suffix.count + 1 {
                s.removeLast(suffix.count)
                changed = true
                break
            }
        }
        return s
    }
}
