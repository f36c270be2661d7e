import RuleRuntime
import Foundation
import RuleCompiler
import RuleLang
import RuleVM

/// Checks and compiles a one-file pack; fails loudly on check errors.
func compilePack(_ yaml: String, optimize: Bool = true, path: String = "t.yaml") -> (RuntimePack, [SourceFile]) {
    let file = SourceFile(path: path, text: yaml)
    let (checked, diagnostics) = Frontend.check(tenant: "t", files: [file])
    let errors = diagnostics.filter { $0.severity == .error }
    precondition(errors.isEmpty, DiagnosticRenderer().text(errors))
    return (compiled(checked, options: CompileOptions(optimize: optimize)), [file])
}

/// Compiles a checked pack the test expects to compile; fails loudly with the diagnostics.
func compiled(_ checked: CheckedPack, options: CompileOptions = CompileOptions()) -> RuntimePack {
    do throws(CompileError) {
        return try PackCompiler.compile(checked, options: options)
    } catch {
        switch error {
        case .limits(let d): preconditionFailure(DiagnosticRenderer().text(d))
        case .rejected(let e): preconditionFailure("verifier: \(e)")
        }
    }
}

/// An alert with `labels`, at `jan1`.
func alert(_ labels: [String: String], severity: UInt8 = 1, value: Double? = nil) -> AlertInput {
    AlertInput(labels: labels, severity: severity, value: value, startsAt: jan1, fingerprint: "fp", tenant: "t")
}

/// 2026-01-01T00:00:00Z in milliseconds.
let jan1 = Int64(1_767_225_600_000)
