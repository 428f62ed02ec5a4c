import Vocabulary

extension RuleDescription {
    /// One line for `govsweep rules`: id, indicator, severity/points under the profile, names.
    package func listLine(profile: Profile) -> String {
        let (enabled, severity, points) = profile.settings(for: self)
        let cost = severity == .deduct ? " \(formatPoints(points))" : ""
        return "\(id)\t\(indicator.rawValue)\t\(enabled ? severity.rawValue + cost : "disabled")\t\(nameZh) \(nameEn)"
    }

    /// The text `govsweep rules explain ID` prints: description, source, confidence,
    /// parameters (with the profile's values where it sets them) and the examples.
    package func explain(profile: Profile) -> String {
        let (enabled, severity, points) = profile.settings(for: self)
        var out = """
            \(id) — \(nameZh) (\(nameEn))
            indicator: \(indicator.rawValue)
            severity: \(severity.rawValue)\(severity == .deduct ? ", \(formatPoints(points)) point(s) each" : "")\(enabled ? "" : " (disabled in \(profile.id))")\
            \(profile.caps[indicator].map { ", indicator capped at \(formatPoints($0))" } ?? "")
            profile: \(profile.id)

            \(summary)

            source: \(source)
            confidence: \(confidence)

            """
        if !parameters.isEmpty {
            out += "parameters:\n"
            for p in parameters { out += "  \(p.name) (\(p.profileKey)) = \(p.defaultValue): \(p.help)\n" }
            out += "\n"
        }
        // What the rule itself adds (the profile data it reads): the rule owns it.
        out += RuleRegistry.all.first { $0.description.id == id }?.explain(profile: profile) ?? ""
        for (title, examples) in [("passing examples (no finding)", passing), ("failing examples", failing)] {
            out += "\(title):\n"
            for ex in examples {
                // The severity when it differs from the rule's (advice where a page cannot be judged).
                let mark = ex.severity.flatMap { $0 == self.severity ? nil : " (\($0.rawValue))" } ?? ""
                out +=
                    "  - \(ex.note)" + (ex.subjects.isEmpty ? "" : " → \(ex.subjects.map { $0.isEmpty ? "\"\"" : $0 }.joined(separator: ", "))") + mark + "\n"
                for page in ex.pages {
                    out += "      \(page.path): \(Self.bodyExcerpt(page.html))\n"
                }
                if let y = ex.profileYAML { out += "      profile: \(y.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces))\n" }
                if !ex.brokenLinks.isEmpty { out += "      broken: \(ex.brokenLinks.joined(separator: ", "))\n" }
                if !ex.probes.isEmpty {
                    let failed = ex.probes.filter { $0.failed(timeout: profile.availability.timeoutSeconds) }.count
                    out += "      probes: \(ex.probes.count), \(failed) failed\n"
                }
                if let answer = ex.search {
                    out += "      search answers: \(answer.status == 200 ? Self.bodyExcerpt(answer.html) : "HTTP \(answer.status)")\n"
                }
                for a in ex.accounts ?? [] {
                    let answer =
                        a.status == 0
                        ? "no answer" : a.status == 200 ? Self.bodyExcerpt(a.feed).prefix(160) + (a.feed.count > 160 ? "…" : "") : "HTTP \(a.status)"
                    out += "      account \(a.platform) \(a.name): \(answer.isEmpty ? "(filed, feed not fetched)" : answer)\n"
                }
            }
        }
        return out
    }

    /// The part of an example page worth reading: the body (or the whole page when it has
    /// head metas), whitespace collapsed, cut at 400 characters.
    static func bodyExcerpt(_ html: String) -> String {
        var s = html
        if let b = s.range(of: "<body>"), let e = s.range(of: "</body>") {
            // What the head adds after examplePage's viewport (or after the title of a page without one).
            let head = s[..<b.lowerBound]
            let headExtra =
                (head.range(of: "initial-scale=1\">") ?? head.range(of: "</title>")).map {
                    String(s[$0.upperBound..<b.lowerBound]).replacingOccurrences(of: "</head>", with: "")
                } ?? ""
            s = headExtra + String(s[b.upperBound..<e.lowerBound])
        }
        let collapsed = s.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\t" }).joined(separator: " ")
        return collapsed.count > 400 ? String(collapsed.prefix(400)) + "…" : collapsed
    }
}

func formatPoints(_ p: Double) -> String { pointsText(p) }
