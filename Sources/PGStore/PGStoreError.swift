import Foundation

/// A failure of the PostgreSQL store, in one line that names the database and the problem
/// (never a password), so the command line can print it and exit with `exitCode`.
package struct PGStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// The URL does not parse (exit 2).
        case badURL
        /// No server answers at host:port, or it went away and did not come back (exit 3).
        case unreachable
        /// The server refused the user or the password (exit 2).
        case authentication
        /// The database named in the URL does not exist (exit 2).
        case noDatabase
        /// The database holds a schema version newer than this binary knows (exit 3).
        case schemaTooNew
        /// Another govsweep holds the run lock of the same sites (exit 2).
        case busy
        /// A statement failed, or the store holds something this binary cannot read (exit 2).
        case query
    }

    package let kind: Kind
    /// The whole one-line message.
    package let description: String

    package init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// The command line's exit code: 3 when the database cannot be used as it is (not
    /// reachable, or newer than this govsweep), else 2.
    package var exitCode: Int32 {
        switch kind {
        case .unreachable, .schemaTooNew: 3
        default: 2
        }
    }
}

/// `error.localizedDescription` gives the same one line.
extension PGStoreError: LocalizedError {
    package var errorDescription: String? { description }
}
