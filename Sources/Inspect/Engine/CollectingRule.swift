public import Parse
public import Vocabulary

/// One thing a content rule noted on a page: a key to aggregate by (a phone number's
/// digits, a missing-field list) and what was printed there.
public struct PageNote: Sendable, Equatable {
    public var key: String
    public var text: String
    public init(key: String, text: String = "") { self.key = key; self.text = text }
}

/// A page note with the page it came from, as the site rule receives it.
public struct CollectedNote: Sendable, Equatable {
    public var url: String
    public var key: String
    public var text: String
}

/// A rule that reads what pages say (phones, metadata, wording): each page yields a few
/// compact notes, and the site pass aggregates them (one finding per distinct number,
/// listing every page it appears on).
public protocol CollectingRule: Rule {
    func notes(in page: PageModel, context: PageContext) -> [PageNote]
    func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding]
    /// The id of a rule whose notes this one reads instead of reading pages itself (two
    /// rules over one extraction: phone.malformed over phone.unfiled's numbers); nil: its own.
    static var notesFrom: RuleID? { get }
    /// Whether the rule can make findings at all in this sweep (the phone registry is
    /// there, …); when not, no notes are handed to it. Default: yes.
    func wantsNotes(in site: SiteContext) -> Bool
    /// Whether notes with this key can lead to a finding (a filed number cannot): the
    /// others are left out before the notes are handed over. Default: every note.
    func keepsNote(key: String, in site: SiteContext) -> Bool
}

extension CollectingRule {
    public static var notesFrom: RuleID? { nil }
    public func wantsNotes(in site: SiteContext) -> Bool { true }
    public func keepsNote(key: String, in site: SiteContext) -> Bool { true }
}

/// The user data content rules compare pages with (`--phones`, `--wording`).
public struct ContentData: Sendable {
    /// `--phones`; nil: no registry, so no `phone-unfiled` findings.
    public var phones: PhoneRegistry?
    /// The bundled wording dictionary plus `--wording` entries.
    public var wording: WordingDictionary
    /// `--accounts`; nil: no registry, so no `newmedia-unfiled` findings.
    public var accounts: AccountRegistry?
    public init(phones: PhoneRegistry? = nil, wording: WordingDictionary = .bundled, accounts: AccountRegistry? = nil) {
        self.phones = phones; self.wording = wording; self.accounts = accounts
    }
}

extension SiteContext {
    /// The department most of `pages` belong to (ties: the first page by URL).
    func department(ofPages pages: [String]) -> String {
        var count: [String: Int] = [:]
        var order: [String] = []
        for p in pages.sorted() {
            let d = department(for: p)
            if count[d] == nil { order.append(d) }
            count[d, default: 0] += 1
        }
        return order.max { (count[$0] ?? 0, -(order.firstIndex(of: $0) ?? 0)) < (count[$1] ?? 0, -(order.firstIndex(of: $1) ?? 0)) } ?? ""
    }
}
