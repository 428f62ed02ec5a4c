package import Vocabulary
/// A rule profile: which rules run, with which parameters, and how findings score.
/// Profiles are data (`Rules/profiles/*.yaml`); see `Profile+Loading.swift` for the format.
package struct Profile: Sendable {
    /// A column category (栏目类别) and its update window.
    package struct Category: Sendable, Equatable {
        /// `news`, `notice`, `personnel` … (the suffix of `column.stale.<key>` findings).
        package var key: String
        package var name: String
        package var windowDays: Int
        /// A column whose name contains one of these is in the category (first category wins).
        package var keywords: [String]
    }

    /// The 栏目不更新 veto thresholds (国办秘函〔2019〕19号).
    package struct Veto: Sendable, Equatable {
        /// This many stale columns of `staleCategories` … (5: news and notice/policy columns).
        package var staleColumns = 5
        package var staleCategories = ["news", "notice"]
        /// … or this many stale columns of any category (10) …
        package var unupdatedColumns = 10
        /// … or this many blank columns (5) fail the site.
        package var blankColumns = 5
    }

    /// A column or topic the profile requires (`column-missing`).
    package struct Requirement: Sendable, Equatable {
        package var name: String
        /// Names that satisfy the requirement (the name itself always does).
        package var variants: [String]
        package var department: String
        /// The item number in the source document (e.g. the seed's item 21), 0 when none.
        package var item: Int
        package var source: String
        /// Override of the rule's severity / points for this requirement.
        package var severity: Severity?
        package var points: Double?
    }

    /// The availability test (`site-unavailable`, 站点无法访问 / 首页可用性).
    package struct Availability: Sendable, Equatable {
        /// H: monitored for one week …
        package var days = 7
        /// … at least 20 probes a day (H) …
        package var probesPerDay = 20
        /// … a probe fails when the page does not open within 15 s (H) …
        package var timeoutSeconds = 15.0
        /// … and the site is vetoed when 5% or more fail (H).
        package var vetoShare = 0.05
        /// L: the homepage deduction's band (from this share up to the veto share) and points.
        package var homepageShare = 0.01
        package var homepagePoints = 5.0
        package init() {}
    }

    /// A profile's override of a rule's defaults.
    package struct RuleSettings: Sendable, Equatable {
        package var enabled = true
        package var severity: Severity?
        package var points: Double?
        package init() {}
    }

    package var id: String
    package var name: String
    package var source: String
    /// The profiles this one extends, root first.
    package var lineage: [String]
    package var passMark: Double = 60
    /// Per-indicator caps on deductions (an indicator absent here is uncapped).
    package var caps: [Indicator: Double] = [:]
    package var categories: [Category] = []
    package var veto = Veto()
    /// `site-unavailable`: how probes are judged.
    package var availability = Availability()
    /// `homepage-stale`: the home page must show an item dated within this many days.
    package var homepageWindowDays = 14
    package var rules: [RuleID: RuleSettings] = [:]
    package var required: [Requirement] = []
    /// URL prefix → department, used when `--departments` has no match.
    package var departments = DepartmentMap()
    /// Column name → department, used when no URL prefix matches.
    package var columnDepartments: [String: String] = [:]
    /// Text that marks a column with no items (暂无信息 …).
    package var blankMarkers: [String] = []
    /// Link text, titles or image alts that count as an elder-mode / accessibility entry.
    package var elderKeywords: [String] = []
    /// Script or link URL fragments of accessibility toolbars.
    package var elderScripts: [String] = []
    /// An a11y check firing on the same element on at least this many pages is reported
    /// once for the template.
    package var templateMinPages = 5
    /// The area code of local numbers printed without one (Beijing: `010`); "" when unknown.
    package var phoneAreaCode = ""
    /// The metadata a policy-document page must show (`policy-metadata`), canonical names:
    /// 名称, 索引号, 发文机关, 文号, 有效性, 关键词, 主题分类, 成文日期, 发布日期, 正文.
    /// Public messages must be answered within this many working days (`reply-late`);
    /// 5 is the Beijing benchmark, the seed district sets 1 (item 29).
    package var replyLimitDays = 5
    /// A filed new-media account must have posted within this many days (`newmedia-stale`;
    /// 14: the national veto for accounts).
    package var newmediaWindowDays = 14
    package var policyFields: [String] = ["名称", "发文机关", "发布日期", "正文"]
    /// The elements a service guide must show (`service-guide`), canonical names (`ServiceGuide`).
    package var serviceGuideFields: [String] = ServiceGuide.canonicalFields
    /// 办事服务不实用 vetoes when more than this share of the guides lacks elements (L: BRIEF names none).
    package var serviceGuideVetoShare = 0.5
    /// The district's yearly work points (`work-point`, WorkPoint.swift), by item number,
    /// and their year (topic items count from its 1 January).
    package var workPoints: [WorkPoint] = []
    package var workPointYear: Int?
    /// How to query the site's search (`search`): a URL with `{query}`; nil: the search form
    /// found on the home page.
    package var searchURL: String?

    package init(id: String, name: String = "", source: String = "") {
        self.id = id
        self.name = name
        self.source = source
        lineage = []
    }

    /// The category of a column name, nil when no keyword matches (no window: not checked).
    package func category(ofColumn name: String) -> Category? {
        categories.first { c in c.keywords.contains { name.contains($0) } }
    }

    /// Effective settings of a rule: the profile's override over the description's defaults.
    package func settings(for d: RuleDescription) -> (enabled: Bool, severity: Severity, points: Double) {
        let s = rules[d.id] ?? RuleSettings()
        return (s.enabled, s.severity ?? d.severity, s.points ?? d.points)
    }

    package func isEnabled(_ id: RuleID) -> Bool { rules[id]?.enabled ?? true }

    /// The department for a column by the profile's name map, "" when none.
    package func department(forColumn name: String) -> String {
        if let d = columnDepartments[name] { return d }
        return columnDepartments.first { name.contains($0.key) }?.value ?? ""
    }

    /// The official scoring with this profile's caps and pass mark.
    package var scoring: Scoring {
        var s = Scoring()
        s.passMark = passMark
        s.caps = caps
        return s
    }
}
