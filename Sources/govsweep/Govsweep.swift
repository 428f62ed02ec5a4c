import ArgumentParser
import Foundation
import Logging
import Sweep

@main
struct Govsweep: AsyncParsableCommand {
    static let version = SweepJob.version

    static let configuration = CommandConfiguration(
        commandName: "govsweep",
        abstract: "Compliance crawler for government portals and their new-media accounts.",
        discussion: """
            Sweeps a district portal and its department sub-sites the way the official inspection \
            checks them (国办秘函〔2019〕19号), scores the findings and writes findings.json, report.html, \
            per-department defect lists and summary.md.
            """ + buildNote,
        version: version,
        subcommands: [Sweep.self, Probe.self, History.self, Diff.self, Init.self, Demo.self, Rules.self, Fleet.self, Worker.self]
    )

    /// What `--help` adds about this build: fleet mode needs the PostgreSQL trait (Package.swift).
    #if PostgreSQL
    static let buildNote = ""
    #else
    static let buildNote = """


        This build has no PostgreSQL support: fleet, worker and --store postgres:// exit 2. \
        Rebuild with it: \(StoreLocation.rebuildCommand)
        """
    #endif

    /// Exit codes as CONTRACT.md fixes them: bad arguments are 2 (not ArgumentParser's 64),
    /// with one line on stderr.
    static func main() async {
        // Logs (--verbose) go to stderr; stdout carries the summary only.
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let failure as UserFailure {
            printError(failure.message)
            Foundation.exit(failure.code)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                exit(withError: error)  // --help, --version
            }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            printError(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)
            Foundation.exit(2)
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("govsweep: \(message)\n".utf8))
    }
}
