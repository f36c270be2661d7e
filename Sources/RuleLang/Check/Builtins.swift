import RuleText

/// The builtin functions of spec section 3.6 (aggregates are `Aggregate`).
public enum Builtin: String, Sendable, CaseIterable {
    case len, lower, upper, trim, split, join, replace, substr, search, extract
    case int, float, string, duration, time, exists
    case now, age, hour, weekday
    case inWindow = "in_window"
    case any, all

    /// The VM builtin a call of this function compiles to; nil for the functions compiled to
    /// instructions of their own.
    public var callID: BuiltinID? {
        switch self {
        case .len: .len
        case .lower: .lower
        case .upper: .upper
        case .trim: .trim
        case .split: .split
        case .join: .join
        case .replace: .replace
        case .substr: .substr
        case .int: .int
        case .float: .float
        case .string: .string
        case .duration: .duration
        case .time: .time
        case .exists: .exists
        case .age: .age
        case .hour: .hour
        case .weekday: .weekday
        case .search, .extract, .now, .inWindow, .any, .all: nil
        }
    }

    /// Allowed argument counts: the VM's own for a `call` builtin.
    var arity: ClosedRange<Int> {
        if let id = callID { return id.arity }
        return switch self {
        case .now: 0...0
        case .inWindow: 1...1
        case .search, .extract, .any, .all: 2...2
        case .len, .lower, .upper, .trim, .split, .join, .replace, .substr, .int, .float, .string, .duration, .time, .exists,
             .age, .hour, .weekday: preconditionFailure("`\(rawValue)` is a call builtin")
        }
    }

    /// The signature shown in arity and type errors.
    var signature: String {
        switch self {
        case .len: "len(string | list) -> int"
        case .lower: "lower(string) -> string"
        case .upper: "upper(string) -> string"
        case .trim: "trim(string) -> string"
        case .split: "split(string, separator: string) -> list<string>"
        case .join: "join(list<string>, separator: string) -> string"
        case .replace: "replace(string, old: string, new: string) -> string"
        case .substr: "substr(string, start: int, length: int) -> string"
        case .search: "search(string, regex literal) -> bool"
        case .extract: "extract(string, regex literal) -> string?"
        case .int: "int(value) -> int?"
        case .float: "float(value) -> float?"
        case .string: "string(value) -> string"
        case .duration: "duration(string) -> duration?"
        case .time: "time(string) -> time?"
        case .exists: "exists(value) -> bool"
        case .now: "now() -> time"
        case .age: "age() -> duration"
        case .hour: "hour(time) -> int"
        case .weekday: "weekday(time) -> int"
        case .inWindow: "in_window(window name) -> bool"
        case .any: "any(list, predicate using `it`) -> bool"
        case .all: "all(list, predicate using `it`) -> bool"
        }
    }

    /// Every callable name, for did-you-mean.
    static var allNames: [String] { allCases.map(\.rawValue) + Aggregate.allCases.map(\.rawValue) }
}

extension Aggregate {
    var arity: ClosedRange<Int> { self == .count ? 0...1 : 1...1 }

    var signature: String {
        switch self {
        case .count: "count() or count(filter: bool) -> int"
        case .distinct: "distinct(value) -> int"
        case .sum: "sum(number) -> float"
        case .min: "min(value) -> value?"
        case .max: "max(value) -> value?"
        case .avg: "avg(number) -> float?"
        case .first: "first(value) -> value?"
        case .last: "last(value) -> value?"
        }
    }
}
