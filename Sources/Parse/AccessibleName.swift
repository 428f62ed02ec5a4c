internal import Vocabulary
/// The accessible name of an element as the static page gives it: W3C accname 1.2 §4.3.2
/// in axe-core's reading (lib/commons/text/accessible-text-virtual.js), inline style only
/// (no CSS files). The one helper behind every a11y rule that asks whether an element has
/// a name (link, button, image, image button, frame, form field, heading); `PageBuilder`
/// gathers the sources in its one pass and calls it when the element closes, or at the end
/// for `aria-labelledby` (whose ids may come later in the page).
package enum AccessibleName {
    /// The first source that is not blank, in accname's order, with surrounding white space
    /// trimmed; nil when none names the element.
    /// - Parameters:
    ///   - labelledBy: the text of the elements `aria-labelledby` names (step 2B).
    ///   - ariaLabel: `aria-label` (2C).
    ///   - native: the element's own alternative (2D): `alt`, an input button's `value`, its `<label>`.
    ///   - content: its visible subtree text (2F), image alts included and hidden content left
    ///     out; only for roles named from content (link, button, heading).
    ///   - title: the `title` attribute (2I).
    ///   - placeholder: a text field's placeholder, last (HTML-AAM; axe's label rule accepts it).
    package static func of(
        labelledBy: String? = nil, ariaLabel: String? = nil, native: String? = nil,
        content: String? = nil, title: String? = nil, placeholder: String? = nil
    ) -> String? {
        // One test after another, no array: this runs for every link of every page.
        if let s = labelledBy, !s.isBlank { return trimmed(s) }
        if let s = ariaLabel, !s.isBlank { return trimmed(s) }
        if let s = native, !s.isBlank { return trimmed(s) }
        if let s = content, !s.isBlank { return trimmed(s) }
        if let s = title, !s.isBlank { return trimmed(s) }
        if let s = placeholder, !s.isBlank { return trimmed(s) }
        return nil
    }

    /// Without surrounding white space; the string itself (no copy) when it has none, as the
    /// parser's collapsed text never has. (Copying each Chinese link text through
    /// `trimmedSpaces`, and then asking Unicode properties, cost 2% of the parse.)
    /// (The first and last scalars read on the UTF-8 bytes: `unicodeScalars.first/last` took
    /// 370 instructions a link.)
    static func trimmed(_ s: String) -> String {
        let ends = withUTF8Bytes(s) { u -> Bool in
            guard let first = u.first, let last = u.last else { return false }
            if first < 0x80 ? isSpace(UInt32(first)) : isSpace(scalar(u, at: 0)) { return true }
            if last < 0x80 { return isSpace(UInt32(last)) }
            var j = u.count - 1
            while j > 0 && u[j] & 0xC0 == 0x80 { j -= 1 }
            return isSpace(scalar(u, at: j))
        }
        return ends ? String(s.trimmedSpaces()) : s
    }

    /// The scalar of the (valid) UTF-8 sequence starting at `i`.
    @inline(__always)
    private static func scalar(_ u: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32 {
        let c0 = UInt32(u[i])
        if c0 < 0x80 { return c0 }
        if c0 < 0xE0 { return (c0 & 0x1F) << 6 | UInt32(u[i + 1] & 0x3F) }
        if c0 < 0xF0 { return (c0 & 0x0F) << 12 | UInt32(u[i + 1] & 0x3F) << 6 | UInt32(u[i + 2] & 0x3F) }
        return (c0 & 0x07) << 18 | UInt32(u[i + 1] & 0x3F) << 12 | UInt32(u[i + 2] & 0x3F) << 6 | UInt32(u[i + 3] & 0x3F)
    }

    /// Unicode's White_Space, spelled out.
    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool {
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return v == 0x85 || v == 0xA0 || v == 0x1680 || (v >= 0x2000 && v <= 0x200A) || v == 0x2028 || v == 0x2029
            || v == 0x202F || v == 0x205F || v == 0x3000
    }
}
