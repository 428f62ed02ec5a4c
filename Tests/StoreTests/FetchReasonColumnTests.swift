import Foundation
import XCTest
@testable import Store
import Vocabulary

/// A fetch's reason is a `FetchReason` from Fetch to the link rule and text only in the
/// `reason` column, the text it was when the field was a String: a store written before
/// reads back typed, and a new one holds what an old build wrote.
final class FetchReasonColumnTests: StoreTestCase {
    static let reasons: [(FetchReason, String)] = [
        (.none, ""), (.status(200), "200"), (.status(404), "404"), (.failure(.timeout), "timeout"),
        (.failure(.urlTooLong), "url-too-long"), (.curl(56), "curl-56"), (.redirected, "redirect"),
        (.truncated(.status(200)), "200 truncated"),
    ]

    func testEachReasonIsItsOldTextAndReadsBack() {
        for (reason, text) in Self.reasons {
            XCTAssertEqual(reason.text, text)
            XCTAssertEqual(FetchReason(text: text), reason, text)
        }
        for f in FetchFailure.allCases { XCTAssertEqual(FetchReason(text: f.rawValue), .failure(f)) }
        // Text no build writes is no reason.
        XCTAssertNil(FetchReason(text: "HTTP 503"))
        XCTAssertNil(FetchReason(text: "curl-x"))
        XCTAssertEqual(FetchReason.failure(.dns).nameZh, "域名无法解析")
        XCTAssertEqual(FetchReason.failure(.setup).nameZh, "setup")
        XCTAssertEqual(FetchReason.curl(56).nameZh, "curl-56")
    }

    func testTheColumnHoldsTheTextAndOldRowsReadBackTyped() throws {
        let store = try makeStore()
        let run = try makeRun(store)
        let pages = Self.reasons.enumerated().map { i, r in
            PageRecord(url: "http://127.0.0.1:8080/\(i)", finalURL: "http://127.0.0.1:8080/\(i)", status: 0, linkClass: .broken, reason: r.0)
        }
        try store.record(run: run, pages: pages, links: [])
        let column = try store.connection.withLock { c in
            try c.query("SELECT u.url, p.reason FROM pages p JOIN urls u ON u.id = p.url_id WHERE p.run = ?1", bind: { try $0.bind(1, run) }) {
                ($0.text(0), $0.text(1))
            }
        }
        XCTAssertEqual(
            Dictionary(uniqueKeysWithValues: column), Dictionary(uniqueKeysWithValues: pages.enumerated().map { ($1.url, Self.reasons[$0].1) }))
        // A row as a build with String reasons wrote it.
        try store.connection.withLock { try $0.exec("UPDATE pages SET reason = 'too-many-redirects' WHERE run = \(run) AND status = 0") }
        XCTAssertEqual(Set(try store.pages(run: run).map(\.reason)), [.failure(.tooManyRedirects)])
    }
}
