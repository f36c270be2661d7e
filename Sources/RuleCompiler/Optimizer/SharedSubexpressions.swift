import RuleLang

/// Common-subexpression sharing across the rules of a pack: an expensive subexpression (one with
/// a regex match or a builtin call) that several rules contain is computed once per alert and
/// remembered in a memo slot. Safety: only pure subexpressions (no `it`, no aggregate) whose
/// value is a scalar (bool, number, duration, time, severity) are shared, so a remembered value
/// never points into per-run scratch memory; a subexpression that fails is not remembered, so
/// every rule that reaches it fails the same way it would alone.
enum SharedSubexpressions {
    static let scalar: Set<RLType> = [.bool, .int, .float, .duration, .time, .severity]

    /// The canonical key of `e` when it may be shared.
    /// Bytes, not a String: canonically equivalent texts (`"é"`, `"e\u{301}"`) are different
    /// expressions.
    static func key(_ e: TypedExpr) -> [UInt8]? {
        guard scalar.contains(e.type.base), isExpensive(e), isPure(e) else { return nil }
        return Array(TypedPrinter.print(e).utf8)
    }

    static func isExpensive(_ e: TypedExpr) -> Bool {
        switch e.kind {
        case .match: return true
        case .call(let b, _) where b != .exists && b != .now: return true
        case .literal, .label, .field, .annotation, .namedList, .it, .window, .invalid: return false
        default: return e.children.contains(where: isExpensive)
        }
    }

    static func isPure(_ e: TypedExpr) -> Bool {
        switch e.kind {
        case .it, .aggregate, .invalid: return false
        default: return e.children.allSatisfy(isPure)
        }
    }

    /// Memo slots for the largest subexpressions that occur in at least two of `rules`.
    static func slots(_ rules: [TypedExpr]) -> [[UInt8]: Int] {
        var seenIn: [[UInt8]: Int] = [:]
        for rule in rules {
            var keys: Set<[UInt8]> = []
            func walk(_ e: TypedExpr) {
                if let k = key(e) { keys.insert(k) }
                e.children.forEach(walk)
            }
            walk(rule)
            for k in keys { seenIn[k, default: 0] += 1 }
        }
        // Top down, the largest shared subexpression of each rule is the one remembered.
        var selected: Set<[UInt8]> = []
        for rule in rules {
            func walk(_ e: TypedExpr) {
                if let k = key(e), seenIn[k, default: 0] >= 2 {
                    selected.insert(k)
                    return
                }
                e.children.forEach(walk)
            }
            walk(rule)
        }
        var slots: [[UInt8]: Int] = [:]
        for k in selected.sorted(by: { $0.lexicographicallyPrecedes($1) }) { slots[k] = slots.count }
        return slots
    }
}
