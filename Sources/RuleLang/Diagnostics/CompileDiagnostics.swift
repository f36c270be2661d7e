/// The diagnostics of the compile step: a checked pack whose compiled code exceeds a limit of
/// the VM. They are made here, with the other phases' catalogs, and rendered like the
/// checker's; the compiler (a module above this one) only supplies the figures and spans.
extension Diagnostic {
    /// A rule whose compiled code runs more instructions than the budget (E0308): the compiled
    /// cost is exact, where the checker's is an estimate.
    public static func compiledOverBudget(rule: String, cost: Int, budget: Int, at span: SourceSpan) -> Diagnostic {
        Diagnostic(TypeCodes.overBudget, "rule `\(rule)` compiles to \(cost) instructions, over the budget of \(budget)",
                   at: span, label: "\(cost) instructions",
                   help: ["split the rule, or move repeated tests into a list (`x in [...]` is one instruction)"])
    }

    /// A rule whose compiled code needs more stack values than the VM has (E0311), at the
    /// expression where it is deepest.
    public static func stackTooDeep(rule: String, depth: Int, limit: Int, at span: SourceSpan, declared ruleSpan: SourceSpan?) -> Diagnostic {
        Diagnostic(TypeCodes.stackTooDeep, "rule `\(rule)` needs \(depth) stack values, more than the \(limit) the vm has",
                   at: span, label: "\(depth) values pending here",
                   notes: ruleSpan.map { [DiagnosticNote(span: $0, label: "rule declared here")] } ?? [],
                   help: ["each argument waits on the stack while the next is computed: nest in the first argument "
                          + "(`f(f(x, …), …)`) rather than the last, or use fewer items or template parts"])
    }

    /// A pack that needs more of something than an instruction can address (E0312).
    public static func vmLimit(_ what: String, limit: Int, at span: SourceSpan?, path: String? = nil) -> Diagnostic {
        Diagnostic(TypeCodes.vmLimit, "pack needs more than \(limit) \(what), the most the vm can address",
                   at: span, label: "one too many", help: ["split the pack, or read fewer \(what)"], path: path)
    }

    /// A limit the pack exceeds only when compiled without the optimizer (W0010): `problem` is
    /// the unoptimized compile's error. The pack runs as deployed (optimized); `--no-optimize`
    /// refuses it with that error, which this warning announces.
    public static func onlyWhenOptimized(_ problem: Diagnostic) -> Diagnostic {
        Diagnostic(WarningCodes.onlyOptimized, "without the optimizer, \(problem.message)", at: problem.span,
                   label: problem.label, notes: problem.notes,
                   help: ["the pack runs optimized; `--no-optimize` (compile, eval, test, simulate, disasm) refuses it with \(problem.code.id)"]
                       + problem.help,
                   path: problem.path)
    }
}
