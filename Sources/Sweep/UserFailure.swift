/// A failure the user can act on: one line on stderr and a contract exit code.
public struct UserFailure: Error, CustomStringConvertible {
    public var message: String
    public var code: Int32
    public var description: String { message }

    public init(message: String, code: Int32) { self.message = message; self.code = code }

    /// 2: bad arguments or a bad input file.
    public static func badInput(_ message: String) -> UserFailure { UserFailure(message: message, code: 2) }
}
