import ArgumentParser
import Crawl
import Foundation
import Store
import Sweep
import Vocabulary

/// Options shared by the commands that crawl.
struct CrawlLimits: ParsableArguments {
    @Option(name: SweepOption.maxPages.long, help: SweepOption.maxPages.argumentHelp)
    var maxPages: Int?

    @Option(name: SweepOption.maxDepth.long, help: SweepOption.maxDepth.argumentHelp)
    var maxDepth: Int?

    @Option(name: SweepOption.concurrency.long, help: SweepOption.concurrency.argumentHelp)
    var concurrency: Int?

    @Option(name: SweepOption.perHost.long, help: SweepOption.perHost.argumentHelp)
    var perHost: Int?

    @Option(name: SweepOption.rate.long, help: SweepOption.rate.argumentHelp)
    var rate: Double?

    @Option(name: SweepOption.timeout.long, help: SweepOption.timeout.argumentHelp)
    var timeout: Double?
}

/// Today's date in China Standard Time, YYYY-MM-DD.
func todayInChina() -> String { Day.today().description }

/// Start URLs as given (command line or site file), checked and in the normal form the
/// store records them in; the first that is not an http(s) URL stops with exit 2.
func startURLs(_ strings: [String]) throws -> [CrawlURL] {
    try strings.map { s in
        guard s.lowercased().hasPrefix("http://") || s.lowercased().hasPrefix("https://"), let u = CrawlURL(s) else {
            throw UserFailure.badInput("\(s): not an http(s) URL")
        }
        return u
    }
}

/// Reads a YYYY-MM-DD date (the command line's and the site file's one spelling of a day).
func validDate(_ s: String, option: String) throws -> Day {
    guard let day = Day(iso: s), (1990...2100).contains(day.year) else {
        throw UserFailure.badInput("\(option) \(s): not a date of the form YYYY-MM-DD")
    }
    return day
}

/// ISO 8601 with the China Standard Time offset ("2022-11-01T08:00:00+08:00").
func isoTimestamp(_ date: Date) -> String { ChinaTime.timestamp(date) }

/// Refuses a store inside the output folder (or the folder itself): the report replaces
/// `--out` whole at the end of a sweep, which would delete the store and every earlier run
/// in it. Paths are compared resolved (absolute, symlinks followed), so `./OUT/s.sqlite`, a
/// link to OUT or `OUT/sub/../s.sqlite` are caught as well.
func checkStoreOutsideOutput(store: String, out: String) throws {
    let s = resolvedPath(store), o = resolvedPath(out)
    guard s == o || s.hasPrefix(o == "/" ? "/" : o + "/") else { return }
    let shown = (s == store && o == out) ? "" : " (\(s) in \(o))"
    throw UserFailure.badInput(
        "--store \(store) is inside --out \(out)\(shown): the output folder is replaced whole at the end of a sweep, which would delete the store and its earlier runs; give --store a path outside it"
    )
}

/// `path` absolute, with symlinks resolved as far as it exists (realpath) and the rest
/// (a store or folder not yet created) normalised by name.
func resolvedPath(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var existing = absolute.split(separator: "/").map(String.init)
    var rest: [String] = []
    while true {
        if let r = realpath("/" + existing.joined(separator: "/"), nil) {
            var parts = String(cString: r).split(separator: "/").map(String.init)
            free(r)
            for c in rest where c != "." {
                if c == ".." { _ = parts.popLast() } else { parts.append(c) }
            }
            return "/" + parts.joined(separator: "/")
        }
        guard let last = existing.popLast() else { return absolute }
        rest.insert(last, at: 0)
    }
}

/// `--store`, else the site file's `store` (a path relative to it, or a postgres:// URL), else
/// GOVSWEEP_STORE, else the default SQLite file.
func storeOption(_ option: String?, config: SiteConfig?) throws -> String {
    if let option { return option }
    if let raw = try config?.string(.store) {
        if case .postgres = StoreLocation(raw) { return raw }
        return try config?.path(.store) ?? raw
    }
    return StoreLocation.fromEnvironment ?? SQLiteStore.defaultPath
}
