#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import Inspect
import Sweep
import Vocabulary

/// A per-site input file (departments, phones, accounts, wording, a profile): where it was
/// when the site was added, and its text then. A worker on the same machine reads the file
/// where it is (so findings that name the file name the same path as a single sweep's); a
/// worker elsewhere, or after the file changed, sweeps with the text stored with the site.
package struct SiteInput: Sendable, Equatable, Codable {
    package var path: String
    package var text: String
    package init(path: String, text: String) { self.path = path; self.text = text }
}

/// One site of the fleet, as a line of SITES.csv gives it.
package struct FleetSite: Sendable, Equatable {
    /// The start URLs in the store's normal form; the first is the site's key.
    package var urls: [String]
    package var name: String
    /// The owning organisation (市, 区县 or 部门).
    package var owner: String
    /// The region: a code such as 110102, a name, or both ("110102 西城区": the round summary
    /// then groups by the code and shows the name).
    package var region: String
    /// A bundled profile's name; nil with `profileFile`, or for the default profile.
    package var profileName: String?
    package var profileFile: SiteInput?
    package var departments: SiteInput?
    package var phones: SiteInput?
    package var accounts: SiteInput?
    package var wording: SiteInput?
    /// The line of SITES.csv it came from (0 when read from the store).
    package var line: Int = 0

    package init(urls: [String], name: String, owner: String, region: String) {
        self.urls = urls; self.name = name; self.owner = owner; self.region = region
    }

    /// The site's identity in the fleet: re-adding a line with the same first URL updates it.
    package var key: String { urls[0] }

    /// The authorities (host:port) of the start URLs: what a worker holds while it sweeps
    /// the site, as the fetcher's per-host limits count them.
    package var hosts: [String] {
        var seen = Set<String>()
        return urls.compactMap { CrawlURL($0)?.authority }.filter { seen.insert($0).inserted }.sorted()
    }
}

/// SITES.csv: a header row naming the columns (at least `url,name,owner,region`; optional
/// `profile`, `departments`, `phones`, `accounts`, `wording`), then one site a line. `url`
/// may hold several start URLs separated by spaces or `|`. Input-file paths are relative to
/// the CSV's folder. Any bad line stops the whole list with `SITES.csv:LINE: problem`.
package enum SiteList {
    package static let required = ["url", "name", "owner", "region"]
    package static let optional = ["profile", "departments", "phones", "accounts", "wording"]

    package static func read(path: String) throws -> [FleetSite] {
        let text: String
        do { text = try InputFiles.text(path: path) } catch let e as InputError { throw UserFailure.badInput(e.description) }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(text, file: path, folder: folder)
    }

    /// Parses the text of a site list; `file` names it in errors, `folder` anchors relative paths.
    package static func parse(_ text: String, file: String, folder: String) throws -> [FleetSite] {
        func fail(_ line: Int, _ problem: String) -> UserFailure { .badInput("\(file):\(line): \(problem)") }
        var columns: [String: Int]?
        var sites: [FleetSite] = []
        var lineOf: [String: Int] = [:]
        for raw in InputCSV.records(text) {
            let trimmed = raw.text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields: [String]
            do { fields = try InputCSV.split(raw.text).map { $0.trimmingCharacters(in: .whitespaces) } } catch {
                throw fail(raw.line, "unbalanced quotes")
            }
            guard let cols = columns else {
                var named: [String: Int] = [:]
                for (i, f) in fields.enumerated() {
                    let name = f.lowercased()
                    guard required.contains(name) || optional.contains(name) else {
                        throw fail(raw.line, "unknown column \"\(f)\" (known: \((required + optional).joined(separator: ",")))")
                    }
                    guard named[name] == nil else { throw fail(raw.line, "column \"\(name)\" twice") }
                    named[name] = i
                }
                let missing = required.filter { named[$0] == nil }
                guard missing.isEmpty else {
                    throw fail(raw.line, "the header row must name the columns \(required.joined(separator: ",")) (missing: \(missing.joined(separator: ",")))")
                }
                columns = named
                continue
            }
            var row = fields
            while row.count > cols.count, row.last == "" { row.removeLast() }
            guard row.count <= cols.count else { throw fail(raw.line, "expected at most \(cols.count) columns, found \(row.count)") }
            func field(_ name: String) -> String { cols[name].flatMap { $0 < row.count ? row[$0] : nil } ?? "" }

            let urlText = field("url")
            let parts = urlText.split(whereSeparator: { $0 == " " || $0 == "|" || $0 == "\t" }).map(String.init)
            guard !parts.isEmpty else { throw fail(raw.line, "no start URL in column url") }
            func startURL(_ p: String) -> CrawlURL? {
                guard p.lowercased().hasPrefix("http://") || p.lowercased().hasPrefix("https://") else { return nil }
                return CrawlURL(p)
            }
            var urls: [String] = []
            for p in parts {
                guard let u = startURL(p) else {
                    // The whole cell ("not a url" split into words named only "not"), and the
                    // word at fault when others are URLs.
                    guard parts.contains(where: { startURL($0) != nil }) else {
                        throw fail(raw.line, "url \"\(urlText)\" is not an http(s) URL")
                    }
                    throw fail(
                        raw.line, "url \"\(urlText)\": \"\(p)\" is not an http(s) URL (a cell holds start URLs separated by spaces or |)")
                }
                if !urls.contains(u.string) { urls.append(u.string) }
            }
            for name in ["name", "owner", "region"] where field(name).isEmpty {
                throw fail(raw.line, "empty \(name)")
            }
            var site = FleetSite(urls: urls, name: field("name"), owner: field("owner"), region: field("region"))
            site.line = raw.line
            if let earlier = lineOf[site.key] { throw fail(raw.line, "site \(site.key) is already on line \(earlier)") }
            lineOf[site.key] = raw.line

            func input(_ name: String) throws -> SiteInput? {
                let value = field(name)
                guard !value.isEmpty else { return nil }
                let resolved = value.hasPrefix("/") ? value : URL(fileURLWithPath: folder).appendingPathComponent(value).standardizedFileURL.path
                guard let data = FileManager.default.contents(atPath: resolved) else {
                    throw fail(raw.line, "\(name) \(value): no such file")
                }
                guard let text = String(data: data, encoding: .utf8) ?? (try? InputFiles.text(path: resolved)) else {
                    throw fail(raw.line, "\(name) \(value): neither UTF-8 nor GBK text")
                }
                return SiteInput(path: resolved, text: text)
            }
            let profile = field("profile")
            if !profile.isEmpty {
                let resolved = profile.hasPrefix("/") ? profile : URL(fileURLWithPath: folder).appendingPathComponent(profile).path
                if !FileManager.default.fileExists(atPath: resolved), Profile.bundledNames.contains(profile) {
                    site.profileName = profile
                } else if FileManager.default.fileExists(atPath: resolved) {
                    site.profileFile = try input("profile")
                } else {
                    throw fail(raw.line, "profile \(profile): no such file, nor a bundled profile (bundled: \(Profile.bundledNames.joined(separator: ", ")))")
                }
            }
            site.departments = try input("departments")
            site.phones = try input("phones")
            site.accounts = try input("accounts")
            site.wording = try input("wording")
            // The input files are checked as a sweep checks them, so a bad one stops here
            // and not in a worker: the line of the site, then the file's own line.
            var settings = SweepSettings(startURLs: urls.compactMap { CrawlURL($0) }, asOf: Day(year: 2026, month: 1, day: 1)!)
            settings.profilePath = site.profileFile?.path ?? site.profileName
            settings.departmentsPath = site.departments?.path
            settings.phonesPath = site.phones?.path
            settings.accountsPath = site.accounts?.path
            settings.wordingPath = site.wording?.path
            do { try settings.loadInputs() } catch let e as UserFailure { throw fail(raw.line, e.message) }
            sites.append(site)
        }
        guard columns != nil else { throw UserFailure.badInput("\(file): no header row (expected at least \(required.joined(separator: ",")))") }
        return sites
    }
}
#endif
