import Foundation
package import Vocabulary

/// One line of the work-point table (workpoints.csv, the report's 工作要点落实情况).
package struct WorkPointRow: Sendable, Equatable {
    package enum Status: String, Sendable, CaseIterable {
        case published = "已公开"
        case notFound = "未发现"
        case onlyOld = "仅见旧信息"
        case notDue = "未到期"
        case manual = "需人工核查"
    }

    /// A page that shows the item.
    package struct Evidence: Sendable, Equatable {
        package var url: String
        package var title: String
        package var date: String
        package init(url: String, title: String, date: String) { self.url = url; self.title = title; self.date = date }
    }

    package var item: Int
    package var name: String
    package var lead: [String]
    package var co: [String]
    package var deadline: String
    package var status: Status
    /// `topic`, `rules` or `manual`.
    package var method: String
    /// The newest matching items first.
    package var evidence: [Evidence]
    /// What was checked and found, or why a person must look (说明).
    package var note: String

    package init(
        item: Int, name: String, lead: [String], co: [String], deadline: String, status: Status, method: String,
        evidence: [Evidence] = [], note: String = ""
    ) {
        self.item = item; self.name = name; self.lead = lead; self.co = co; self.deadline = deadline
        self.status = status; self.method = method; self.evidence = evidence; self.note = note
    }
}

/// Judges the work points from the topic notes of the sweep and the other rules' findings.
/// Linear in the notes and findings: both are grouped once by item.
package enum WorkPointTable {
    /// What a topic check found on the site.
    struct TopicResult {
        /// Distinct dated items in the period, newest first, and older ones.
        var current: [WorkPointRow.Evidence] = []
        var older: [WorkPointRow.Evidence] = []
        var since: Day?
        var minItems = 1
    }

    static let evidenceShown = 3

    /// The topic results, by item number, of the notes the `work-point` rule collected.
    static func topicResults(_ notes: [CollectedNote], site: SiteContext) -> [Int: TopicResult] {
        let byItem = Dictionary(grouping: notes) { Int($0.key.prefix { $0 != " " }) ?? 0 }
        var out: [Int: TopicResult] = [:]
        for w in site.profile.workPoints {
            guard case .topic(let t) = w.method else { continue }
            let since = w.since(year: site.profile.workPointYear)
            var r = TopicResult(since: since, minItems: t.minItems)
            let scope = Scope(t, point: w, site: site)
            var seen = Set<String>()
            var items: [(Day, WorkPointRow.Evidence)] = []
            for n in byItem[w.item] ?? [] {
                let parts = n.text.components(separatedBy: "\u{1F}")
                guard parts.count == 4, let day = Day(iso: parts[0]), !(site.asOf < day) else { continue }
                guard scope.contains(page: n.url, item: parts[2], column: parts[3]) else { continue }
                // One item listed in its column and opened as an article is one item.
                guard seen.insert(parts[2].isEmpty ? parts[1] + parts[0] : parts[2]).inserted else { continue }
                items.append((day, .init(url: parts[2], title: parts[1], date: parts[0])))
            }
            items.sort { ($0.0, $1.1.url) > ($1.0, $0.1.url) }
            for (day, e) in items {
                if let since, day < since { r.older.append(e) } else { r.current.append(e) }
            }
            out[w.item] = r
        }
        return out
    }

    /// Where a topic check looks.
    struct Scope {
        var whole: Bool
        var columnURLs: [String] = []
        var names: [String] = []
        var paths: [String] = []
        var departments: Set<String> = []
        let site: SiteContext

        init(_ t: WorkPoint.Topic, point: WorkPoint, site: SiteContext) {
            self.site = site
            whole = !t.isScoped
            names = t.columns.map(Summarizer.clean).filter { !$0.isEmpty }
            columnURLs = site.columns.filter { c in
                let n = Summarizer.clean(c.name)
                return !n.isEmpty && names.contains { n.contains($0) }
            }.map(\.url)
            paths = t.paths
            if t.departmentSites { departments = Set(point.lead + point.co) }
        }

        func contains(page: String, item: String, column: String) -> Bool {
            if whole { return true }
            if columnURLs.contains(where: { page.hasPrefix($0) || item.hasPrefix($0) }) { return true }
            let col = Summarizer.clean(column)
            if !col.isEmpty, names.contains(where: { col.contains($0) }) { return true }
            if !paths.isEmpty {
                let p = DepartmentMap.pathAndQuery(of: page), i = DepartmentMap.pathAndQuery(of: item)
                if paths.contains(where: { p.hasPrefix($0) || i.hasPrefix($0) }) { return true }
            }
            if !departments.isEmpty {
                if departments.contains(site.department(for: page)) || departments.contains(site.department(for: item)) { return true }
            }
            return false
        }
    }

    /// Status and note of a topic item (before the deadline is looked at).
    static func judge(_ w: WorkPoint, _ r: TopicResult) -> (WorkPointRow.Status, [WorkPointRow.Evidence], String) {
        let since = r.since.map { "\($0.description)以来" } ?? ""
        if r.current.count >= r.minItems {
            return (.published, Array(r.current.prefix(evidenceShown)), "\(since)相关信息 \(r.current.count) 条")
        }
        if !r.current.isEmpty {
            return (.notFound, Array(r.current.prefix(evidenceShown)), "\(since)相关信息仅 \(r.current.count) 条，要求至少 \(r.minItems) 条")
        }
        if let old = r.older.first {
            return (.onlyOld, Array(r.older.prefix(evidenceShown)), "\(since)未见相关信息，最新一条为 \(old.date)")
        }
        return (.notFound, [], "\(since)未见相关信息（关键词：\(keywords(w))）")
    }

    static func keywords(_ w: WorkPoint) -> String {
        guard case .topic(let t) = w.method else { return "" }
        return t.groups.map { $0.joined(separator: "或") }.joined(separator: "，且") + (t.exclude.isEmpty ? "" : "；排除：\(t.exclude.joined(separator: "、"))")
    }

    /// The table: every work point of the profile, in item order.
    package static func rows(site: SiteContext, notes: [CollectedNote], findings: [Finding]) -> [WorkPointRow] {
        let points = site.profile.workPoints
        guard !points.isEmpty else { return [] }
        let topics = topicResults(notes, site: site)
        // Other rules' findings by rule id (a finding's rule `column.stale.notice` also under `column.stale`).
        var byRule: [RuleID: [Finding]] = [:]
        for f in findings {
            byRule[f.rule, default: []].append(f)
            if f.rule.isVariant { byRule[f.rule.rule, default: []].append(f) }
        }
        var out: [WorkPointRow] = []
        for w in points {
            var row = WorkPointRow(item: w.item, name: w.name, lead: w.lead, co: w.co, deadline: w.deadlineText, status: .manual, method: "manual")
            switch w.method {
            case .manual(let reason):
                row.note = reason
            case .topic:
                row.method = "topic"
                (row.status, row.evidence, row.note) = judge(w, topics[w.item] ?? TopicResult())
            case .rules(let ids):
                row.method = "rules"
                (row.status, row.evidence, row.note) = judgeRules(w, ids: ids, byRule: byRule, site: site)
            }
            if row.method != "manual", !w.isDue(asOf: site.asOf) {
                row.note = "未到完成时限（\(w.deadlineText)）；" + row.note
                row.status = .notDue
            }
            out.append(row)
        }
        return out
    }

    /// An item checked by existing rules: the rules' own findings (already in the report,
    /// not counted again) decide.
    static func judgeRules(
        _ w: WorkPoint, ids: [RuleID], byRule: [RuleID: [Finding]], site: SiteContext
    )
        -> (WorkPointRow.Status, [WorkPointRow.Evidence], String)
    {
        var notes: [String] = []
        var evidence: [WorkPointRow.Evidence] = []
        var missing = false, problems = false, unchecked = false
        for id in ids {
            guard let d = RuleRegistry.description(of: id) else { continue }
            let name = "\(d.nameZh)（\(id)）"
            if !site.profile.isEnabled(d.id) { notes.append("\(name)未启用"); unchecked = true; continue }
            if id == "phone.unfiled" || id == "newmedia.unfiled", id == "phone.unfiled" ? site.content.phones == nil : site.content.accounts == nil {
                notes.append("\(name)需要备案清单（\(id == "phone.unfiled" ? "--phones" : "--accounts")），本次未提供")
                unchecked = true
                continue
            }
            if id == "column.missing" {
                let required = site.profile.required.filter { $0.item == w.item }
                let names = Set(required.map(\.name))
                let open = (byRule[id] ?? []).filter { names.contains($0.subject) }
                if !open.isEmpty {
                    missing = true
                    notes.append("未找到栏目“\(open.map(\.subject).joined(separator: "、"))”")
                } else {
                    notes.append("已设栏目“\(required.map(\.name).joined(separator: "、"))”")
                    for r in required {
                        let variants = ([r.name] + r.variants).map(Summarizer.clean)
                        func named(_ name: String) -> Bool { variants.contains { !$0.isEmpty && Summarizer.clean(name).contains($0) } }
                        if let c = site.columns.first(where: { named($0.name) }) {
                            evidence.append(.init(url: c.url, title: c.name, date: c.latest?.description ?? ""))
                        } else if let (url, name) = site.homes.lazy.compactMap({ h in h.linkNames.sorted { $0.key < $1.key }.first { named($0.value) } }).first
                        {
                            // Named by a link of a start page (a column the sweep did not read as a list).
                            evidence.append(.init(url: url, title: name, date: ""))
                        }
                    }
                }
                continue
            }
            let found = byRule[id] ?? []
            if found.isEmpty {
                notes.append("\(name)未发现问题")
            } else {
                problems = true
                notes.append("\(name)发现 \(found.count) 项问题，见问题清单")
            }
        }
        let status: WorkPointRow.Status = missing ? .notFound : (problems || unchecked) ? .manual : .published
        return (status, evidence, notes.joined(separator: "；"))
    }
}

extension WorkPointTable {
    /// `govsweep rules explain work-point`: the profile's work points and how each is checked.
    static func explain(_ profile: Profile) -> String {
        guard !profile.workPoints.isEmpty else { return "work points in \(profile.id): none\n\n" }
        var out = "work points in \(profile.id)\(profile.workPointYear.map { " (\($0))" } ?? ""):\n"
        for w in profile.workPoints {
            let how: String
            switch w.method {
            case .topic: how = "topic " + keywords(w)
            case .rules(let ids): how = "rules " + ids.map(\.rawValue).joined(separator: ", ")
            case .manual(let reason): how = "manual: " + reason
            }
            out += "  \(w.item) \(w.name) → \(w.lead.joined(separator: "、"))\(w.deadlineText.isEmpty ? "" : "，\(w.deadlineText)"): \(how)\n"
        }
        return out + "\n"
    }
}
