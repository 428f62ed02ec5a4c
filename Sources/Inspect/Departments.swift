import Foundation

/// Who owns what: URL prefixes mapped to responsible departments (`--departments`,
/// CSV `pattern,department`). A pattern is a path prefix ("/bm/jw/") or an absolute
/// URL prefix ("http://host/bm/jw/"); the longest match wins.
package struct DepartmentMap: Sendable, Equatable {
    package struct Entry: Sendable, Equatable {
        package var pattern: String
        package var department: String
        package init(pattern: String, department: String) { self.pattern = pattern; self.department = department }
    }
    package private(set) var entries: [Entry]

    package init(_ entries: [Entry] = []) {
        // Longest pattern first, so the first match is the longest.
        self.entries = entries.sorted { $0.pattern.utf8.count > $1.pattern.utf8.count }
    }

    /// The department responsible for `url`, "" when none matches.
    package func department(for url: String) -> String {
        guard !entries.isEmpty else { return "" }
        let path = DepartmentMap.pathAndQuery(of: url)
        for e in entries {
            if e.pattern.hasPrefix("/") {
                if path.hasPrefix(e.pattern) { return e.department }
            } else if url.hasPrefix(e.pattern) {
                return e.department
            }
        }
        return ""
    }

    static func pathAndQuery(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }
}
