#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import PostgresNIO
import Store

/// A statement's parameters, each added where its placeholder goes: `"$\(n)"`.
struct Params {
    var binds = PostgresBindings()
    /// The same parameters for a prepared statement (`runPrepared`), when made `prepared`.
    private(set) var data: [PostgresData] = []
    let prepared: Bool
    init(prepared: Bool = false) { self.prepared = prepared }

    /// The placeholder of `value`, added as the next parameter.
    mutating func add<T: PostgresDynamicTypeEncodable>(_ value: T) -> String {
        guard prepared else {
            binds.append(value)
            return "$\(binds.count)"
        }
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        value.encode(into: &buffer, context: .default)
        data.append(PostgresData(type: value.psqlType, formatCode: value.psqlFormat, value: buffer))
        return "$\(data.count)"
    }

    /// The placeholder of a cell of a column of `kind`.
    mutating func add(_ cell: Cell, _ kind: CellKind) -> String {
        switch cell {
        case .null:
            guard prepared else {
                binds.appendNull()
                return "$\(binds.count)"
            }
            data.append(PostgresData(type: .null))
            return "$\(data.count)"
        case .int(let v) where kind == .bool: return add(v != 0)
        case .int(let v): return add(v)
        case .double(let v): return add(v)
        case .text(let v): return add(v)
        case .blob(let v): return add(ByteBuffer(bytes: v))
        }
    }

    /// The placeholders of a row's cells, comma-separated, added in column order.
    mutating func add<Row>(_ row: Row, of table: Table<Row>) throws -> String {
        var out: [String] = []
        for c in table.columns { out.append(add(try c.get(row), c.kind)) }
        return out.joined(separator: ", ")
    }

    func query(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}

/// A batch of rows of a `Table` as one array per column, for `unnest` (one parameter a
/// column, not one a cell). postgres-nio's arrays hold no NULL, so each nullable column has a
/// bit in one more array, `nulls`, and the SELECT turns a set bit back into NULL.
struct ColumnArrays<Row> {
    let table: Table<Row>
    private var ints: [[Int64]]
    private var doubles: [[Double]]
    private var texts: [[String]]
    private var blobs: [[ByteBuffer]]
    private var bools: [[Bool]]
    /// Column → (its array among those of its kind, its null bit or 0).
    private let slots: [(slot: Int, bit: Int32)]
    private var nulls: [Int32] = []
    private(set) var count = 0

    init(_ table: Table<Row>) {
        self.table = table
        var n: [CellKind: Int] = [:]
        var bit: Int32 = 1
        var slots: [(Int, Int32)] = []
        for c in table.columns {
            slots.append((n[c.kind, default: 0], c.nullable ? bit : 0))
            n[c.kind, default: 0] += 1
            if c.nullable { bit <<= 1 }
        }
        precondition(bit != 0, "\(table.name): more nullable columns than bits")
        self.slots = slots
        ints = Array(repeating: [], count: n[.int, default: 0])
        doubles = Array(repeating: [], count: n[.double, default: 0])
        texts = Array(repeating: [], count: n[.text, default: 0])
        blobs = Array(repeating: [], count: n[.blob, default: 0])
        bools = Array(repeating: [], count: n[.bool, default: 0])
    }

    mutating func append(_ row: Row) throws {
        var null: Int32 = 0
        for (i, c) in table.columns.enumerated() {
            let cell = try c.get(row)
            let (slot, bit) = slots[i]
            if case .null = cell { null |= bit }
            switch c.kind {
            case .int: ints[slot].append(cell.int ?? 0)
            case .double: doubles[slot].append(cell.double ?? 0)
            case .text: texts[slot].append(cell.text ?? "")
            case .blob: blobs[slot].append(ByteBuffer(bytes: cell.blob ?? []))
            case .bool: bools[slot].append((cell.int ?? 0) != 0)
            }
        }
        nulls.append(null)
        count += 1
    }

    /// Appends more arrays to an `unnest` of other columns (the keys): the column arrays, then `nulls`.
    func unnestArrays(_ params: inout Params) -> [String] {
        var arrays: [String] = []
        for (i, c) in table.columns.enumerated() {
            let slot = slots[i].slot
            switch c.kind {
            case .int: arrays.append(params.add(ints[slot]) + "::int8[]")
            case .double: arrays.append(params.add(doubles[slot]) + "::float8[]")
            case .text: arrays.append(params.add(texts[slot]) + "::text[]")
            case .blob: arrays.append(params.add(blobs[slot]) + "::bytea[]")
            case .bool: arrays.append(params.add(bools[slot]) + "::bool[]")
            }
        }
        arrays.append(params.add(nulls) + "::int4[]")
        return arrays
    }

    /// The names the arrays of `unnestArrays` take: the columns', then `nulls`.
    var unnestNames: [String] { table.columns.map(\.name) + ["nulls"] }

    /// The values to insert, in column order: `t.col`, or NULL where the row's bit is set.
    func values(_ t: String = "t") -> String {
        table.columns.enumerated().map { i, c in
            let bit = slots[i].bit
            return bit == 0 ? "\(t).\(c.name)" : "CASE WHEN \(t).nulls & \(bit) = 0 THEN \(t).\(c.name) END"
        }.joined(separator: ", ")
    }

    /// `col = EXCLUDED.col, …`: an upsert replacing the row.
    var replaceAll: String { table.columns.map { "\($0.name) = EXCLUDED.\($0.name)" }.joined(separator: ", ") }
}

extension Cells {
    /// The next cell, read as the column's kind.
    mutating func cell(_ kind: CellKind, nullable: Bool) throws -> Cell {
        switch kind {
        case .int:
            guard let v = try next(Int64?.self) else { return .null }
            return .int(v)
        case .double:
            guard let v = try next(Double?.self) else { return .null }
            return .double(v)
        case .text:
            guard let v = try next(String?.self) else { return .null }
            return .text(v)
        case .blob:
            guard let v = try bytes() else { return .null }
            return .blob(v)
        case .bool:
            guard let v = try next(Bool?.self) else { return .null }
            return .int(v ? 1 : 0)
        }
    }
}

extension Table {
    /// The row read from the next cells into `blank`.
    func read(_ cells: inout Cells, into blank: Row) throws -> Row {
        try read(into: blank) { _, kind, nullable in try cells.cell(kind, nullable: nullable) }
    }
}
#endif
