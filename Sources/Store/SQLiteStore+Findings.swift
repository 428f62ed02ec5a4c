public import Foundation
public import Vocabulary

extension SQLiteStore {
    /// Replaces the run's findings in one transaction, keeping their order, and records each
    /// one's first-seen date: the previous finished run's (same sites) when it had the same id,
    /// else this run's as-of.
    public func saveFindings(run: Int64, _ findings: [Finding]) throws {
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
                let insert = try c.statement(
                    """
                    INSERT INTO findings (run, seq, id, rule, indicator, severity, points, url, subject, department,
                                          found_on, message, evidence, first_seen)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                    """)
                defer { insert.reset() }
                for (seq, f) in findings.enumerated() {
                    insert.reset()
                    try insert.bind(1, run); try insert.bind(2, seq); try insert.bind(3, f.id)
                    try insert.bind(4, f.rule); try insert.bind(5, f.indicator.rawValue)
                    try insert.bind(6, f.severity.rawValue); try insert.bind(7, f.points); try insert.bind(8, f.url)
                    try insert.bind(9, f.subject); try insert.bind(10, f.department)
                    try insert.bind(11, CompactJSON.array(f.foundOn)); try insert.bind(12, f.message)
                    try insert.bind(13, try CompactJSON.object(f.evidence)); try insert.bind(14, earlier[f.id] ?? record.asOf)
                    _ = try insert.step()
                }
            }
        }
    }

    public func findings(run: Int64, where keep: (String) -> Bool) throws -> [Finding] {
        let rows = try connection.withLock { c in
            try c.query(
                """
                SELECT id, rule, indicator, severity, points, url, subject, department, found_on, message, evidence
                FROM findings WHERE run = ?1 ORDER BY seq
                """, bind: { try $0.bind(1, run) }
            ) { s in
                (
                    s.text(0), s.text(1), s.text(2), s.text(3), s.double(4), s.text(5), s.text(6), s.text(7),
                    s.text(8), s.text(9), s.text(10)
                )
            }
        }
        // Decoding the evidence is the cost: only for the findings asked for.
        return try rows.filter { keep($0.0) }.map { r in
            guard let indicator = Indicator(rawValue: r.2), let severity = Severity(rawValue: r.3) else {
                throw StoreError(path: path, message: "unknown indicator or severity in run \(run): \(r.2), \(r.3)")
            }
            var finding = Finding(
                rule: r.1, indicator: indicator, severity: severity, points: r.4, url: r.5,
                subject: r.6, department: r.7, foundOn: try decode([String].self, r.8),
                message: r.9, evidence: try decode([String: JSONValue].self, r.10))
            finding.id = r.0
            return finding
        }
    }

    /// Finding id → first-seen date (YYYY-MM-DD) for every finding of the run.
    public func firstSeen(run: Int64) throws -> [String: String] {
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
    public func findingCounts(run: Int64) throws -> [Severity: Int] {
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
    public func recordProbe(_ probe: ProbeRecord) throws -> Int64 {
        try connection.withLock { c in
            try c.transaction {
                try c.run(
                    """
                    INSERT INTO probes (url, at, status, seconds, class, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                    """
                ) { s in
                    try s.bind(1, probe.url); try s.bind(2, probe.at.timeIntervalSince1970); try s.bind(3, probe.status)
                    try s.bind(4, probe.seconds); try s.bind(5, probe.linkClass.rawValue); try s.bind(6, probe.reason)
                }
                return c.lastInsertRowID
            }
        }
    }

    public func probes(url: String, since: Date) throws -> [ProbeRecord] {
        try connection.withLock { c in
            try c.query(
                """
                SELECT id, url, at, status, seconds, class, reason FROM probes
                WHERE url = ?1 AND at >= ?2 ORDER BY at, id
                """,
                bind: {
                    try $0.bind(1, url); try $0.bind(2, since.timeIntervalSince1970)
                }
            ) { s in
                ProbeRecord(
                    id: s.int64(0), url: s.text(1), at: Date(timeIntervalSince1970: s.double(2)),
                    status: s.int(3), seconds: s.double(4), linkClass: LinkClass(rawValue: s.text(5)) ?? .broken, reason: s.text(6))
            }
        }
    }
}
