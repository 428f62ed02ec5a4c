import Crawl
import Inspect
import Store

/// The crawl's `PageInspection` over the sweep's inspector: every HTML page goes through
/// the inspector as it is parsed (it keeps summaries only); an unchanged page of the
/// baseline run is absorbed from the facts stored with it. A script-filled page a rule
/// needs goes to `rendering`, which absorbs its facts once it is rendered; the links its
/// rendered DOM adds are crawled too.
struct InspectorPages: PageInspection {
    let inspector: Inspector
    var rendering: PageRendering? = nil

    func facts(of page: CrawledPage, storing settings: FactsSettings?) -> StoredFacts? {
        inspect(page, storing: settings).facts
    }

    func inspect(_ page: CrawledPage, storing settings: FactsSettings?) -> (facts: StoredFacts?, later: Task<LaterLinks, Never>?) {
        let url = page.url.string
        let facts = inspector.facts(of: page.model, url: url, depth: page.depth)
        // A page being rendered: its facts are absorbed once it is, and its rendered links crawled.
        let later = rendering?.take(page, facts: facts, inspector: inspector)
        if later == nil { inspector.absorb(facts, url: url) }
        // (The static facts are stored: see `PageRendering.wantsParse`.)
        guard let settings else { return (nil, later) }
        let stored = StoredFacts(
            url: url, key: settings.key, asOf: facts.asOfDependent ? settings.asOf : nil, data: facts.encoded())
        return (stored, later)
    }

    func reuse(url: String, facts data: [UInt8]) -> Bool {
        guard let facts = PageFacts(encoded: data) else { return false }
        if let rendering, rendering.wantsParse(facts) { return false }
        inspector.absorb(facts, url: url)
        return true
    }
}
