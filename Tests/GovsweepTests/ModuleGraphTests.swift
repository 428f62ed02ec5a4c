import Foundation
import XCTest

/// The modules point one way (docs/ARCHITECTURE.md): every `import` of one of our modules in
/// Sources/ is one the module may make. SwiftPM checks the declared dependencies; this checks
/// the source against the architecture, so a new import that points up fails here first.
final class ModuleGraphTests: XCTestCase {
    /// What each module may import of ours (the C shims included). govsweep, the command line,
    /// may import anything.
    static let allowed: [String: Set<String>] = [
        "Vocabulary": [],
        "Fetch": ["Vocabulary", "CCurl"],
        "Parse": ["Vocabulary", "CLibXML2", "CBytes"],
        "Store": ["Vocabulary", "CSQLite"],
        "PGStore": ["Vocabulary", "Store"],
        "Crawl": ["Vocabulary", "Fetch", "Parse", "Store"],
        "Inspect": ["Vocabulary", "Parse", "CBytes"],
        "Report": ["Vocabulary", "Inspect"],
        "Render": [],
        "Sweep": ["Vocabulary", "Fetch", "Parse", "Store", "PGStore", "Crawl", "Inspect", "Report", "Render"],
        "Fleet": ["Vocabulary", "Store", "Sweep", "Report", "Inspect", "PGStore"],
        "LocalServer": ["Vocabulary"],
        "Demo": ["Vocabulary", "LocalServer"],
        "InspectTesting": ["Vocabulary", "Parse", "Inspect"],
    ]

    func testEveryModuleImportsOnlyWhatLiesBelowIt() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let fm = FileManager.default
        let modules = try fm.contentsOfDirectory(atPath: sources.path).filter { !$0.hasPrefix(".") }.sorted()
        let ours = Set(modules)
        XCTAssertEqual(ours.subtracting(["govsweep", "CCurl", "CLibXML2", "CSQLite", "CBytes"]), Set(Self.allowed.keys), "a module without its row here")
        var checked = 0
        for module in modules where module != "govsweep" {
            guard let allowed = Self.allowed[module] else { continue }
            let dir = sources.appendingPathComponent(module)
            let files = (fm.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }
            for file in files {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    // `import X`, `public import X`, `package import X`, `@testable import X`, `import struct X.Y`.
                    let words = line.split(separator: " ").map(String.init)
                    guard let i = words.firstIndex(of: "import"),
                        words[..<i].allSatisfy({ ["public", "package", "internal", "@_exported", "@preconcurrency", "@testable"].contains($0) }),
                        i + 1 < words.count
                    else { continue }
                    var target = words[i + 1]
                    if ["struct", "class", "enum", "protocol", "func", "var", "typealias"].contains(target), i + 2 < words.count { target = words[i + 2] }
                    let name = String(target.split(separator: ".").first ?? "")
                    guard ours.contains(name), name != module else { continue }
                    checked += 1
                    XCTAssertTrue(
                        allowed.contains(name), "Sources/\(module)/\(file):\(n + 1): \(module) imports \(name), which it may not (docs/ARCHITECTURE.md)")
                }
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    /// Inspect does no I/O (issue 14): its inputs arrive as bytes (Sweep's `InputFiles` reads
    /// the files, `AccountFeeds` fetches the feeds). A file call in Sources/Inspect fails here.
    func testInspectReadsNoFiles() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Inspect")
        let calls = ["FileManager", "contentsOfFile", "contentsOf: URL", "fopen(", "FileHandle", "URLSession"]
        let files = (FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }
        XCTAssertGreaterThan(files.count, 50)
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for call in calls where line.contains(call) {
                    XCTFail("Sources/Inspect/\(file):\(n + 1): \(call): Inspect does no I/O; read the file in Sweep (InputFiles)")
                }
            }
        }
    }
    /// Cross-module internals are `package` (issue 14): the modules are one product's parts,
    /// none a library for outside use, so nothing in Sources/ is `public`. A `public`
    /// declaration or import fails here with file:line.
    func testCrossModuleDeclarationsArePackageNotPublic() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = (FileManager.default.enumerator(atPath: sources.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }
        XCTAssertGreaterThan(files.count, 200)
        var packaged = 0
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                // Declaration modifiers only: the words before the first one that is not a modifier or attribute.
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                var words = code.split(whereSeparator: { $0 == " " || $0 == "{" || $0 == ";" }).map(String.init)
                while let w = words.first, w.hasPrefix("@") || ["final", "static", "nonisolated", "override"].contains(w) { words.removeFirst() }
                if words.first == "package" { packaged += 1 }
                XCTAssertNotEqual(words.first, "public", "Sources/\(file):\(n + 1): `public`; cross-module internals are `package`")
                if let i = words.firstIndex(of: "public"), i > 0, ["var", "let", "func", "init", "static"].contains(words[safe: i + 1] ?? "") {
                    XCTFail("Sources/\(file):\(n + 1): `public`; cross-module internals are `package`")
                }
            }
        }
        XCTAssertGreaterThan(packaged, 1000)
    }
}

extension Array {
    fileprivate subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
