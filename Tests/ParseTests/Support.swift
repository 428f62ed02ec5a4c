import Foundation
import XCTest
@testable import Parse

enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] {
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Fixtures") else {
            throw XCTSkip("fixture \(name) missing")
        }
        return [UInt8](try Data(contentsOf: url))
    }

    static func page(_ name: String, url: String = "http://example.gov.cn/", contentType: String? = nil) throws -> PageModel {
        PageParser.parse(try bytes(name), url: url, contentType: contentType)
    }
}

func html(_ body: String, contentType: String? = "text/html; charset=utf-8") -> PageModel {
    PageParser.parse(Array(body.utf8), url: "http://example.gov.cn/a/", contentType: contentType)
}
