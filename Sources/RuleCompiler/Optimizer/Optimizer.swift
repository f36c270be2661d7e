import RuleLang

/// The optimizer: an ordered list of small passes over typed expressions, each in its own file
/// with its safety rule and tests (Tests/RuleCompilerTests/OptimizerTests.swift). No pass
/// changes what an expression evaluates to, run-time errors included; the oracle test runs every
/// generated expression optimized and unoptimized against the reference evaluator.
/// (`x in [constant strings]` becoming a hash set is a lowering decision: see `Lowering`.)
public enum Optimizer {
    /// The passes, in order; the list runs until nothing changes (at most `maxRounds`).
    static let passes: [(name: String, run: @Sendable (TypedExpr) -> TypedExpr)] = [
        ("inline-macros", MacroInlining.run),
        ("fold-constants", ConstantFolding.run),
        ("dead-branches", DeadBranches.run),
    ]
    static let maxRounds = 4

    public static func optimize(_ e: TypedExpr) -> TypedExpr {
        var current = e
        var before = signature(current)
        for _ in 0..<maxRounds {
            for pass in passes { current = pass.run(current) }
            // Every pass removes nodes or turns them into literals when it changes anything,
            // so an unchanged (nodes, literals) count means a fixpoint.
            let after = signature(current)
            if after == before { break }
            before = after
        }
        return current
    }
}

/// (nodes, literals) of a tree.
private func signature(_ e: TypedExpr) -> SIMD2<Int> {
    var s = SIMD2(1, 0)
    if case .literal = e.kind { s.y = 1 }
    for c in e.children { s &+= signature(c) }
    return s
}

extension TypedExpr {
    /// The same node with its children replaced by `f(child)`, in `children` order.
    func mapChildren(_ f: (TypedExpr) -> TypedExpr) -> TypedExpr {
        let k: TypedKind
        switch kind {
        case .literal, .field, .label, .annotation, .namedList, .it, .window, .invalid: return self
        case .list(let xs): k = .list(xs.map(f))
        case .call(let b, let xs): k = .call(b, xs.map(f))
        case .mapIndex(let m, let x): k = .mapIndex(m, f(x))
        case .macro(let n, let x): k = .macro(n, f(x))
        case .unary(let op, let x): k = .unary(op, f(x))
        case .match(let x, let re, let negated): k = .match(f(x), re, negated: negated)
        case .listIndex(let a, let b): k = .listIndex(f(a), f(b))
        case .binary(let op, let a, let b): k = .binary(op, f(a), f(b))
        case .conditional(let a, let b, let c): k = .conditional(f(a), f(b), f(c))
        case .aggregate(let a, let x): k = .aggregate(a, x.map(f))
        }
        return TypedExpr(kind: k, type: type, span: span)
    }

    /// Bottom-up rewrite: children first, then `f` on the node.
    func rewrite(_ f: (TypedExpr) -> TypedExpr) -> TypedExpr {
        f(mapChildren { $0.rewrite(f) })
    }
}
