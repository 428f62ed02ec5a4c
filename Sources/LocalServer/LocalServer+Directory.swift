import Foundation

extension LocalServer {
    /// Serves files under `root`: `index.html` for directories, a content type by
    /// extension, 404 for anything missing or outside `root` (no `..` escapes).
    package static func directoryHandler(root: String) -> @Sendable (ServerRequest) -> ServerResponse {
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        return { request in
            guard request.method == "GET" || request.method == "HEAD" else { return .status(405, headers: [("Allow", "GET, HEAD")]) }
            var parts: [String] = []
            for p in request.path.split(separator: "/") {
                if p == "." || p.isEmpty { continue }
                if p == ".." || p.contains("\0") { return .text("not found", status: 404) }
                parts.append(String(p))
            }
            var path = ([base] + parts).joined(separator: "/")
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return .text("not found", status: 404) }
            if isDir.boolValue {
                if !request.path.hasSuffix("/") { return .redirect(request.path + "/", status: 301) }
                path += "/index.html"
            }
            // Symlinks must not lead out of root either.
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let resolvedBase = URL(fileURLWithPath: base).resolvingSymlinksInPath().path
            guard resolved == resolvedBase || resolved.hasPrefix(resolvedBase + "/"),
                let data = FileManager.default.contents(atPath: path)
            else { return .text("not found", status: 404) }
            return .conditional(request, headers: [("Content-Type", contentType(forPath: path))], body: [UInt8](data))
        }
    }

    static func contentType(forPath path: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "html", "htm", "shtml": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "application/javascript; charset=utf-8"
        case "json": return "application/json"
        case "xml": return "application/xml"
        case "rss": return "application/rss+xml"
        case "atom": return "application/atom+xml"
        case "txt": return "text/plain; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "svg": return "image/svg+xml"
        case "ico": return "image/x-icon"
        case "pdf": return "application/pdf"
        case "doc": return "application/msword"
        case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "xls": return "application/vnd.ms-excel"
        case "xlsx": return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "zip": return "application/zip"
        default: return "application/octet-stream"
        }
    }
}
