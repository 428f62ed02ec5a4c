package import Parse
package import Vocabulary

/// One thing a content rule noted on a page: a key to aggregate by (a phone number's
/// digits, a missing-field list) and what was printed there.
package struct PageNote: Sendable, Equatable {
    package var key: String
    package var text: String
    package init(key: String, text: String = "") { self.key = key; self.text = text }
}

/// A page note with the page it came from, as the site rule receives it.
package struct CollectedNote: Sendable, Equatable {
    package var url: String
    package var key: String
    package var text: String
}

/// A rule that reads what pages say (phones, metadata, wording): each page yields a few
/// compact notes, and the site pass aggregates them (one finding per distinct number,
/// listing every page it appears on).
package protocol CollectingRule: Rule {
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
    package static var notesFrom: RuleID? { nil }
    package func wantsNotes(in site: SiteContext) -> Bool { true }
    package func keepsNote(key: String, in site: SiteContext) -> Bool { true }
}

/// The user data content rules compare pages with (`--phones`, `--wording`).
package struct ContentData: Sendable {
    /// `--phones`; nil: no registry, so no `phone-unfiled` findings.
    package var phones: PhoneRegistry?
    /// The bundled wording dictionary plus `--wording` entries.
    package var wording: WordingDictionary
    /// `--accounts`; nil: no registry, so no `newmedia-unfiled` findings.
    package var accounts: AccountRegistry?
    package init(phones: PhoneRegistry? = nil, wording: WordingDictionary = .bundled, accounts: AccountRegistry? = nil) {
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
