package import Foundation

/// Real government pages (from ../shared/real-pages, listed in its SOURCES.md), one copy each,
/// bundled as this target's resources (`RealPages/`) for every test target that reads one: the
/// parser's tests and the inspection's read the same bytes.
package enum RealPage {
    /// Where the page `name` (e.g. "govcn-gazette-2007-23.html") is.
    package static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "RealPages") else {
            throw Missing(name: name)
        }
        return url
    }

    /// The page's bytes, as the server sent them.
    package static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(name)))
    }

    /// Every page's file name, sorted.
    package static var names: [String] {
        (Bundle.module.urls(forResourcesWithExtension: "html", subdirectory: "RealPages") ?? []).compactMap(\.lastPathComponent).sorted()
    }

    /// A name that is not among the pages.
    package struct Missing: Error, CustomStringConvertible {
        package var name: String
        package var description: String { "no real page \(name) in Sources/InspectTesting/RealPages" }
    }
}
