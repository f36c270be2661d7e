import RuleCompiler
import RuleLang
import RuleRuntime

/// Checks and compiles a one-file pack; fails loudly on check errors.
public func compilePack(_ yaml: String, optimize: Bool = true, path: String = "t.yaml") -> (RuntimePack, [SourceFile]) {
    let file = SourceFile(path: path, text: yaml)
    let (checked, diagnostics) = Frontend.check(tenant: "t", files: [file])
    let errors = diagnostics.filter { $0.severity == .error }
    precondition(errors.isEmpty, DiagnosticRenderer().text(errors))
    return (compiled(checked, options: CompileOptions(optimize: optimize)), [file])
}

/// Compiles a checked pack the test expects to compile; fails loudly with the diagnostics.
public func compiled(_ checked: CheckedPack, options: CompileOptions = CompileOptions()) -> RuntimePack {
    do throws(CompileError) {
        return try PackCompiler.compile(checked, options: options)
    } catch {
        switch error {
        case .limits(let d): preconditionFailure(DiagnosticRenderer().text(d))
        case .rejected(let e): preconditionFailure("verifier: \(e)")
        }
    }
}
