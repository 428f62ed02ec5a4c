import ArgumentParser
import Foundation
import Sweep
import Inspect
import Vocabulary

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the rules of a profile; `govsweep rules explain ID` describes one.",
        subcommands: [List.self, Explain.self],
        defaultSubcommand: List.self
    )

    struct ProfileOption: ParsableArguments {
        @Option(help: "Rule profile: a YAML file, or a bundled profile name (default national-2019).")
        var profile: String?

        @Option(name: .customLong("bundled"), help: "A bundled profile by name (national-2019, xicheng-2022).")
        var bundledName: String?

        func load() throws -> Profile {
            do {
                if let p = profile {
                    if !FileManager.default.fileExists(atPath: p), Profile.bundledNames.contains(p) {
                        return try Profile.bundled(name: p)
                    }
                    return try InputFiles.profile(path: p)
                }
                return try Profile.bundled(name: bundledName ?? "national-2019")
            } catch let e as InputError {
                throw UserFailure.badInput(e.description)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rules.")
        @OptionGroup var options: ProfileOption

        func run() throws {
            let profile = try options.load()
            print("profile \(profile.id): \(profile.name)")
            for d in RuleRegistry.descriptions { print(d.listLine(profile: profile)) }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe one rule: source, parameters and examples.")
        @Argument(help: "The rule id, e.g. column.stale or a finding's rule such as column.stale.notice.")
        var id: String
        @OptionGroup var options: ProfileOption

        func run() throws {
            guard let d = RuleRegistry.description(of: RuleID(id)) else {
                throw UserFailure.badInput("\(id): no such rule (see `govsweep rules`)")
            }
            print(d.explain(profile: try options.load()))
        }
    }
}
