import Crawl
import Inspect

/// The crawl's `PageInspection` over the sweep's inspector: every HTML page goes through
/// the inspector as it is parsed (it keeps summaries only); an unchanged page of the
/// baseline run is absorbed from the facts stored with it.
struct InspectorPages: PageInspection {
    let inspector: Inspector

    func facts(of page: CrawledPage) -> FactsBlob {
        let facts = inspector.facts(of: page.model, url: page.url.string, depth: page.depth)
        inspector.absorb(facts, url: page.url.string)
        return FactsBlob(data: facts.encoded(), asOfDependent: facts.asOfDependent)
    }

    func reuse(url: String, facts data: [UInt8]) -> Bool {
        guard let facts = PageFacts(encoded: data) else { return false }
        inspector.absorb(facts, url: url)
        return true
    }
}
