import Foundation
package import Inspect

/// Reads the sweep's input files (`--profile`, `--departments`, `--phones`, `--accounts`,
/// `--wording`, the fleet's SITES.csv) and hands their bytes to Inspect, which does no I/O.
/// A file that cannot be read is an `InputError` naming it; a problem inside it names
/// `file:line`, as Inspect's parsers phrase it.
package enum InputFiles {
    /// The file's bytes; "no such file" or "cannot read the file" otherwise.
    package static func bytes(path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw InputError(file: path, problem: exists ? "cannot read the file" : "no such file")
        }
        return [UInt8](data)
    }

    /// A CSV file's text, UTF-8 (a BOM dropped) or GBK.
    package static func text(path: String) throws -> String {
        try InputCSV.decode(try bytes(path: path), file: path).text
    }

    /// A profile file; `extends` looks for a sibling file first, then the bundled profiles.
    package static func profile(path: String) throws -> Profile {
        let dir = (path as NSString).deletingLastPathComponent
        return try Profile.load(bytes: try bytes(path: path), file: path) { parent in
            let sibling = (dir as NSString).appendingPathComponent(parent + ".yaml")
            guard FileManager.default.fileExists(atPath: sibling) else { return nil }
            return (sibling, try bytes(path: sibling))
        }
    }

    /// `--departments`.
    package static func departments(path: String) throws -> DepartmentMap {
        try DepartmentMap(csv: try bytes(path: path), file: path)
    }

    /// `--accounts`.
    package static func accounts(path: String) throws -> AccountRegistry {
        try AccountRegistry(csv: try bytes(path: path), file: path)
    }

    /// `--phones`; numbers are checked under the profile's `areaCode`.
    package static func phones(path: String, areaCode: String) throws -> PhoneRegistry {
        try PhoneRegistry(csv: try bytes(path: path), file: path, areaCode: areaCode)
    }

    /// `--wording`, added to `dictionary` (the bundled one by default).
    package static func wording(path: String, adding dictionary: WordingDictionary = .bundled) throws -> WordingDictionary {
        try dictionary.adding(csv: try bytes(path: path), file: path)
    }
}
