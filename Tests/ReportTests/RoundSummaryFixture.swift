import Foundation
import Report
import Vocabulary

/// Round summaries to test: a small round whose every figure is worked out by hand, and a
/// province of 40 sites for the eye (headless Chromium).
enum RoundSummaryFixture {
    static func site(
        _ name: String, _ url: String, owner: String, region: String, regionName: String? = nil,
        _ status: RoundSiteResult.Status = .done, score: Double? = nil, verdict: Verdict? = nil,
        vetoes: [Indicator] = [], deductions: [Indicator: Double] = [:], findings: Int = 0, pages: Int = 0,
        report: String? = nil
    ) -> RoundSiteResult {
        RoundSiteResult(
            name: name, url: url, owner: owner, region: region, regionName: regionName, status: status, score: score,
            verdict: verdict, vetoes: vetoes, deductions: deductions, findings: findings, pages: pages, reportPath: report)
    }

    // Round 7. Ranking: a 95; d and c 88 (pass, tied 2nd; 示 < 西); b 88 (fail, 4th); g 55 (5th); e, f unranked.
    static let a = site(
        "示范市人民政府门户网站", "http://a.example/", owner: "示范市人民政府", region: "110100", regionName: "示范市",
        score: 95, verdict: .pass, deductions: [.linkBroken: 3, .a11y: 2], findings: 12, pages: 300, report: "sites/0001-a/")
    static let b = site(
        "东城区人民政府门户网站", "http://b.example/", owner: "东城区人民政府", region: "110101", regionName: "东城区",
        score: 88, verdict: .fail, vetoes: [.columnStale], deductions: [.linkBroken: 4, .wording: 8], findings: 20,
        pages: 250, report: "sites/0002-b")
    static let c = site(
        "西城区人民政府门户网站", "http://c.example/", owner: "西城区人民政府", region: "110102", regionName: "西城区",
        score: 88, verdict: .pass, deductions: [.linkBroken: 12], findings: 30, pages: 410, report: "sites/0003-c/")
    static let d = site(
        "示范市教育局网站", "http://d.example/", owner: "示范市教育局", region: "110100", regionName: "示范市",
        score: 88, verdict: .pass, deductions: [.a11y: 10, .phoneUnfiled: 2], findings: 9, pages: 120, report: "sites/0004-d/")
    /// Awkward text everywhere: markup, quotes, an ampersand, a formula, a comma and a line break.
    static let e = site(
        "=卫健委<script>alert(1)</script>", "http://e.example/?a=1&b=\"2\"", owner: "示范市卫生健康委员会 <&>\"'",
        region: "110100", regionName: "示范市", .failed(reason: "无法访问：连接被拒绝,重试 3 次\n最后一次 <15 秒>"))
    static let f = site("东城区财政局网站", "http://f.example/", owner: "东城区财政局", region: "110101", regionName: "东城区", .queued)
    static let g = site(
        "西城区应急管理局网站", "http://g.example/", owner: "西城区应急管理局", region: "110102", regionName: "西城区",
        score: 55, verdict: .fail, deductions: [.columnMissing: 20, .linkBroken: 15, .a11y: 10, .columnStale: 0],
        findings: 41, pages: 90, report: "sites/0007-g/")
    /// In round 6 only.
    static let h = site(
        "已关停网站", "http://h.example/", owner: "示范市某局", region: "110100", regionName: "示范市", score: 70, verdict: .pass)

    static let previous = RoundSummaryInput.Previous(
        roundID: 6, asOf: Day(iso: "2026-11-01")!,
        sites: [
            site("示范市人民政府门户网站", a.url, owner: a.owner, region: a.region, score: 90, verdict: .pass),
            site("东城区人民政府门户网站", b.url, owner: b.owner, region: b.region, score: 92, verdict: .pass),
            site(
                "西城区人民政府门户网站", c.url, owner: c.owner, region: c.region, score: 80, verdict: .fail,
                vetoes: [.siteUnavailable]),
            site("西城区应急管理局网站", g.url, owner: g.owner, region: g.region, score: 60, verdict: .pass),
            site("卫健委", e.url, owner: e.owner, region: e.region, score: 75, verdict: .pass),
            h,
        ])

    static func input(previous: RoundSummaryInput.Previous? = previous) -> RoundSummaryInput {
        RoundSummaryInput(
            roundID: 7, asOf: Day(iso: "2026-12-01")!, generatedAt: "2026-12-01T18:00:00+08:00", profile: "national-2019",
            sites: [e, g, b, f, c, a, d], previous: previous)
    }

    // MARK: A province of 40 sites

    /// 40 sites over 9 regions: the province's portal and a department, city portals, district portals and departments, most passing,
    /// a few vetoed, two not swept; and a previous round to compare with. Deterministic.
    static func province() -> RoundSummaryInput {
        let regions: [(String, String)] = [
            ("330000", "浙江省"), ("330100", "杭州市"), ("330102", "上城区"), ("330106", "西湖区"), ("330108", "滨江区"),
            ("330200", "宁波市"), ("330203", "海曙区"), ("330300", "温州市"), ("330302", "鹿城区"),
        ]
        let departments = ["教育局", "卫生健康委员会", "财政局", "交通运输局", "市场监督管理局"]
        var rng = SplitMix(seed: 15)
        var sites: [RoundSiteResult] = [], before: [RoundSiteResult] = []
        var n = 0
        for (code, place) in regions {
            let isCity = code.hasSuffix("00")
            let count = code == "330000" ? 2 : isCity ? 6 : 4
            for k in 0..<count {
                n += 1
                let owner = k == 0 ? "\(place)人民政府" : "\(place)\(departments[(k + n) % departments.count])"
                let name = k == 0 ? "\(place)人民政府门户网站" : "\(owner)网站"
                let url = "http://127.0.0.1:\(18000 + n)/"
                var deductions: [Indicator: Double] = [:]
                for ind in [Indicator.linkBroken, .a11y, .columnMissing, .phoneUnfiled, .wording, .policyMetadata, .footerMarker] {
                    if rng.next() % 3 == 0 { deductions[ind] = Double(rng.next() % (ind == .linkBroken ? 40 : 20)) / 2 }
                }
                var vetoes: [Indicator] = []
                if rng.next() % 7 == 0 { vetoes.append([.columnStale, .homepageStale, .columnBlank][Int(rng.next() % 3)]) }
                let score = max(0, 100 - deductions.values.reduce(0, +))
                let verdict: Verdict = vetoes.isEmpty && score >= 60 ? .pass : .fail
                var status = RoundSiteResult.Status.done
                if n == 13 { status = .failed(reason: "首页无法访问：连接超时（15 秒），已重试 3 次") }
                if n == 29 { status = .running }
                let done = status == .done
                sites.append(
                    site(
                        name, url, owner: owner, region: code, regionName: place, status, score: done ? score : nil,
                        verdict: done ? verdict : nil, vetoes: done ? vetoes : [], deductions: done ? deductions : [:],
                        findings: done ? Int(deductions.count * 7 + vetoes.count * 3) : 0,
                        pages: done ? 180 + Int(rng.next() % 300) : 0,
                        report: done ? String(format: "sites/%04d/", n) : nil))
                // Last round: scores a few points away, some vetoes since fixed.
                let was = min(100, max(0, score + Double(Int(rng.next() % 13) - 6)))
                let oldVetoes: [Indicator] = rng.next() % 6 == 0 ? [.columnStale] : (n % 5 == 0 ? vetoes : [])
                before.append(
                    site(
                        name, url, owner: owner, region: code, regionName: place, score: was,
                        verdict: oldVetoes.isEmpty && was >= 60 ? .pass : .fail, vetoes: oldVetoes))
            }
        }
        return RoundSummaryInput(
            roundID: 12, asOf: Day(iso: "2026-12-01")!, generatedAt: "2026-12-01T18:20:05+08:00", profile: "national-2019",
            sites: sites, previous: .init(roundID: 11, asOf: Day(iso: "2026-11-01")!, sites: before))
    }
}

/// A small deterministic generator (SplitMix64), so the sample is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
