import Foundation
package import Vocabulary

/// One cell of a stored row, as both stores write and read it: the value of one column,
/// in the few types SQLite and PostgreSQL share.
package enum Cell: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

/// What a column holds, for the SQL types and the reads (a store reads a cell by its kind).
package enum CellKind: Sendable {
    case int, double, text, blob, bool
}

/// One column of a table and the field of the row type it holds. A table's columns are
/// listed once (`Tables`): the SQL column lists, the binds and the reads of every store
/// come from that list, so they cannot drift apart (issue 14: positional binds and reads
/// in separate lists did).
package struct Column<Row>: Sendable {
    /// The column's name in the table.
    package let name: String
    package let kind: CellKind
    package let nullable: Bool
    /// What a SELECT reads for it, when not the column itself (`%` stands for the table's
    /// alias): `COALESCE(p.final_url, u.url)`.
    package let select: String?
    /// The row's cell for this column.
    package let get: @Sendable (Row) throws -> Cell
    /// Sets the row's field from the cell read.
    package let set: @Sendable (inout Row, Cell) throws -> Void

    package init(
        _ name: String, _ kind: CellKind, nullable: Bool = false, select: String? = nil,
        get: @escaping @Sendable (Row) throws -> Cell, set: @escaping @Sendable (inout Row, Cell) throws -> Void
    ) {
        self.name = name; self.kind = kind; self.nullable = nullable; self.select = select; self.get = get; self.set = set
    }

    package static func int(_ name: String, _ path: WritableKeyPath<Row, Int> & Sendable) -> Column {
        Column(name, .int, get: { .int(Int64($0[keyPath: path])) }, set: { $0[keyPath: path] = Int($1.int ?? 0) })
    }

    package static func int64(_ name: String, _ path: WritableKeyPath<Row, Int64> & Sendable) -> Column {
        Column(name, .int, get: { .int($0[keyPath: path]) }, set: { $0[keyPath: path] = $1.int ?? 0 })
    }

    package static func double(_ name: String, _ path: WritableKeyPath<Row, Double> & Sendable) -> Column {
        Column(name, .double, get: { .double($0[keyPath: path]) }, set: { $0[keyPath: path] = $1.double ?? 0 })
    }

    package static func double(_ name: String, _ path: WritableKeyPath<Row, Double?> & Sendable) -> Column {
        Column(
            name, .double, nullable: true, get: { $0[keyPath: path].map(Cell.double) ?? .null },
            set: { $0[keyPath: path] = $1.double })
    }

    package static func bool(_ name: String, _ path: WritableKeyPath<Row, Bool> & Sendable) -> Column {
        Column(name, .bool, get: { .int($0[keyPath: path] ? 1 : 0) }, set: { $0[keyPath: path] = ($1.int ?? 0) != 0 })
    }

    package static func text(_ name: String, _ path: WritableKeyPath<Row, String> & Sendable) -> Column {
        Column(name, .text, get: { .text($0[keyPath: path]) }, set: { $0[keyPath: path] = $1.text ?? "" })
    }

    package static func text(_ name: String, _ path: WritableKeyPath<Row, String?> & Sendable) -> Column {
        Column(
            name, .text, nullable: true, get: { $0[keyPath: path].map(Cell.text) ?? .null },
            set: { $0[keyPath: path] = $1.text })
    }

    package static func blob(_ name: String, _ path: WritableKeyPath<Row, [UInt8]> & Sendable) -> Column {
        Column(name, .blob, get: { .blob($0[keyPath: path]) }, set: { $0[keyPath: path] = $1.blob ?? [] })
    }

    /// A day, stored as `YYYY-MM-DD` (the as-of day of a run or of a page's facts).
    package static func day(_ name: String, _ path: WritableKeyPath<Row, Day> & Sendable) -> Column {
        Column(
            name, .text, get: { .text($0[keyPath: path].description) },
            set: { r, cell in
                guard let day = cell.text.flatMap(Day.init(iso:)) else { throw ColumnError("\(name) \"\(cell.text ?? "NULL")\" is no YYYY-MM-DD day") }
                r[keyPath: path] = day
            })
    }

    /// The same, nullable.
    package static func day(_ name: String, _ path: WritableKeyPath<Row, Day?> & Sendable) -> Column {
        Column(
            name, .text, nullable: true, get: { $0[keyPath: path].map { .text($0.description) } ?? .null },
            set: { $0[keyPath: path] = $1.text.flatMap(Day.init(iso:)) })
    }

    /// A fetch's reason, stored as its text (`FetchReason.text`); a text this build does not
    /// write reads as `.none`.
    package static func reason(_ name: String, _ path: WritableKeyPath<Row, FetchReason> & Sendable) -> Column {
        Column(
            name, .text, get: { .text($0[keyPath: path].text) },
            set: { $0[keyPath: path] = $1.text.flatMap(FetchReason.init(text:)) ?? .none })
    }

    /// A closed set stored as its raw value; `fallback` for a value this build does not know.
    package static func raw<V: RawRepresentable & Sendable>(
        _ name: String, _ path: WritableKeyPath<Row, V> & Sendable, fallback: V
    )
        -> Column
    where V.RawValue == String {
        Column(
            name, .text, get: { .text($0[keyPath: path].rawValue) },
            set: { $0[keyPath: path] = $1.text.flatMap(V.init(rawValue:)) ?? fallback })
    }

    /// The same, nullable.
    package static func raw<V: RawRepresentable & Sendable>(_ name: String, _ path: WritableKeyPath<Row, V?> & Sendable) -> Column
    where V.RawValue == String {
        Column(
            name, .text, nullable: true, get: { $0[keyPath: path].map { .text($0.rawValue) } ?? .null },
            set: { $0[keyPath: path] = $1.text.flatMap(V.init(rawValue:)) })
    }
}

extension Cell {
    package var int: Int64? {
        switch self {
        case .int(let v): v
        case .double(let v): Int64(v)
        default: nil
        }
    }
    package var double: Double? {
        switch self {
        case .double(let v): v
        case .int(let v): Double(v)
        default: nil
        }
    }
    package var text: String? {
        if case .text(let v) = self { return v }
        return nil
    }
    package var blob: [UInt8]? {
        if case .blob(let v) = self { return v }
        return nil
    }
}

/// A table's columns in order, with the SQL text made from them.
package struct Table<Row>: Sendable {
    package let name: String
    package let columns: [Column<Row>]

    package init(_ name: String, _ columns: [Column<Row>]) { self.name = name; self.columns = columns }

    /// The same table with only the columns named, in this table's order (an UPDATE of some).
    package func only(_ wanted: Set<String>) -> Table {
        Table(name, columns.filter { wanted.contains($0.name) })
    }

    /// `a, b, c`
    package var names: String { columns.map(\.name).joined(separator: ", ") }

    /// The result column of `name` in a statement that reads the row's columns from `first` on
    /// (for a raw read that takes no row: a URL's bytes hashed, not made a String).
    package func index(_ name: String, from first: Int32 = 0) -> Int32 {
        guard let i = columns.firstIndex(where: { $0.name == name }) else { preconditionFailure("\(self.name): no column \(name)") }
        return first + Int32(i)
    }

    /// The placeholder of the column `name` in a statement that binds the row's cells from
    /// parameter `first` on (`?3`): a statement's SQL names its parameters through the list
    /// its binds follow, so the two cannot drift apart.
    package func parameter(_ name: String, from first: Int = 1) -> String {
        guard let i = columns.firstIndex(where: { $0.name == name }) else { preconditionFailure("\(self.name): no column \(name)") }
        return "?\(first + i)"
    }

    /// What a SELECT reads, in order, the columns qualified by `alias`: `p.a, p.b, COALESCE(…)`.
    package func selectList(_ alias: String) -> String {
        columns.map { c in
            c.select.map { $0.replacingOccurrences(of: "%", with: alias) } ?? (alias.isEmpty ? c.name : "\(alias).\(c.name)")
        }.joined(separator: ", ")
    }

    /// The row's cells, in column order.
    package func cells(_ row: Row) throws -> [Cell] { try columns.map { try $0.get(row) } }

    /// `row` with each column's field set from `cell(i)`, the i-th cell read.
    package func read(into row: Row, _ cell: (_ index: Int, _ kind: CellKind, _ nullable: Bool) throws -> Cell) throws -> Row {
        var row = row
        for (i, c) in columns.enumerated() { try c.set(&row, try cell(i, c.kind, c.nullable)) }
        return row
    }
}

/// A run's row of one URL: the key of `pages` and `page_facts`, before their listed columns.
package struct RunURL: Sendable {
    package var run: Int64
    package var urlID: Int64
    package init(run: Int64, urlID: Int64) { self.run = run; self.urlID = urlID }
}

/// A row of `page_links`: one source page's links, packed (`LinkPack`).
package struct LinksRow: Sendable {
    package var run: Int64
    package var fromID: Int64
    package var data: [UInt8]
    package init(run: Int64, fromID: Int64, data: [UInt8]) { self.run = run; self.fromID = fromID; self.data = data }
}

/// Where a finding of a run is stored: the key of `findings` and, after its listed columns,
/// the first-seen day the store works out.
package struct FindingPlace: Sendable {
    package var run: Int64
    package var seq: Int
    package var firstSeen: String
    package init(run: Int64, seq: Int, firstSeen: String) { self.run = run; self.seq = seq; self.firstSeen = firstSeen }
}

/// A row of `urls`: every URL a store names, once, by id.
package struct URLRow: Sendable {
    package var id: Int64
    package var url: String
    package init(id: Int64 = 0, url: String) { self.id = id; self.url = url }
}

/// A row of the render cache's `renders`.
package struct RenderRow: Sendable {
    package var url: String
    package var contentHash: Int64
    package var renderedAt: Double
    package var markup: [UInt8]
    package init(url: String, contentHash: UInt64, renderedAt: Double, markup: [UInt8] = []) {
        self.url = url; self.contentHash = Int64(bitPattern: contentHash); self.renderedAt = renderedAt; self.markup = markup
    }
}

/// The columns of the tables both stores have, listed once. The key columns (`run`, the URL's
/// id, a finding's `seq`) come before these in a statement; SQLite's are listed here too
/// (`runURL`, `links`, `urls`), PostgreSQL builds its own statements around them.
package enum Tables {
    /// `run, url_id`: the key of `pages` and `page_facts`.
    package static let runURL = Table<RunURL>("pages", [.int64("run", \.run), .int64("url_id", \.urlID)])

    /// `run, seq`: the key of `findings`; `first_seen` comes after its listed columns.
    package static let findingKey = Table<FindingPlace>("findings", [.int64("run", \.run), .int("seq", \.seq)])
    package static let findingSeen = Table<FindingPlace>("findings", [.text("first_seen", \.firstSeen)])

    /// `page_links`, whole.
    package static let links = Table<LinksRow>(
        "page_links", [.int64("run", \.run), .int64("from_id", \.fromID), .blob("data", \.data)])

    /// `urls`, whole.
    package static let urls = Table<URLRow>("urls", [.int64("id", \.id), .text("url", \.url)])

    /// The render cache's `renders`, whole.
    package static let renders = Table<RenderRow>(
        "renders",
        [
            .text("url", \.url), .int64("content_hash", \.contentHash), .double("rendered_at", \.renderedAt),
            .blob("markup", \.markup),
        ])

    /// `pages`, beside `run` and `url_id` (the URL is read from `urls u`).
    package static let pages = Table<PageRecord>(
        "pages",
        [
            Column(
                "final_url", .text, nullable: true, select: "COALESCE(%.final_url, u.url)",
                get: { $0.finalURL == $0.url ? .null : .text($0.finalURL) }, set: { $0.finalURL = $1.text ?? $0.url }),
            .int("status", \.status),
            .raw("class", \.linkClass, fallback: .broken),
            .reason("reason", \.reason),
            .text("content_type", \.contentType),
            .text("charset", \.charset),
            .int("bytes", \.bytes),
            .double("seconds", \.seconds),
            .text("title", \.title),
            .text("content_hash", \.contentHash),
            .int("depth", \.depth),
            .bool("crawled", \.crawled),
            .text("etag", \.etag),
            .text("last_modified", \.lastModified),
        ])

    /// A page read back: `u.url` first, then `pages`' columns.
    package static func pageSelect(_ alias: String = "p") -> String { "u.url, " + pages.selectList(alias) }

    /// An empty page for `url`, to read the columns into.
    package static func blankPage(_ url: String) -> PageRecord {
        PageRecord(url: url, finalURL: url, status: 0, linkClass: .broken, reason: .none)
    }

    /// `runs`, beside `id`. The sites are stored as a JSON array, the status checked on reading.
    package static let runs = Table<RunRecord>(
        "runs",
        [
            Column(
                "sites", .text, get: { .text(try StoreJSON.encode($0.sites)) },
                set: { $0.sites = try StoreJSON.decode([String].self, $1.text ?? "") }),
            .day("as_of", \.asOf),
            .text("options", \.options),
            .text("started_at", \.startedAt),
            .text("finished_at", \.finishedAt),
            Column(
                "status", .text, get: { .text($0.status.rawValue) },
                set: { r, cell in
                    let text = cell.text ?? ""
                    guard let status = RunStatus(rawValue: text) else {
                        throw ColumnError(
                            "run \(r.id) has status \"\(text)\", not one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    r.status = status
                }),
            .int("pages_fetched", \.pagesFetched),
            .int("pages_failed", \.pagesFailed),
            .int("pages_skipped", \.pagesSkipped),
            .double("score", \.score),
            .raw("verdict", \.verdict),
        ])

    package static let blankRun = RunRecord(sites: [], asOf: Day(value: 0), startedAt: "")

    /// `findings`, beside `run`, `seq` and `first_seen`; `id` first, so a reader can skip the
    /// findings it is not asked for before decoding their JSON.
    package static let findings = Table<Finding>(
        "findings",
        [
            .text("id", \.id),
            Column("rule", .text, get: { .text($0.rule.rawValue) }, set: { f, cell in f.rule = RuleID(cell.text ?? "") }),
            Column(
                "indicator", .text, get: { .text($0.indicator.rawValue) },
                set: { f, cell in
                    guard let v = cell.text.flatMap(Indicator.init(rawValue:)) else { throw ColumnError("unknown indicator \(cell.text ?? "NULL")") }
                    f.indicator = v
                }),
            Column(
                "severity", .text, get: { .text($0.severity.rawValue) },
                set: { f, cell in
                    guard let v = cell.text.flatMap(Severity.init(rawValue:)) else { throw ColumnError("unknown severity \(cell.text ?? "NULL")") }
                    f.severity = v
                }),
            .double("points", \.points),
            .text("url", \.url),
            .text("subject", \.subject),
            .text("department", \.department),
            Column(
                "found_on", .text, get: { .text(CompactJSON.array($0.foundOn)) },
                set: { $0.foundOn = try StoreJSON.decode([String].self, $1.text ?? "") }),
            .text("message", \.message),
            Column(
                "evidence", .text, get: { .text(try CompactJSON.object($0.evidence)) },
                set: { $0.evidence = try StoreJSON.decode([String: JSONValue].self, $1.text ?? "") }),
        ])

    package static let blankFinding = Finding(
        rule: "", indicator: Indicator.allCases[0], severity: Severity.allCases[0], points: 0, url: "", subject: "",
        department: "", message: "")

    /// `page_facts`, beside `run` and `url_id`.
    package static let facts = Table<StoredFacts>(
        "page_facts",
        [
            .int64("key", \.key),
            .day("as_of", \.asOf),
            .blob("data", \.data),
        ])

    /// `probes`, beside `id`.
    package static let probes = Table<ProbeRecord>(
        "probes",
        [
            .text("url", \.url),
            Column(
                "at", .double, get: { .double($0.at.timeIntervalSince1970) },
                set: { $0.at = Date(timeIntervalSince1970: $1.double ?? 0) }),
            .int("status", \.status),
            .double("seconds", \.seconds),
            .raw("class", \.linkClass, fallback: .broken),
            .reason("reason", \.reason),
        ])

    package static let blankProbe = ProbeRecord(url: "", at: Date(timeIntervalSince1970: 0), status: 0, seconds: 0, linkClass: .broken)
}

/// A stored value that does not fit its column (an unknown status, malformed JSON): the
/// store names itself and the run when it reports it.
package struct ColumnError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// JSON as the stores keep it: sorted keys, slashes as they are.
package enum StoreJSON {
    package static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    package static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw ColumnError("malformed JSON in the store: \(text.prefix(80))")
        }
    }
}

// MARK: SQLite

extension Statement {
    func bind(_ index: Int32, cell: Cell) throws {
        switch cell {
        case .null: try bind(index, nil as String?)
        case .int(let v): try bind(index, v)
        case .double(let v): try bind(index, v)
        case .text(let v): try bind(index, v)
        case .blob(let v): try bind(index, blob: v)
        }
    }

    func cell(_ column: Int32, _ kind: CellKind, nullable: Bool) -> Cell {
        if nullable, isNull(column) { return .null }
        switch kind {
        case .int, .bool: return .int(int64(column))
        case .double: return .double(double(column))
        case .text: return .text(text(column))
        case .blob: return .blob(Array(blob(column)))
        }
    }
}

extension Table {
    /// `?first, ?first+1, …`, one a column.
    func placeholders(from first: Int) -> String {
        (first..<first + columns.count).map { "?\($0)" }.joined(separator: ", ")
    }

    /// `a = ?first, b = ?first+1, …` (an UPDATE's SET list).
    func assignments(from first: Int) -> String {
        columns.enumerated().map { "\($1.name) = ?\(first + $0)" }.joined(separator: ", ")
    }

    /// Binds the row's cells to parameters `first`, `first + 1`, ….
    func bind(_ s: Statement, from first: Int32, _ row: Row) throws {
        for (i, c) in columns.enumerated() { try s.bind(first + Int32(i), cell: try c.get(row)) }
    }

    /// The row read from result columns `first`, `first + 1`, … into `blank`.
    func read(_ s: Statement, from first: Int32, into blank: Row) throws -> Row {
        try read(into: blank) { i, kind, nullable in s.cell(first + Int32(i), kind, nullable: nullable) }
    }
}
