import Parse
import Vocabulary

extension ScriptFill {
    /// What the column and home-page rules' advice says of the sign, in every finding alike:
    /// `scriptFilled` (the kind of sign) and `scriptSign` (what was seen, as written).
    func evidence(adding other: [String: JSONValue] = [:]) -> [String: JSONValue] {
        other.merging(["scriptFilled": .string(sign.rawValue), "scriptSign": .string(detail)]) { _, new in new }
    }
}
