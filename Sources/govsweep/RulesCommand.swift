import ArgumentParser
import Inspect

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the rules of a profile; `govsweep rules explain ID` describes one.",
        subcommands: [List.self, Explain.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rules.")
        @Option(help: "Rule profile YAML (default: the bundled national profile).")
        var profile: String?

        func run() throws {
            print("\(LinkBrokenRule.id)\tlink-broken\t链接不可用 broken links (internal: deduct; external and blocked: advice)")
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe one rule.")
        @Argument(help: "The rule id, e.g. link.broken.")
        var id: String

        func run() throws {
            guard id == LinkBrokenRule.id else { throw UserFailure.badInput("\(id): no such rule (see `govsweep rules`)") }
            print("""
            \(LinkBrokenRule.id) — 链接不可用 (broken links)
            indicator: link-broken
            source: 国办秘函〔2019〕19号 链接可用性 (deduction part)
            internal broken link: deduct 1 point on the home page, 0.1 elsewhere (confidence L: commonly quoted, not confirmed); capped at 10
            external broken link: advice; blocked link (401/403/429, firewall): advice, not proof the target is gone
            """)
        }
    }
}
