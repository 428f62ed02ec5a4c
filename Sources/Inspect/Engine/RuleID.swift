/// A registered rule's id (`column.stale`). Findings may carry a more specific id (a
/// variant, `column.stale.notice`; a template's, `a11y.img-alt#template`): `init(finding:)`
/// finds their rule. A profile names rules exactly (`init(exactly:)`): a variant's id there
/// would pass a prefix match and configure nothing.
public struct RuleID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    /// The rule's description.
    public let rule: RuleDescription

    /// The rule registered under exactly this id; nil for anything else.
    public init?(exactly id: String) {
        guard let d = RuleRegistry.descriptions.first(where: { $0.id == id }) else { return nil }
        rawValue = d.id
        rule = d
    }

    /// The rule a finding's rule id comes from: the id itself, else the rule whose id is a
    /// dotted prefix of it, with a template finding's `#template` left off.
    public init?(finding id: String) {
        let base = id.hasSuffix("#template") ? String(id.dropLast("#template".count)) : id
        if let exact = RuleID(exactly: base) { self = exact; return }
        guard let d = RuleRegistry.descriptions.first(where: { base.hasPrefix($0.id + ".") }) else { return nil }
        rawValue = d.id
        rule = d
    }

    public var description: String { rawValue }
    public static func == (a: RuleID, b: RuleID) -> Bool { a.rawValue == b.rawValue }
    public func hash(into h: inout Hasher) { h.combine(rawValue) }
}
