import Foundation
import Sweep
import Inspect
import Yams

/// A YAML site file (`--config`): any option of `sweep` under its long name, and the
/// start URLs under `urls`. Relative paths are read from the file's own folder.
struct SiteConfig {
    var values: [String: Node] = [:]
    var lines: [String: Int] = [:]
    let path: String
    let folder: String

    /// `urls` and every option of `sweep` a site file may hold (`SweepOption.all`).
    static let keys: Set<String> = Set([SweepOption.urls.name] + SweepOption.all.filter(\.inSiteFile).map(\.name))

    init(path: String) throws {
        self.path = path
        folder = (path as NSString).deletingLastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UserFailure.badInput("\(path): no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw UserFailure.badInput("\(path): not UTF-8 text")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let e as YamlError {
            throw UserFailure.badInput("\(path): \(SiteConfig.describe(e))")
        }
        guard let node else { return }
        guard let mapping = node.mapping else {
            throw UserFailure.badInput("\(path):\(node.mark.map { "\($0.line):" } ?? "") expected a mapping of option names to values")
        }
        for (k, v) in mapping {
            let line = k.mark?.line ?? 0
            guard let key = k.string, SiteConfig.keys.contains(key) else {
                throw UserFailure.badInput(
                    "\(path):\(line): unknown option \"\(k.string ?? "?")\" (known: \(SiteConfig.keys.sorted().joined(separator: ", ")))")
            }
            values[key] = v
            lines[key] = line
        }
    }

    static func describe(_ e: YamlError) -> String {
        let s = "\(e)".split(separator: "\n").first.map(String.init) ?? "not valid YAML"
        return s
    }

    func fail(_ key: String, _ problem: String) -> UserFailure {
        .badInput("\(path):\(lines[key] ?? 0): \(key): \(problem)")
    }

    func string(_ key: String) throws -> String? {
        guard let v = values[key] else { return nil }
        guard let s = v.string, v.scalar != nil else { throw fail(key, "expected a single value") }
        return s
    }

    func path(_ key: String) throws -> String? {
        guard let s = try string(key) else { return nil }
        if s.hasPrefix("/") || folder.isEmpty { return s }
        if s.hasPrefix("~/") { return NSHomeDirectory() + String(s.dropFirst(1)) }
        return folder + "/" + s
    }

    /// `profile`: a file (relative to this file's folder), or a bundled profile's name.
    func profile() throws -> String? {
        guard let raw = try string("profile"), let resolved = try path("profile") else { return nil }
        if !FileManager.default.fileExists(atPath: resolved), Profile.bundledNames.contains(raw) { return raw }
        return resolved
    }

    func int(_ key: String) throws -> Int? {
        guard let s = try string(key) else { return nil }
        guard let v = Int(s) else { throw fail(key, "expected a whole number, found \"\(s)\"") }
        return v
    }

    func double(_ key: String) throws -> Double? {
        guard let s = try string(key) else { return nil }
        guard let v = Double(s) else { throw fail(key, "expected a number, found \"\(s)\"") }
        return v
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = values[key] else { return nil }
        guard let b = v.bool else { throw fail(key, "expected true or false") }
        return b
    }

    func list(_ key: String) throws -> [String]? {
        guard let v = values[key] else { return nil }
        if let seq = v.sequence {
            return try seq.map { item in
                guard let s = item.string else { throw fail(key, "expected a list of values") }
                return s
            }
        }
        return [try string(key)!]
    }

    // The same, by the option's table entry.
    func string(_ o: SweepOption) throws -> String? { try string(o.name) }
    func path(_ o: SweepOption) throws -> String? { try path(o.name) }
    func int(_ o: SweepOption) throws -> Int? { try int(o.name) }
    func double(_ o: SweepOption) throws -> Double? { try double(o.name) }
    func bool(_ o: SweepOption) throws -> Bool? { try bool(o.name) }
    func list(_ o: SweepOption) throws -> [String]? { try list(o.name) }
}
