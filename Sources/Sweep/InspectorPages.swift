import Crawl
import Inspect
import Store

/// The crawl's `PageInspection` over the sweep's inspector: every HTML page goes through
/// the inspector as it is parsed (it keeps summaries only); an unchanged page of the
/// baseline run is absorbed from the facts stored with it. A script-filled page a rule
/// needs goes to `rendering`, which absorbs its facts once it is rendered.
struct InspectorPages: PageInspection {
    let inspector: Inspector
    var rendering: PageRendering? = nil

    func facts(of page: CrawledPage, storing settings: FactsSettings?) -> StoredFacts? {
        let url = page.url.string
        let facts = inspector.facts(of: page.model, url: url, depth: page.depth)
        if rendering?.take(page, facts: facts, inspector: inspector) != true {
            inspector.absorb(facts, url: url)
        }
        // (The static facts are stored: see `PageRendering.wantsParse`.)
        guard let settings else { return nil }
        return StoredFacts(
            url: url, key: settings.key, asOf: facts.asOfDependent ? settings.storedAsOf : nil, data: facts.encoded())
    }

    func reuse(url: String, facts data: [UInt8]) -> Bool {
        guard let facts = PageFacts(encoded: data) else { return false }
        if let rendering, rendering.wantsParse(facts) { return false }
        inspector.absorb(facts, url: url)
        return true
    }
}
