package import Parse
package import Vocabulary

// The compact facts the inspector keeps per page, instead of the page: whole-site
// rules (columns, home page, footer, required columns) read only these.

/// A column list page (栏目页) or one of its pagination pages.
package struct ColumnPage: Sendable, Equatable {
    /// The column's URL: the page URL without pagination (`index_2.html`, `?page=2`).
    package var key: String
    package var url: String
    package var host: String
    package var depth: Int
    package var isPagination: Bool
    /// `<meta name="ColumnName">`.
    package var metaName: String?
    /// The last breadcrumb item (当前位置：首页 > 通知公告).
    package var crumbName: String?
    /// The first part of `<title>` (通知公告_某某区人民政府).
    package var titleName: String?
    /// The newest date in the column's own list (not sidebars, header or footer).
    package var latest: Day?
    /// Rows of the list that hold a link, and how many of them carry a date.
    package var items: Int
    package var datedItems: Int
    /// The page says it has nothing (暂无信息 …) and lists no dated item.
    package var blank: Bool
    /// The column's list is filled by script (the page shows signs of it and no dated list
    /// of its own): nothing here can be judged from the static page.
    package var scriptFill: ScriptFill? = nil
    /// Read from the page as a browser rendered it (`--render`).
    package var rendered = false
}

/// A column: its list pages merged.
package struct Column: Sendable, Equatable {
    package var url: String
    package var host: String
    package var name: String
    package var depth: Int
    package var latest: Day?
    package var items: Int
    package var blank: Bool
    package var pages: Int
    /// The column's list is filled by script (from its first page that shows it).
    package var scriptFill: ScriptFill? = nil
    /// A page of the column was read as a browser rendered it.
    package var rendered = false
}

extension Column {
    /// Not updated within its category's window, counted back from `asOf` (a blank column,
    /// or one whose items carry no date, is not stale: it is blank or unjudged; so is a
    /// script-filled one, whose items the static page does not show).
    func isStale(in category: Profile.Category, asOf: Day) -> Bool {
        guard !blank, scriptFill == nil, let latest else { return false }
        return asOf - latest > category.windowDays
    }

    /// Script-filled and not seen fresh: its update cannot be judged from the static page.
    func cannotJudge(in category: Profile.Category, asOf: Day) -> Bool {
        guard scriptFill != nil else { return false }
        return latest.map { asOf - $0 > category.windowDays } ?? true
    }

    /// Counts toward the blank-column veto: blank as seen, and not script-filled.
    var isBlank: Bool { blank && scriptFill == nil }
}

/// What the whole-site rules need from a home page (a start page, depth 0).
package struct HomeSummary: Sendable, Equatable {
    package var url: String
    package var host: String
    /// Items (blocks with a link, outside header and footer) that carry a date.
    package var datedItems: Int
    package var items: Int
    package var latest: Day?
    /// Visible footer text (the footer region, else the page's last blocks).
    package var footerText: String
    /// Footer text plus footer link targets, titles, image sources and alts, and every
    /// script source: where badges and the 找错 entry hide.
    package var footerHaystack: String
    package var siteIDCodeMeta: String?
    /// Link targets (pagination-free column keys) → link text, for naming columns.
    package var linkNames: [String: String]
    /// Signs that the home page's lists are filled by script; nil when none.
    package var scriptFill: ScriptFill? = nil
    /// Targets (`Summarizer.pageKey`) of the undated items of the home page's own content
    /// lists (not header, nav or footer), at most `Summarizer.maxUndatedLinks`: such an item
    /// is judged by the date of the article it links to.
    package var undatedLinks: [String] = []
    /// Read from the page as a browser rendered it (`--render`).
    package var rendered = false
}

/// Host of an absolute URL, lowercased ("" when none).
func hostOf(_ url: String) -> String {
    // Bytes first (every page asks): "://", then up to "/", "?" or "#", ASCII lowercased.
    let fast: String?? = withUTF8Bytes(url) { u -> String?? in
        let n = u.count
        var i = 0
        while i + 2 < n, !(u[i] == 58 && u[i + 1] == 47 && u[i + 2] == 47) { i += 1 }
        guard i + 2 < n else { return .some(nil) }  // no "://"
        let start = i + 3
        var end = start
        var upper = false
        while end < n, u[end] != 47, u[end] != 63, u[end] != 35 {
            if u[end] >= 0x80 { return nil }  // not ASCII: Unicode lowercasing below
            if u[end] >= 65 && u[end] <= 90 { upper = true }
            end += 1
        }
        let host = String(decoding: UnsafeBufferPointer(rebasing: u[start..<end]), as: UTF8.self)
        return .some(upper ? host.lowercased() : host)
    }
    if let fast { return fast ?? "" }
    guard let s = url.range(of: "://") else { return "" }
    let rest = url[s.upperBound...]
    let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
    return rest[..<end].lowercased()
}
