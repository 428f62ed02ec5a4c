#if !PostgreSQL
import ArgumentParser
import Sweep

// A build without the PostgreSQL trait (the README's first command) still knows the fleet's
// commands by name, so that `govsweep fleet …` and `govsweep worker …` say in one line (exit 2)
// what to rebuild with, whatever follows them, rather than "unexpected argument".

struct Fleet: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fleet mode: not in this build (no PostgreSQL support; \(StoreLocation.rebuildCommand)).")

    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

    func run() throws { throw StoreLocation.noPostgreSQL }
}

struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fleet worker: not in this build (no PostgreSQL support; \(StoreLocation.rebuildCommand)).")

    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

    func run() throws { throw StoreLocation.noPostgreSQL }
}
#endif
