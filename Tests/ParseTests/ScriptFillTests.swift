import XCTest
@testable import Parse

/// Signs of script-filled lists, as the CMS templates of government portals leave them, and
/// the look-alikes that are not (search boxes, layout tables, menus, statistics scripts).
final class ScriptFillTests: XCTestCase {
    func sign(_ body: String) -> ScriptFill? {
        html("<html><head><title>t</title></head><body>\(body)</body></html>").scriptFill
    }

    func testTemplatesOfClientSideFrameworks() {
        // avalon (common on provincial portals), Vue, Angular; a {{…}} placeholder in a list.
        XCTAssertEqual(sign("<ul><li ms-repeat=\"list\"><a ms-attr-href=\"el.url\">{{el.title}}</a></li></ul>")?.sign, .template)
        XCTAssertEqual(sign("<ul><li ms-repeat=\"list\"><a>x</a></li></ul>")?.detail, "ms-repeat")
        XCTAssertEqual(sign("<div class=\"list\"><div v-for=\"item in items\"><a :href=\"item.url\">t</a></div></div>")?.detail, "v-for")
        XCTAssertEqual(sign("<table><tr ng-repeat=\"r in rows\"><td>x</td></tr></table>")?.detail, "ng-repeat")
        XCTAssertEqual(sign("<ul><li><a href=\"{{url}}\">{{ title }}</a><span>{{date}}</span></li></ul>")?.detail, "{{…}}")
        XCTAssertEqual(sign("<ul><li>{{a}}</li><li>{{b}}</li></ul>")?.count, 1, "one list counts once")
        // art-template and the like: rows in a <script type="text/html">.
        XCTAssertEqual(
            sign(
                "<script type=\"text/html\" id=\"tpl\">{{each list}}<li><a href=\"{{$value.url}}\">{{$value.title}}</a></li>{{/each}}</script><ul id=\"out\"></ul>"
            )?.sign, .template)
    }

    func testHanwebDatastoreAndDataProxy() {
        let jpage = """
            <div id="4711"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=2">]]></nextgroup>
            <recordset></recordset></datastore></script></div>
            """
        // (A datastore with records is read as the page's list: DataIslandTests.)
        XCTAssertEqual(sign(jpage)?.sign, .datastore)
        XCTAssertEqual(
            sign("<div id=\"l\"></div><script>$.get('/module/web/jpage/dataproxy.jsp?col=1', function(d){ $('#l').html(d); });</script>")?.sign, .datastore)
    }

    func testScriptsThatWriteListRows() {
        // TRS (拓尔思) list templates write each row with document.write.
        let trs = """
            <ul class="list"><script>
            var arr = [["./202210/t20221028_1.html","区长调研","2022-10-28"]];
            for (var i = 0; i < arr.length; i++) { document.write("<li><a href='" + arr[i][0] + "'>" + arr[i][1] + "</a><span>" + arr[i][2] + "</span></li>"); }
            </script></ul>
            """
        XCTAssertEqual(sign(trs)?.sign, .listScript)
        XCTAssertEqual(sign(trs)?.detail, "document.write")
        XCTAssertEqual(
            sign("<ul id=\"n\"></ul><script>data.forEach(function(d){ $('#n').append('<li><a href=\"' + d.url + '\">' + d.t + '</a></li>'); });</script>")?
                .sign, .listScript)
        // A list container holding only a script source (bjchy's 国务院信息, Hanweb's news widgets).
        XCTAssertEqual(sign("<ul id=\"gwyxx\"><script src=\"/js/gwyxx.js\"></script></ul>")?.detail, "ul#gwyxx")
        XCTAssertEqual(sign("<div class=\"ls_news\"><script src=\"/script/0/6801.js\"></script></div>")?.sign, .scriptInList)
    }

    func testWeakSigns() {
        XCTAssertEqual(sign("<div class=\"main\"><ul id=\"zxft_first_txt\"></ul></div>")?.sign, .emptyList)
        XCTAssertEqual(sign("<div class=\"page\"><script>createPageHTML(12, 0, \"index\", \"html\");</script></div>")?.sign, .pagerScript)
        XCTAssertEqual(sign("<div id=\"sy_719\"></div><iframe src=\"\"></iframe><script>commonV1Fun.loadHtml('sy_719');</script>")?.sign, .emptyBody)
        XCTAssertFalse(ScriptFill.Sign.emptyList.isStrong)
        // A strong sign replaces a weak one seen first.
        let both = sign("<ul id=\"a\"></ul><ul><li ms-repeat=\"l\"><a>x</a></li></ul>")
        XCTAssertEqual(both?.sign, .template)
        XCTAssertEqual(both?.count, 2)
    }

    func testLookAlikesAreNotSigns() {
        // A search box (list-named by xxgk) with an inline handler, a layout table around a script,
        // a menu filled in the header, a statistics script writing its badge, an empty list without id;
        // each on a page with a little content (a page with none and a script is `emptyBody`).
        func sign(_ body: String) -> ScriptFill? { self.sign(body + "<p><a href=\"/\">首页</a> 示例区人民政府门户网站</p>") }
        XCTAssertNil(sign("<div class=\"zwxxgk_ss\"><input id=\"q\"><script>function allSearch(){ location.href='/s?q='+q.value; }</script></div>"))
        XCTAssertNil(sign("<table><tr><td><script src=\"/js/gernalsearch.js\"></script></td></tr></table><p>正文</p>"))
        XCTAssertNil(sign("<div class=\"header\"><ul id=\"menu\"><script src=\"/js/menu.js\"></script></ul></div><p>正文</p>"))
        XCTAssertNil(sign("<p>正文</p><script>document.write(unescape(\"%3Cspan id='cnzz_stat_icon'%3E%3C/span%3E\"));</script>"))
        XCTAssertNil(sign("<ul></ul><p>正文</p>"))
        XCTAssertNil(sign("<script>document.write('<link rel=\"stylesheet\" href=\"/css/old.css\">');</script>"), "<link is not <li")
        XCTAssertNil(sign("<p>模板写法 {{ 不在列表里 }}</p>"))
        XCTAssertNil(sign("<ul><li><a href=\"/a.html\">标题</a> 2022-10-28</li></ul><script>$('.tab li').click(function(){ $(this).addClass('on'); });</script>"))
    }

    func testScriptTextDoesNotLeakIntoPageText() {
        let m = html("<ul><script>document.write('<li><a href=\"x\">写入的标题</a></li>');</script></ul><p>正文</p>")
        XCTAssertFalse(m.allText.contains("写入的标题"))
        XCTAssertTrue(m.links.filter { $0.kind == .a }.isEmpty)
    }
}
