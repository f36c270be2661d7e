import RuleLang
import RuleRuntime

/// Compiles runtime silences (spec 5.2) for the engine: the expression is checked as a
/// condition of the pack (its labels, lists, windows and macros) and compiled into its own
/// verified program.
public enum SilenceCompiler {
    /// The compiled silence `id`, or nil, with the diagnostics (warnings too) when the expression
    /// is not a valid condition of `checked`, or compiles past a limit of the VM (a program the
    /// verifier rejects is reported as the silence's own failure: it never reaches a VM).
    public static func compile(_ expression: String, id: String, for checked: CheckedPack) -> (CompiledSilence?, [Diagnostic]) {
        let (typed, diagnostics) = PackChecker.checkCondition(expression, named: "silence \(id)", in: checked.pack)
        guard let typed else { return (nil, diagnostics) }
        do throws(CompileError) {
            let program = try ExpressionCompiler.conditionProgram(for: typed, named: "silence \(id)", pack: checked.pack)
            return (CompiledSilence(id: id, expression: expression, verified: program), diagnostics)
        } catch {
            switch error {
            case .limits(let problems): return (nil, diagnostics + problems)
            case .rejected(let why):
                return (nil, diagnostics + [.runtime("compiled program rejected: \(why)", rule: "silence \(id)", at: typed.span)])
            }
        }
    }
}
