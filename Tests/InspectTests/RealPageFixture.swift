import Foundation

/// Real government pages used as fixtures. The ones the parser's tests already carry are read
/// from Tests/ParseTests/Fixtures rather than copied here.
enum RealPageFixture {
    static let aliases = [
        "pingtan-column-ghxx-gzjzqk.html": "pingtan-column.html",
        "zj-fgw-article-deqing.html": "zj-fgw-article.html",
        "govcn-gazette-2007-23.html": "govcn-gazette.html",
    ]

    static func url(_ name: String) -> URL {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let own = here.appendingPathComponent("Fixtures/\(name)")
        if FileManager.default.fileExists(atPath: own.path) { return own }
        return here.deletingLastPathComponent().appendingPathComponent("ParseTests/Fixtures/\(aliases[name] ?? name)")
    }
}
