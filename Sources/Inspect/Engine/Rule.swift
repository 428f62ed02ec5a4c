package import Parse
import Synchronization
package import Vocabulary

/// A check, after SwiftLint's rules: a small value type with one static description
/// (whose examples are its tests) and a trivial `init()`; the profile's parameters
/// arrive through the context.
package protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    /// What `govsweep rules explain` adds after the parameters: the profile's own data the
    /// rule reads (its categories, required columns, work points); "" for most rules.
    static func explain(profile: Profile) -> String
}

extension Rule {
    package static func explain(profile: Profile) -> String { "" }
}

/// What a per-page rule sees besides the page.
package struct PageContext: Sendable {
    package var profile: Profile
    package var asOf: Day
    package var url: String
    package var depth: Int
    /// `--phones`, the wording dictionary.
    package var content = ContentData()
    /// What more than one rule reads of this page, read once (the inspector gives each page
    /// one); nil: each rule reads for itself.
    var memo: PageMemo?
    package init(profile: Profile, asOf: Day, url: String, depth: Int, content: ContentData = ContentData()) {
        self.profile = profile; self.asOf = asOf; self.url = url; self.depth = depth; self.content = content
    }
    /// A start page of the sweep (crawl depth 0).
    package var isHome: Bool { depth == 0 }
}

/// What several rules read of one page, read by the first that asks and kept for the others:
/// policy.metadata and policy.interpretation both read the metadata table (every article of
/// the realistic portal passes its gate: 字号 of the font-size widget).
final class PageMemo: Sendable {
    private let policy = Mutex<PolicyMetadata.Facts?>(nil)
    private let words = Mutex<PageWords?>(nil)

    func policyMetadata(_ page: PageModel, words: PageWords?) -> PolicyMetadata.Facts {
        if let f = policy.withLock({ $0 }) { return f }
        let f = PolicyMetadata.read(page, words: words)
        policy.withLock { $0 = f }
        return f
    }

    /// The wording entries and phone words of the page (wording, phone.unfiled, phone.malformed).
    func pageWords(_ page: PageModel, _ matcher: PageWordMatcher) -> PageWords {
        if let w = words.withLock({ $0 }) { return w }
        let w = matcher.scan(page)
        words.withLock { $0 = w }
        return w
    }
}

extension PageContext {
    /// `PolicyMetadata.read(page)`, once per page when the context has a memo.
    func policyMetadata(_ page: PageModel) -> PolicyMetadata.Facts {
        let words = pageWords(page)
        return memo?.policyMetadata(page, words: words) ?? PolicyMetadata.read(page, words: words)
    }
}

/// A rule that looks at one page at a time (accessibility checks). It returns the
/// offending elements' snippets; the inspector turns them into one finding per page
/// and check, and into one template finding when many pages share the same offender.
package protocol PageRule: Rule {
    func offenders(in page: PageModel, context: PageContext) -> [String]
}

/// A rule over the whole swept site, working from the inspector's compact summaries.
package protocol SiteRule: Rule {
    func findings(in site: SiteContext) -> [Finding]
}

/// One rule's example run failed: which example and why.
package struct ExampleFailure: Sendable, CustomStringConvertible {
    package var rule: RuleID
    package var example: RuleExample
    package var problem: String
    package var description: String { "\(example.file):\(example.line): \(rule) — \(example.note): \(problem)" }
}
