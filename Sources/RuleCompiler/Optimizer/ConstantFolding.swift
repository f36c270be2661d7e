import RuleLang
import RuleVM

/// Evaluates subexpressions whose leaves are all literals, once, at compile time.
/// Safety: only pure nodes fold (no alert field, label, `now()`, `age()`, `in_window`, `it` or
/// aggregate below them); a subexpression whose evaluation fails (overflow, division by zero,
/// regex limit, or more scratch memory than the VM's budget) is left as it is, so the error still
/// happens at run time; and only results that
/// a literal can hold exactly (bool, int, float, string, duration, severity) replace the node.
enum ConstantFolding {
    @Sendable static func run(_ e: TypedExpr) -> TypedExpr {
        e.rewrite { node in
            guard isFoldable(node), let folded = fold(node) else { return node }
            return folded
        }
    }

    /// Whether `e` is not already a literal and depends on nothing but literals.
    static func isFoldable(_ e: TypedExpr) -> Bool {
        if case .literal = e.kind { return false }
        return isConstant(e)
    }

    static func isConstant(_ e: TypedExpr) -> Bool {
        switch e.kind {
        case .literal: return true
        case .field, .label, .annotation, .mapIndex, .namedList, .it, .window, .aggregate, .invalid: return false
        case .call(let b, _) where [.now, .age, .inWindow, .hour, .weekday].contains(b): return false
        default: return e.children.allSatisfy(isConstant)
        }
    }

    private static let evaluator = ReferenceEvaluator(alert: AlertInput(labels: [:]), now: 0)

    static func fold(_ e: TypedExpr) -> TypedExpr? {
        let (result, usage) = evaluator.evaluateWithUsage(e)
        // Past the VM's memory budget the run would fail: leave it to fail at run time.
        guard case .success(let v) = result, usage.stringBytes <= VM.scratchBytes, usage.listValues <= VM.scratchValues,
              let literal = literal(v) else { return nil }
        return TypedExpr(kind: .literal(literal), type: e.type, span: e.span)
    }

    static func literal(_ v: PlainValue) -> Literal? {
        switch v {
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .float(let d): .float(d)
        case .string(let s): .string(StringLiteral(folded: s))
        case .duration(let ms): .duration(ms)
        case .severity(let s): Severity(rawValue: Int(s)).map { .severity($0) }
        case .missing, .time, .list, .map: nil
        }
    }
}
