import ArgumentParser
import Foundation
import Sweep

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a commented example site file for scheduled sweeps (--config).",
        discussion: "Refuses to overwrite an existing file. Edit `urls` (and the CSV files), then run `govsweep sweep --config FILE`."
    )

    @Argument(help: "The site file to write (default: govsweep.yaml).")
    var file: String = "govsweep.yaml"

    func run() throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: file) {
            throw UserFailure.badInput("\(file): already exists; not overwritten (remove it or name another file)")
        }
        let parent = (file as NSString).deletingLastPathComponent
        if !parent.isEmpty, !fm.fileExists(atPath: parent) {
            throw UserFailure.badInput("\(file): no such directory \(parent)")
        }
        // O_EXCL: never overwrite, even a file created since the check above.
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw UserFailure.badInput("\(file): cannot create (\(String(cString: strerror(errno))))")
        }
        let bytes = Array(Self.template.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else {
            unlink(file)
            throw UserFailure.badInput("\(file): cannot write the file")
        }
        print("govsweep init: wrote \(file); edit `urls`, then run: govsweep sweep --config \(file)")
    }

    /// The example site file. Every key is an option of `govsweep sweep` (long name), its line
    /// made from the option's `SweepOption` entry (`templateLine`); the prose between is this
    /// file's. `govsweep probe --config` reads `urls`, `store` and `timeout`.
    static var template: String {
        func line(_ o: SweepOption, at column: Int = 25) -> String { o.templateLine(column: column) ?? "" }
        return """
            # govsweep site file: everything a scheduled sweep needs, one option per key
            # (the long names of `govsweep sweep --help`). Options on the command line win.
            # Relative paths are read from this file's folder.
            #
            #   govsweep sweep --config govsweep.yaml    nightly   (scripts/systemd/govsweep-sweep.timer)
            #   govsweep probe --config govsweep.yaml    every 30 minutes (scripts/systemd/govsweep-probe.timer)
            #   govsweep history                         the runs, newest first; `govsweep diff A B` compares two

            # The start URLs: their hosts are the scope of the sweep; probes sample these pages.
            urls:
              - https://www.example.gov.cn/

            # Rule profile: a bundled name (national-2019, xicheng-2022) or a profile YAML file.
            \(line(.profile))

            # CSV files (UTF-8, a BOM and a header line allowed, # comments and blank lines ignored).
            \(line(.departments, at: 33))
            \(line(.phones, at: 33))
            \(line(.accounts, at: 33))
            \(line(.wording, at: 33))

            # The run store (runs, pages, findings, probes). Sweep and probe must use the same one.
            # Default: $XDG_STATE_HOME/govsweep/govsweep.sqlite (~/.local/state/...); the systemd units
            # set XDG_STATE_HOME=/var/lib, so /var/lib/govsweep/govsweep.sqlite.
            \(line(.store))

            # The report directory. Default: Reports/<host>/<as-of>/ under the working directory,
            # one directory per day; a fixed `out` is replaced by each run.
            \(line(.out))

            # Limits.
            \(line(.maxPages))
            \(line(.maxDepth))
            \(line(.concurrency))
            \(line(.perHost))
            \(line(.timeout))
            \(line(.rate))

            \(line(.include, at: 49))
            \(line(.exclude, at: 49))
            \(line(.noExternal))
            \(line(.noSearch))
            \(line(.searchURL, at: 49))
            \(line(.ignoreRobots))
            \(line(.full))

            # Script-filled pages (lists a browser fills: home page, column lists, reply lists) are
            # rendered in headless Chromium when one is installed (scripts/setup.sh --with-chromium).
            \(line(.render))
            \(line(.renderTimeout))
            \(line(.renderBudget))
            \(line(.renderConcurrency))

            # Exit 1 when a finding of this severity or worse exists (veto or deduct): the timer's
            # unit then fails, which is the hook for alerting (OnFailure=, or cron's mail).
            \(line(.failOn))

            \(line(.quiet))

            """
    }
}
