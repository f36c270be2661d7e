import RuleRuntime
import ArgumentParser
import Foundation
import RuleCompiler
import RuleLang

/// A pack for `eval` and `disasm`: a tenant folder (checked and compiled now) or an `.rpk`
/// artifact (verified on load; spans print as offsets, since it carries no sources).
func loadPackOrArtifact(_ path: String, options: CompileOptions) throws -> (RuntimePack, String, [SourceFile]) {
    if path.hasSuffix(".rpk") {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("cannot read `\(path)`\n".utf8))
            throw ExitCode(Rulec.usageExit)
        }
        switch Artifact.decode([UInt8](data)) {
        case .success(let pack): return (pack, pack.tier, [])
        case .failure(let e):
            FileHandle.standardError.write(Data("error: `\(path)`: \(e)\n".utf8))
            throw ExitCode(1)
        }
    }
    let (compiled, checked, files) = try loadCompiledPack(path, options: options)
    return (compiled, checked.pack.tier.rawValue, files)
}

/// Loads, checks and compiles the one tenant pack at `path` for the commands that run packs;
/// on errors prints the diagnostics and exits 1 (2 when the path cannot be read).
func loadCompiledPack(_ path: String, options: CompileOptions = CompileOptions()) throws -> (RuntimePack, CheckedPack, [SourceFile]) {
    let (packs, errors) = PackReader.discover(path: path)
    guard errors.isEmpty, packs.count == 1, let (tenant, paths) = packs.first else {
        print(DiagnosticRenderer().text(errors), terminator: "")
        if packs.count > 1 { FileHandle.standardError.write(Data("`\(path)` holds \(packs.count) tenant packs: name one tenant folder\n".utf8)) }
        throw ExitCode(Rulec.usageExit)
    }
    let (files, readErrors) = PackReader.loadFiles(paths)
    let (checked, diagnostics) = Frontend.check(tenant: tenant, files: files, options: .fromEnvironment(ProcessInfo.processInfo.environment))
    let errorsOnly = (readErrors + diagnostics).filter { $0.severity == .error }
    if !errorsOnly.isEmpty {
        FileHandle.standardError.write(Data(DiagnosticRenderer().text(errorsOnly).utf8))
        throw ExitCode(1)
    }
    let (compiled, problems) = compile(checked, options: options)
    guard let compiled else {
        FileHandle.standardError.write(Data(DiagnosticRenderer().text(problems).utf8))
        throw ExitCode(1)
    }
    return (compiled, checked, files)
}

/// Compiles a checked pack: the diagnostics of rules past a limit of the VM (shown like the
/// checker's, exit 1), or exit 3 when the verifier rejects what the compiler made (a bug).
func compile(_ checked: CheckedPack, options: CompileOptions = CompileOptions()) -> (RuntimePack?, [Diagnostic]) {
    do throws(CompileError) {
        return (try PackCompiler.compile(checked, options: options), [])
    } catch {
        switch error {
        case .limits(let problems): return (nil, problems)
        case .rejected(let why):
            FileHandle.standardError.write(Data("internal error: \(checked.pack.tenant): compiled program rejected by the verifier: \(why)\n".utf8))
            Foundation.exit(3)
        }
    }
}
