package import Inspect
package import Parse
package import Vocabulary

/// Test support for the inspection (as NIOTestUtils or HummingbirdTesting are for theirs):
/// a site built from HTML strings, every page parsed with the crawl's parser and run
/// through one `Inspector`, as a sweep would. One fixture instead of a copy per test file.
package struct SiteFixture {
    package static let host = "http://www.example.gov.cn"
    /// The as-of day of a fixture that names none.
    package static let asOf = Day(year: 2022, month: 11, day: 1)!
    /// Scheme and host of every page (no trailing slash).
    package var host: String
    package var pages: [(path: String, html: String, depth: Int)] = []
    /// Paths answered 404, each linked from the home page.
    package var broken: [String] = []

    package init(host: String = SiteFixture.host) { self.host = host }

    /// A page at `path`; the home page is depth 0, the rest depth 1 unless given.
    package mutating func add(_ path: String, _ html: String, depth: Int? = nil) {
        pages.append((path, html, depth ?? (path == "/" ? 0 : 1)))
    }

    /// An inspector that has taken in every page, not yet finished (for tests of its summaries,
    /// of its page facts, or that feed it more pages themselves).
    package func inspector(
        profile: Profile, asOf: Day = SiteFixture.asOf, departments: DepartmentMap = DepartmentMap(),
        content: ContentData = ContentData()
    ) -> Inspector {
        let inspector = Inspector(profile: profile, asOf: asOf, departments: departments, content: content)
        for p in pages {
            let url = host + p.path
            inspector.inspect(page: model(p.html, url: url), url: url, depth: p.depth)
        }
        return inspector
    }

    /// The findings of a sweep of the site as of `asOf`.
    package func inspect(
        profile: Profile, asOf: Day = SiteFixture.asOf, departments: DepartmentMap = DepartmentMap(),
        content: ContentData = ContentData(), accountChecks: [AccountCheck] = []
    ) -> [Finding] {
        finish(inspector(profile: profile, asOf: asOf, departments: departments, content: content), accountChecks: accountChecks)
    }

    /// What the link check found of the site: each `broken` path answered 404, linked from
    /// the home page.
    package var linkTargets: [LinkTarget] {
        broken.map {
            LinkTarget(
                url: host + $0, status: 404, linkClass: .broken, reason: .none, isInternal: true,
                sources: [LinkSource(from: host + "/", kind: .a, text: "")])
        }
    }

    /// `inspector`'s findings as a sweep of this site ends them: its link targets, its home page.
    package func finish(_ inspector: Inspector, accountChecks: [AccountCheck] = []) -> [Finding] {
        inspector.finish(linkTargets: linkTargets, homePages: [host + "/"], accountChecks: accountChecks)
    }

    /// One page alone, as the home page, judged as of `asOf`.
    package static func findings(of page: PageModel, url: String, asOf: Day, profile: Profile = national()) -> [Finding] {
        let inspector = Inspector(profile: profile, asOf: asOf)
        inspector.inspect(page: page, url: url, depth: 0)
        return inspector.finish(linkTargets: [], homePages: [url])
    }

    package static func national() -> Profile { try! Profile.bundled(name: "national-2019") }
}

/// A page parsed as the crawl parses it.
package func model(_ html: String, url: String = SiteFixture.host + "/") -> PageModel {
    PageParser.parse(Array(html.utf8), url: url, contentType: "text/html; charset=utf-8")
}

package func page(title: String = "页面", head: String = "", _ body: String) -> String {
    examplePage(title: title, head: head, body)
}

/// A column list page with `ColumnName` and items dated as given.
package func columnPage(_ name: String, dates: [String], sidebar: [String] = [], meta: Bool = true) -> String {
    let items = dates.enumerated().map { "<li><a href=\"t\($0.offset).html\">\(name)信息\($0.offset)</a><span>\($0.element)</span></li>" }.joined()
    let side =
        sidebar.isEmpty
        ? "" : "<div class=\"side\"><h3>热点</h3><ul>" + sidebar.map { "<li><a href=\"/rd.html\">热点信息</a><span>\($0)</span></li>" }.joined() + "</ul></div>"
    return page(
        title: "\(name)_示例区人民政府", head: meta ? "<meta name=\"ColumnName\" content=\"\(name)\">" : "",
        "<div class=\"header\">示例区人民政府</div><div class=\"main\"><ul class=\"list\">\(items)</ul></div>\(side)<div class=\"footer\">主办：示例区人民政府</div>")
}
