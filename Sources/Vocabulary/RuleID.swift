/// A rule's id as findings, profiles and the store write it: a registered rule's own id
/// (`column.stale`), or one of its variants (`column.stale.notice`: the rule's id, a dot and
/// the variant's name), which a rule reports for one kind of finding. A rule makes its
/// variants with `variant(_:)`, so the rule's part is known without reading the text again.
/// An id read back as text (findings.json, the store, the command line) learns its rule when
/// resolved against the registered rules (`init?(resolving:isRule:)`, which Inspect's
/// `RuleRegistry` calls); until then it is its own rule. Equal ids have equal text.
package struct RuleID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The id as written: findings.json's `rule`, the store's `rule` column, a profile's key.
    package let rawValue: String
    /// UTF-8 length of the rule's own id at the start of `rawValue` (all of it: no variant).
    @usableFromInline let ruleLength: Int

    /// A rule's own id (no variant), or an id read back as text, not yet resolved.
    @inlinable package init(_ id: String) {
        rawValue = id
        ruleLength = id.utf8.count
    }

    @inlinable package init(stringLiteral id: String) { self.init(id) }

    @usableFromInline init(rawValue: String, ruleLength: Int) {
        self.rawValue = rawValue
        self.ruleLength = ruleLength
    }

    /// This rule's variant `name` (`column.stale` → `column.stale.notice`).
    @inlinable package func variant(_ name: String) -> RuleID {
        RuleID(rawValue: rawValue + "." + name, ruleLength: ruleLength)
    }

    /// Whether the id names a variant of its rule.
    package var isVariant: Bool { ruleLength < rawValue.utf8.count }

    /// The rule's own id: the id without its variant.
    package var rule: RuleID {
        isVariant ? RuleID(String(decoding: rawValue.utf8.prefix(ruleLength), as: UTF8.self)) : self
    }

    /// The variant's name (`notice` of `column.stale.notice`), nil for a rule's own id.
    package var variantName: String? {
        isVariant ? String(decoding: rawValue.utf8.dropFirst(ruleLength + 1), as: UTF8.self) : nil
    }

    /// Whether this is `rule`'s own id or one of its variants.
    package func belongs(to rule: RuleID) -> Bool { self.rule == rule }

    /// The id `text` with its rule found: the whole text when `isRule` accepts it, else the
    /// longest part before a dot that it accepts (`column.stale.notice` → `column.stale`);
    /// nil when none is a rule. Reads text once, where it arrives, not per finding.
    package init?(resolving text: String, isRule: (RuleID) -> Bool) {
        if isRule(RuleID(text)) {
            self.init(text)
            return
        }
        let bytes = Array(text.utf8)
        var end = bytes.count
        while let dot = bytes[..<end].lastIndex(of: UInt8(ascii: ".")) {
            if isRule(RuleID(String(decoding: bytes[..<dot], as: UTF8.self))) {
                self.init(rawValue: text, ruleLength: dot)
                return
            }
            end = dot
        }
        return nil
    }

    /// The text a template finding's stable id is made from (`a11y.img-alt#template`), so that
    /// it differs from the rule's page findings with the same url and subject. Never a
    /// finding's `rule`.
    package var templateKey: String { rawValue + "#template" }

    package var description: String { rawValue }
    package static func == (a: RuleID, b: RuleID) -> Bool { a.rawValue == b.rawValue }
    package func hash(into h: inout Hasher) { h.combine(rawValue) }
    package static func < (a: RuleID, b: RuleID) -> Bool { a.rawValue < b.rawValue }

    /// A string in JSON, as findings.json has always written the rule.
    package init(from decoder: Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }
    package func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
