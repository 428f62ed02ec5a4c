package import Parse

/// `a11y` / `html-lang` (axe html-has-lang and html-lang-valid).
package struct HTMLLangRule: PageRule {
    package init() {}
    package static let description = RuleDescription.a11y(
        "html-lang", axe: "html-has-lang, html-lang-valid", zh: "页面未声明有效语言", en: "Missing or invalid page language",
        summary:
            "<html> has no lang with a value (xml:lang alone does not do in an HTML page), or the primary subtag of lang or xml:lang (before the first '-') is not a language of the IANA subtag registry: zh-CN, zh-Hans and cmn are valid; cn, zh_CN and chinese are not.",
        fix: "在 <html> 标签上设置 lang=\"zh-CN\"。",
        passing: [
            RuleExample("lang=zh-CN", html: examplePage("<p>正文</p>")),
            RuleExample(
                "lang and xml:lang both valid",
                html: "<!DOCTYPE html><html lang=\"zh\" xml:lang=\"zh-Hans\"><head><title>首页</title></head><body><p>正文</p></body></html>"),
        ],
        failing: [
            RuleExample("no lang", html: "<!DOCTYPE html><html><head><title>首页</title></head><body><p>正文</p></body></html>", subjects: ["html-lang"]),
            RuleExample(
                "lang=cn: not a registered language (zh is Chinese)",
                html: "<!DOCTYPE html><html lang=\"cn\"><head><title>首页</title></head><body><p>正文</p></body></html>", subjects: ["html-lang"]),
            RuleExample(
                "xml:lang without lang in an HTML page",
                html: "<!DOCTYPE html><html xml:lang=\"zh-CN\"><head><title>首页</title></head><body><p>正文</p></body></html>", subjects: ["html-lang"]),
        ])

    package func offenders(in page: PageModel, context: PageContext) -> [String] {
        // html-has-lang: lang with a value; xml:lang counts only in XHTML, and pages are read as HTML.
        guard !A11y.blank(page.lang), let lang = page.lang else {
            return [A11y.blank(page.xmlLang) ? "<html>" : "<html xml:lang=\"\(page.xmlLang!)\">"]
        }
        // html-lang-valid, for each of the two attributes written.
        if Self.invalid(lang) { return ["<html lang=\"\(lang)\">"] }
        if let xml = page.xmlLang, Self.invalid(xml) { return ["<html xml:lang=\"\(xml)\">"] }
        return []
    }

    /// axe's valid-lang: the primary subtag, trimmed and lowercased, must be a registered
    /// language; an empty one passes unless the value is white space only.
    static func invalid(_ value: String) -> Bool {
        let trimmed = value.trimmedSpaces()
        let primary = trimmed.utf8.prefix { $0 != UInt8(ascii: "-") }.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        if primary.isEmpty { return !value.isEmpty && trimmed.isEmpty }
        return !LanguageSubtags.isValid(primary)
    }
}
