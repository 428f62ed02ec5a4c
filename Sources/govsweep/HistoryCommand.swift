import ArgumentParser
import Crawl
import Foundation
import Sweep
import Inspect
import Report
import Store
import Vocabulary

/// Opens an existing store for reading commands (history, diff): a missing file is a
/// user error, not an empty store to create. A postgres:// URL (or GOVSWEEP_STORE) opens
/// the database. Returns the store and its name for messages.
func openExistingStore(_ option: String?) async throws -> (db: any RunStore, name: String) {
    let location = StoreLocation(option ?? StoreLocation.fromEnvironment ?? SQLiteStore.defaultPath)
    if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
        throw UserFailure.badInput("\(path): no such store (run a sweep first, or name one with --store)")
    }
    return (try await location.open(), location.description)
}

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the runs in the store, newest first, with their scores and finding counts.",
        discussion: """
            Every run is listed with its status: done, interrupted (Ctrl-C or SIGTERM) or running \
            (killed or still going; `sweep --resume` continues either) and failed (no start URL could \
            be fetched). Only done runs \
            are compared against (new, fixed, still open) and drawn in the report's trend.
            """
    )

    @Option(help: "SQLite store or postgres:// URL (default: $GOVSWEEP_STORE, else $XDG_STATE_HOME/govsweep/govsweep.sqlite).")
    var store: String?

    @Option(help: "Only runs whose start URLs include this URL.")
    var site: String?

    @Flag(help: "Print JSON: one object per run (for dashboards).")
    var json = false

    struct RunJSON: Encodable {
        struct Pages: Encodable { var fetched: Int, failed: Int, skipped: Int }
        struct Counts: Encodable { var veto: Int, deduct: Int, advice: Int }
        var id: Int64, sites: [String], asOf: Day, startedAt: String, finishedAt: String?, status: String
        var pages: Pages, verdict: String?, score: Double?, findings: Counts
    }

    func run() async throws {
        let (db, name) = try await openExistingStore(store)
        var wanted: String?
        if let site {
            guard let u = CrawlURL(site) else { throw UserFailure.badInput("--site \(site): not an http(s) URL") }
            wanted = u.string
        }
        // One hop to the store's thread for every read (a PostgreSQL store waits on the network).
        let listed = try await db.perform { [wanted] in
            try db.runs().filter { r in wanted.map { r.sites.contains($0) } ?? true }.map { r in (r, try db.findingCounts(run: r.id)) }
        }
        let runs = listed.map(\.0)
        if json {
            let out = listed.map { r, c in
                RunJSON(
                    id: r.id, sites: r.sites, asOf: r.asOf, startedAt: r.startedAt, finishedAt: r.finishedAt,
                    status: r.status.rawValue, pages: .init(fetched: r.pagesFetched, failed: r.pagesFailed, skipped: r.pagesSkipped),
                    verdict: r.verdict?.rawValue, score: r.score,
                    findings: .init(veto: c[.veto] ?? 0, deduct: c[.deduct] ?? 0, advice: c[.advice] ?? 0))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(out), as: UTF8.self))
            return
        }
        if runs.isEmpty {
            print(wanted.map { "no runs of \($0) in \(name)" } ?? "no runs in \(name)")
            return
        }
        let header = ["ID", "AS-OF", "STARTED", "STATUS", "PAGES", "VERDICT", "SCORE", "VETO", "DEDUCT", "ADVICE", "SITES"]
        var rows: [[String]] = []
        for (r, c) in listed {
            let finished = r.status == .done
            rows.append([
                String(r.id), r.asOf.description, r.startedAt, r.status.rawValue, String(r.pagesFetched),
                finished ? r.verdict?.rawValue ?? "-" : "-", finished ? r.score.map(formatScore) ?? "-" : "-",
                finished ? String(c[.veto] ?? 0) : "-", finished ? String(c[.deduct] ?? 0) : "-",
                finished ? String(c[.advice] ?? 0) : "-", r.sites.joined(separator: " "),
            ])
        }
        let numeric: Set<Int> = [0, 4, 6, 7, 8, 9]
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        for row in [header] + rows {
            let cells = row.indices.map { i -> String in
                if i == row.count - 1 { return row[i] }
                let pad = String(repeating: " ", count: widths[i] - row[i].count)
                return numeric.contains(i) ? pad + row[i] : row[i] + pad
            }
            print(cells.joined(separator: "  "))
        }
    }
}

func formatScore(_ s: Double) -> String { pointsText(s) }

struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what changed between two runs: new, fixed and still-open findings.",
        discussion: "Findings are matched by their stable id (same rule, URL and subject). Exit 2 for an unknown run."
    )

    @Argument(help: "The earlier run's id (see `govsweep history`).")
    var runA: String

    @Argument(help: "The later run's id.")
    var runB: String

    @Option(help: "SQLite store or postgres:// URL (default: $GOVSWEEP_STORE, else $XDG_STATE_HOME/govsweep/govsweep.sqlite).")
    var store: String?

    @Flag(help: "Print JSON: {from, to, new, fixed, stillOpen} with the findings as findings.json carries them.")
    var json = false

    func run() async throws {
        let (db, name) = try await openExistingStore(store)
        let (a, b, earlier, later) = try await db.perform { [runA, runB] in
            let a = try Diff.runRecord(runA, db, name), b = try Diff.runRecord(runB, db, name)
            return (a, b, try db.findings(run: a.id), try db.findings(run: b.id))
        }
        let cmp = FindingComparison(earlier: earlier, later: later)
        if json {
            let out = DiffJSON(from: .init(a), to: .init(b), new: cmp.new, fixed: cmp.fixed, stillOpen: cmp.stillOpen)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(out), as: UTF8.self))
            return
        }
        print(
            "govsweep diff: run \(a.id) (\(a.asOf), \(describe(a))) → run \(b.id) (\(b.asOf), \(describe(b))): "
                + "\(cmp.new.count) new, \(cmp.fixed.count) fixed, \(cmp.stillOpen.count) still open")
        if a.sites != b.sites { print("note: the runs swept different start URLs") }
        for (title, mark, list) in [("new", "+", cmp.new), ("fixed", "-", cmp.fixed), ("still open", "=", cmp.stillOpen)] where !list.isEmpty {
            print("\(title):")
            for f in list { print("  \(mark) \(line(f))") }
        }
    }

    static func runRecord(_ text: String, _ db: any RunStore, _ name: String) throws -> RunRecord {
        guard let id = Int64(text), let r = try db.run(id: id) else {
            throw UserFailure.badInput("run \(text): no such run in \(name) (govsweep history lists them)")
        }
        return r
    }

    func describe(_ r: RunRecord) -> String {
        r.status == .done ? "\(r.verdict?.rawValue ?? "?") \(r.score.map(formatScore) ?? "?")" : r.status.rawValue
    }

    func line(_ f: Finding) -> String {
        let cost = f.severity == .deduct ? " -\(formatScore(f.points))" : ""
        let subject = f.subject.isEmpty ? "" : " \"\(f.subject)\""
        return "[\(f.severity.rawValue)\(cost)] \(f.indicator.rawValue) \(f.url)\(subject): \(f.message)"
    }

    struct RunJSON: Encodable {
        var id: Int64, asOf: Day, status: String, score: Double?, verdict: String?, sites: [String]
        init(_ r: RunRecord) { id = r.id; asOf = r.asOf; status = r.status.rawValue; score = r.score; verdict = r.verdict?.rawValue; sites = r.sites }
    }

    struct DiffJSON: Encodable {
        var from: RunJSON, to: RunJSON, new: [Finding], fixed: [Finding], stillOpen: [Finding]
    }
}
