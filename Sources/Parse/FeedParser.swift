internal import CLibXML2
import Foundation

/// A new-media account's feed, as a self-hosted feed bridge serves it (RSS 2.0, RSS 1.0,
/// Atom or JSON Feed): its title and its items' titles and raw date strings. Dates stay
/// text here; the inspection reads them (RFC 822, RFC 3339, Chinese forms) in China time.
package struct Feed: Sendable, Equatable {
    package enum Format: String, Sendable { case rss, rdf, atom, json }
    package struct Item: Sendable, Equatable {
        package var title: String
        /// `pubDate`, `dc:date`, `updated`/`published`, `date_published`/`date_modified`; nil when absent.
        package var date: String?
        package init(title: String, date: String?) { self.title = title; self.date = date }
    }
    package var format: Format
    package var title: String
    package var items: [Item]
}

/// Why a body is not a feed (each case says which, for the finding's evidence).
package enum FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLarge(Int)
    /// Entity declarations (a DTD) are refused: no expansion, no external fetch.
    case entities
    case malformedXML(String)
    /// Well-formed, but not a feed: an HTML page, or another XML root.
    case notAFeed(String)
    case badJSON(String)

    package var description: String {
        switch self {
        case .empty: "empty body"
        case .tooLarge(let n): "body of \(n) bytes exceeds the feed size limit"
        case .entities: "XML declares entities (DTD), refused"
        case .malformedXML(let why): "malformed XML: \(why)"
        case .notAFeed(let what): "not a feed: \(what)"
        case .badJSON(let why): "not a JSON Feed: \(why)"
        }
    }
}

/// Parses feeds: XML with libxml2's XML parser (no network, no entity substitution, size
/// bounded), JSON Feed with Foundation's decoder.
package enum FeedParser {
    /// Feeds are small; a bigger body is not a feed worth reading.
    package static let maxBytes = 4 * 1024 * 1024

    package static func parse(_ bytes: [UInt8]) -> Result<Feed, FeedError> {
        guard bytes.count <= maxBytes else { return .failure(.tooLarge(bytes.count)) }
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else { return .failure(.empty) }
        if bytes[start] == UInt8(ascii: "{") { return parseJSON(Array(bytes[start...])) }
        guard bytes[start] == UInt8(ascii: "<") else { return .failure(.notAFeed("neither XML nor JSON")) }
        return parseXML(bytes)
    }

    // MARK: JSON Feed (https://jsonfeed.org/version/1.1)

    private struct JSONFeed: Decodable {
        struct Item: Decodable {
            var title: String?
            var content_text: String?
            var date_published: String?
            var date_modified: String?
        }
        var version: String
        var title: String?
        var items: [Item]
    }

    static func parseJSON(_ bytes: [UInt8]) -> Result<Feed, FeedError> {
        let doc: JSONFeed
        do { doc = try JSONDecoder().decode(JSONFeed.self, from: Data(bytes)) } catch {
            return .failure(.badJSON(jsonProblem(error)))
        }
        guard doc.version.contains("jsonfeed.org") else { return .failure(.badJSON("version \"\(doc.version)\" is not a jsonfeed.org version")) }
        let items = doc.items.map { i in
            Feed.Item(title: i.title ?? String((i.content_text ?? "").prefix(40)), date: i.date_published ?? i.date_modified)
        }
        return .success(Feed(format: .json, title: doc.title ?? "", items: items))
    }

    private static func jsonProblem(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "invalid JSON"
        }
    }

    // MARK: XML (RSS 2.0, RSS 1.0, Atom)

    /// No network, no entity substitution (XML_PARSE_NOENT off), no huge-document mode,
    /// errors silenced (they come back as the result).
    static let xmlOptions = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue)

    static func parseXML(_ bytes: [UInt8]) -> Result<Feed, FeedError> {
        // A DTD with entity declarations is how XML bombs and external entities arrive.
        if containsEntityDeclaration(bytes) { return .failure(.entities) }
        let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlReadMemory($0, Int32(buf.count), "feed.xml", nil, xmlOptions)
            }
        }
        guard let doc else {
            let why = xmlGetLastError().map { String(cString: $0.pointee.message).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "parse error"
            return .failure(.malformedXML("\(why.isEmpty ? "parse error" : why)"))
        }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { return .failure(.malformedXML("no root element")) }
        switch name(root) {
        case "rss":
            guard let channel = children(root).first(where: { name($0) == "channel" }) else {
                return .failure(.notAFeed("<rss> without <channel>"))
            }
            let items = children(channel).filter { name($0) == "item" }.map { item in
                Feed.Item(
                    title: childText(item, "title") ?? "",
                    date: childText(item, "pubDate") ?? childText(item, "date") ?? childText(item, "updated"))
            }
            return .success(Feed(format: .rss, title: childText(channel, "title") ?? "", items: items))
        case "RDF":
            let channel = children(root).first { name($0) == "channel" }
            let items = children(root).filter { name($0) == "item" }.map { item in
                Feed.Item(title: childText(item, "title") ?? "", date: childText(item, "date") ?? childText(item, "pubDate"))
            }
            return .success(Feed(format: .rdf, title: channel.flatMap { childText($0, "title") } ?? "", items: items))
        case "feed":
            let items = children(root).filter { name($0) == "entry" }.map { entry in
                Feed.Item(
                    title: childText(entry, "title") ?? "",
                    date: childText(entry, "published") ?? childText(entry, "updated") ?? childText(entry, "issued"))
            }
            return .success(Feed(format: .atom, title: childText(root, "title") ?? "", items: items))
        case let other:
            return .failure(.notAFeed(other.lowercased() == "html" ? "an HTML page" : "root element <\(other)>"))
        }
    }

    static func containsEntityDeclaration(_ bytes: [UInt8]) -> Bool {
        let needle = Array("<!ENTITY".utf8)
        // Only the prolog can declare entities: look before the first element's content.
        let limit = min(bytes.count, 64 * 1024)
        guard limit >= needle.count else { return false }
        for i in 0...(limit - needle.count) where bytes[i] == needle[0] {
            if Array(bytes[i..<i + needle.count]) == needle { return true }
        }
        return false
    }

    private static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    private static func children(_ node: xmlNodePtr) -> [xmlNodePtr] {
        var out: [xmlNodePtr] = []
        var c = node.pointee.children
        while let n = c {
            if n.pointee.type == XML_ELEMENT_NODE { out.append(n) }
            c = n.pointee.next
        }
        return out
    }

    /// The trimmed text of the first child element called `local` (any namespace).
    private static func childText(_ node: xmlNodePtr, _ local: String) -> String? {
        guard let child = children(node).first(where: { name($0) == local }), let raw = xmlNodeGetContent(child) else { return nil }
        defer { gs_xml_free(raw) }
        let text = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
