package import LocalServer
import Foundation
import Synchronization

/// Which state of the demo portal is served: as shipped, or as it was a week earlier
/// (the manifest's `runs.earlier` patches applied), so the demo can sweep twice and show
/// what was fixed and what is new.
package enum DemoRevision: Sendable, Equatable {
    case earlier
    case current
}

/// The demo servers with a portal whose as-of date, revision and availability change
/// between sweeps (`govsweep demo`).
package final class LiveDemo: Sendable {
    struct State {
        var asOf: DemoDate
        var revision: DemoRevision
        /// While true the portal answers 503 to everything (an outage, for probes).
        var down = false
    }
    final class Box: Sendable { let mutex: Mutex<State>; init(_ s: State) { mutex = Mutex(s) } }
    private let box: Box
    package let portal: LocalServer
    package let external: LocalServer

    /// Starts the servers: the portal at `asOf` in `revision`.
    package init(asOf: DemoDate, revision: DemoRevision) throws {
        let box = Box(State(asOf: asOf, revision: revision))
        self.box = box
        external = try LocalServer { DemoPortal.respondExternal($0) }
        let externalBase = external.baseURL
        do {
            portal = try LocalServer { request in
                let s = box.mutex.withLock { $0 }
                if s.down { return .html("<h1>503 Service Unavailable</h1>", status: 503) }
                return DemoPortal.respond(request, asOf: s.asOf, externalBase: externalBase, revision: s.revision)
            }
        } catch {
            external.stop()
            throw error
        }
    }

    /// Serves the portal at another as-of date and revision from the next request on.
    package func set(asOf: DemoDate, revision: DemoRevision) {
        box.mutex.withLock {
            $0.asOf = asOf; $0.revision = revision
        }
    }

    /// Takes the portal down (503) or brings it back.
    package func setDown(_ down: Bool) { box.mutex.withLock { $0.down = down } }

    package func stop() {
        portal.stop()
        external.stop()
    }
}

extension DemoPortal {
    /// The portal's handler for a revision: the earlier revision applies the manifest's
    /// patches to the files it names (after date tokens are substituted).
    package static func respond(
        _ request: ServerRequest, asOf: DemoDate, externalBase: String,
        revision: DemoRevision
    ) -> ServerResponse {
        respond(request, asOf: asOf, externalBase: externalBase, patches: revision == .earlier ? expected.runs?.earlier ?? [] : [])
    }

    /// The portal's handler with `patches` applied to the pages they name (the earlier revision's,
    /// or a fleet variant's, `DemoFleet`).
    package static func respond(
        _ request: ServerRequest, asOf: DemoDate, externalBase: String, patches all: [DemoManifest.Patch]
    ) -> ServerResponse {
        let patches = all.filter { $0.path == request.path }
        guard !patches.isEmpty else { return respond(request, asOf: asOf, externalBase: externalBase) }
        // The whole page, patched; its ETag (and a 304) then follow the patched text.
        var plain = request
        plain.method = "GET"
        plain.headers["if-none-match"] = nil
        // A page whose dates were older then (the home page before it was updated).
        let shift = patches.compactMap(\.shiftDays).reduce(0, +)
        let pageAsOf = shift == 0 ? asOf : asOf.adding(days: shift) ?? asOf
        guard case .full(let status, let headers, let body) = respond(plain, asOf: pageAsOf, externalBase: externalBase),
            status == 200
        else { return respond(request, asOf: asOf, externalBase: externalBase) }
        return .conditional(request, headers: headers.filter { $0.0.lowercased() != "etag" }, body: apply(patches, to: body))
    }

    /// Applies each patch to its first occurrence; a patch whose text is gone is skipped
    /// (DemoPortalTests checks that every patch applies).
    package static func apply(_ patches: [DemoManifest.Patch], to body: [UInt8]) -> [UInt8] {
        var text = String(decoding: body, as: UTF8.self)
        for p in patches where !p.find.isEmpty {
            if let r = text.range(of: p.find) { text.replaceSubrange(r, with: p.replace) }
        }
        return Array(text.utf8)
    }
}
