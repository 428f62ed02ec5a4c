package import Vocabulary

/// One item of a district's yearly work points for open government (政务公开工作要点):
/// who leads it, by when, and how govsweep can tell from outside whether the portal shows
/// it. Profiles list them under `workPoints` (see `WorkPoint+Loading.swift`).
package struct WorkPoint: Sendable, Equatable {
    /// How an item is checked.
    package enum Method: Sendable, Equatable {
        /// By rules that already exist (`column.missing` with the requirement of the same
        /// item number, `policy.metadata`, `reply.late`, `phone.unfiled`, `a11y.elder-entry` …).
        case rules([RuleID])
        /// By a topic check: dated items on the portal that speak of it.
        case topic(Topic)
        /// Not visible from outside (training, internal mechanisms, evaluations): the reason.
        case manual(String)
    }

    /// What counts as the portal publishing an item.
    package struct Topic: Sendable, Equatable {
        /// Every group must match (all-of); a group matches when one of its words does (any-of).
        package var groups: [[String]]
        /// A text unit holding one of these does not count (the keyword in another sense).
        package var exclude: [String] = []
        /// Where to look: columns whose name contains one of these …
        package var columns: [String] = []
        /// … or URL path prefixes (`/zwgk/czyjs/`) …
        package var paths: [String] = []
        /// … or the sub-sites of the item's lead and co-departments (the department map);
        /// none of the three: the whole site.
        package var departmentSites = false
        /// Items dated before this do not count (nil: 1 January of the work points' year).
        package var since: Day?
        /// Dated matching items needed.
        package var minItems = 1
        package init(groups: [[String]]) { self.groups = groups }

        /// Whether the check is limited to some part of the site.
        package var isScoped: Bool { !columns.isEmpty || !paths.isEmpty || departmentSites }
    }

    /// The item number in the source document (`7`).
    package var item: Int
    /// A short name (老旧小区改造项目清单).
    package var name: String
    /// The item's text, as the source words it.
    package var text = ""
    /// Lead (牵头, or named as responsible) departments, and co-departments (配合).
    package var lead: [String] = []
    package var co: [String] = []
    /// The deadline (完成时限) as written (2022年10月) and its last day.
    package var deadlineText = ""
    package var deadline: Day?
    package var method: Method
    /// Override of the `work-point` rule's severity / points for this item.
    package var severity: Severity?
    package var points: Double?

    package init(item: Int, name: String, method: Method) {
        self.item = item; self.name = name; self.method = method
    }

    /// The first lead department: findings are attributed to it ("" when none).
    package var department: String { lead.first ?? "" }

    /// The day from which topic items count.
    package func since(year: Int?) -> Day? {
        if case .topic(let t) = method, let s = t.since { return s }
        return year.flatMap { Day(year: $0, month: 1, day: 1) }
    }

    /// Whether the deadline has passed on `asOf` (no deadline: it has).
    package func isDue(asOf: Day) -> Bool {
        guard let deadline else { return true }
        return deadline < asOf
    }
}
