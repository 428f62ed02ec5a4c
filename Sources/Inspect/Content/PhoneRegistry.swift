/// `--phones`: the filed (registered) phone numbers, CSV `department,number[,label]`.
package struct PhoneRegistry: Sendable {
    package struct Entry: Sendable, Equatable {
        package var department: String
        package var number: String
        package var label: String
        package var line: Int
    }
    package var entries: [Entry]
    package var file: String

    package init(entries: [Entry], file: String = "--phones") { self.entries = entries; self.file = file }

    /// Parses the CSV (`file` names it in errors); a line whose number is not a phone number
    /// is an `InputError`.
    package init(csv bytes: [UInt8], file path: String, areaCode: String) throws {
        let csv = try InputCSV(bytes: bytes, file: path, columns: ["department", "number", "label"], minimum: 2)
        var entries: [Entry] = []
        for row in csv.rows {
            let number = row.fields[1]
            guard let m = PhoneScanner.normalize(number, areaCode: areaCode), m.valid else {
                throw InputError(file: path, line: row.line, problem: "\"\(number)\" is not a valid phone number")
            }
            entries.append(Entry(department: row.fields[0], number: number, label: row.fields.count > 2 ? row.fields[2] : "", line: row.line))
        }
        self.init(entries: entries, file: path)
    }

    /// The filed numbers, normalised under the profile's area code.
    package func normalized(areaCode: String) -> Set<String> {
        Set(entries.compactMap { PhoneScanner.normalize($0.number, areaCode: areaCode)?.digits })
    }

    /// Whether printed `digits` are filed: equal, or a local number (no area code known)
    /// that is the tail of a filed number with an area code.
    package static func contains(_ digits: String, in filed: Set<String>) -> Bool {
        if filed.contains(digits) { return true }
        guard let f = digits.first, f >= "2" && f <= "9", (7...8).contains(digits.count) else { return false }
        return filed.contains { $0.hasPrefix("0") && $0.hasSuffix(digits) && (3...4).contains($0.count - digits.count) }
    }
}
