import Foundation
import RuleLang

/// A matcher ready to test label values the way Alertmanager does: a missing label reads as
/// the empty string, and a regex must match the whole value (`^(?:re)$`).
struct MatcherTest: Sendable {
    let matcher: MatcherCondition.Matcher
    private let regex: NSRegularExpression?

    /// nil, with the regex's error, when the value of a regex matcher does not compile.
    init(_ matcher: MatcherCondition.Matcher) throws(CompatProblem) {
        self.matcher = matcher
        switch matcher.op {
        case .equal, .notEqual: regex = nil
        case .regex, .notRegex: regex = try MatcherTest.anchored(matcher.value, field: "matchers")
        }
    }

    /// `pattern` compiled to match whole strings only.
    static func anchored(_ pattern: String, field: String) throws(CompatProblem) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: "^(?:\(pattern))$", options: [.dotMatchesLineSeparators])
        } catch {
            throw CompatProblem(field: field, message: "invalid regular expression `\(pattern.prefix(256))`")
        }
    }

    static func wholeMatch(_ regex: NSRegularExpression, _ s: String) -> Bool {
        regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    func matches(_ value: String) -> Bool {
        switch matcher.op {
        case .equal: value == matcher.value
        case .notEqual: value != matcher.value
        case .regex: regex.map { MatcherTest.wholeMatch($0, value) } ?? false
        case .notRegex: !(regex.map { MatcherTest.wholeMatch($0, value) } ?? false)
        }
    }

    func matches(labels: [String: String]) -> Bool { matches(labels[matcher.name] ?? "") }
}
