/// How a finding counts in the official scoring.
package enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    /// 单项否决: the site fails whatever its score.
    case veto
    /// Costs `points` from 100.
    case deduct
    /// Reported, costs nothing.
    case advice

    var rank: Int {
        switch self {
        case .veto: return 2
        case .deduct: return 1
        case .advice: return 0
        }
    }

    package static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    /// 单项否决 / 扣分 / 提示, as the report, its charts, the department lists and summary.md
    /// print it (the one place the wording is written; `allCases` is heaviest first).
    package var nameZh: String {
        switch self {
        case .veto: return "单项否决"
        case .deduct: return "扣分"
        case .advice: return "提示"
        }
    }
}

/// The fixed indicator keys of CONTRACT.md. Rules are many; indicators are few.
package enum Indicator: String, Sendable, Codable, CaseIterable {
    case siteUnavailable = "site-unavailable"
    case homepageStale = "homepage-stale"
    case columnStale = "column-stale"
    case columnBlank = "column-blank"
    case columnMissing = "column-missing"
    case linkBroken = "link-broken"
    case footerMarker = "footer-marker"
    case a11y
    case phoneUnfiled = "phone-unfiled"
    case phoneMalformed = "phone-malformed"
    case policyMetadata = "policy-metadata"
    case replyLate = "reply-late"
    case replyMissing = "reply-missing"
    case wording
    case newmediaStale = "newmedia-stale"
    case newmediaUnfiled = "newmedia-unfiled"
    case newmediaUnreachable = "newmedia-unreachable"
    case workPoint = "work-point"
    // Issue 18, services and interaction (e1): 办事服务不实用, 互动回应差 (channel), 留言公开.
    case serviceGuide = "service-guide"
    case consultChannel = "consult-channel"
    case messageTimes = "message-times"
    /// 站内搜索: the site's search is missing or does not answer.
    case search
    /// 移动端适配: no sign of a mobile layout or a mobile version.
    case mobile
    /// 政策文件 ↔ 政策解读: a document and its interpretation not linked both ways.
    case policyInterpretation = "policy-interpretation"
    /// 虚假更新: dates that look faked (future, disagreeing with the page's meta, re-dated lists).
    case dateSuspect = "date-suspect"
}

/// A small JSON value for a finding's evidence.
package enum JSONValue: Sendable, Equatable, Codable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    package init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        case .null: try c.encodeNil()
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral
{
    package init(stringLiteral v: String) { self = .string(v) }
    package init(integerLiteral v: Int) { self = .int(v) }
    package init(booleanLiteral v: Bool) { self = .bool(v) }
    package init(floatLiteral v: Double) { self = .double(v) }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }
}

/// One defect, as findings.json carries it (CONTRACT.md).
package struct Finding: Sendable, Codable, Equatable {
    /// Stable across runs for the same rule, url and subject.
    package var id: String
    package var rule: RuleID
    package var indicator: Indicator
    package var severity: Severity
    package var points: Double
    package var url: String
    package var subject: String
    package var department: String
    package var foundOn: [String]
    package var message: String
    package var evidence: [String: JSONValue]

    package init(
        rule: RuleID, indicator: Indicator, severity: Severity, points: Double = 0, url: String,
        subject: String = "", department: String = "", foundOn: [String] = [], message: String,
        evidence: [String: JSONValue] = [:]
    ) {
        self.id = Finding.stableID(rule: rule.rawValue, url: url, subject: subject)
        self.rule = rule; self.indicator = indicator; self.severity = severity; self.points = points
        self.url = url; self.subject = subject; self.department = department; self.foundOn = foundOn
        self.message = message; self.evidence = evidence
    }

    /// 128 bits of two FNV-1a hashes over rule, url and subject, as 32 hex digits.
    /// Deterministic across runs and machines (Swift's Hasher is seeded per process).
    package static func stableID(rule: String, url: String, subject: String) -> String {
        var a = FNV1a(), b = FNV1a(basis: 0x6c62_272e_07bb_0142, increment: 0x9e37_79b9)
        for part in [rule, url, subject] {
            a.add(part.utf8); a.add(0x1f)
            b.add(part.utf8); b.add(0x1f)
        }
        return hex(a.value) + hex(b.value)
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

extension Finding {
    /// The order of a findings list: veto first, then deduct, then advice; within one
    /// severity by indicator, URL and subject.
    package static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        (a.severity, b.indicator.rawValue, b.url, b.subject) > (b.severity, a.indicator.rawValue, a.url, a.subject)
    }
}
