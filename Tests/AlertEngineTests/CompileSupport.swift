import RuleRuntime
import RuleCompiler
import RuleLang

/// Compiles a checked pack the test expects to compile; fails loudly with the diagnostics.
func compileOrFail(_ checked: CheckedPack, options: CompileOptions = CompileOptions()) -> RuntimePack {
    do throws(CompileError) {
        return try PackCompiler.compile(checked, options: options)
    } catch {
        switch error {
        case .limits(let d): preconditionFailure(DiagnosticRenderer().text(d))
        case .rejected(let e): preconditionFailure("verifier: \(e)")
        }
    }
}
