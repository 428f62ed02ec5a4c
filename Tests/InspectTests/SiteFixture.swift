import Fetch
import Inspect
import Parse
import Vocabulary

/// Builds a site from HTML strings, parses every page with the crawl's parser and runs
/// an inspector over it, as a sweep would.
struct SiteFixture {
    static let host = "http://www.example.gov.cn"
    var pages: [(path: String, html: String, depth: Int)] = []
    var broken: [String] = []

    mutating func add(_ path: String, _ html: String, depth: Int? = nil) {
        pages.append((path, html, depth ?? (path == "/" ? 0 : 1)))
    }

    func inspect(profile: Profile, asOf: String = "2022-11-01", departments: DepartmentMap = DepartmentMap()) -> [Finding] {
        let inspector = Inspector(profile: profile, asOf: Day(iso: asOf)!, departments: departments)
        for p in pages {
            let url = SiteFixture.host + p.path
            inspector.inspect(page: model(p.html, url: url), url: url, depth: p.depth)
        }
        let targets = broken.map {
            LinkTarget(url: SiteFixture.host + $0, status: 404, linkClass: .broken, reason: "", isInternal: true,
                       sources: [.init(page: SiteFixture.host + "/", kind: "a", text: "")])
        }
        return inspector.finish(linkTargets: targets, homePages: [SiteFixture.host + "/"])
    }

    static func national() -> Profile { try! Profile.bundled(name: "national-2019") }
}

func model(_ html: String, url: String = SiteFixture.host + "/") -> PageModel {
    PageParser.parse(Array(html.utf8), url: url, contentType: "text/html; charset=utf-8")
}

func page(title: String = "页面", head: String = "", _ body: String) -> String {
    examplePage(title: title, head: head, body)
}

/// A column list page with `ColumnName` and items dated as given.
func columnPage(_ name: String, dates: [String], sidebar: [String] = [], meta: Bool = true) -> String {
    let items = dates.enumerated().map { "<li><a href=\"t\($0.offset).html\">\(name)信息\($0.offset)</a><span>\($0.element)</span></li>" }.joined()
    let side = sidebar.isEmpty ? "" : "<div class=\"side\"><h3>热点</h3><ul>" + sidebar.map { "<li><a href=\"/rd.html\">热点信息</a><span>\($0)</span></li>" }.joined() + "</ul></div>"
    return page(title: "\(name)_示例区人民政府", head: meta ? "<meta name=\"ColumnName\" content=\"\(name)\">" : "",
                "<div class=\"header\">示例区人民政府</div><div class=\"main\"><ul class=\"list\">\(items)</ul></div>\(side)<div class=\"footer\">主办：示例区人民政府</div>")
}
