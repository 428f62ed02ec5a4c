import Foundation

/// The items a script-filled page carries in the static page itself (数据岛): Hanweb (大汉)
/// jpage's `<script type="text/xml"><datastore><recordset><record><![CDATA[<li>…</li>]]></record>…`
/// and an inline JSON array of items with a title, a link and a date. The builder reads them
/// as list items where the script sits (the block that shows them), through the same libxml2
/// parse, so the column, home-page and reply rules judge them like static items.
enum DataIsland {
    /// The records' markup of a datastore, in a list container (`<ul>`, or a list table for
    /// table rows), and how many records; nil when it holds none. CDATA records only (what
    /// jpage writes); a record's markup is taken as it is.
    static func datastoreMarkup(_ p: UnsafePointer<UInt8>, _ n: Int) -> (markup: [UInt8], records: Int)? {
        guard let set = ScriptFill.find(p, n, "<recordset") else { return nil }
        var out: [UInt8] = []
        var records = 0
        var i = set + 10
        while let r = ScriptFill.find(p + i, n - i, "<record") {
            var at = i + r + 7
            guard at < n else { break }
            // `<record>` or `<record attr…>`, not `<recordset>` or `<recordcount>`.
            guard p[at] == UInt8(ascii: ">") || p[at] == 0x20 || p[at] == 0x09 || p[at] == 0x0A else {
                i = at
                continue
            }
            guard let close = ScriptFill.find(p + at, n - at, "</record>") else { break }
            let end = at + close
            if let open = ScriptFill.find(p + at, end - at, "<![CDATA[") {
                at += open + 9
                let stop = ScriptFill.find(p + at, end - at, "]]>").map { at + $0 } ?? end
                out.append(contentsOf: UnsafeBufferPointer(start: p + at, count: stop - at))
                out.append(0x0A)
                records += 1
            }
            i = end + 9
        }
        guard records > 0 else { return nil }
        return (wrap(out), records)
    }

    /// Records that are table rows go in a list table; anything else in a `ul`.
    private static func wrap(_ rows: [UInt8]) -> [UInt8] {
        var k = 0
        while k < rows.count, rows[k] <= 0x20 { k += 1 }
        let isRow = k + 2 < rows.count && rows[k] == 0x3C && rows[k + 1] | 0x20 == 0x74 && rows[k + 2] | 0x20 == 0x72
        let (open, close) = isRow ? ("<table class=\"list\">", "</table>") : ("<ul>", "</ul>")
        return Array(open.utf8) + rows + Array(close.utf8)
    }

    /// One item of an inline JSON array.
    struct Item: Equatable {
        var title: String
        var link: String
        var date: String
    }

    /// The key names, lowercased and without `_`, that an item's title, link and date go by in
    /// the JSON of CMS list endpoints and inline data (TRS `DOCTITLE`/`DOCPUBURL`/`DOCRELTIME`,
    /// `fbrq` 发布日期, `bt` 标题).
    static let titleKeys: Set<String> = ["title", "doctitle", "name", "bt", "subject", "biaoti", "maintitle"]
    static let linkKeys: Set<String> = ["url", "link", "href", "docurl", "docpuburl", "path", "linkurl", "pageurl"]
    static let dateKeys: Set<String> = [
        "date", "time", "pubdate", "publishdate", "publishtime", "pubtime", "docreltime", "createtime", "fbrq",
        "releasedate", "docdate", "fbsj", "inputtime", "created",
    ]

    /// Items of the first inline JSON array of objects (`[{…}, …]`) in a script whose every
    /// object has exactly one title, one link and one date key, all strings, the date with a
    /// year (20xx): the shape is then unambiguous. nil otherwise (JavaScript object literals
    /// with unquoted keys are not read: a browser render sees them).
    static func jsonItems(_ p: UnsafePointer<UInt8>, _ n: Int) -> [Item]? {
        var i = 0
        while let at = ScriptFill.find(p + i, n - i, "[") {
            let start = i + at
            var k = start + 1
            while k < n, p[k] == 0x20 || p[k] == 0x0A || p[k] == 0x0D || p[k] == 0x09 { k += 1 }
            if k < n, p[k] == UInt8(ascii: "{") {
                // (An array that does not close here closes nowhere after: each byte is scanned once.)
                guard let end = arrayEnd(p, n, from: start) else { return nil }
                if let items = items(Data(bytes: p + start, count: end - start)) { return items }
                i = end
                continue
            }
            i = start + 1
        }
        return nil
    }

    /// The offset just past the `]` that closes the array opened at `start` (strings skipped).
    private static func arrayEnd(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> Int? {
        var depth = 0
        var i = start
        var quote: UInt8 = 0
        while i < n {
            let c = p[i]
            if quote != 0 {
                if c == 0x5C { i += 1 } else if c == quote { quote = 0 }
            } else if c == 0x22 {
                quote = c
            } else if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                depth += 1
            } else if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return nil
    }

    private static func items(_ data: Data) -> [Item]? {
        guard let array = (try? JSONSerialization.jsonObject(with: data)) as? [Any], !array.isEmpty else { return nil }
        var out: [Item] = []
        out.reserveCapacity(array.count)
        for element in array {
            guard let object = element as? [String: Any] else { return nil }
            var title: String?, link: String?, date: String?
            for (key, value) in object {
                let k = key.lowercased().replacingOccurrences(of: "_", with: "")
                let role = titleKeys.contains(k) ? 0 : linkKeys.contains(k) ? 1 : dateKeys.contains(k) ? 2 : -1
                guard role >= 0 else { continue }
                // Two keys of one role (a `title` and a `name`): not unambiguous.
                guard let s = value as? String, !s.isEmpty, [title, link, date][role] == nil else { return nil }
                if role == 0 { title = s } else if role == 1 { link = s } else { date = s }
            }
            guard let title, let link, let date, hasYear(date) else { return nil }
            out.append(Item(title: title, link: link, date: date))
        }
        return out
    }

    private static func hasYear(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count >= 4 else { return false }
        for i in 0...(u.count - 4) where u[i] == 0x32 && u[i + 1] == 0x30 && (0x30...0x39).contains(u[i + 2]) && (0x30...0x39).contains(u[i + 3]) {
            return true
        }
        return false
    }

    /// The items as list markup: `<ul><li><a href=…>title</a> <span>date</span></li>…</ul>`.
    static func markup(_ items: [Item]) -> [UInt8] {
        var s = "<ul>"
        for item in items {
            s += "<li><a href=\"\(escape(item.link))\">\(escape(item.title))</a> <span>\(escape(item.date))</span></li>\n"
        }
        s += "</ul>"
        return Array(s.utf8)
    }

    private static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

extension PageBuilder {
    /// At an inline script's end: the items of a data island in it, read into the page where the
    /// script sits; true when there were any (the script is then no sign of a script-filled list).
    func readDataIsland(kind: InlineScriptKind) -> Bool {
        let p = UnsafePointer(scriptText.base), n = scriptText.count
        var markup: [UInt8]
        switch kind {
        case .xml:
            guard let store = DataIsland.datastoreMarkup(p, n) else { return false }
            markup = store.markup
            model.islandItems += store.records
        case .code:
            // A quoted key (`"title":`) first: most scripts are code, and the array scan and
            // the JSON parse then run for the few that hold data.
            guard ScriptFill.find(p, n, "\":") != nil, let items = DataIsland.jsonItems(p, n) else { return false }
            markup = DataIsland.markup(items)
            model.islandItems += items.count
        case .template:
            return false
        }
        // (A copy: the script buffer is reused if the records hold a script.)
        markup.withUnsafeBufferPointer { PageParser.feed($0, into: self) }
        return true
    }
}
