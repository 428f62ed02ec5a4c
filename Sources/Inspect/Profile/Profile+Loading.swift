import Foundation
internal import Yams
import Vocabulary

/// Profile YAML. Every key is checked: an unknown key, rule id, indicator, category or a
/// bad value stops with `InputError` (`file:line: problem`, exit 2 in the CLI).
///
/// ```yaml
/// id: xicheng-2022
/// extends: national-2019          # a bundled name, or a file next to this one
/// passMark: 60
/// caps: {link-broken: 10}
/// homepageWindowDays: 14
/// categories:                     # ordered: the first whose keyword matches wins
///   news: {name: 动态要闻, windowDays: 14, keywords: [动态, 要闻]}
/// veto: {staleColumns: 5, staleCategories: [news, notice], unupdatedColumns: 10, blankColumns: 5}
/// availability: {days: 7, probesPerDay: 20, timeoutSeconds: 15, vetoShare: 0.05, homepageShare: 0.01, homepagePoints: 5}
/// rules:
///   a11y.img-alt: {severity: deduct, points: 0.1}
///   a11y.meta-viewport: {enabled: false}
/// required:                       # added to the parent's (same name: replaced)
///   - {name: 规划专栏, variants: [规划计划], department: 区发展改革委, item: 6}
/// departments: [{pattern: /zwgk/, department: 区政务服务管理局}]
/// columnDepartments: {通知公告: 区政务服务管理局}
/// workPointYear: 2022            # the work points (WorkPoint+Loading.swift)
/// workPoints: [{item: 10, lead: [区生态环境局], deadline: 2022-10, topic: {any: [空气质量]}}]
/// ```
///
/// An extending profile overrides single values: scalars replace, mappings merge key by
/// key, `required` entries merge by name, `departments` and keyword lists add.
extension Profile {
    /// Parses a profile file's `bytes` (and the profiles it extends); `file` names it in
    /// errors. `extends` looks first for a file of that name beside this one (`sibling`: the
    /// parent's name → its file name and bytes, nil when there is none), then the bundled
    /// profiles. Inspect does no I/O: Sweep's `InputFiles` reads the files.
    package static func load(
        bytes: [UInt8], file: String, sibling: (String) throws -> (file: String, bytes: [UInt8])?
    ) throws -> Profile {
        func text(_ bytes: [UInt8], _ file: String) throws -> String {
            guard let text = String(validating: bytes, as: UTF8.self) else { throw InputError(file: file, problem: "not UTF-8 text") }
            return text
        }
        return try load(yaml: try text(bytes, file), file: file, seen: []) { parent in
            if let (siblingFile, bytes) = try sibling(parent) { return (siblingFile, try text(bytes, siblingFile)) }
            if let text = BundledProfiles.yaml[parent] { return ("Rules/profiles/\(parent).yaml", text) }
            return nil
        }
    }

    /// A profile shipped with govsweep (`national-2019`, `xicheng-2022`).
    package static func bundled(name: String) throws -> Profile {
        guard let text = BundledProfiles.yaml[name] else {
            throw InputError(file: name, problem: "no bundled profile of that name (bundled: \(bundledNames.joined(separator: ", ")))")
        }
        return try load(yaml: text, file: "Rules/profiles/\(name).yaml")
    }

    package static var bundledNames: [String] { BundledProfiles.yaml.keys.sorted() }
    /// The bundled profiles' YAML texts, by name.
    package static var bundledSources: [String: String] { BundledProfiles.yaml }

    /// Parses profile text; `file` names it in errors. `extends` resolves bundled names.
    package static func load(yaml: String, file: String) throws -> Profile {
        try load(yaml: yaml, file: file, seen: []) { parent in
            BundledProfiles.yaml[parent].map { ("Rules/profiles/\(parent).yaml", $0) }
        }
    }

    static func load(
        yaml: String, file: String, seen: [String],
        resolve: (String) throws -> (String, String)?
    ) throws -> Profile {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { throw InputError(file: file, line: 1, problem: "empty profile") }
            root = node
        } catch let e as InputError {
            throw e
        } catch let e as YamlError {
            throw InputError(file: file, line: ProfileReader.line(of: e), problem: "not valid YAML: \(ProfileReader.problem(of: e))")
        }
        let r = ProfileReader(file: file)
        guard let mapping = root.mapping else { throw r.error(root, "a profile is a mapping of keys (id, extends, rules …)") }

        var profile: Profile
        if let parentNode = mapping["extends"] {
            let parent = try r.string(parentNode, "extends")
            guard !seen.contains(parent) else { throw r.error(parentNode, "profile \"\(parent)\" extends itself") }
            guard let (parentFile, parentText) = try resolve(parent) else {
                throw r.error(parentNode, "extends \"\(parent)\": no such profile (bundled: \(bundledNames.joined(separator: ", ")))")
            }
            profile = try load(yaml: parentText, file: parentFile, seen: seen + [parent], resolve: resolve)
            profile.lineage.append(profile.id)
        } else {
            profile = Profile(id: "")
        }
        try r.apply(mapping, to: &profile)
        guard !profile.id.isEmpty else { throw InputError(file: file, line: 1, problem: "missing key \"id\"") }
        return profile
    }
}

/// Reads profile nodes into a `Profile`, naming `file:line` in every error.
struct ProfileReader {
    var file: String

    func error(_ node: Node, _ problem: String) -> InputError {
        InputError(file: file, line: node.mark?.line, problem: problem)
    }

    static func line(of e: YamlError) -> Int? {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func problem(of e: YamlError) -> String {
        switch e {
        case .scanner(_, let p, _, _), .parser(_, let p, _, _), .composer(_, let p, _, _): return p
        default: return "\(e)"
        }
    }

    func string(_ n: Node, _ key: String) throws -> String {
        guard let s = n.scalar?.string else { throw error(n, "\(key): expected text") }
        return s
    }

    func int(_ n: Node, _ key: String, min: Int = 0) throws -> Int {
        guard let s = n.scalar?.string, let v = Int(s), v >= min else { throw error(n, "\(key): expected a whole number ≥ \(min)") }
        return v
    }

    func double(_ n: Node, _ key: String) throws -> Double {
        guard let s = n.scalar?.string, let v = Double(s), v >= 0, v.isFinite else { throw error(n, "\(key): expected a number ≥ 0") }
        return v
    }

    func bool(_ n: Node, _ key: String) throws -> Bool {
        switch n.scalar?.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw error(n, "\(key): expected true or false")
        }
    }

    func strings(_ n: Node, _ key: String) throws -> [String] {
        if n.scalar != nil { return [try string(n, key)] }
        guard let seq = n.sequence else { throw error(n, "\(key): expected a list of text") }
        return try seq.map { try string($0, key) }
    }

    func severity(_ n: Node, _ key: String) throws -> Severity {
        guard let s = Severity(rawValue: try string(n, key)) else { throw error(n, "\(key): expected veto, deduct or advice") }
        return s
    }

    func mapping(_ n: Node, _ key: String) throws -> [(String, Node, Node)] {
        guard let m = n.mapping else { throw error(n, "\(key): expected a mapping") }
        return try m.map { k, v in (try string(k, key), k, v) }
    }

    func unknown(_ keyNode: Node, _ key: String, in section: String, allowed: [String]) -> InputError {
        error(keyNode, "unknown key \"\(key)\"\(section.isEmpty ? "" : " in \(section)") (expected one of: \(allowed.joined(separator: ", ")))")
    }

    static let topKeys = [
        "id", "name", "source", "extends", "passMark", "caps", "categories", "veto", "homepageWindowDays",
        "rules", "required", "departments", "columnDepartments", "blankMarkers", "elderKeywords",
        "elderScripts", "templateMinPages", "phoneAreaCode", "policyFields", "replyLimitDays",
        "availability", "newmediaWindowDays", "workPoints", "workPointYear", "searchURL",
        "serviceGuideFields", "serviceGuideVetoShare",
    ]

    func apply(_ root: Node.Mapping, to p: inout Profile) throws {
        for (key, keyNode, v) in try mapping(.mapping(root), "profile") {
            switch key {
            case "id": p.id = try string(v, key)
            case "name": p.name = try string(v, key)
            case "source": p.source = try string(v, key)
            case "extends": break
            case "passMark": p.passMark = try double(v, key)
            case "homepageWindowDays": p.homepageWindowDays = try int(v, key, min: 1)
            case "templateMinPages": p.templateMinPages = try int(v, key, min: 2)
            case "replyLimitDays": p.replyLimitDays = try int(v, key, min: 1)
            case "newmediaWindowDays": p.newmediaWindowDays = try int(v, key, min: 1)
            case "phoneAreaCode":
                let code = try string(v, key)
                guard code.isEmpty || (code.hasPrefix("0") && (3...4).contains(code.count) && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber)) else {
                    throw error(v, "phoneAreaCode: expected an area code such as 010 or 0571")
                }
                p.phoneAreaCode = code
            case "policyFields":
                let fields = try strings(v, key)
                for f in fields where !PolicyMetadata.canonicalFields.contains(f) {
                    throw error(v, "policyFields: unknown field \"\(f)\" (expected some of: \(PolicyMetadata.canonicalFields.joined(separator: ", ")))")
                }
                p.policyFields = fields
            case "serviceGuideFields":
                let fields = try strings(v, key)
                for f in fields where !ServiceGuide.canonicalFields.contains(f) {
                    throw error(v, "serviceGuideFields: unknown element \"\(f)\" (expected some of: \(ServiceGuide.canonicalFields.joined(separator: ", ")))")
                }
                p.serviceGuideFields = fields
            case "serviceGuideVetoShare":
                let share = try double(v, key)
                guard share > 0 && share <= 1 else { throw error(v, "serviceGuideVetoShare: expected a share above 0 and at most 1") }
                p.serviceGuideVetoShare = share
            case "blankMarkers": p.blankMarkers = unique(p.blankMarkers + (try strings(v, key)))
            case "elderKeywords": p.elderKeywords = unique(p.elderKeywords + (try strings(v, key)))
            case "elderScripts": p.elderScripts = unique(p.elderScripts + (try strings(v, key)))
            case "caps":
                for (ind, kn, cap) in try mapping(v, key) {
                    guard let indicator = Indicator(rawValue: ind) else {
                        throw error(kn, "caps: unknown indicator \"\(ind)\" (see CONTRACT.md: \(Indicator.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    p.caps[indicator] = try double(cap, "caps.\(ind)")
                }
            case "categories": try applyCategories(v, to: &p)
            case "veto": try applyVeto(v, to: &p)
            case "availability": try applyAvailability(v, to: &p)
            case "rules": try applyRules(v, to: &p)
            case "required": try applyRequired(v, to: &p)
            case "workPoints": try applyWorkPoints(v, to: &p)
            case "workPointYear": p.workPointYear = try int(v, key, min: 1900)
            case "searchURL":
                let t = try string(v, key)
                guard (t.hasPrefix("http://") || t.hasPrefix("https://")) && t.contains("{query}") else {
                    throw error(v, "searchURL: expected an http(s) URL with {query} where the search words go")
                }
                p.searchURL = t
            case "departments":
                guard let seq = v.sequence else { throw error(v, "departments: expected a list of {pattern, department}") }
                var entries = p.departments.entries
                for item in seq {
                    var pattern = "", dept = ""
                    for (k, kn, val) in try mapping(item, "departments") {
                        switch k {
                        case "pattern": pattern = try string(val, "departments.pattern")
                        case "department": dept = try string(val, "departments.department")
                        default: throw unknown(kn, k, in: "departments", allowed: ["pattern", "department"])
                        }
                    }
                    guard pattern.hasPrefix("/") || pattern.hasPrefix("http://") || pattern.hasPrefix("https://") else {
                        throw error(item, "departments: pattern \"\(pattern)\" must be a URL path beginning with / or an http(s) URL")
                    }
                    guard !dept.isEmpty else { throw error(item, "departments: empty department") }
                    entries.removeAll { $0.pattern == pattern }
                    entries.append(.init(pattern: pattern, department: dept))
                }
                p.departments = DepartmentMap(entries)
            case "columnDepartments":
                for (name, _, dept) in try mapping(v, key) { p.columnDepartments[name] = try string(dept, "columnDepartments.\(name)") }
            default:
                throw unknown(keyNode, key, in: "", allowed: ProfileReader.topKeys)
            }
        }
    }

    func applyCategories(_ v: Node, to p: inout Profile) throws {
        let allowed = ["name", "windowDays", "keywords"]
        for (key, _, body) in try mapping(v, "categories") {
            var c = p.categories.first { $0.key == key } ?? Profile.Category(key: key, name: key, windowDays: 0, keywords: [])
            for (k, kn, val) in try mapping(body, "categories.\(key)") {
                switch k {
                case "name": c.name = try string(val, "categories.\(key).name")
                case "windowDays": c.windowDays = try int(val, "categories.\(key).windowDays", min: 1)
                case "keywords": c.keywords = unique(c.keywords + (try strings(val, "categories.\(key).keywords")))
                default: throw unknown(kn, k, in: "categories.\(key)", allowed: allowed)
                }
            }
            guard c.windowDays > 0 else { throw error(body, "categories.\(key): windowDays is required") }
            if let i = p.categories.firstIndex(where: { $0.key == key }) { p.categories[i] = c } else { p.categories.append(c) }
        }
    }

    func applyVeto(_ v: Node, to p: inout Profile) throws {
        let allowed = ["staleColumns", "staleCategories", "unupdatedColumns", "blankColumns"]
        for (k, kn, val) in try mapping(v, "veto") {
            switch k {
            case "staleColumns": p.veto.staleColumns = try int(val, "veto.staleColumns", min: 1)
            case "unupdatedColumns": p.veto.unupdatedColumns = try int(val, "veto.unupdatedColumns", min: 1)
            case "blankColumns": p.veto.blankColumns = try int(val, "veto.blankColumns", min: 1)
            case "staleCategories":
                let keys = try strings(val, "veto.staleCategories")
                for key in keys where !p.categories.contains(where: { $0.key == key }) {
                    throw error(val, "veto.staleCategories: unknown category \"\(key)\" (defined: \(p.categories.map(\.key).joined(separator: ", ")))")
                }
                p.veto.staleCategories = keys
            default: throw unknown(kn, k, in: "veto", allowed: allowed)
            }
        }
    }

    func applyAvailability(_ v: Node, to p: inout Profile) throws {
        let allowed = ["days", "probesPerDay", "timeoutSeconds", "vetoShare", "homepageShare", "homepagePoints"]
        for (k, kn, val) in try mapping(v, "availability") {
            let key = "availability.\(k)"
            switch k {
            case "days": p.availability.days = try int(val, key, min: 1)
            case "probesPerDay": p.availability.probesPerDay = try int(val, key, min: 1)
            case "timeoutSeconds": p.availability.timeoutSeconds = try double(val, key)
            case "vetoShare", "homepageShare":
                let share = try double(val, key)
                guard share <= 1 else { throw error(val, "\(key): expected a share between 0 and 1 (0.05 is 5%)") }
                if k == "vetoShare" { p.availability.vetoShare = share } else { p.availability.homepageShare = share }
            case "homepagePoints": p.availability.homepagePoints = try double(val, key)
            default: throw unknown(kn, k, in: "availability", allowed: allowed)
            }
        }
        if p.availability.homepageShare > p.availability.vetoShare {
            throw error(v, "availability: homepageShare \(p.availability.homepageShare) is above vetoShare \(p.availability.vetoShare)")
        }
    }

    func applyRules(_ v: Node, to p: inout Profile) throws {
        let allowed = ["enabled", "severity", "points"]
        for (id, idNode, body) in try mapping(v, "rules") {
            guard let rule = RuleRegistry.description(exactly: RuleID(id))?.id else {
                throw error(idNode, "rules: unknown rule id \"\(id)\" (see `govsweep rules`)")
            }
            var s = p.rules[rule] ?? Profile.RuleSettings()
            for (k, kn, val) in try mapping(body, "rules.\(id)") {
                switch k {
                case "enabled": s.enabled = try bool(val, "rules.\(id).enabled")
                case "severity": s.severity = try severity(val, "rules.\(id).severity")
                case "points": s.points = try double(val, "rules.\(id).points")
                default: throw unknown(kn, k, in: "rules.\(id)", allowed: allowed)
                }
            }
            p.rules[rule] = s
        }
    }

    func applyRequired(_ v: Node, to p: inout Profile) throws {
        guard let seq = v.sequence else { throw error(v, "required: expected a list of requirements") }
        let allowed = ["name", "variants", "department", "item", "source", "severity", "points"]
        for item in seq {
            var r = Profile.Requirement(name: "", variants: [], department: "", item: 0, source: "")
            for (k, kn, val) in try mapping(item, "required") {
                switch k {
                case "name": r.name = try string(val, "required.name")
                case "variants": r.variants = try strings(val, "required.variants")
                case "department": r.department = try string(val, "required.department")
                case "item": r.item = try int(val, "required.item", min: 1)
                case "source": r.source = try string(val, "required.source")
                case "severity": r.severity = try severity(val, "required.severity")
                case "points": r.points = try double(val, "required.points")
                default: throw unknown(kn, k, in: "required", allowed: allowed)
                }
            }
            guard !r.name.isEmpty else { throw error(item, "required: each requirement needs a name") }
            if let i = p.required.firstIndex(where: { $0.name == r.name }) { p.required[i] = r } else { p.required.append(r) }
        }
    }

    private func unique(_ xs: [String]) -> [String] {
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
    }
}
