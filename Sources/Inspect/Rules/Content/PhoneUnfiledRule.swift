package import Parse
package import Vocabulary

/// `phone-unfiled`: a number printed on the site that is not in `--phones`.
package struct PhoneUnfiledRule: CollectingRule {
    package init() {}

    /// Every number, valid or not (phone.malformed reads the invalid ones from these notes).
    package func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        PhoneSupport.notes(in: page, context: context)
    }

    /// Without `--phones` there is nothing to compare with.
    package func wantsNotes(in site: SiteContext) -> Bool { site.content.phones != nil }

    /// Only valid numbers that are not filed (a footer's filed number on every page is not
    /// handed over at all).
    package func keepsNote(key: String, in site: SiteContext) -> Bool {
        guard key.hasPrefix("+"), let registry = site.content.phones else { return false }
        return !PhoneRegistry.contains(String(key.dropFirst()), in: registry.normalized(areaCode: site.profile.phoneAreaCode))
    }

    package func findings(from notes: [CollectedNote], in site: SiteContext) -> [Finding] {
        guard let registry = site.content.phones else { return [] }
        let filed = registry.normalized(areaCode: site.profile.phoneAreaCode)
        let d = Self.description
        return PhoneSupport.group(notes, valid: true).filter { !PhoneRegistry.contains($0.key, in: filed) }.map { n in
            PhoneSupport.finding(
                d, n, subject: n.key,
                message: "电话 \(n.printed[0]) 未在备案电话清单中（出现在 \(n.pages.count) 个页面）", site: site)
        }
    }

    static let registry = ["010-66012345", "12345"]

    package static let description = RuleDescription(
        id: "phone.unfiled", indicator: .phoneUnfiled, nameZh: "电话未备案", nameEn: "Published phone number not filed",
        summary: """
            Reads the phone numbers printed on every page (010-66012345, (010)66012345, 010 6601 2345, local numbers after \
            电话/传真/热线/联系我们 with the profile's area code, mobiles, 123xx hotlines, full-width digits and brackets, \
            extensions after - or 转, and lists that share an area code: 010-66560933/59592471 is also 010-59592471, as \
            after 、，或) and reports each number that `--phones` does not list: one finding per number, every page it \
            appears on in foundOn. Postal codes, dates, document, index, ICP and filing numbers, site codes and amounts are \
            never read as numbers; a number after a postal code is read on its own (邮政编码：730030 0931-8489681). Without \
            `--phones` it reports nothing.
            """,
        source: "西城区2022年政务公开工作要点 第42项（公开的咨询电话须备案、接受监督）; severity and points L (profile setting)",
        confidence: "H (requirement, seed item 42); L (points)",
        severity: .advice, points: 0,
        parameters: [RuleParameter("area code", profileKey: "phoneAreaCode", defaultValue: "\"\"", help: "prefix of local 7–8 digit numbers")],
        passing: [
            RuleExample(
                "filed numbers in every printed form",
                pages: [
                    ExamplePage(
                        "/",
                        examplePage(
                            """
                            <p>联系电话：010-66012345</p><p>咨询电话：(010)66012345</p><p>电话：（010）66012345</p>
                            <p>热线：010 6601 2345</p><p>请拨打12345市民服务热线</p>
                            """))
                ], phones: registry),
            RuleExample(
                "a shared area code, full-width digits, a number after a postal code",
                pages: [
                    ExamplePage(
                        "/",
                        examplePage(
                            """
                            <p>联系我们：010-66012345/66012346</p><p>电话：（０１０）６６０１２３４５</p><p>邮政编码：100032 010-66012346</p>
                            """))
                ], phones: ["010-66012345", "010-66012346"]),
            RuleExample(
                "what is not a phone number",
                pages: [
                    ExamplePage(
                        "/",
                        examplePage(
                            """
                            <p>地址：北京市西城区二龙路27号 邮编：100032</p><p>发布日期：2022-10-28 20221028</p>
                            <p>索引号：11010200Y/2022-00012 文号：西政发〔2022〕12号</p><p>京ICP备19014909号-1 京公网安备11010202007633号</p>
                            <p>网站标识码：1101020001</p><p>资金12345678元，面积66012345平方米，身份证号110102199001011234</p>
                            <p>办公时间9:00-17:00，电话：010-66012345</p>
                            """))
                ], phones: registry),
            RuleExample("no registry: nothing to compare", pages: [ExamplePage("/", examplePage("<p>电话：010-88889999</p>"))]),
        ],
        failing: [
            RuleExample(
                "an unfiled number on two pages, one finding",
                pages: [
                    ExamplePage("/", examplePage("<p>联系电话：010-88889999</p><p>电话：010-66012345</p>")),
                    ExamplePage("/a/1.html", examplePage("<p>咨询电话：（010）8888 9999</p><p>手机：13800138000</p>")),
                ], phones: registry, subjects: ["01088889999", "13800138000"]),
            RuleExample(
                "the second number of a list, in the first one's area; the number after a postal code",
                pages: [
                    ExamplePage("/", examplePage("<p>联系我们：010-66012345/59592471</p><p>邮政编码：730030 0931-8489681</p>"))
                ], phones: registry, subjects: ["01059592471", "09318489681"]),
        ])
}
