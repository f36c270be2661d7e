import RuleRuntime
import ArgumentParser
import Foundation
import RuleCompiler
import RuleLang
import RuleVM

/// `rulec check [PATHS…]`: proves packs correct for CI.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check tenant rule packs and report every error and warning.",
        discussion: """
        Each PATH is a rules root (a folder of tenant folders), a tenant folder of *.yaml files, \
        or a single file (a one-file pack of its folder's tenant). A pack without errors is also \
        compiled and verified.

        EXAMPLES:
          rulec check rules/                        every tenant under rules/
          rulec check rules/acme-payments --strict  warnings fail too
          rulec check rules/ --format sarif > rulelang.sarif
          rulec check rules/ --format github        annotations in GitHub Actions

        EXIT STATUS:
          0  every pack accepted (warnings allowed unless --strict)
          1  a pack has an error, or a warning with --strict
          2  usage error, or a path or file that cannot be read
          3  internal error: the verifier rejected a compiled pack
        """
    )

    /// The values of `--color`.
    enum Colour: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif, github
    }

    @Argument(help: "Rules roots, tenant folders or files (default: rules/).")
    var paths: [String] = []

    @Option(help: "Output format: text, json, sarif or github.")
    var format: Format = .text

    @Flag(help: "Treat warnings as errors for the exit status.")
    var strict = false

    @Option(help: "Print one phase for each file instead of checking: tokens, ast or types.")
    var dump: PhaseDump.Phase?

    @Option(name: .customLong("color"), help: "Colour text output: auto (when standard output is a terminal and NO_COLOR is unset), always or never.")
    var colour: Colour = .auto

    @Flag(help: "Show the label the rule index hashes each rule on, or why it is scanned.")
    var explainIndex = false

    func run() throws {
        let options = CheckOptions.fromEnvironment(ProcessInfo.processInfo.environment)
        let targets = paths.isEmpty ? ["rules"] : paths
        if let dump { throw ExitCode(runDump(dump, targets, options)) }
        var tenants: [TenantResult] = []
        var general: [Diagnostic] = []
        var indexReport = ""
        var unreadable = false
        for path in targets {
            let (packs, errors) = PackReader.discover(path: path)
            general += errors
            for (tenant, filePaths) in packs {
                let (files, readErrors) = PackReader.loadFiles(filePaths)
                unreadable = unreadable || !readErrors.isEmpty
                let (checked, checkerDiagnostics) = Frontend.check(tenant: tenant, files: files, options: options)
                var diagnostics = checkerDiagnostics
                // A clean pack is compiled and verified too, so CI sees what the evaluator will
                // load: a rule past a limit of the VM is an error at its span like any other.
                if diagnostics.errorCount == 0 && readErrors.isEmpty {
                    let (compiled, problems) = compile(checked, options: CompileOptions(budget: options.ruleBudget))
                    diagnostics += problems
                    // Unoptimized code is larger: a limit only the optimizer keeps the pack under
                    // is W0010, so `--no-optimize` refusing the pack is announced here.
                    if problems.isEmpty {
                        let (_, plain) = compile(checked, options: CompileOptions(optimize: false, budget: options.ruleBudget))
                        diagnostics += plain.map(Diagnostic.onlyWhenOptimized)
                    }
                    if explainIndex, let compiled { indexReport += Self.explain(tenant, compiled) }
                }
                tenants.append(TenantResult(tenant: tenant, files: filePaths.count, rules: checked.pack.ruleCount,
                                            diagnostics: (readErrors + diagnostics).sortedByPosition()))
            }
        }
        let report = CheckReport(tenants: tenants, general: general)
        switch format {
        case .text:
            let tty = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            print(report.text(renderer: DiagnosticRenderer(colour: colour == .always || (colour == .auto && tty))), terminator: "")
        case .json: print(report.json().rendered())
        case .sarif: print(report.sarif(version: Rulec.version).rendered())
        case .github: print(report.github(), terminator: "")
        }
        if explainIndex && format == .text { print(indexReport, terminator: "") }
        if !general.isEmpty && tenants.isEmpty { throw ExitCode(Rulec.usageExit) }
        let code = report.exitCode(strict: strict)
        if !general.isEmpty || unreadable { throw ExitCode(Rulec.usageExit) }
        throw ExitCode(code)
    }

    /// How the rule index reaches each rule of a tenant: the label it is hashed on, or why it
    /// is scanned.
    static func explain(_ tenant: String, _ pack: RuntimePack) -> String {
        let entries = IndexReport.entries(pack)
        var out = "\(tenant): \(entries.filter { $0.label != nil }.count) of \(entries.count) rules reached through the index\n"
        for e in entries {
            out += "  \(e.rule): " + (e.label.map { "hashed on `\($0)`" } ?? "scanned: \(e.reason ?? "")") + "\n"
        }
        return out
    }

    private func runDump(_ phase: PhaseDump.Phase, _ targets: [String], _ options: CheckOptions) -> Int32 {
        var failed = false
        for path in targets {
            let (packs, errors) = PackReader.discover(path: path)
            if !errors.isEmpty {
                print(DiagnosticRenderer().text(errors), terminator: "")
                return Rulec.usageExit
            }
            for (tenant, filePaths) in packs {
                let (files, readErrors) = PackReader.loadFiles(filePaths)
                if !readErrors.isEmpty { print(DiagnosticRenderer().text(readErrors), terminator: ""); return Rulec.usageExit }
                for file in files {
                    let (text, diagnostics) = PhaseDump.dump(phase, file: file, packFiles: files, tenant: tenant, options: options)
                    print("== \(file.path) (\(phase.rawValue))")
                    print(text, terminator: "")
                    let errors = diagnostics.filter { $0.severity == .error }
                    if !errors.isEmpty {
                        failed = true
                        print(DiagnosticRenderer().text(errors), terminator: "")
                    }
                }
            }
        }
        return failed ? 1 : 0
    }
}

extension PhaseDump.Phase: ExpressibleByArgument {}
