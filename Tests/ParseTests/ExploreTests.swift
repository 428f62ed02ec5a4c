import Foundation
import XCTest
@testable import Parse

final class ExploreTests: XCTestCase {
    func testDump() throws {
        guard let name = ProcessInfo.processInfo.environment["PARSE_DUMP"] else { throw XCTSkip("set PARSE_DUMP") }
        let p = try Fixture.page(name)
        print("charset", p.charset, p.charsetSource, p.invalidBytes, "title", p.title ?? "nil", "lang", p.lang ?? "nil")
        print("metas", p.metas.count, "links", p.links.count, "images", p.images.count, "controls", p.controls.count, "frames", p.frames.count, "headings", p.headings.count, "dups", p.duplicateIDs)
        var out = ""
        for b in p.blocks { out += "[\(b.tag) \(b.region) L\(b.list) d\(b.depth) links\(b.linkCount)\(b.hidden ? " H" : "")] \(b.text.prefix(80))" + "\n" }
        try out.write(toFile: "/tmp/parse-dump.txt", atomically: true, encoding: .utf8)
        for c in p.controls { print("ctl", c.element, c.type, c.accessibleName ?? "nil", c.region) }
        for h in p.headings { print("h\(h.level)", h.text, h.region) }
    }
}
