/// The import's Alertmanager matchers, for the service's Alertmanager API: one parser of
/// matcher text (`name="value"`, as `amtool` and `filter=` send it) and one translation of
/// matchers into a RuleLang condition, so a silence posted to the API means what the same
/// matchers mean in an imported configuration.
package enum MatcherCondition {
    /// Alertmanager's four matcher operators.
    package enum Operator: String, Sendable {
        case equal = "=", notEqual = "!=", regex = "=~", notRegex = "!~"

        init(_ op: AlertmanagerMatcher.Operator) {
            switch op {
            case .equal: self = .equal
            case .notEqual: self = .notEqual
            case .regex: self = .regex
            case .notRegex: self = .notRegex
            }
        }

        var imported: AlertmanagerMatcher.Operator {
            switch self {
            case .equal: .equal
            case .notEqual: .notEqual
            case .regex: .regex
            case .notRegex: .notRegex
            }
        }
    }

    /// One matcher: `name op value`, the value raw (a regex for `=~`, `!~`).
    package struct Matcher: Equatable, Sendable {
        package let name: String
        package let op: Operator
        package let value: String

        package init(name: String, op: Operator, value: String) {
            self.name = name
            self.op = op
            self.value = value
        }
    }

    /// Alertmanager's `ParseMatcher` (see `AlertmanagerMatcher.parse`); the failure is its reason.
    package static func parse(_ text: String) -> Result<Matcher, MatcherSyntaxError> {
        switch AlertmanagerMatcher.parse(text) {
        case .success(let m): .success(Matcher(name: m.name, op: Operator(m.op), value: m.value))
        case .failure(let problem): .failure(MatcherSyntaxError(reason: problem.reason))
        }
    }

    /// The condition `rulec import` writes for these matchers (`true` for none): each a test of
    /// `labels["name"] ?? ""`, name and value as RuleLang string literals.
    package static func condition(_ matchers: [Matcher]) -> String {
        AlertmanagerImport.condition(matchers.map { AlertmanagerMatcher(name: $0.name, op: $0.op.imported, value: $0.value) })
    }

    /// Whether `name` is a label name matchers may test (`[a-zA-Z_][a-zA-Z0-9_]*`).
    package static func isLabelName(_ name: String) -> Bool { AlertmanagerMatcher.isLabelName(name) }
}

/// Why matcher text did not parse, in Alertmanager's words.
package struct MatcherSyntaxError: Error, Sendable, Equatable {
    package let reason: String
}
