/// What the report shows of a column: its newest item against its category's update window.
package struct ColumnFact: Sendable, Equatable, Codable {
    package var name: String
    /// The column's list page.
    package var url: String
    /// The category key (`news`, `notice`, `personnel` …), "" when no category matches (no window).
    package var category: String
    /// The category's name (动态要闻类 …), "" when none.
    package var categoryName: String
    /// The newest item's date, YYYY-MM-DD; nil when the column lists no dated item.
    package var latest: String?
    /// The category's window in days; nil when the column has no category.
    package var windowDays: Int?
    /// Newest item older than the window (as `column.stale` judges it).
    package var stale: Bool
    /// No items at all (as `column.blank` judges it).
    package var blank: Bool
    /// Read from pages as a browser rendered them (`--render`): the timeline marks it.
    package var rendered = false

    package init(
        name: String, url: String, category: String = "", categoryName: String = "", latest: String? = nil,
        windowDays: Int? = nil, stale: Bool = false, blank: Bool = false, rendered: Bool = false
    ) {
        self.rendered = rendered
        self.name = name; self.url = url; self.category = category; self.categoryName = categoryName
        self.latest = latest; self.windowDays = windowDays; self.stale = stale; self.blank = blank
    }
}
