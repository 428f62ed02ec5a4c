internal import Yams
import Vocabulary

/// The `workPoints` section of a profile:
///
/// ```yaml
/// workPointYear: 2022            # topic items count from 1 January of this year
/// workPoints:
///   - item: 7
///     name: 老旧小区改造项目清单
///     lead: [区住房城市建设委, 区房管局]
///     co: []
///     deadline: 2022-10          # the month's last day; or 2022-10-15
///     text: 做好老旧小区改造相关政策措施及项目清单公开……
///     topic:
///       all: [[老旧小区], [改造]]  # every group must match, a group by any of its words
///       exclude: [老旧小区改造培训]
///       columns: [住房保障]         # where: column names, URL paths, the departments' sub-sites
///       paths: [/zfcxjsw/]
///       departmentSites: true
///       since: 2022-01-01
///       minItems: 1
///   - {item: 6, rules: [column.missing]}
///   - {item: 47, manual: 队伍建设和业务培训在机关内部进行，网站上看不到}
/// ```
///
/// `any: [a, b]` is one group (`all: [[a, b]]`). An item takes exactly one of `topic`,
/// `rules` and `manual`; `severity` and `points` override the `work-point` rule's. An
/// extending profile's items replace the parent's of the same number.
extension ProfileReader {
    static let workPointKeys = ["item", "name", "text", "lead", "co", "deadline", "topic", "rules", "manual", "severity", "points"]
    static let topicKeys = ["any", "all", "exclude", "columns", "paths", "departmentSites", "since", "minItems"]

    func applyWorkPoints(_ v: Node, to p: inout Profile) throws {
        guard let seq = v.sequence else { throw error(v, "workPoints: expected a list of work points") }
        for node in seq {
            var item = 0, name = "", text = "", lead: [String] = [], co: [String] = []
            var deadlineText = "", deadline: Day?
            var methods: [WorkPoint.Method] = []
            var severity: Severity?, points: Double?
            for (k, kn, val) in try mapping(node, "workPoints") {
                switch k {
                case "item": item = try int(val, "workPoints.item", min: 1)
                case "name": name = try string(val, "workPoints.name")
                case "text": text = try string(val, "workPoints.text")
                case "lead": lead = try strings(val, "workPoints.lead")
                case "co": co = try strings(val, "workPoints.co")
                case "deadline": (deadlineText, deadline) = try workPointDeadline(val)
                case "topic": methods.append(.topic(try topic(val)))
                case "manual":
                    let reason = try string(val, "workPoints.manual")
                    guard !reason.isEmpty else { throw error(val, "workPoints.manual: say why the item cannot be checked from outside") }
                    methods.append(.manual(reason))
                case "rules":
                    let ids = try strings(val, "workPoints.rules").map { id in
                        guard let rule = RuleRegistry.resolve(id) else {
                            throw error(val, "workPoints.rules: unknown rule id \"\(id)\" (see `govsweep rules`)")
                        }
                        return rule
                    }
                    guard !ids.isEmpty else { throw error(val, "workPoints.rules: name at least one rule") }
                    methods.append(.rules(ids))
                case "severity": severity = try self.severity(val, "workPoints.severity")
                case "points": points = try double(val, "workPoints.points")
                default: throw unknown(kn, k, in: "workPoints", allowed: ProfileReader.workPointKeys)
                }
            }
            guard item > 0 else { throw error(node, "workPoints: each work point needs its item number (item: 7)") }
            guard methods.count == 1, let method = methods.first else {
                throw error(node, "workPoints item \(item): give exactly one of topic, rules or manual")
            }
            var w = WorkPoint(item: item, name: name.isEmpty ? "第\(item)项" : name, method: method)
            w.text = text; w.lead = lead; w.co = co
            w.deadlineText = deadlineText; w.deadline = deadline
            w.severity = severity; w.points = points
            if let i = p.workPoints.firstIndex(where: { $0.item == item }) { p.workPoints[i] = w } else { p.workPoints.append(w) }
        }
        p.workPoints.sort { $0.item < $1.item }
    }

    /// `2022-10` (the month's last day, shown as 2022年10月) or `2022-10-15`.
    func workPointDeadline(_ n: Node) throws -> (String, Day) {
        let s = try string(n, "workPoints.deadline")
        let parts = s.split(separator: "-").map { Int($0) }
        if parts.count == 2, let y = parts[0], let m = parts[1], (1...12).contains(m), y >= 1900,
            let day = Day(year: y, month: m, day: Day.daysIn(month: m, year: y))
        {
            return ("\(y)年\(m)月", day)
        }
        if let d = Day(iso: s) {
            let (y, m, dd) = d.components
            return ("\(y)年\(m)月\(dd)日", d)
        }
        throw error(n, "workPoints.deadline: expected YYYY-MM or YYYY-MM-DD, got \"\(s)\"")
    }

    func topic(_ n: Node) throws -> WorkPoint.Topic {
        var t = WorkPoint.Topic(groups: [])
        for (k, kn, val) in try mapping(n, "workPoints.topic") {
            let key = "workPoints.topic.\(k)"
            switch k {
            case "any": t.groups.append(try strings(val, key).filter { !$0.isEmpty })
            case "all":
                guard let seq = val.sequence else { throw error(val, "\(key): expected a list of word lists ([[老旧小区], [改造, 项目清单]])") }
                for g in seq { t.groups.append(try strings(g, key).filter { !$0.isEmpty }) }
            case "exclude": t.exclude = try strings(val, key).filter { !$0.isEmpty }
            case "columns": t.columns = try strings(val, key)
            case "paths":
                t.paths = try strings(val, key)
                for path in t.paths where !path.hasPrefix("/") { throw error(val, "\(key): \"\(path)\" must be a URL path beginning with /") }
            case "departmentSites": t.departmentSites = try bool(val, key)
            case "since":
                guard let d = Day(iso: try string(val, key)) else { throw error(val, "\(key): expected a date YYYY-MM-DD") }
                t.since = d
            case "minItems": t.minItems = try int(val, key, min: 1)
            default: throw unknown(kn, k, in: "workPoints.topic", allowed: ProfileReader.topicKeys)
            }
        }
        guard !t.groups.isEmpty, t.groups.allSatisfy({ !$0.isEmpty }) else {
            throw error(n, "workPoints.topic: give the keywords (any: [...] or all: [[...], [...]])")
        }
        return t
    }
}
