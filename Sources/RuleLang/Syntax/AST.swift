/// Severities, ordered `info < warning < error < critical`.
public enum Severity: Int, Sendable, Comparable, CaseIterable {
    case info, warning, error, critical

    public init?(name: String) {
        switch name {
        case "info": self = .info
        case "warning": self = .warning
        case "error": self = .error
        case "critical": self = .critical
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A string literal and the file offset of each of its decoded bytes.
public struct StringLiteral: Sendable {
    public let value: String
    let offsets: [Int]

    init(value: String, offsets: [Int]) {
        self.value = value
        self.offsets = offsets
    }

    /// A literal made by a compiler pass (no source offsets inside it).
    public init(folded value: String) {
        self.value = value
        self.offsets = []
    }
}

/// A literal value in an expression.
public enum Literal: Sendable {
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(StringLiteral)
    /// Milliseconds.
    case duration(Int64)
    case severity(Severity)
}

/// Unary operators.
public enum UnaryOperator: String, Sendable {
    case not = "!", negate = "-"
}

/// Binary operators, including the short-circuit ones and `??`.
public enum BinaryOperator: String, Sendable {
    case or = "||", and = "&&", coalesce = "??"
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case match = "=~", notMatch = "!~", `in` = "in", notIn = "not in"
    case contains, startsWith = "startswith", endsWith = "endswith"
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%"

    var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge, .match, .notMatch, .in, .notIn, .contains, .startsWith, .endsWith: true
        default: false
        }
    }
}

/// An identifier with its span.
public struct Name: Sendable {
    public let text: String
    public let span: SourceSpan
}

/// The shape of an expression node.
public indirect enum ExprKind: Sendable {
    case literal(Literal)
    case list([Expr])
    case name(Name)
    case member(Expr, Name)
    case index(Expr, Expr)
    case call(Name, [Expr])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case conditional(Expr, Expr, Expr)
    /// What did not parse (a syntax error was reported): typed as an error that fits any use,
    /// so the rest of the expression is still checked.
    case invalid
}

/// An expression node: its shape, its span in the YAML file, and its depth (bounded by the parser).
public struct Expr: Sendable {
    public let kind: ExprKind
    public let span: SourceSpan
    let depth: Int
    /// Whether a part did not parse (an `.invalid` node within).
    let hasError: Bool

    init(_ kind: ExprKind, _ span: SourceSpan) {
        self.kind = kind
        self.span = span
        var d = 0, error = false
        switch kind {
        case .literal, .name: break
        case .invalid: error = true
        case .list(let items), .call(_, let items):
            for x in items { d = max(d, x.depth); error = error || x.hasError }
        case .member(let e, _), .unary(_, let e): d = e.depth; error = e.hasError
        case .index(let a, let b), .binary(_, let a, let b): d = max(a.depth, b.depth); error = a.hasError || b.hasError
        case .conditional(let a, let b, let c): d = max(a.depth, b.depth, c.depth); error = a.hasError || b.hasError || c.hasError
        }
        self.depth = d + 1
        self.hasError = error
    }
}

/// A string with `{{ expression }}` holes.
public struct Template: Sendable {
    public enum Part: Sendable {
        case text(String)
        case expr(Expr)
    }

    public let parts: [Part]
    public let span: SourceSpan

    /// True when the template has no holes.
    public var isConstant: Bool { parts.allSatisfy { if case .text = $0 { true } else { false } } }
}
