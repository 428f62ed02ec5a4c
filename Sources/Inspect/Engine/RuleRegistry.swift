package import Vocabulary

/// Every rule govsweep ships. Adding a rule is one file and one line here; the generic
/// examples test then runs it.
package enum RuleRegistry {
    package static let all: [any Rule.Type] = [
        // Availability (probes recorded by `govsweep probe`, folded in by the sweep)
        SiteUnavailableRule.self,
        // Columns and the home page
        ColumnStaleRule.self,
        ColumnBlankRule.self,
        HomepageStaleRule.self,
        ColumnMissingRule.self,
        // Links
        LinkBrokenRule.self,
        // Footer identification
        SiteCodeMarkerRule.self,
        ICPMarkerRule.self,
        PSBMarkerRule.self,
        SponsorMarkerRule.self,
        ContactMarkerRule.self,
        PartyGovMarkerRule.self,
        ErrorReportMarkerRule.self,
        // Accessibility and elder-friendliness
        ImageAltRule.self,
        InputImageAltRule.self,
        AreaAltRule.self,
        HTMLLangRule.self,
        PageTitleRule.self,
        FormLabelRule.self,
        ButtonNameRule.self,
        LinkTextRule.self,
        FrameTitleRule.self,
        DuplicateIDRule.self,
        EmptyHeadingRule.self,
        MetaRefreshRule.self,
        MetaViewportRule.self,
        ElderEntryRule.self,
        // Content
        PhoneUnfiledRule.self,
        PhoneMalformedRule.self,
        PolicyMetadataRule.self,
        WordingRule.self,
        ReplyLateRule.self,
        ReplyMissingRule.self,
        MessageTimesRule.self,
        // Services and the consultation channel (办事服务不实用, 互动回应差)
        ServiceGuideRule.self,
        ConsultChannelRule.self,
        // New-media accounts
        NewMediaStaleRule.self,
        NewMediaUnreachableRule.self,
        NewMediaUnfiledRule.self,
        // The district's yearly work points
        WorkPointRule.self,
        // Search, mobile adaptation, policy interpretations, suspect dates
        SearchRule.self,
        MobileRule.self,
        PolicyInterpretationRule.self,
        DateSuspectRule.self,
    ]

    package static var descriptions: [RuleDescription] { all.map { $0.description } }

    static let pageRules: [any PageRule] = all.compactMap { $0.init() as? any PageRule }
    static let collectingRules: [any CollectingRule] = all.compactMap { $0.init() as? any CollectingRule }
    static let siteRules: [any SiteRule] = all.compactMap { $0.init() as? any SiteRule }

    /// Each rule's description by its id (a duplicate id fails RuleExamplesTests).
    static let byID: [RuleID: RuleDescription] = Dictionary(descriptions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

    /// The rule registered under exactly this id (a profile names rules exactly: a variant's
    /// id there would configure nothing); nil for anything else.
    package static func description(exactly id: RuleID) -> RuleDescription? { byID[id] }

    /// The rule of a finding's id: its own rule's, or, for an id read back as text, the rule
    /// it resolves to (`column.stale.notice` → `column.stale`).
    package static func description(of id: RuleID) -> RuleDescription? {
        if let d = byID[id.rule] { return d }
        return resolve(id.rawValue).flatMap { byID[$0.rule] }
    }

    /// An id given as text (a command line, findings.json, the store) with its rule found;
    /// nil when it is no rule's id nor a variant's.
    package static func resolve(_ text: String) -> RuleID? { RuleID(resolving: text) { byID[$0] != nil } }
}
