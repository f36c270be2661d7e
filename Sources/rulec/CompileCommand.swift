import RuleRuntime
import ArgumentParser
import Foundation
import RuleCompiler
import RuleLang
import RuleVM

/// `rulec compile PACKDIR -o FILE.rpk`.
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a tenant pack to a verified, checksummed .rpk artifact (no secrets inside).",
        discussion: """
        EXAMPLES:
          rulec compile rules/acme-payments -o acme-payments.rpk
          rulec compile rules/acme-payments -o acme-payments.rpk --no-optimize

        EXIT STATUS:
          0  the artifact was written
          1  the pack has errors
          2  usage error, or a path that cannot be read or written
          3  internal error: the verifier rejected a compiled pack
        """
    )

    @Argument(help: "The tenant pack folder.")
    var pack: String

    @Option(name: .shortAndLong, help: "Where to write the artifact.")
    var output: String

    @Flag(help: "Compile without the optimizer passes.")
    var noOptimize = false

    func run() throws {
        // Verified as it is compiled (exit 1 with diagnostics for a rule past the VM's limits).
        let (compiled, _, _) = try loadCompiledPack(pack, options: CompileOptions(optimize: !noOptimize))
        let bytes = Artifact.encode(compiled)
        try OutputFile.write(bytes, to: output)
        print("\(compiled.tenant): \(compiled.program.entries.count) rules, \(compiled.program.code.count) instructions, \(bytes.count) bytes -> \(output)")
    }
}
