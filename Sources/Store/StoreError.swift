import Foundation

/// A store failure, described in one line that names the file and the problem
/// (`/x/y.sqlite: file is not a database`), so the command line can print it and exit 2.
package struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file the error is about (the database, or its lock file).
    package let path: String
    /// SQLite's primary result code, or nil when the error did not come from SQLite.
    package let code: Int32?
    /// The whole one-line message.
    package let description: String

    init(path: String, message: String, code: Int32? = nil) {
        self.path = path
        self.code = code
        self.description = "\(path): \(message)"
    }

    private init(path: String, description: String) {
        self.path = path
        self.code = nil
        self.description = description
    }

    /// Another process (or another handle in this one) holds the run lock.
    static func busy(path: String, pid: Int32?) -> StoreError {
        let holder = pid.map { " (pid \($0))" } ?? ""
        return StoreError(path: path, description: "store \(path) is in use by another govsweep run\(holder)")
    }
}

/// `error.localizedDescription` gives the same one line.
extension StoreError: LocalizedError {
    package var errorDescription: String? { description }
}
