public import Parse

/// `a11y` / `html-lang` (axe html-has-lang and html-lang-valid).
public struct HTMLLangRule: PageRule {
    public init() {}
    public static let description = RuleDescription.a11y(
        "html-lang", axe: "html-has-lang, html-lang-valid", zh: "页面未声明有效语言", en: "Missing or invalid page language",
        summary: "<html> has no lang (or xml:lang), or its primary subtag is not a 2-3 letter language code (axe splits on '-': zh-CN and zh-Hans are valid, zh_CN is not).",
        passing: [RuleExample("lang=zh-CN", html: examplePage("<p>正文</p>"))],
        failing: [RuleExample("no lang", html: "<!DOCTYPE html><html><head><title>首页</title></head><body><p>正文</p></body></html>", subjects: ["html-lang"])])

    public func offenders(in page: PageModel, context: PageContext) -> [String] {
        guard let lang = page.lang.map({ String($0.trimmedSpaces()) }), !lang.isEmpty else { return ["<html>"] }
        // The primary subtag: two or three ASCII letters (read as bytes: every page asks).
        let primary = lang.utf8.prefix { $0 != UInt8(ascii: "-") }
        let valid = (2...3).contains(primary.count) && primary.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
        return valid ? [] : ["<html lang=\"\(lang)\">"]
    }
}
