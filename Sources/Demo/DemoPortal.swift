package import LocalServer
package import Foundation
package import Vocabulary

/// The two in-process servers of the demo: the portal and a stand-in for the
/// outside world (scope is host:port, so a second port on 127.0.0.1 is "external").
package struct DemoServers: Sendable {
    package let portal: LocalServer
    package let external: LocalServer

    package func stop() {
        portal.stop()
        external.stop()
    }
}

package enum DemoError: Error, CustomStringConvertible {
    case badDate(String)
    package var description: String {
        switch self {
        case .badDate(let text): "demo: \"\(text)\" is not a date (YYYY-MM-DD)"
        }
    }
}

/// The bundled demo district portal, 示范区人民政府 (fictional; site code 1101990001),
/// served from the `portal` resource folder. Its planted defects are listed in
/// `portal/EXPECTED.json` (`DemoPortal.expected`).
package enum DemoPortal {
    /// Starts the external server, then the portal; nothing but 127.0.0.1 is touched.
    package static func serve(asOf: DemoDate) throws -> DemoServers {
        let external = try LocalServer { respondExternal($0) }
        let externalBase = external.baseURL
        do {
            let portal = try LocalServer { respond($0, asOf: asOf, externalBase: externalBase) }
            return DemoServers(portal: portal, external: external)
        } catch {
            external.stop()
            throw error
        }
    }

    /// The same, as of a day of the sweep's calendar.
    package static func serve(asOf: Day) throws -> DemoServers { try serve(asOf: DemoDate(asOf)) }

    /// The demo's `--departments` CSV (pattern,department), inside the bundle.
    package static var departmentsCSVPath: String? {
        guard let url = root?.appendingPathComponent(expected.departmentsCSV),
            FileManager.default.fileExists(atPath: url.path)
        else { return nil }
        return url.path
    }

    /// The portal's handler (testable without sockets).
    package static func respond(_ request: ServerRequest, asOf: DemoDate, externalBase: String) -> ServerResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .status(405, headers: [("Allow", "GET, HEAD")])
        }
        let path = request.path.isEmpty ? "/" : request.path
        if let redirect = expected.redirects.first(where: { $0.from == path }) {
            return .full(status: redirect.status, headers: [("Location", redirect.to)], body: [])
        }
        guard let root = portalRoot, !path.split(separator: "/").contains(".."),
            !expected.notServed.contains(path)
        else {
            return notFound()
        }
        var relative = String(path.dropFirst())
        var isDir: ObjCBool = false
        let directURL = root.appendingPathComponent(relative)
        if !relative.isEmpty, !path.hasSuffix("/"),
            FileManager.default.fileExists(atPath: directURL.path, isDirectory: &isDir), isDir.boolValue
        {
            return .full(status: 301, headers: [("Location", path + "/")], body: [])
        }
        if relative.isEmpty || path.hasSuffix("/") { relative += "index.html" }
        let fileURL = root.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: fileURL.path, isDirectory: &isDir), !isDir.boolValue,
            let data = FileManager.default.contents(atPath: fileURL.path)
        else {
            return notFound()
        }
        let ext = fileURL.pathExtension.lowercased()
        let isGBK = expected.gbkPrefixes.contains { path.hasPrefix($0) }
        var contentType = contentTypes[ext] ?? "application/octet-stream"
        if isGBK && (ext == "html" || ext == "htm") { contentType = "text/html" }
        var body = [UInt8](data)
        if textExtensions.contains(ext) {
            let host = request.headers["host"] ?? "127.0.0.1"
            body = DemoTokens.substitute(body, asOf: asOf, externalBase: externalBase, portalBase: "http://\(host)/", gbk: isGBK)
        }
        return .conditional(request, headers: [("Content-Type", contentType)], body: body)
    }

    /// The external stand-in's handler: the addresses listed in the manifest answer
    /// with their status (429 with Retry-After); anything else is 404.
    package static func respondExternal(_ request: ServerRequest) -> ServerResponse {
        guard let page = expected.external.first(where: { $0.path == request.path }) else {
            return .html(errorPage(404, "Not Found"), status: 404)
        }
        var headers: [(String, String)] = [("Content-Type", "text/html; charset=utf-8")]
        if let retry = page.retryAfter { headers.append(("Retry-After", String(retry))) }
        let html =
            page.status == 200
            ? "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>\(page.title)</title></head><body><h1>\(page.title)</h1><p>外部网站（演示）。</p></body></html>\n"
            : errorPage(page.status, page.title)
        return .full(status: page.status, headers: headers, body: request.method == "HEAD" ? [] : Array(html.utf8))
    }

    /// The parsed `portal/EXPECTED.json`.
    package static var expected: DemoManifest { manifest }

    /// The folder holding the portal files (nil only if the bundle is broken).
    package static var portalRoot: URL? { root }

    // MARK: - private

    private static let root: URL? = Bundle.module.url(forResource: "portal", withExtension: nil)

    private static let manifest: DemoManifest = {
        guard let url = root?.appendingPathComponent("EXPECTED.json"),
            let data = FileManager.default.contents(atPath: url.path)
        else {
            fatalError("demo portal: EXPECTED.json missing from the bundle")
        }
        do {
            return try JSONDecoder().decode(DemoManifest.self, from: data)
        } catch {
            fatalError("demo portal: EXPECTED.json does not parse: \(error)")
        }
    }()

    private static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8", "js": "application/javascript; charset=utf-8",
        "xml": "application/xml; charset=utf-8", "txt": "text/plain; charset=utf-8",
        "json": "application/json; charset=utf-8",
        "rss": "application/rss+xml; charset=utf-8", "atom": "application/atom+xml; charset=utf-8",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "pdf": "application/pdf", "doc": "application/msword", "xls": "application/vnd.ms-excel",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]
    private static let textExtensions: Set<String> = ["html", "htm", "css", "js", "xml", "txt", "json", "rss", "atom"]

    private static func notFound() -> ServerResponse {
        .html(errorPage(404, "页面不存在"), status: 404)
    }

    private static func errorPage(_ status: Int, _ title: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>\(status) \(title)</title></head><body><h1>\(status)</h1><p>\(title)</p></body></html>\n"
    }
}
