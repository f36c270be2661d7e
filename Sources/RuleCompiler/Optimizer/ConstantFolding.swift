import RuleLang
import RuleVM

/// Evaluates subexpressions whose leaves are all literals, once, at compile time, by compiling
/// them and running them on the VM itself (never on the reference evaluator the optimizer is
/// judged by), with the VM's instruction, stack and memory budgets.
/// Safety: only pure nodes fold (no alert field, label, `now()`, `age()`, `in_window`, `it` or
/// aggregate below them); a subexpression whose run fails (overflow, division by zero, regex
/// limit, a budget) is left as it is, so the error still happens at run time; a subexpression
/// whose run spends memory (a computed string or list) is left too: the budget is counted over
/// a whole rule, so removing what one part spends could let a rule that runs out of memory
/// unoptimized match optimized; and only results that a literal can hold exactly (bool, int,
/// float, string, duration, severity) replace the node.
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

    /// `e`'s value as a literal, when its run on the VM succeeds within every budget and
    /// spends no memory.
    static func fold(_ e: TypedExpr) -> TypedExpr? {
        var lowering = PackCompiler.lowering(for: nil)
        lowering.valueEntry(e, entry: "constant")
        guard let program = try? CompileLimits.finish(lowering.b, owners: [], timezone: "UTC", budget: CompileOptions().budget) else {
            return nil
        }
        let vm = VM(program: program)
        vm.bind(AlertInput(labels: [:]), now: 0)
        guard case .success(let v) = vm.run(entry: 0), vm.memoryUsed == (0, 0), let literal = literal(vm.plain(v)) else { return nil }
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
