import Foundation
import XCTest
@testable import Parse
import InspectTesting

enum Fixture {
    /// A real page (InspectTesting's `RealPages`, shared with the inspection's tests).
    static func bytes(_ name: String) throws -> [UInt8] { try RealPage.bytes(name) }

    static func page(_ name: String, url: String = "http://example.gov.cn/", contentType: String? = nil) throws -> PageModel {
        PageParser.parse(try bytes(name), url: url, contentType: contentType)
    }
}

func html(_ body: String, contentType: String? = "text/html; charset=utf-8") -> PageModel {
    PageParser.parse(Array(body.utf8), url: "http://example.gov.cn/a/", contentType: contentType)
}
