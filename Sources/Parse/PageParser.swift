/// Turns a response body into a `PageModel` with libxml2's HTML parser.
/// (Stub: implemented in the Parse work item.)
public enum PageParser {
    /// Parses `bytes` (the raw body) of the page at `url`; `contentType` is the
    /// Content-Type header, used for the charset.
    public static func parse(_ bytes: [UInt8], url: String, contentType: String?) -> PageModel {
        PageModel(url: url)
    }

    /// Whether a response is an HTML page worth parsing: the content type says HTML
    /// (or is missing) and the body does not look binary.
    public static func looksLikeHTML(contentType: String?, prefix: ArraySlice<UInt8>) -> Bool {
        guard let ct = contentType?.lowercased() else { return true }
        return ct.contains("html")
    }
}
