package import Parse
package import Vocabulary

/// `phone-malformed`: a number printed as a phone that cannot be one.
package struct PhoneMalformedRule: CollectingRule {
    package init() {}

    /// Reads phone.unfiled's numbers when that rule runs (one extraction for both).
    package static var notesFrom: RuleID? { "phone.unfiled" }

    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        PhoneSupport.notes(in: page, context: context)
    }

    /// Only the numbers that cannot be valid.
    package func keepsNote(key: String, in site: SiteContext) -> Bool { key.hasPrefix("!") }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        let d = Self.description
        return PhoneSupport.group(notes, valid: false).map { n in
            PhoneSupport.finding(
                d, n, subject: n.printed[0],
                message: "电话 \(n.printed[0]) 位数或号段不正确，不可能拨通（出现在 \(n.pages.count) 个页面）", site: site)
        }
    }

    package static let description = RuleDescription(
        id: "phone.malformed", indicator: .phoneMalformed, nameZh: "电话号码格式错误", nameEn: "Malformed phone number",
        summary: """
            Reports numbers printed as phone numbers (after 电话/传真/热线, or with an area code in brackets or before a dash) \
            that cannot be valid: a local part of the wrong length for its area code (010 and 02x take 8 digits, others 7–8), \
            a local part beginning with 0 or 1, an area code that does not exist, a mobile of 10 or 12 digits or with a bad \
            second digit. Subject: the number as printed. Bare digit strings without such a sign are never judged.
            """,
        source: "西城区2022年政务公开工作要点 第42项; number plan (BRIEF: Formats, H); severity and points L",
        confidence: "H (formats); L (points)",
        severity: .deduct, points: 0.5,
        parameters: [RuleParameter("area code", profileKey: "phoneAreaCode", defaultValue: "\"\"", help: "area code of local numbers")],
        passing: [
            RuleExample(
                "valid numbers and things that are not numbers",
                html: examplePage(
                    """
                    <p>联系电话：010-66012345，传真：0571-8765432</p><p>手机：138 0013 8000 热线：12345</p>
                    <p>邮编：100032 索引号：11010200Y/2022-00012</p><p>办公时间：9:00-17:00，2022年10月28日</p>
                    <p>共12345人，增长3.5%，编号1234567</p>
                    """))
        ],
        failing: [
            RuleExample(
                "too short, too long, bad mobile",
                pages: [
                    ExamplePage("/", examplePage("<p>联系电话：010-6601234</p><p>传真：(010)660123456</p>")),
                    ExamplePage("/b/", examplePage("<p>手机：1380013800</p><p>咨询电话：010-6601234</p>")),
                ], subjects: ["(010)660123456", "010-6601234", "1380013800"], severity: .deduct)
        ])
}
