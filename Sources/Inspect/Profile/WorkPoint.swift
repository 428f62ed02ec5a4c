public import Vocabulary

/// One item of a district's yearly work points for open government (政务公开工作要点):
/// who leads it, by when, and how govsweep can tell from outside whether the portal shows
/// it. Profiles list them under `workPoints` (see `WorkPoint+Loading.swift`).
public struct WorkPoint: Sendable, Equatable {
    /// How an item is checked.
    public enum Method: Sendable, Equatable {
        /// By rules that already exist (`column.missing` with the requirement of the same
        /// item number, `policy.metadata`, `reply.late`, `phone.unfiled`, `a11y.elder-entry` …).
        case rules([RuleID])
        /// By a topic check: dated items on the portal that speak of it.
        case topic(Topic)
        /// Not visible from outside (training, internal mechanisms, evaluations): the reason.
        case manual(String)
    }

    /// What counts as the portal publishing an item.
    public struct Topic: Sendable, Equatable {
        /// Every group must match (all-of); a group matches when one of its words does (any-of).
        public var groups: [[String]]
        /// A text unit holding one of these does not count (the keyword in another sense).
        public var exclude: [String] = []
        /// Where to look: columns whose name contains one of these …
        public var columns: [String] = []
        /// … or URL path prefixes (`/zwgk/czyjs/`) …
        public var paths: [String] = []
        /// … or the sub-sites of the item's lead and co-departments (the department map);
        /// none of the three: the whole site.
        public var departmentSites = false
        /// Items dated before this do not count (nil: 1 January of the work points' year).
        public var since: Day?
        /// Dated matching items needed.
        public var minItems = 1
        public init(groups: [[String]]) { self.groups = groups }

        /// Whether the check is limited to some part of the site.
        public var isScoped: Bool { !columns.isEmpty || !paths.isEmpty || departmentSites }
    }

    /// The item number in the source document (`7`).
    public var item: Int
    /// A short name (老旧小区改造项目清单).
    public var name: String
    /// The item's text, as the source words it.
    public var text = ""
    /// Lead (牵头, or named as responsible) departments, and co-departments (配合).
    public var lead: [String] = []
    public var co: [String] = []
    /// The deadline (完成时限) as written (2022年10月) and its last day.
    public var deadlineText = ""
    public var deadline: Day?
    public var method: Method
    /// Override of the `work-point` rule's severity / points for this item.
    public var severity: Severity?
    public var points: Double?

    public init(item: Int, name: String, method: Method) {
        self.item = item; self.name = name; self.method = method
    }

    /// The first lead department: findings are attributed to it ("" when none).
    public var department: String { lead.first ?? "" }

    /// The day from which topic items count.
    public func since(year: Int?) -> Day? {
        if case .topic(let t) = method, let s = t.since { return s }
        return year.flatMap { Day(year: $0, month: 1, day: 1) }
    }

    /// Whether the deadline has passed on `asOf` (no deadline: it has).
    public func isDue(asOf: Day) -> Bool {
        guard let deadline else { return true }
        return deadline < asOf
    }
}
