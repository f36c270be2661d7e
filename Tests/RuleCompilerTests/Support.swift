import RuleRuntime
import Foundation
import RuleCompiler
import RuleLang
import RuleVM

enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tests = root.appendingPathComponent("Tests/RuleCompilerTests")
    static var bless: Bool { ProcessInfo.processInfo.environment["RULELANG_BLESS"] != nil }

    /// Compares `actual` with `Golden/<name>`, or rewrites it under `RULELANG_BLESS=1`.
    static func golden(_ actual: String, _ name: String) -> (String, String) {
        let url = tests.appendingPathComponent("Golden/\(name)")
        if bless { try? actual.write(to: url, atomically: true, encoding: .utf8) }
        return (actual, (try? String(contentsOf: url, encoding: .utf8)) ?? "<missing golden \(name)>")
    }
}

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

/// Reads and compiles a pack folder from disk.
func compileFolder(_ path: String) -> RuntimePack {
    let (packs, _) = PackReader.discover(path: path)
    let (files, _) = PackReader.loadFiles(packs[0].files)
    let (checked, _) = Frontend.check(tenant: packs[0].tenant, files: files)
    return compiled(checked)
}

func alert(_ labels: [String: String], severity: UInt8 = 1, value: Double? = nil) -> AlertInput {
    AlertInput(labels: labels, severity: severity, value: value, startsAt: 1_767_225_600_000, fingerprint: "fp", tenant: "t")
}

let jan1 = Int64(1_767_225_600_000)   // 2026-01-01T00:00:00Z
