import Foundation
import XCTest
@testable import Parse

final class PageModelTests: XCTestCase {
    func testHeadFields() {
        let p = html(
            """
            <!DOCTYPE html><html lang="zh-CN"><head>
            <meta charset="utf-8"><meta name="SiteIDCode" content="1101020001">
            <meta name="PubDate" content="2022-10-28 09:00"><meta property="og:title" content="标题">
            <meta http-equiv="refresh" content="5; url=/new/">
            <base href=" http://example.gov.cn/base/ ">
            <title>  区政府
               门户网站 </title>
            <link rel="stylesheet" href="/a.css"><script src="/a.js"></script>
            </head><body></body></html>
            """)
        XCTAssertEqual(p.lang, "zh-CN")
        XCTAssertEqual(p.title, "区政府 门户网站")
        XCTAssertEqual(p.baseHref, "http://example.gov.cn/base/")
        XCTAssertEqual(p.meta("siteidcode"), "1101020001")
        XCTAssertEqual(p.meta("PubDate"), "2022-10-28 09:00")
        XCTAssertEqual(p.httpEquiv("Refresh"), "5; url=/new/")
        XCTAssertTrue(p.metas.contains { $0.charset == "utf-8" })
        XCTAssertTrue(p.metas.contains { $0.property == "og:title" && $0.content == "标题" })
        XCTAssertEqual(p.links.map(\.kind), [.link, .script])
        XCTAssertEqual(p.links.map(\.block), [-1, -1])
        XCTAssertEqual(p.links[0].rel, "stylesheet")

        let bare = html("<p>no title, no lang</p>")
        XCTAssertNil(bare.title)
        XCTAssertNil(bare.lang)
        XCTAssertNil(bare.baseHref)
    }

    func testMetaNamesCompareIgnoringCase() {
        let p = PageParser.parse(
            Array(
                """
                <html><head><meta name="siteidcode" content="1"><meta name="ColumnNAME" content="要闻"><meta name="Straße" content="x">
                <meta http-equiv="Content-Type" content="text/html"></head><body></body></html>
                """.utf8), url: "http://a.gov.cn/", contentType: nil)
        XCTAssertEqual(p.meta("SiteIDCode"), "1")
        XCTAssertEqual(p.meta("columnname"), "要闻")
        XCTAssertNil(p.meta("SiteIDCod"))
        XCTAssertNil(p.meta("ColumnNamf"))
        XCTAssertEqual(p.meta("STRASSE") ?? p.meta("straße"), "x")  // non-ASCII: lowercased() decides
        XCTAssertEqual(p.httpEquiv("content-type"), "text/html")
        XCTAssertTrue(PageModel.sameIgnoringCase("ÄB", "äb"))
        XCTAssertFalse(PageModel.sameIgnoringCase("ab", "abc"))
    }

    func testUpperCaseMarkup() {
        let p = html(
            "<HTML LANG=zh><HEAD><META NAME=PubDate CONTENT='2022-01-02'><TITLE>大写</TITLE></HEAD><BODY><DIV CLASS=Footer><A HREF='/x' TITLE='t'>链接</A></DIV></BODY></HTML>"
        )
        XCTAssertEqual(p.lang, "zh")
        XCTAssertEqual(p.title, "大写")
        XCTAssertEqual(p.meta("pubdate"), "2022-01-02")
        XCTAssertEqual(p.links.first?.href, "/x")
        XCTAssertEqual(p.links.first?.title, "t")
        XCTAssertEqual(p.links.first?.region, .footer)
    }

    func testLinksKindsAndSkippedSchemes() {
        let p = html(
            """
            <body><p>
            <a href="/ok">一</a> <a href="javascript:void(0)">js</a> <a href="JavaScript:;">js</a>
            <a href="mailto:a@b.cn">mail</a> <a href="tel:12345">tel</a> <a href="data:text/plain,x">data</a>
            <a href="">empty</a> <a href="#">hash</a> <a href="#top">top</a> <a>no href</a>
            <img src="/i.png" alt="图"><iframe src="/f.html" title="框"></iframe>
            <map><area href="/area" alt="区域"></map>
            <video><source src="/v.mp4"></video>
            <form action="/search"><input name="q"></form>
            </p></body>
            """)
        XCTAssertEqual(p.links.map(\.href), ["/ok", "#top", "/i.png", "/f.html", "/area", "/v.mp4", "/search"])
        XCTAssertEqual(p.links.map(\.kind), [.a, .a, .img, .iframe, .area, .source, .form])
        XCTAssertEqual(p.links.first { $0.kind == .area }?.text, "区域")
        // Snippets are kept where a rule can report them: images, areas and frames always, an
        // anchor only without text; never a source or a form action.
        XCTAssertEqual(p.links.map { !$0.snippet.isEmpty }, [false, false, true, true, true, false, false])
        XCTAssertTrue(p.links.allSatisfy { $0.snippet.count <= 200 })
        XCTAssertEqual(p.links[2].snippet, "<img src=\"/i.png\" alt=\"图\">")
        XCTAssertEqual(p.frames.map(\.title), ["框"])
    }

    func testAnchorTextNamesAndSnippetLimit() {
        let long = String(repeating: "x", count: 400)
        let p = html(
            """
            <body><div id="lbl">栏目 名称</div>
            <a href="/1" title="提示" aria-label="标签" rel="noopener" role="button"><img src="/l.png" alt="徽标">政务 公开</a>
            <a href="/2" aria-labelledby="lbl missing"></a>
            <a href="/3" class="\(long)">长</a>
            <a href="/4" class="\(long)"><i class="icon"></i>\u{2003}</a>
            </body>
            """)
        let a = p.links.filter { $0.kind == .a }
        XCTAssertEqual(a[0].text, "徽标政务 公开")
        XCTAssertEqual(a[0].title, "提示")
        XCTAssertEqual(a[0].ariaLabel, "标签")
        XCTAssertEqual(a[0].rel, "noopener")
        XCTAssertEqual(a[0].role, "button")
        XCTAssertEqual(a[1].text, "")
        XCTAssertEqual(a[1].labelledByText, "栏目 名称")
        XCTAssertEqual(a[1].snippet, "<a href=\"/2\" aria-labelledby=\"lbl missing\">")
        XCTAssertEqual(a[2].snippet, "", "a link with text is never reported: no snippet kept")
        XCTAssertEqual(a[3].snippet.count, 200)
        XCTAssertTrue(a[3].snippet.hasPrefix("<a href=\"/4\" class=\"xxx"))
    }

    func testImagesAltNilVersusEmpty() {
        let p = html(
            """
            <body><img src="/a.png"><img src="/b.png" alt=""><img src="/c.png" alt="说明" role="presentation" title="t">
            <input type="image" src="/go.png"><map><area href="/x" shape="rect"><area href="/y" alt="乙"></map>
            <img src="/d.png" aria-labelledby="cap"><p id="cap">图片说明</p></body>
            """)
        XCTAssertEqual(p.images.map(\.element.rawValue), ["img", "img", "img", "input", "area", "area", "img"])
        XCTAssertNil(p.images[0].alt)
        XCTAssertEqual(p.images[1].alt, "")
        XCTAssertEqual(p.images[2].alt, "说明")
        XCTAssertEqual(p.images[2].role, "presentation")
        XCTAssertEqual(p.images[2].title, "t")
        XCTAssertNil(p.images[3].alt)
        XCTAssertEqual(p.images[3].src, "/go.png")
        XCTAssertNil(p.images[4].alt)
        XCTAssertEqual(p.images[5].alt, "乙")
        XCTAssertEqual(p.images[6].labelledByText, "图片说明")
    }

    func testControlNames() {
        let p = html(
            """
            <body><form>
            <label for="q">关键字</label><input id="q" name="q">
            <label>姓名 <input name="name"></label>
            <input name="a" aria-label="地址">
            <span id="phoneLbl">电话</span><input name="phone" aria-labelledby="phoneLbl">
            <input name="t" title="标题">
            <input name="p" placeholder="请输入关键字搜索">
            <input name="none">
            <select id="s"><option>北京</option></select><label for="s">城市</label>
            <textarea name="body"></textarea>
            <button type="submit"><img src="/s.png" alt="搜索"></button>
            <button></button>
            <input type="submit" value="提交"><input type="submit"><input type="button">
            <input type="image" src="/go.png" alt="前往">
            <input type="hidden" name="token" value="x">
            </form></body>
            """)
        let names = p.controls.map { $0.accessibleName }
        XCTAssertEqual(
            names,
            [
                "关键字", "姓名", "地址", "电话", "标题", "请输入关键字搜索", nil, "城市", nil,
                "搜索", nil, "提交", "Submit", nil, "前往", nil,
            ])
        XCTAssertEqual(
            p.controls.map(\.element.rawValue),
            [
                "input", "input", "input", "input", "input", "input", "input", "select",
                "textarea", "button", "button", "input", "input", "input", "input", "input",
            ])
        XCTAssertEqual(p.controls[0].type, "text")
        XCTAssertEqual(p.controls[9].type, "submit")
        XCTAssertEqual(p.controls.last?.type, "hidden")
        XCTAssertEqual(p.controls.last?.hidden, true)
        XCTAssertEqual(p.controls[0].id, "q")
        XCTAssertEqual(p.controls[0].name, "q")
        // Text typed in a textarea or an option list is not page text.
        XCTAssertFalse(p.blocks.contains { $0.text.contains("keyword") })
    }

    func testDuplicateIDsHeadingsAndHidden() {
        let p = html(
            """
            <body><div id="a"></div><div id="b"><span id="a"></span></div><p id="a"></p><i id="c"></i><b id="c"></b>
            <h1>市政府 <img src="/logo.png" alt="门户"></h1><h2>  </h2><h3 hidden>隐藏</h3>
            <div style="DISPLAY : none"><a href="/h1">一</a><img src="/h.png" alt=""></div>
            <div aria-hidden="true"><p><a href="/h2">二</a></p></div>
            <div style="visibility:hidden"><a href="/h3">三</a></div>
            <a href="/v">可见</a>
            </body>
            """)
        XCTAssertEqual(p.duplicateIDs, ["a", "c"])
        XCTAssertEqual(p.headings.map(\.level), [1, 2, 3])
        XCTAssertEqual(p.headings.map(\.text), ["市政府 门户", "", "隐藏"])
        XCTAssertEqual(p.headings.map(\.hidden), [false, false, true])
        XCTAssertEqual(p.links.filter { $0.kind == .a }.map(\.hidden), [true, true, true, false])
        XCTAssertEqual(p.images.last?.hidden, true)
        XCTAssertEqual(p.blocks.first { $0.text == "二" }?.hidden, true)
    }

    func testScriptStyleNoscriptTextExcluded() {
        let p = html(
            """
            <body><div>正文<script>var s = "<p>脚本</p>";</script><style>p{color:red}</style>
            <noscript>请启用脚本</noscript><template><p>模板</p></template>结束</div></body>
            """)
        XCTAssertEqual(p.blocks.map(\.text), ["正文", "结束"])
    }

    func testBlocksAndListsMainVersusSidebar() {
        let p = html(
            """
            <body>
            <div class="header"><div class="logo"><img src="/logo.png" alt="区政府"></div>
              <ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul></div>
            <div class="main">
              <div class="list_con"><h2>通知公告</h2>
                <ul><li><a href="/tz/1.html">关于开展检查的通知</a><span>2022-10-28</span></li>
                    <li><a href="/tz/2.html">关于公示的通知</a><span>2022-10-20</span></li></ul>
                <ul><li><a href="/tz/3.html">第三条</a><span>2022-10-01</span></li></ul>
              </div>
              <div class="right"><h3>热门话题</h3><ul><li><a href="/rm/1.html">话题一</a></li></ul></div>
            </div>
            <div class="footer"><div class="content"><p>主办单位：某区人民政府办公室 京ICP备12345678号-1</p></div></div>
            </body>
            """)
        let items = p.blocks.filter { $0.tag == "li" }
        XCTAssertEqual(
            items.map(\.text),
            [
                "首页", "政务公开", "关于开展检查的通知2022-10-28", "关于公示的通知2022-10-20",
                "第三条2022-10-01", "话题一",
            ])
        XCTAssertEqual(items.map(\.region), [.nav, .nav, .main, .main, .main, .aside])
        // The two groups of the list-named div are one list; nav and sidebar are others.
        XCTAssertEqual(items[2].list, items[3].list)
        XCTAssertEqual(items[2].list, items[4].list)
        XCTAssertNotEqual(items[0].list, items[2].list)
        XCTAssertNotEqual(items[5].list, items[2].list)
        XCTAssertTrue(items.allSatisfy { $0.linkCount == 1 })
        XCTAssertEqual(p.links[items[2].firstLink].href, "/tz/1.html")
        XCTAssertEqual(p.links.first { $0.href == "/tz/1.html" }?.block, p.blocks.firstIndex(of: items[2]))
        let footer = p.blocks.filter { $0.region == .footer }
        XCTAssertEqual(footer.map(\.text), ["主办单位：某区人民政府办公室 京ICP备12345678号-1"])
        XCTAssertEqual(p.headings.map(\.region), [.main, .aside])
        XCTAssertEqual(p.images.first?.region, .header)
        XCTAssertGreaterThan(items[2].depth, 0)
    }

    func testLandmarksAndRoles() {
        let p = html(
            """
            <body><header><p>头部</p></header><nav><p>导航</p></nav><main><p>正文</p><aside><p>侧栏</p></aside></main>
            <div role="contentinfo"><p>版权</p></div><div role="navigation"><p>菜单</p></div><div><p>其他</p></div>
            <footer><div class="main"><p>页脚内容</p></div></footer>
            <div id="bottom"><p>底部</p></div><div class="mainNav"><p>主导航</p></div><div class="fwxx"><p>服务信息</p></div>
            </body>
            """)
        let region = Dictionary(p.blocks.filter { $0.tag == "p" }.map { ($0.text, $0.region) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(region["头部"], .header)
        XCTAssertEqual(region["导航"], .nav)
        XCTAssertEqual(region["正文"], .main)
        XCTAssertEqual(region["侧栏"], .aside)
        XCTAssertEqual(region["版权"], .footer)
        XCTAssertEqual(region["菜单"], .nav)
        XCTAssertEqual(region["其他"], .unknown)
        XCTAssertEqual(region["页脚内容"], .footer)
        XCTAssertEqual(region["底部"], .footer)
        XCTAssertEqual(region["主导航"], .nav)
        XCTAssertEqual(region["服务信息"], .footer)
    }

    func testNestedBlocksFlushAtBoundaries() {
        let p = html("<body><div>前言<p>段落<b>加粗</b>文字</p>后记<br>换行</div><table><tr><td>标题</td><td>2022-01-01</td></tr></table></body>")
        XCTAssertEqual(p.blocks.map(\.text), ["前言", "段落加粗文字", "后记 换行", "标题 2022-01-01"])
        XCTAssertEqual(p.blocks.map(\.tag), ["div", "p", "div", "tr"])
        XCTAssertEqual(p.blocks[3].list >= 0, true)
    }

    func testTruncatedPageStillParses() {
        let full = """
            <html><head><title>截断</title></head><body><ul class="list"><li><a href="/1">第一条</a></li>
            <li><a href="/2">第二条</a></li><li><a href="/3" title="第三
            """
        let p = html(full)
        XCTAssertEqual(p.title, "截断")
        XCTAssertEqual(p.links.map(\.href).prefix(2), ["/1", "/2"])
        XCTAssertTrue(p.blocks.contains { $0.text == "第二条" })

        // Cut inside a tag name and inside a comment, and an empty body.
        XCTAssertEqual(html("<p>文字</p><di").blocks.first?.text, "文字")
        XCTAssertEqual(html("<p>文字</p><!-- 注释").blocks.first?.text, "文字")
        XCTAssertTrue(html("").blocks.isEmpty)
        XCTAssertNil(html("").title)
    }

    func testAccessibleNamesAndNamedElements() {
        let p = html(
            """
            <html xml:lang="zh-CN"><body>
            <a href="/a"><span style="display:none">隐藏</span>可见</a><div hidden><a href="/h"><b>藏</b></a></div>
            <h2><a href="/b" style="display:none">藏</a></h2><h3><i aria-label="图标"></i></h3><h4 title="提示"></h4>
            <a href="/c"><img src="/c.png" title="微信"></a><a href="#" title="顶部"></a><a href="javascript:;"></a>
            <span role="button" tabindex="0">按钮</span><div role="img"></div><div role="heading" aria-labelledby="t"></div><p id="t">标题</p>
            <a href="/d" role="link"></a><img src="/e.png" role="img"><h5 role="heading"></h5>
            <iframe src="/f" role="none" tabindex="-1"></iframe><iframe src="/g" aria-labelledby="t"></iframe>
            <label>搜索<input type="image" src="/s.png"></label>
            </body></html>
            """)
        XCTAssertNil(p.lang)
        XCTAssertEqual(p.xmlLang, "zh-CN")
        let a = p.links.filter { $0.kind == .a }
        // Text hidden inside a shown link leaves its text; a hidden link keeps all of its own.
        XCTAssertEqual(a.map(\.text), ["可见", "藏", "藏", "", ""])
        XCTAssertEqual(a.map(\.accessibleName), ["可见", "藏", "藏", "微信", nil])
        XCTAssertEqual(p.headings.map(\.accessibleName), [nil, "图标", "提示", nil])
        XCTAssertEqual(p.headings.map(\.text), ["", "", "", ""])
        // `#` and javascript: anchors and ARIA roles, in document order; elements naming themselves are not repeated.
        XCTAssertEqual(p.namedElements.map(\.role), [.link, .link, .button, .img, .heading])
        XCTAssertEqual(p.namedElements.map(\.accessibleName), ["顶部", nil, "按钮", nil, "标题"])
        XCTAssertEqual(p.namedElements[1].snippet, "<a href=\"javascript:;\">")
        XCTAssertEqual(p.namedElements[3].snippet, "<div role=\"img\">")
        XCTAssertEqual(p.namedElements[0].snippet, "", "named: no snippet kept")
        XCTAssertEqual(p.frames.map(\.role), ["none", nil])
        XCTAssertEqual(p.frames.map(\.tabIndex), [-1, nil])
        XCTAssertEqual(p.frames.map(\.accessibleName), [nil, "标题"])
        XCTAssertEqual(p.images.last?.element, .input)
        XCTAssertEqual(p.images.last?.accessibleName, "搜索")
    }
}
