import Foundation
import LocalServer
import Render
import XCTest

/// Chromium for the rendering tests: skipped where none is installed, a failure under CI
/// (`.ci/run` installs it).
func browserOrSkip() throws -> String {
    if let b = Renderer.findBrowser() { return b }
    if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("CI: chromium is not installed (scripts/setup.sh --with-chromium)") }
    throw XCTSkip("chromium is not installed (scripts/setup.sh --with-chromium)")
}

/// A fixture portal (江临区人民政府, as of 2022-11-01) whose home page and two columns are
/// script-filled, and its static twin with the same items written out:
/// - the home page's news list comes from a same-host JSON endpoint after load (fetch),
/// - 工作动态 (news) is filled by an XMLHttpRequest to `/api/gzdt.json`,
/// - 通知公告 (notice) carries its records in a Hanweb jpage datastore that a script writes out.
/// All items are stale for the as-of day (home page 2022-09-01: the veto; 工作动态 2022-09-15
/// and 通知公告 2022-03-01: deductions), so the twins differ only in what a static read sees.
enum RenderPortal {
    struct Item {
        var title: String
        var url: String
        var date: String
    }

    static let home = [
        Item(title: "区政府召开常务会议", url: "/art/2022/9/1/art_1_1.html", date: "2022-09-01"),
        Item(title: "区长调研重点项目", url: "/art/2022/8/30/art_1_2.html", date: "2022-08-30"),
    ]
    static let gzdt = [
        Item(title: "街道开展安全检查", url: "/art/2022/9/15/art_2_1.html", date: "2022-09-15"),
        Item(title: "区委召开专题会议", url: "/art/2022/9/10/art_2_2.html", date: "2022-09-10"),
    ]
    static let tzgg = [
        Item(title: "关于冬季供暖的通知", url: "/art/2022/3/1/art_3_1.html", date: "2022-03-01"),
        Item(title: "关于停水的公告", url: "/art/2022/2/20/art_3_2.html", date: "2022-02-20"),
    ]

    static func page(title: String, column: String? = nil, _ body: String) -> String {
        """
        <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>\(column.map { "<meta name=\"ColumnName\" content=\"\($0)\">" } ?? "")</head><body>
        <div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/gzdt/">工作动态</a></li><li><a href="/tzgg/">通知公告</a></li></ul></div>
        <div class="main">\(body)</div>
        <div class="footer"><p>主办：江临区人民政府办公室 网站标识码：1101020001 京ICP备05060933号</p></div>
        </body></html>
        """
    }

    static func staticList(_ items: [Item]) -> String {
        "<ul class=\"list\">" + items.map { "<li><a href=\"\($0.url)\">\($0.title)</a><span>\($0.date)</span></li>" }.joined() + "</ul>"
    }

    static func json(_ items: [Item]) -> String {
        "[" + items.map { "{\"title\":\"\($0.title)\",\"url\":\"\($0.url)\",\"date\":\"\($0.date)\"}" }.joined(separator: ",") + "]"
    }

    /// A list container filled from a same-host JSON endpoint: by fetch, or by XMLHttpRequest.
    static func xhrList(id: String, endpoint: String, xhr: Bool) -> String {
        let fill =
            "function (d) { document.getElementById('\(id)').innerHTML = d.map(function (x) { return '<li><a href=\"' + x.url + '\">' + x.title + '</a><span>' + x.date + '</span></li>'; }).join(''); }"
        let load =
            xhr
            ? "var r = new XMLHttpRequest(); r.open('GET', '\(endpoint)'); r.onload = function () { (\(fill))(JSON.parse(r.responseText)); }; r.send();"
            : "fetch('\(endpoint)').then(function (r) { return r.json(); }).then(\(fill));"
        return "<ul class=\"list\" id=\"\(id)\"></ul><script>\(load)</script>"
    }

    /// Hanweb jpage: the records in a text/xml datastore, written out by a script after load.
    static func jpage(_ items: [Item]) -> String {
        let records = items.map { "<record><![CDATA[<li><a href=\"\($0.url)\">\($0.title)</a><span>\($0.date)</span></li>]]></record>" }
        return """
            <div id="4711"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&columnid=4711"></a>]]></nextgroup>
            <recordset>\(records.joined(separator: "\n"))</recordset></datastore></script></div>
            <script>(function () { var box = document.getElementById('4711'); var xml = box.querySelector('script').textContent; var rows = [];
            xml.replace(/<record><!\\[CDATA\\[([\\s\\S]*?)\\]\\]><\\/record>/g, function (m, r) { rows.push(r); });
            var ul = document.createElement('ul'); ul.className = 'list'; ul.insertAdjacentHTML('beforeend', rows.join('')); box.appendChild(ul); })();</script>
            """
    }

    static func article(_ item: Item) -> String {
        page(title: "\(item.title)_江临区人民政府", "<h1>\(item.title)</h1><p>发布日期：\(item.date)</p><p>正文。</p>")
    }

    /// The portal's pages; `scripted`: the script-filled twin. `slowAPI`: `/api/gzdt.json`
    /// answers after `slowAPI` seconds (a list endpoint past the render budget).
    static func handler(scripted: Bool, slowAPI: Double? = nil) -> @Sendable (ServerRequest) -> ServerResponse {
        let articles = Dictionary((home + gzdt + tzgg).map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        return { request in
            switch request.path {
            case "/":
                return .html(
                    page(
                        title: "江临区人民政府",
                        "<h2>要闻动态</h2>" + (scripted ? xhrList(id: "news", endpoint: "/api/home.json", xhr: false) : staticList(home))))
            case "/gzdt/":
                return .html(
                    page(
                        title: "工作动态_江临区人民政府", column: "工作动态",
                        "<div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; 工作动态</div>"
                            + (scripted ? xhrList(id: "gzdt", endpoint: "/api/gzdt.json", xhr: true) : staticList(gzdt))))
            case "/tzgg/":
                return .html(
                    page(
                        title: "通知公告_江临区人民政府", column: "通知公告",
                        "<div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; 通知公告</div>"
                            + (scripted ? jpage(tzgg) : staticList(tzgg))))
            case "/api/home.json":
                return .text(json(home), contentType: "application/json; charset=utf-8")
            case "/api/gzdt.json":
                if let slowAPI { return .hang(seconds: slowAPI) }
                return .text(json(gzdt), contentType: "application/json; charset=utf-8")
            case "/loop/":
                // A script that never finishes.
                return .html(page(title: "循环", "<ul id=\"l\"></ul><script>while (true) {}</script>"))
            default:
                if let a = articles[request.path] { return .html(article(a)) }
                return .status(404)
            }
        }
    }
}
