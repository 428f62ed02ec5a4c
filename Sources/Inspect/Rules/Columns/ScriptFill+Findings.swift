import Parse
import Vocabulary

extension ScriptFill {
    /// What the column and home-page rules' advice says of the sign, in every finding alike:
    /// `scriptFilled` (the kind of sign) and `scriptSign` (what was seen, as written).
    /// `renderFailed`: why a browser could not render the page, when it was tried.
    func evidence(adding other: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var mine: [String: JSONValue] = ["scriptFilled": .string(sign.rawValue), "scriptSign": .string(detail)]
        if let renderFailure { mine["renderFailed"] = .string(renderFailure) }
        return other.merging(mine) { _, new in new }
    }
}

/// `"rendered": true` in the evidence of a finding judged from a page as a browser rendered
/// it (`--render`); the evidence as it is otherwise (findings.json's keys are only added to).
func renderedEvidence(_ evidence: [String: JSONValue], _ rendered: Bool) -> [String: JSONValue] {
    guard rendered else { return evidence }
    var e = evidence
    e["rendered"] = .bool(true)
    return e
}
