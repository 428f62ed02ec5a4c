import XCTest
@testable import Parse

/// Items a script-filled page carries in the static page (Hanweb datastores, inline JSON),
/// read as list items of the page, in the block where the script sits.
final class DataIslandTests: XCTestCase {
    /// A Hanweb (大汉) column page as jpage writes it: the list container, the datastore with
    /// the records as CDATA, the pager's next group, and the script that pages through them.
    static let hanwebColumn = """
        <html><head><title>通知公告_江临市人民政府</title><meta name="ColumnName" content="通知公告"></head>
        <body><div class="header"><a href="/">首页</a></div>
        <div class="main"><div class="bt-position">当前位置：<a href="/">首页</a> &gt; 通知公告</div>
        <div id="4711"><script type="text/xml"><datastore>
        <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=4711&unitid=9&webname=x&permissiontype=0"></a>]]></nextgroup>
        <recordset>
        <record><![CDATA[
        <li><a href="/art/2026/11/28/art_4711_101.html" title="关于开展冬季安全检查的通知" target="_blank">关于开展冬季安全检查的通知</a><span class="bt-data-time">2026-11-28</span></li>
        ]]></record>
        <record><![CDATA[
        <li><a href="/art/2026/11/20/art_4711_100.html" title="关于公布第三批名录的通告" target="_blank">关于公布第三批名录的通告</a><span class="bt-data-time">2026-11-20</span></li>
        ]]></record>
        <record><![CDATA[
        <li><a href="/art/2026/10/09/art_4711_99.html" title="江临市征集意见的公告" target="_blank">江临市征集意见的公告</a><span class="bt-data-time">2026-10-09</span></li>
        ]]></record>
        </recordset></datastore></script>
        <script language="javascript" src="/module/web/jpage/jpage.js"></script>
        <script>$(document).ready(function(){ var pageSize = 15; $('#4711').jpage({ dataStore: 'datastore', perPage: 15 }); });</script>
        </div></div>
        <div class="footer">版权所有：江临市人民政府</div></body></html>
        """

    func testHanwebDatastoreRecordsAreListItems() {
        let page = html(Self.hanwebColumn)
        XCTAssertEqual(page.islandItems, 3)
        XCTAssertNil(page.scriptFill, "records read: the static page shows the list")
        let rows = page.blocks.filter { $0.tag == "li" }
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[0].text, "关于开展冬季安全检查的通知2026-11-28")
        XCTAssertEqual(rows[0].region, .main, "in the block where the page shows them")
        XCTAssertGreaterThanOrEqual(rows[0].list, 0)
        XCTAssertEqual(Set(rows.map(\.list)).count, 1, "one list")
        let hrefs = page.links.filter { $0.kind == .a }.map(\.href)
        XCTAssertTrue(hrefs.contains("/art/2026/11/28/art_4711_101.html"))
        XCTAssertEqual(page.links[rows[0].firstLink].text, "关于开展冬季安全检查的通知")
        // The page's text after the island is still read in order.
        XCTAssertTrue(page.blocks.last?.text.contains("版权所有") ?? false)
    }

    func testDatastoreOfTableRows() {
        let page = html(
            """
            <div id="9"><script type="text/xml"><datastore><recordset><record><![CDATA[<tr><td><a href="/a1.html">公告一</a></td><td>2026-11-01</td></tr>]]></record><record><![CDATA[<tr><td><a href="/a2.html">公告二</a></td><td>2026-10-01</td></tr>]]></record></recordset></datastore></script></div>
            """)
        let rows = page.blocks.filter { $0.tag == "tr" }
        XCTAssertEqual(rows.map(\.text), ["公告一 2026-11-01", "公告二 2026-10-01"])
        XCTAssertGreaterThanOrEqual(rows[0].list, 0, "a list table")
    }

    func testEmptyDatastoreStaysASign() {
        // Records fetched from dataproxy.jsp after load: nothing to read, the sign stays.
        let page = html("<div id=\"1\"><script type=\"text/xml\"><datastore><recordset></recordset></datastore></script></div>")
        XCTAssertEqual(page.scriptFill?.sign, .datastore)
        XCTAssertEqual(page.islandItems, 0)
    }

    func testInlineJSONItems() {
        let page = html(
            """
            <div class="main"><ul id="zwdt"></ul><script>
            var zwdtData = [{"title":"市政府召开常务会议","url":"/zwdt/202611/t20261127_5.html","pubDate":"2026-11-27","views":12},
              {"title":"副市长调研 \\"菜篮子\\" 工程","url":"/zwdt/202611/t20261120_4.html","pubDate":"2026-11-20","views":3}];
            document.getElementById('zwdt').innerHTML = zwdtData.map(function (d) { return '<li><a href="' + d.url + '">' + d.title + '</a></li>'; }).join('');
            </script></div>
            """)
        XCTAssertEqual(page.islandItems, 2)
        let rows = page.blocks.filter { $0.tag == "li" }
        XCTAssertEqual(rows.map(\.text), ["市政府召开常务会议 2026-11-27", "副市长调研 \"菜篮子\" 工程 2026-11-20"])
        XCTAssertEqual(rows[0].region, .main)
        XCTAssertTrue(page.links.contains { $0.href == "/zwdt/202611/t20261127_5.html" })
        // The script that writes them is no sign now; the empty container is a weak one.
        XCTAssertNotEqual(page.scriptFill?.sign, .listScript)
    }

    func testAmbiguousOrForeignJSONIsNotRead() {
        func items(_ script: String) -> Int { html("<div class=\"main\"><script>\(script)</script></div>").islandItems }
        // Two title keys, no date, a date without a year, unquoted keys, objects of another kind.
        XCTAssertEqual(items(#"var a = [{"title":"x","name":"y","url":"/a","date":"2026-01-01"}];"#), 0)
        XCTAssertEqual(items(#"var a = [{"title":"x","url":"/a"}];"#), 0)
        XCTAssertEqual(items(#"var a = [{"title":"x","url":"/a","date":"11-02"}];"#), 0)
        XCTAssertEqual(items("var a = [{title:'x',url:'/a',date:'2026-01-01'}];"), 0)
        XCTAssertEqual(items(#"var menu = [{"id":1,"text":"首页"}]; var a = [1, [2]];"#), 0)
        // One unambiguous array after a foreign one.
        XCTAssertEqual(items(#"var m = [{"id":1}]; var a = [{"DOC_TITLE":"x","DOCPUBURL":"/a.html","DOCRELTIME":"2026-01-01 10:00"}];"#), 1)
        // In the footer: not read (menus and badges).
        XCTAssertEqual(
            html(#"<div class="footer"><script>var a = [{"title":"x","url":"/a","date":"2026-01-01"}];</script></div>"#).islandItems, 0)
    }
}
