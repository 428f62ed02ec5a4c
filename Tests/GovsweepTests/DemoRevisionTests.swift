import Demo
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LocalServer
import XCTest

/// The demo's earlier revision: every patch of `runs.earlier` applies to the file it names,
/// and only the earlier revision is patched.
final class DemoRevisionTests: XCTestCase {
    let asOf = DemoDate(year: 2026, month: 11, day: 20)

    func body(_ path: String, _ revision: DemoRevision) throws -> String {
        let req = ServerRequest(method: "GET", target: path, path: path, query: nil, headers: ["host": "127.0.0.1:8080"])
        guard case .full(let status, _, let body) = DemoPortal.respond(req, asOf: asOf, externalBase: "http://127.0.0.1:9/", revision: revision) else {
            XCTFail("\(path): not a full response"); return ""
        }
        XCTAssertEqual(status, 200, path)
        return String(decoding: body, as: UTF8.self)
    }

    func testEveryEarlierPatchApplies() throws {
        let runs = try XCTUnwrap(DemoPortal.expected.runs)
        XCTAssertFalse(runs.earlier.isEmpty)
        for patch in runs.earlier where !patch.find.isEmpty {
            let current = try body(patch.path, .current)
            XCTAssertTrue(current.contains(patch.find), "\(patch.path): the patched text is no longer in the file: \(patch.find)")
            let earlier = try body(patch.path, .earlier)
            if !patch.replace.contains(patch.find) { XCTAssertFalse(earlier.contains(patch.find), patch.path) }
            XCTAssertTrue(earlier.contains(patch.replace), patch.path)
            if !runs.earlier.contains(where: { $0.path == patch.path && $0.shiftDays != nil }) {
                XCTAssertEqual(current.replacingOccurrences(of: patch.find, with: patch.replace).count, earlier.count)
            }
        }
        // A shifted page: the same page, every date older.
        for patch in runs.earlier where patch.shiftDays != nil {
            let current = try body(patch.path, .current), earlier = try body(patch.path, .earlier)
            XCTAssertNotEqual(current, earlier, patch.path)
            let newest = { (s: String) in DemoDateScan.newest(s) }
            if let c = newest(current), let e = newest(earlier) { XCTAssertLessThan(e, c, patch.path) }
        }
        // The new and fixed findings are planted by the patches or the probes, not elsewhere.
        XCTAssertEqual(runs.new.count + runs.fixed.count, 5)
        XCTAssertEqual(try body("/ywdt/", .earlier), try body("/ywdt/", .current), "unpatched pages are the same")
    }

    func testLiveDemoSwitchesRevisionAndGoesDown() throws {
        let live = try LiveDemo(asOf: asOf, revision: .earlier)
        defer { live.stop() }
        func fetch(_ path: String) throws -> (Int, String) {
            let url = URL(string: live.portal.baseURL + String(path.dropFirst()))!
            final class Box: @unchecked Sendable { var result: (Int, String) = (0, "") }
            let box = Box()
            let done = DispatchSemaphore(value: 0)
            URLSession.shared.dataTask(with: url) { data, response, _ in
                box.result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
                done.signal()
            }.resume()
            done.wait()
            return box.result
        }
        XCTAssertTrue(try fetch("/zcwj/art_3003.html").1.contains("/uploads/zcwj/ljxq_ssfa_fj1.pdf"))
        live.set(asOf: asOf, revision: .current)
        XCTAssertTrue(try fetch("/zcwj/art_3003.html").1.contains("/uploads/zcwj/yshj_cs_fj1.pdf"))
        live.setDown(true)
        XCTAssertEqual(try fetch("/").0, 503)
        live.setDown(false)
        XCTAssertEqual(try fetch("/").0, 200)
    }
}

/// The newest YYYY-MM-DD date printed in a text (ISO dates compare as strings).
enum DemoDateScan {
    static func newest(_ s: String) -> String? {
        let r = try! NSRegularExpression(pattern: #"20\d\d-\d\d-\d\d"#)
        return r.matches(in: s, range: NSRange(s.startIndex..., in: s)).compactMap { Range($0.range, in: s).map { String(s[$0]) } }.max()
    }
}
