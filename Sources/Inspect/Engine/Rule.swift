public import Parse
import Synchronization
public import Vocabulary

/// A check, after SwiftLint's rules: a small value type with one static description
/// (whose examples are its tests) and a trivial `init()`; the profile's parameters
/// arrive through the context.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    /// What `govsweep rules explain` adds after the parameters: the profile's own data the
    /// rule reads (its categories, required columns, work points); "" for most rules.
    static func explain(profile: Profile) -> String
}

extension Rule {
    public static func explain(profile: Profile) -> String { "" }
}

/// What a per-page rule sees besides the page.
public struct PageContext: Sendable {
    public var profile: Profile
    public var asOf: Day
    public var url: String
    public var depth: Int
    /// `--phones`, the wording dictionary.
    public var content = ContentData()
    /// What more than one rule reads of this page, read once (the inspector gives each page
    /// one); nil: each rule reads for itself.
    var memo: PageMemo?
    public init(profile: Profile, asOf: Day, url: String, depth: Int, content: ContentData = ContentData()) {
        self.profile = profile; self.asOf = asOf; self.url = url; self.depth = depth; self.content = content
    }
    /// A start page of the sweep (crawl depth 0).
    public var isHome: Bool { depth == 0 }
}

/// What several rules read of one page, read by the first that asks and kept for the others:
/// policy.metadata and policy.interpretation both read the metadata table (every article of
/// the realistic portal passes its gate: 字号 of the font-size widget).
final class PageMemo: Sendable {
    private let policy = Mutex<PolicyMetadata.Facts?>(nil)

    func policyMetadata(_ page: PageModel) -> PolicyMetadata.Facts {
        if let f = policy.withLock({ $0 }) { return f }
        let f = PolicyMetadata.read(page)
        policy.withLock { $0 = f }
        return f
    }
}

extension PageContext {
    /// `PolicyMetadata.read(page)`, once per page when the context has a memo.
    func policyMetadata(_ page: PageModel) -> PolicyMetadata.Facts {
        memo?.policyMetadata(page) ?? PolicyMetadata.read(page)
    }
}

/// A rule that looks at one page at a time (accessibility checks). It returns the
/// offending elements' snippets; the inspector turns them into one finding per page
/// and check, and into one template finding when many pages share the same offender.
public protocol PageRule: Rule {
    func offenders(in page: PageModel, context: PageContext) -> [String]
}

/// A rule over the whole swept site, working from the inspector's compact summaries.
public protocol SiteRule: Rule {
    func findings(in site: SiteContext) -> [Finding]
}

/// One rule's example run failed: which example and why.
public struct ExampleFailure: Sendable, CustomStringConvertible {
    public var rule: RuleID
    public var example: RuleExample
    public var problem: String
    public var description: String { "\(example.file):\(example.line): \(rule) — \(example.note): \(problem)" }
}
