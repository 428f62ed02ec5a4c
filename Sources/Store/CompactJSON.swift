import Foundation
package import Vocabulary

/// The findings table's JSON columns (found_on, evidence) written directly: Foundation's
/// JSONEncoder costs tens of microseconds a call, and saving a sweep's findings called it
/// twice for each of thousands of findings, on the one core the crawl's end leaves busy.
/// What it writes decodes with JSONDecoder to exactly what JSONEncoder's output decodes to
/// (a `.double` goes through JSONEncoder, which writes an integral double as an integer).
package enum CompactJSON {
    package static func array(_ strings: [String]) -> String {
        var out = "["
        for (i, s) in strings.enumerated() {
            if i > 0 { out += "," }
            append(string: s, to: &out)
        }
        out += "]"
        return out
    }

    package static func object(_ fields: [String: JSONValue]) throws -> String {
        var out = ""
        try append(.object(fields), to: &out)
        return out
    }

    static func append(_ value: JSONValue, to out: inout String) throws {
        switch value {
        case .string(let s): append(string: s, to: &out)
        case .int(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .double:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            out += String(decoding: try encoder.encode(value), as: UTF8.self)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                try append(v, to: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, key) in o.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                append(string: key, to: &out)
                out += ":"
                try append(o[key]!, to: &out)
            }
            out += "}"
        }
    }

    /// A JSON string literal: quote, backslash and control characters escaped, the rest as it is.
    static func append(string s: String, to out: inout String) {
        out += "\""
        var needs = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C { needs = true; break }
        if !needs {
            out += s
        } else {
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if u.value < 0x20 {
                        let hex = String(u.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(u)
                    }
                }
            }
        }
        out += "\""
    }
}
