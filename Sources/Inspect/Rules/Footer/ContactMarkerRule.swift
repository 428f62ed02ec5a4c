/// `footer-marker` / `contact`: a way to contact the site (phone, e-mail, 联系我们).
package struct ContactMarkerRule: FooterMarkerRule {
    package init() {}
    package static let marker = "contact"

    package static let description = RuleDescription(
        id: "footer.contact", indicator: .footerMarker,
        nameZh: "联系方式", nameEn: "Contact",
        summary:
            "The footer offers contact: a phone number (010-66012345, (010)66012345, a mobile, or a labelled local number or 12xxx hotline), an e-mail address, or a 联系我们 / 联系方式 link. Numbers are read as the phone rules read them (full-width digits, a number after a postal code); the 10-digit 网站标识码, ICP and filing numbers and postal codes are not phone numbers.",
        source: "国办发〔2017〕47号 政府网站发展指引 (footer identification: 联系方式)",
        confidence: "M for the footer list; L for the points",
        severity: .deduct, points: 0.5,
        fix: "在页脚公布联系电话或联系方式。",
        passing: [
            RuleExample("a Beijing landline", html: examplePage("<footer class=\"footer\"><p>联系电话：010-66012345</p></footer>")),
            RuleExample("a number after a postal code", html: examplePage("<div class=\"footer\"><span>邮政编码：730030 0931-8489681</span></div>")),
            RuleExample("full-width digits", html: examplePage("<div class=\"footer\"><p>值班电话：（０１０）６６０１２３４５</p></div>")),
            RuleExample("a 联系我们 link", html: examplePage("<footer class=\"footer\"><a href=\"/lxwm/\">联系我们</a></footer>")),
        ],
        failing: [
            RuleExample(
                "only the site code and filings, which are not phones",
                html: examplePage("<footer class=\"footer\"><p>网站标识码：1101020002 京ICP备19014909号-1 京公网安备11010202007633号 邮编：100032</p></footer>"),
                subjects: ["contact"])
        ])

    package func check(_ home: HomeSummary) -> FooterVerdict {
        let hay = home.footerHaystack
        if ["联系我们", "联系方式", "mailto:"].contains(where: { hay.contains($0) }) { return .present }
        if home.footerText.contains("@"), home.footerText.contains(".") { return .present }
        // Any number printed as a phone (the phone rules' reader; a malformed one is still a contact).
        return PhoneScanner.scan(home.footerText, areaCode: "").isEmpty ? .missing : .present
    }
}
