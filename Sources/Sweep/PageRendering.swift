import Crawl
import Foundation
import Inspect
import Parse
package import Render
package import Store
import Synchronization
import Vocabulary

/// The script-filled pages a rule needs (the home page, column list pages, reply lists),
/// rendered in a browser while the crawl goes on (`--render auto|always`). Such a page's facts
/// are absorbed once its render ends: from the rendered DOM, through the same page model and
/// inspection, when it renders; else the static facts, their advice carrying the reason.
/// The crawl stores the static facts: an unchanged page of a later sweep is parsed again
/// (`wantsParse`) and its render comes from the cache, by the static body's hash.
package final class PageRendering: Sendable {
    package let settings: RenderSettings
    /// nil: no browser installed.
    package let renderer: Renderer?
    let cache: (any RenderCache)?
    /// A cached render older than this is rendered again: a list fetched after load changes
    /// while the static page stays the same.
    let cacheMaxAge: Double
    private let pending = Mutex<[Task<LaterLinks, Never>]>([])
    /// The browsers' closing, started by `finish` and awaited by `closed` (a browser takes a
    /// moment to end; the site rules and the report are written meanwhile).
    private let closing = Mutex<Task<Void, Never>?>(nil)
    private let tally = Mutex(Tally())

    /// What rendering did in a sweep.
    package struct Tally: Sendable, Equatable {
        /// Pages rendered in the browser, read from the cache, failed (with their reason kept),
        /// and not rendered because no browser is installed.
        package var rendered = 0, cached = 0, failed = 0, skipped = 0
        /// Wall seconds of the renders (summed).
        package var seconds = 0.0
        /// Wall seconds the sweep waited after its crawl for the renders still running.
        package var waited = 0.0

        package init() {}
    }

    package init(settings: RenderSettings, renderer: Renderer?, cache: (any RenderCache)?, cacheMaxAge: Double = 86_400) {
        self.settings = settings
        self.renderer = renderer
        self.cache = cache
        self.cacheMaxAge = cacheMaxAge
    }

    /// The rendering of a sweep: nil with `--render never`; without a browser, one that only
    /// counts what it could not render (`auto`). The cache is an SQLite file beside the store
    /// (`<store>.render`), in memory when the store is not a file. At most `perHost` renders at
    /// once, since every render is a request to the swept host.
    static func forSweep(_ settings: RenderSettings, storePath: String, perHost: Int) -> PageRendering? {
        guard settings.mode != .never else { return nil }
        var s = settings
        s.concurrency = max(1, min(s.concurrency, perHost))
        let cache: any RenderCache =
            storePath.isEmpty || storePath == ":memory:"
            ? MemoryRenderCache() : (try? SQLiteRenderCache(path: storePath + ".render")) ?? MemoryRenderCache()
        return PageRendering(settings: s, renderer: Renderer(settings: s), cache: cache)
    }

    /// Whether the static facts leave a rule unable to judge the page: a script-filled column
    /// page, a home page whose lists a script fills (or that shows no dated item), a script-filled
    /// page of messages (留言, 信箱: the reply rules' lists).
    static func wanted(_ facts: PageFacts, scriptFilled: Bool, title: String?) -> Bool {
        if facts.column?.scriptFill != nil { return true }
        if let h = facts.home, let f = h.scriptFill, f.sign.isStrong || h.latest == nil { return true }
        if scriptFilled, let t = title, ["留言", "信箱", "咨询", "互动", "诉求"].contains(where: { t.contains($0) }) { return true }
        return false
    }

    /// Stored facts of an unchanged page that should be rendered: parsed again instead of reused.
    func wantsParse(_ facts: PageFacts) -> Bool {
        settings.mode != .never && renderer != nil && PageRendering.wanted(facts, scriptFilled: false, title: nil)
    }

    /// Takes a parsed page whose `facts` are the static ones: when it is rendered, its facts
    /// are absorbed later (by `finish`) and the task gives its rendered DOM's links (none when it
    /// failed to render) for the crawl; nil when the caller absorbs the static facts now.
    func take(_ page: CrawledPage, facts: PageFacts, inspector: Inspector) -> Task<LaterLinks, Never>? {
        guard settings.mode != .never,
            PageRendering.wanted(facts, scriptFilled: page.model.scriptFilled, title: page.model.title)
        else { return nil }
        guard let renderer else {
            tally.withLock { $0.skipped += 1 }
            return nil
        }
        var hash = FNV1a()
        hash.add(page.response.body)
        let url = page.url.string, depth = page.depth, contentHash = hash.value
        let task = Task {
            let (facts, links) = await self.facts(
                url: url, depth: depth, contentHash: contentHash, staticFacts: facts, renderer: renderer, inspector: inspector)
            inspector.absorb(facts, url: url)
            return links
        }
        pending.withLock { $0.append(task) }
        return task
    }

    /// The page's facts from its render (cached, or rendered now), with the rendered DOM's links;
    /// else the static facts with the reason, and no links.
    func facts(
        url: String, depth: Int, contentHash: UInt64, staticFacts: PageFacts, renderer: Renderer, inspector: Inspector
    ) async -> (PageFacts, LaterLinks) {
        let since = Date().addingTimeInterval(-cacheMaxAge)
        // The cache's SQLite calls on a store thread, not on the cooperative pool's few.
        let cache = self.cache
        var markup: [UInt8]? = nil
        if let cache {
            markup = try? await StoreThreads.run(on: StoreThreads.shared) { cache.rendered(url: url, contentHash: contentHash, since: since) }
        }
        if markup != nil {
            tally.withLock { $0.cached += 1 }
        } else {
            do {
                let page = try await renderer.render(url: url)
                markup = page.markup
                if let cache {
                    _ = try? await StoreThreads.run(on: StoreThreads.shared) {
                        cache.save(url: url, contentHash: contentHash, markup: page.markup, at: Date())
                    }
                }
                tally.withLock {
                    $0.rendered += 1; $0.seconds += page.seconds
                }
            } catch {
                tally.withLock { $0.failed += 1 }
                var facts = staticFacts
                facts.column?.scriptFill?.renderFailure = error.description
                facts.home?.scriptFill?.renderFailure = error.description
                return (facts, LaterLinks())
            }
        }
        return PageRendering.renderedFacts(markup ?? [], url: url, depth: depth, inspector: inspector)
    }

    /// A rendered DOM through the page model and the inspection: what a browser shows is
    /// judged as it stands (its lists are no longer the script's to fill); and its links.
    static func renderedFacts(_ markup: [UInt8], url: String, depth: Int, inspector: Inspector) -> (PageFacts, LaterLinks) {
        let model = PageParser.parseRendered(markup, url: url)
        var facts = inspector.facts(of: model, url: url, depth: depth)
        facts.rendered = true
        facts.column?.rendered = true
        facts.home?.rendered = true
        return (facts, LaterLinks(links: model.links, baseHref: model.baseHref))
    }

    /// Waits for the renders still running (after the crawl, before the site rules); returns
    /// what rendering did.
    package func finish() async -> Tally {
        let started = Date()
        while true {
            let tasks = pending.withLock { p in
                defer { p.removeAll() }
                return p
            }
            if tasks.isEmpty { break }
            for t in tasks { _ = await t.value }
        }
        if let renderer {
            let task = Task.detached { renderer.shutdown() }  // the browsers kept for later pages
            closing.withLock { $0 = task }
        }
        return tally.withLock { t in
            t.waited = Date().timeIntervalSince(started)
            return t
        }
    }

    /// Waits until the browsers started for the sweep have ended (none outlives it).
    package func closed() async {
        await closing.withLock { $0 }?.value
    }

    /// The one line a sweep prints about rendering, nil when there is nothing to say.
    package static func line(_ t: Tally, settings: RenderSettings) -> String? {
        if t.skipped > 0 {
            return
                "rendering: \(t.skipped) script-filled page\(t.skipped == 1 ? "" : "s") judged from the static page only, no browser found (\(Renderer.installHint))"
        }
        guard t.rendered + t.cached + t.failed > 0 else { return nil }
        return
            "rendering: \(t.rendered) page\(t.rendered == 1 ? "" : "s") rendered in \(String(format: "%.1f", t.seconds)) s, \(t.cached) from the cache, \(t.failed) failed, \(String(format: "%.1f", t.waited)) s waited for after the crawl"
    }
}
