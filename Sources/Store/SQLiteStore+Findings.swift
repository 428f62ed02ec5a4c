package import Foundation
package import Vocabulary

extension SQLiteStore {
    /// Replaces the run's findings in one transaction, keeping their order, and records each
    /// one's first-seen date: the previous finished run's (same sites) when it had the same id,
    /// else this run's as-of.
    package func saveFindings(run: Int64, _ findings: [Finding]) throws {
        // Each finding's lists are encoded as it is inserted: a big site's findings are never
        // all held twice (as values and as JSON) at once.
        guard let record = try self.run(id: run) else { throw StoreError(path: path, message: "no run with id \(run)") }
        let previous = try previousRun(sites: record.sites, before: run)?.id ?? 0
        try connection.withLock { c in
            // The previous run's first-seen dates in one read (a lookup per insert costs a
            // B-tree descent each, page reads included when the cache is small).
            var earlier: [String: String] = [:]
            if previous > 0 {
                _ = try c.query("SELECT id, first_seen FROM findings WHERE run = ?1", bind: { try $0.bind(1, previous) }) { s in
                    if let date = s.optionalText(1), earlier[s.text(0)] == nil { earlier[s.text(0)] = date }
                }
            }
            try c.transaction {
                try c.run("DELETE FROM findings WHERE run = ?1") { try $0.bind(1, run) }
                let insert = try c.statement(Self.insertFinding)
                defer { insert.reset() }
                for (seq, f) in findings.enumerated() {
                    insert.reset()
                    let place = FindingPlace(run: run, seq: seq, firstSeen: earlier[f.id] ?? record.asOf.description)
                    try Tables.findingKey.bind(insert, from: 1, place)
                    try columnErrors { try Tables.findings.bind(insert, from: Self.findingAt, f) }
                    try Tables.findingSeen.bind(insert, from: Self.seenAt, place)
                    _ = try insert.step()
                }
            }
        }
    }

    /// Where `insertFinding`'s listed columns and its first-seen day start.
    static let findingAt = Int32(1 + Tables.findingKey.columns.count)
    static let seenAt = findingAt + Int32(Tables.findings.columns.count)
    static let insertFinding = """
        INSERT INTO findings (\(Tables.findingKey.names), \(Tables.findings.names), \(Tables.findingSeen.names))
        VALUES (\(Tables.findingKey.placeholders(from: 1)), \(Tables.findings.placeholders(from: Int(findingAt))),
            \(Tables.findingSeen.placeholders(from: Int(seenAt))))
        """
    /// What `probes(url:since:)` asks: a probe's URL, and its `at` for the oldest wanted.
    static let probeAsk = Tables.probes.only(["url", "at"])

    package func findings(run: Int64, where keep: (String) -> Bool) throws -> [Finding] {
        // The rows' cells first, the lock released; then only the findings asked for are
        // decoded (decoding the evidence is the cost). `id` is the first column.
        let table = Tables.findings
        let rows = try connection.withLock { c in
            try c.query(
                "SELECT \(table.names) FROM findings WHERE run = ?1 ORDER BY seq", bind: { try $0.bind(1, run) }
            ) { s in
                table.columns.enumerated().map { i, col in s.cell(Int32(i), col.kind, nullable: col.nullable) }
            }
        }
        return try rows.filter { keep($0[0].text ?? "") }.map { cells in
            do {
                return try table.read(into: Tables.blankFinding) { i, _, _ in cells[i] }
            } catch let e as ColumnError {
                throw StoreError(path: path, message: "run \(run): \(e.description)")
            }
        }
    }

    /// Finding id → first-seen date (YYYY-MM-DD) for every finding of the run.
    package func firstSeen(run: Int64) throws -> [String: String] {
        let rows = try connection.withLock { c in
            try c.query(
                """
                SELECT f.id, COALESCE(f.first_seen, r.as_of) FROM findings f JOIN runs r ON r.id = f.run
                WHERE f.run = ?1
                """, bind: { try $0.bind(1, run) }
            ) { s in (s.text(0), s.text(1)) }
        }
        return Dictionary(rows, uniquingKeysWith: { a, b in min(a, b) })
    }

    /// How many findings of each severity the run has (severities without findings are absent).
    package func findingCounts(run: Int64) throws -> [Severity: Int] {
        let rows = try connection.withLock { c in
            try c.query(
                "SELECT severity, COUNT(*) FROM findings WHERE run = ?1 GROUP BY severity",
                bind: { try $0.bind(1, run) }
            ) { s in (s.text(0), s.int(1)) }
        }
        var out: [Severity: Int] = [:]
        for (name, n) in rows { if let s = Severity(rawValue: name) { out[s] = n } }
        return out
    }

    // MARK: probes

    @discardableResult
    package func recordProbe(_ probe: ProbeRecord) throws -> Int64 {
        try connection.withLock { c in
            try c.transaction {
                try c.run("INSERT INTO probes (\(Tables.probes.names)) VALUES (\(Tables.probes.placeholders(from: 1)))") { s in
                    try Tables.probes.bind(s, from: 1, probe)
                }
                return c.lastInsertRowID
            }
        }
    }

    package func probes(url: String, since: Date) throws -> [ProbeRecord] {
        try connection.withLock { c in
            try c.query(
                """
                SELECT id, \(Tables.probes.names) FROM probes
                WHERE url = \(Self.probeAsk.parameter("url")) AND at >= \(Self.probeAsk.parameter("at")) ORDER BY at, id
                """,
                bind: {
                    var ask = Tables.blankProbe
                    ask.url = url; ask.at = since
                    try Self.probeAsk.bind($0, from: 1, ask)
                }
            ) { s in
                var blank = Tables.blankProbe
                blank.id = s.int64(0)
                return try Tables.probes.read(s, from: 1, into: blank)
            }
        }
    }
}
