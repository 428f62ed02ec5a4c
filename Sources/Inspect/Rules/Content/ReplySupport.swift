import Parse
import Vocabulary

/// Shared by the reply rules: messages as page notes, and their judgement in working days.
enum ReplySupport {
    static func notes(in page: PageModel, context: PageContext) -> [PageNote] {
        MessageReader.messages(in: page, asOf: context.asOf).map {
            PageNote(key: "\($0.title)\u{1F}\($0.posted)", text: $0.replied?.description ?? ($0.answeredUndated ? answered : ""))
        }
    }

    /// A note's text for a message answered without a printed date.
    static let answered = "answered"
    /// A reply date beats an undated answer, which beats none.
    static func rank(_ text: String) -> Int { text.isEmpty ? 0 : text == answered ? 1 : 2 }

    enum Verdict { case late(days: Int), missing(days: Int), unansweredLate(days: Int) }

    struct Judged { var title: String; var posted: Day; var replied: Day?; var url: String; var verdict: Verdict }

    /// Each message once (a list page and its detail page show the same one; a reply
    /// date anywhere wins), judged against the profile's limit.
    static func judge(_ notes: [CollectedNote], site: SiteContext) -> (messages: [Judged], missingYears: [Int]) {
        var best: [String: CollectedNote] = [:]
        for n in notes.sorted(by: { $0.url < $1.url }) {
            if let b = best[n.key], rank(b.text) >= rank(n.text) { continue }
            best[n.key] = n
        }
        let cal = WorkCalendar.bundled
        let limit = site.profile.replyLimitDays
        let asOf = site.asOf
        var out: [Judged] = []
        var missing = Set<Int>()
        for (key, n) in best.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false)
            guard parts.count == 2, let posted = Day(iso: String(parts[1])) else { continue }
            let title = String(parts[0])
            // Answered without a date: message-times reports the missing date, not a late reply.
            if n.text == answered { continue }
            let replied = Day(iso: n.text)
            let end = replied ?? asOf
            guard end >= posted, posted <= asOf else { continue }
            // Messages older than a year before the check are outside the indicator.
            guard asOf - posted <= 366 else { continue }
            missing.formUnion(cal.missingYears(posted, end))
            let days = cal.workingDaysBetween(posted, end)
            guard days > limit else { continue }
            let verdict: Verdict
            if replied != nil {
                verdict = .late(days: days)
            } else if MessageReader.monthsLater(posted, 3) < asOf {
                verdict = .missing(days: days)
            } else {
                verdict = .unansweredLate(days: days)
            }
            out.append(Judged(title: title, posted: posted, replied: replied, url: n.url, verdict: verdict))
        }
        return (out, missing.sorted())
    }
}

extension MessageReader {
    /// The same day `months` later (clamped to the month's end).
    static func monthsLater(_ d: Day, _ months: Int) -> Day {
        let c = d.components
        let m0 = c.month - 1 + months
        let y = c.year + m0 / 12, m = m0 % 12 + 1
        return Day(year: y, month: m, day: min(c.day, Day.daysIn(month: m, year: y))) ?? d
    }
}
