extension StringProtocol {
    /// Without leading and trailing white space (Unicode's White_Space), without Foundation's
    /// bridging.
    package func trimmedSpaces() -> Substring {
        let scalars = Substring(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return Substring() }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return Substring(scalars[first...last])
    }
}

extension String {
    /// Empty or only white space (Unicode's). Decided on the first UTF-8 byte for almost every
    /// text: an ASCII byte other than a space, or a lead byte from E4 on (CJK; every Unicode
    /// space is below U+4000), is not blank.
    package var isBlank: Bool {
        guard let b = utf8.first else { return true }
        if b < 0x80 ? !(b == 0x20 || (b >= 0x09 && b <= 0x0D)) : b >= 0xE4 { return false }
        return unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
}
