import Foundation
import Inspect
import Report
import XCTest
import Vocabulary

/// findings.json, written a finding at a time, is the same document as a plain encoding.
final class FindingsJSONTests: XCTestCase {
    func doc(_ findings: [Finding]) -> FindingsDocument {
        FindingsDocument(
            version: "0.1.0", sites: ["http://127.0.0.1:1/"], asOf: Day(iso: "2022-11-01")!, profile: "national-2019",
            startedAt: "2022-11-01T08:00:00+08:00", finishedAt: "2022-11-01T08:01:00+08:00",
            pages: .init(fetched: 3, failed: 1, skipped: 0, checked: 2), score: 99.9, verdict: .pass,
            vetoes: [], findings: findings, runId: 7)
    }

    func testStreamedDocumentDecodesToTheSame() throws {
        let findings = (0..<3).map { i in
            Finding(
                rule: "link.broken", indicator: .linkBroken, severity: .deduct, points: 0.1,
                url: "http://127.0.0.1:1/x\(i).html", foundOn: ["http://127.0.0.1:1/"], message: "链接无法访问（HTTP 404）",
                evidence: ["status": 404, "kinds": ["a"]])
        }
        for d in [doc(findings), doc([])] {
            let data = try ReportWriter.jsonData(d)
            let back = try JSONDecoder().decode(FindingsDocument.self, from: data)
            XCTAssertEqual(back, d)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            XCTAssertEqual((object?["findings"] as? [Any])?.count, d.findings.count)
        }
    }
}
