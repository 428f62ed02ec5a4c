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

    /// The example site file. Every key is an option of `govsweep sweep` (long name);
    /// `govsweep probe --config` reads `urls`, `store` and `timeout`.
    static let template = """
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
        profile: national-2019

        # CSV files (UTF-8, a BOM and a header line allowed, # comments and blank lines ignored).
        # departments: departments.csv   # pattern,department: URL path prefix -> responsible department
        # phones: phones.csv             # department,number[,label]: the filed phone numbers
        # accounts: accounts.csv         # platform,name,department,feed: the filed new-media accounts
        # wording: wording.csv           # wrong,right[,class]: wording entries added to the bundled ones

        # The run store (runs, pages, findings, probes). Sweep and probe must use the same one.
        # Default: $XDG_STATE_HOME/govsweep/govsweep.sqlite (~/.local/state/...); the systemd units
        # set XDG_STATE_HOME=/var/lib, so /var/lib/govsweep/govsweep.sqlite.
        # store: /var/lib/govsweep/govsweep.sqlite

        # The report directory. Default: Reports/<host>/<as-of>/ under the working directory,
        # one directory per day; a fixed `out` is replaced by each run.
        # out: Reports/latest

        # Limits.
        max-pages: 100000        # pages of the swept sites
        max-depth: 64            # link steps from a start URL
        concurrency: 32          # requests in flight, all hosts
        per-host: 6              # requests in flight to one host
        timeout: 15              # seconds per request (and per probe: the official 15 s)
        # rate: 5                # requests per second to one host at most

        # include: ['^https://www\\.example\\.gov\\.cn/']   # only URLs matching (regular expressions)
        # exclude: ['/search/']                             # never URLs matching
        # no-external: false     # true: do not check links to other hosts
        # ignore-robots: false   # true: for an owner's own sweeps only
        # full: false            # true: parse every page again (default: unchanged pages are reused)

        # Script-filled pages (lists a browser fills: home page, column lists, reply lists) are
        # rendered in headless Chromium when one is installed (scripts/setup.sh --with-chromium).
        # render: auto           # never | auto | always (always: exit 2 without a browser)
        # render-timeout: 15     # seconds per page, the browser's start included
        # render-budget: 300     # seconds of rendering per sweep
        # render-concurrency: 2  # pages rendered at once (at most per-host)

        # Exit 1 when a finding of this severity or worse exists (veto or deduct): the timer's
        # unit then fails, which is the hook for alerting (OnFailure=, or cron's mail).
        fail-on: veto

        # quiet: true            # no live progress (a timer has no terminal anyway)

        """
}
