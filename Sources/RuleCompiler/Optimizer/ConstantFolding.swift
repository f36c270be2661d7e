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
/// Cost: one walk, bottom up, each node's facts from its children's, and a node is run only
/// when its run can succeed and is small: a child whose run failed (or spent memory) fails every
/// parent that always evaluates it, and a subtree of more than `maxRunNodes` nodes is not run
/// (its children were already folded, so only what could not fold makes it that large). Folding
/// is linear in the expression, however deep.
enum ConstantFolding {
    /// The largest subtree compiled and run to fold it.
    static let maxRunNodes = 256

    @Sendable static func run(_ e: TypedExpr) -> TypedExpr { walk(e).expr }

    /// A subtree after folding, and what its parent needs to know about it.
    private struct Folded {
        let expr: TypedExpr
        /// Depends on nothing but literals.
        let constant: Bool
        /// Its run fails or spends memory, so every run that evaluates it does too.
        let failed: Bool
        /// Nodes after folding.
        let size: Int
    }

    private static func walk(_ e: TypedExpr) -> Folded {
        let kids = e.children.map(walk)
        var i = 0
        let node = kids.isEmpty ? e : e.mapChildren { _ in defer { i += 1 }; return kids[i].expr }
        let constant = selfConstant(e) ?? kids.allSatisfy(\.constant)
        let size = kids.reduce(1) { Saturating.add($0, $1.size) }
        if case .literal = node.kind { return Folded(expr: node, constant: true, failed: false, size: 1) }
        guard constant else { return Folded(expr: node, constant: false, failed: false, size: size) }
        let always = alwaysEvaluated(e, kids.count)
        if kids.indices.contains(where: { always[$0] && kids[$0].failed }) || size > maxRunNodes {
            return Folded(expr: node, constant: true, failed: kids.indices.contains { always[$0] && kids[$0].failed }, size: size)
        }
        switch fold(node) {
        case .folded(let literal): return Folded(expr: literal, constant: true, failed: false, size: 1)
        case .failed: return Folded(expr: node, constant: true, failed: true, size: size)
        case .notALiteral: return Folded(expr: node, constant: true, failed: false, size: size)
        }
    }

    /// Whether the node itself decides that its subtree is constant (true or false), or leaves
    /// it to its children (nil).
    private static func selfConstant(_ e: TypedExpr) -> Bool? {
        switch e.kind {
        case .literal: true
        case .field, .label, .annotation, .mapIndex, .namedList, .it, .window, .aggregate, .invalid: false
        case .call(let b, _) where [.now, .age, .inWindow, .hour, .weekday].contains(b): false
        default: nil
        }
    }

    /// For each child, whether every run of the node evaluates it: all but the right side of
    /// `&&` / `||` / `??` and the branches of a conditional.
    private static func alwaysEvaluated(_ e: TypedExpr, _ count: Int) -> [Bool] {
        switch e.kind {
        case .binary(.and, _, _), .binary(.or, _, _), .binary(.coalesce, _, _): [true, false]
        case .conditional: [true, false, false]
        case .call(let b, _) where b == .any || b == .all: [true] + Array(repeating: false, count: max(0, count - 1))
        default: Array(repeating: true, count: count)
        }
    }

    /// How a fold went.
    enum Outcome {
        case folded(TypedExpr)
        /// The run failed or spent memory: the node stays, and so does every node running it.
        case failed
        /// The run succeeded with a value no literal holds (a list, a time, missing).
        case notALiteral
    }

    /// `e`'s value as a literal, when its run on the VM succeeds within every budget and
    /// spends no memory.
    static func fold(_ e: TypedExpr) -> Outcome {
        var lowering = PackCompiler.lowering(for: nil)
        lowering.valueEntry(e, entry: "constant")
        guard let program = try? CompileLimits.finish(lowering.b, owners: [], timezone: "UTC", budget: CompileOptions().budget) else {
            return .failed
        }
        let vm = VM(program: program)
        vm.bind(AlertInput(labels: [:]), now: 0)
        guard case .success(let v) = vm.run(entry: 0), vm.memoryUsed == (0, 0) else { return .failed }
        guard let literal = literal(vm.plain(v)) else { return .notALiteral }
        return .folded(TypedExpr(kind: .literal(literal), type: e.type, span: e.span))
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
