/// A failure the user can act on: one line on stderr and a contract exit code.
package struct UserFailure: Error, CustomStringConvertible {
    package var message: String
    package var code: Int32
    package var description: String { message }

    package init(message: String, code: Int32) { self.message = message; self.code = code }

    /// 2: bad arguments or a bad input file.
    package static func badInput(_ message: String) -> UserFailure { UserFailure(message: message, code: 2) }
}
