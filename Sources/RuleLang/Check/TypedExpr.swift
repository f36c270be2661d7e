import RuleText
/// A regex literal, compiled with PCRE2 at check time.
public struct RegexLiteral: Sendable {
    public let pattern: String
    public let span: SourceSpan
}

/// A resolved, typed expression: names bound to fields, labels, lists or macros; calls bound to
/// builtins. This is what the compiler lowers.
public indirect enum TypedKind: Sendable {
    case literal(Literal)
    case list([TypedExpr])
    case field(AlertField)
    /// A label by constant name (`env`, `labels.env`, `labels["env"]`).
    case label(String)
    case annotation(String)
    /// `labels[expr]` / `annotations[expr]` with a computed key.
    case mapIndex(AlertField, TypedExpr)
    /// A declared list and its length.
    case namedList(String, Int)
    case macro(String, TypedExpr)
    case it
    /// `list[int]`.
    case listIndex(TypedExpr, TypedExpr)
    case call(Builtin, [TypedExpr])
    case match(TypedExpr, RegexLiteral, negated: Bool)
    case unary(UnaryOperator, TypedExpr)
    case binary(BinaryOperator, TypedExpr, TypedExpr)
    case conditional(TypedExpr, TypedExpr, TypedExpr)
    case aggregate(Aggregate, TypedExpr?)
    /// The window named by `in_window(name)`.
    case window(String)
    /// A node that failed to check (its diagnostic is already reported).
    case invalid
}

public struct TypedExpr: Sendable {
    public let kind: TypedKind
    public let type: RLType
    public let span: SourceSpan

    public init(kind: TypedKind, type: RLType, span: SourceSpan) {
        self.kind = kind
        self.type = type
        self.span = span
    }

    static func invalid(_ span: SourceSpan) -> TypedExpr { TypedExpr(kind: .invalid, type: .error, span: span) }

    /// Children in evaluation order.
    public var children: [TypedExpr] {
        switch kind {
        case .literal, .field, .label, .annotation, .namedList, .it, .window, .invalid: []
        case .list(let xs), .call(_, let xs): xs
        case .mapIndex(_, let e), .macro(_, let e), .unary(_, let e), .match(let e, _, _): [e]
        case .listIndex(let a, let b), .binary(_, let a, let b): [a, b]
        case .conditional(let a, let b, let c): [a, b, c]
        case .aggregate(_, let e): e.map { [$0] } ?? []
        }
    }

    /// Worst-case instruction count (spec 3.8): one per node, with `any`/`all` multiplying their
    /// predicate by the list's bound, at least once: the predicate's code is compiled even when
    /// the list is empty, so every node of the expanded expression counts, and the cost bounds
    /// the compiled size as well as the run. Saturates at `Int.max`.
    public var cost: Int { cost { _, body in body.cost } }

    /// The cost with each macro use costed by `macroCost(name, body)` (the checker memoises it).
    func cost(macroCost: (String, TypedExpr) -> Int) -> Int {
        switch kind {
        case .call(let b, let args) where b == .any || b == .all:
            let bound: Int
            if case .list(let items) = args[0].kind { bound = items.count } else if case .namedList(_, let n) = args[0].kind { bound = n } else { bound = RuleLimits.computedListLength }
            let each = Saturating.add(args[1].cost(macroCost: macroCost), 2)
            return Saturating.add(Saturating.add(2, args[0].cost(macroCost: macroCost)), Saturating.multiply(max(bound, 1), each))
        case .macro(let name, let body):
            return macroCost(name, body)
        default:
            return children.reduce(1) { Saturating.add($0, $1.cost(macroCost: macroCost)) }
        }
    }

    /// Whether an aggregate occurs anywhere inside.
    public var containsAggregate: Bool {
        if case .aggregate = kind { return true }
        return children.contains { $0.containsAggregate }
    }
}
