import Foundation
import Parse

/// A problem with an input file, phrased for one line on stderr: `file:line: problem`.
package struct InputError: Error, CustomStringConvertible, Equatable {
    package var file: String
    package var line: Int?
    package var problem: String
    package init(file: String, line: Int? = nil, problem: String) { self.file = file; self.line = line; self.problem = problem }
    package var description: String { line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)" }
}

/// The input CSV files of CONTRACT.md: UTF-8 (BOM allowed) or GBK as spreadsheet programs
/// export it, an optional header line naming the columns, `#` comments and blank lines.
/// Inspect does no I/O: the bytes arrive from Sweep's `InputFiles`, with the file's name for
/// the errors.
package struct InputCSV: Sendable {
    package struct Row: Sendable { package var line: Int; package var fields: [String] }
    /// The file's name, as errors give it.
    package var file: String
    package var rows: [Row]
    /// The charset the file was read in ("utf-8" or "gb18030").
    package var charset: String

    /// Parses a file's `bytes`; `file` names it in errors, `columns` names the expected
    /// columns (to recognise a header line), `minimum` the fields every row must have.
    package init(bytes: [UInt8], file path: String, columns: [String], minimum: Int) throws {
        self.file = path
        let (text, charset) = try InputCSV.decode(bytes, file: path)
        self.charset = charset
        var rows: [Row] = []
        var lineNo = 0
        var sawData = false
        for raw in InputCSV.records(text) {
            lineNo = raw.line
            let trimmed = raw.text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            var fields: [String]
            do { fields = try InputCSV.split(raw.text) } catch {
                throw InputError(file: path, line: lineNo, problem: "unbalanced quotes")
            }
            fields = fields.map { $0.trimmingCharacters(in: .whitespaces) }
            while fields.count > minimum, fields.last == "" { fields.removeLast() }
            if !sawData {
                sawData = true
                let lowered = fields.map { $0.lowercased() }
                if !columns.isEmpty, lowered.first == columns[0].lowercased() || Set(lowered).isSuperset(of: columns.prefix(minimum).map { $0.lowercased() }) {
                    continue  // header line
                }
            }
            guard fields.count >= minimum else {
                throw InputError(
                    file: path, line: lineNo, problem: "expected \(minimum) columns (\(columns.prefix(minimum).joined(separator: ","))), found \(fields.count)")
            }
            guard fields.count <= columns.count else {
                throw InputError(
                    file: path, line: lineNo, problem: "expected at most \(columns.count) columns (\(columns.joined(separator: ","))), found \(fields.count)")
            }
            rows.append(Row(line: lineNo, fields: fields))
        }
        self.rows = rows
    }

    /// A file's text, UTF-8 (a BOM dropped) or GBK, and the charset it was read in; `path`
    /// names the file in errors.
    package static func decode(_ bytes: [UInt8], file path: String) throws -> (text: String, charset: String) {
        if bytes.prefix(1024).contains(0) { throw InputError(file: path, problem: "not a text file (binary data)") }
        if let utf8 = String(validating: bytes, as: UTF8.self) {
            return (utf8.hasPrefix("\u{FEFF}") ? String(utf8.dropFirst()) : utf8, "utf-8")
        } else {
            let decoded = TextDecoding.decode(bytes, declaredCharset: "gb18030")
            guard decoded.invalidBytes == 0 else {
                throw InputError(file: path, problem: "neither UTF-8 nor GBK text; save it as UTF-8 CSV")
            }
            return (decoded.text, "gb18030")
        }
    }

    /// One record of the file: its first line's number and its text (quoted newlines kept).
    package struct Raw: Sendable { package var line: Int; package var text: String }

    /// Splits into records, keeping quoted newlines inside a record.
    package static func records(_ text: String) -> [Raw] {
        var out: [Raw] = []
        var current = ""
        var inQuotes = false
        var line = 1
        var start = 1
        for ch in text {
            if ch == "\"" { inQuotes.toggle() }
            if (ch == "\n" || ch == "\r\n" || ch == "\r") && !inQuotes {
                out.append(Raw(line: start, text: current))
                current = ""
                line += 1
                start = line
                continue
            }
            if ch == "\n" || ch == "\r\n" { line += 1 }
            current.append(ch)
        }
        if !current.isEmpty { out.append(Raw(line: start, text: current)) }
        return out
    }

    struct Unbalanced: Error {}

    /// The fields of one record; throws on unbalanced quotes.
    package static func split(_ line: String) throws -> [String] {
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var chars = Array(line)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                fields.append(field); field = ""
            } else {
                field.append(c)
            }
            i += 1
        }
        if inQuotes { throw Unbalanced() }
        fields.append(field)
        chars.removeAll()
        return fields
    }
}

extension DepartmentMap {
    /// Parses `--departments` (CSV `pattern,department`); `file` names it in errors.
    package init(csv bytes: [UInt8], file path: String) throws {
        let csv = try InputCSV(bytes: bytes, file: path, columns: ["pattern", "department"], minimum: 2)
        var entries: [Entry] = []
        for row in csv.rows {
            let pattern = row.fields[0], dept = row.fields[1]
            guard pattern.hasPrefix("/") || pattern.hasPrefix("http://") || pattern.hasPrefix("https://") else {
                throw InputError(file: path, line: row.line, problem: "pattern \"\(pattern)\" must be a URL path beginning with / or an http(s) URL")
            }
            guard !dept.isEmpty else { throw InputError(file: path, line: row.line, problem: "empty department name") }
            entries.append(Entry(pattern: pattern, department: dept))
        }
        self.init(entries)
    }
}
