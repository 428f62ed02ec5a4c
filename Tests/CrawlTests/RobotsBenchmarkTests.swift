import Foundation
import XCTest
@testable import Crawl
@testable import Vocabulary

/// The cost of reading a robots.txt and of checking a URL against it, for 1,000 rules up to
/// the 500 KiB cap. Skipped unless GOVSWEEP_ROBOTS_BENCH is set; Benchmarks/robots.sh runs it
/// in a release build and prints the table. It times nothing it asserts on.
final class RobotsBenchmarkTests: XCTestCase {
    func testParseAndCheckCost() throws {
        guard ProcessInfo.processInfo.environment["GOVSWEEP_ROBOTS_BENCH"] != nil else {
            throw XCTSkip("GOVSWEEP_ROBOTS_BENCH not set (Benchmarks/robots.sh)")
        }
        func out(_ s: String) { print("robots-bench: " + s) }
        out("| file | rules | KiB | parse ms | parse µs/rule | check µs/URL | URLs disallowed |")
        out("|---|---:|---:|---:|---:|---:|---:|")
        for (size, wildcards) in [(1_000, true), (10_000, true), (0, true), (1_000, false), (10_000, false), (0, false)] {
            let (text, lines) = Self.robotsTxt(rules: size, wildcards: wildcards)
            let bytes = Array(text.utf8)
            var parse = Double.infinity
            var robots = Robots.allowAll
            for _ in 0..<5 {
                let t = Date()
                robots = Robots(parsing: bytes)
                parse = min(parse, Date().timeIntervalSince(t))
            }
            let urls = Self.urls(count: 20_000, from: lines)
            var check = Double.infinity
            var disallowed = 0
            for _ in 0..<5 {
                disallowed = 0
                let t = Date()
                for u in urls where !robots.allows(u) { disallowed += 1 }
                check = min(check, Date().timeIntervalSince(t))
            }
            let kind = wildcards ? "15% wildcard" : "literal"
            out(
                "| \(kind) | \(lines.count) | "
                    + String(
                        format: "%.0f | %.1f | %.2f | %.2f | %.0f%% |", Double(bytes.count) / 1024, parse * 1000,
                        parse * 1e6 / Double(lines.count), check * 1e6 / Double(urls.count), 100 * Double(disallowed) / Double(urls.count)))
            XCTAssertGreaterThan(robots.ruleCount, lines.count / 2)
        }
    }

    /// A portal-like file: directory and column paths, a few longer Allows, one rule in twenty a
    /// wildcard (`/*.php$`, `/*?sid=`, `/a/*/print`) unless `wildcards` is false. `rules: 0` fills it
    /// up to the 500 KiB cap.
    static func robotsTxt(rules: Int, wildcards: Bool) -> (String, [String]) {
        var rng = SplitMix(seed: 13)
        let words = [
            "col", "art", "zwgk", "xxgk", "tzgg", "zcfg", "bmdt", "gsgg", "ztzl", "hdjl", "bsfw", "jdhy", "rsxx",
            "cms", "admin", "search", "print", "attach", "upload", "static", "include", "module", "site", "node",
        ]
        var lines: [String] = []
        var text = "# generated\nUser-agent: *\n"
        while rules > 0 ? lines.count < rules : text.utf8.count < Robots.maxBytes - 64 {
            let a = words[rng.below(words.count)], b = words[rng.below(words.count)]
            let n = rng.below(100_000)
            let line: String
            switch wildcards ? rng.below(20) : 3 + rng.below(17) {
            case 0: line = "Disallow: /*.\(a)\(n % 50)$"
            case 1: line = "Disallow: /*?\(a)\(n % 100)="
            case 2: line = "Disallow: /\(a)/*/\(b)\(n % 100)"
            case 3, 4: line = "Allow: /\(a)/\(b)\(n)/public/"
            default: line = "Disallow: /\(a)/\(b)\(n)/"
            }
            lines.append(line)
            text += line + "\n"
        }
        return (text, lines)
    }

    /// URLs under the rules' directories (half of them) and elsewhere; one in fifty 1,500 bytes long.
    static func urls(count: Int, from lines: [String]) -> [CrawlURL] {
        var rng = SplitMix(seed: 14)
        return (0..<count).map { i in
            var path: String
            if rng.below(2) == 0 {
                let rule = lines[rng.below(lines.count)]
                let p = rule[rule.index(after: rule.firstIndex(of: ":")!)...].trimmingCharacters(in: .whitespaces)
                path = p.replacingOccurrences(of: "*", with: "x/y").replacingOccurrences(of: "$", with: "") + "t\(i).html"
            } else {
                path = "/art/2022/\(rng.below(13))/\(rng.below(32))/art_\(rng.below(1_000_000)).html"
            }
            if i % 50 == 0 { path += "?q=" + String(repeating: "z", count: 1_500) }
            if i % 7 == 0 { path += (path.contains("?") ? "&" : "?") + "sid=\(i)" }
            return CrawlURL("http://www.example.gov.cn" + (path.hasPrefix("/") ? path : "/" + path))!
        }
    }
}
