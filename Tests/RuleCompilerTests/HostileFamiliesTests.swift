import RuleRuntime
import HostileInputs
import RuleCompiler
import RuleLang
import RuleVM
import Testing

/// Seeded draws of every hostile-pack family (Tests/HostileInputs) through the whole pipeline in
/// process: check, compile with and without the optimizer, and evaluate the pack's alert with
/// both. Nothing may trap, a pack that checks must compile or name the limit it exceeds (never a
/// verifier rejection), and the optimizer may never change a decision, budget errors included.
@Suite struct HostileFamiliesTests {
    /// Bytes of the largest pack run here, where a debug build takes seconds per megabyte.
    static let largest = 64 << 10

    /// The decision as text: routes, suppressions, enrichments and run-time errors.
    static func decision(_ pack: RuntimePack, _ alert: AlertInput) -> String {
        let d = PackEvaluator(pack: pack).evaluate(alert, now: 1_767_225_600_000)
        return "\(d.routes) \(d.suppress) \(d.enriched) \(d.errors.map { "\($0.rule): \($0.error)" })"
    }

    @Test(arguments: 0..<4) func everyFamilyThroughThePipeline(round: Int) throws {
        var choices: any Choices = SeededChoices(seed: 0x5EED_2012 &+ UInt64(round))
        var compiledBoth = 0
        for (family, generate) in HostilePacks.families {
            let pack = generate(&choices)
            // The large draws (tens of thousands of items) run in the CLI sweep, a process each.
            guard pack.yaml.utf8.count <= Self.largest else { continue }
            let (checked, diagnostics) = Frontend.check(tenant: "hostile", files: [SourceFile(path: "hostile/00-pack.yaml", text: pack.yaml)])
            guard !diagnostics.contains(where: { $0.severity == .error }) else { continue }
            guard case .success(let alert) = AlertJSON.parse(pack.alert, tenant: "hostile", tier: "silver") else { continue }
            var decisions: [String] = []
            for optimize in [true, false] {
                do throws(CompileError) {
                    decisions.append(Self.decision(try PackCompiler.compile(checked, options: CompileOptions(optimize: optimize)), alert))
                } catch {
                    if case .rejected(let why) = error { Issue.record("\(family): \(pack.name): the verifier rejected a compiled pack: \(why)") }
                    decisions.append("limit")
                }
            }
            if decisions[0] != "limit" && decisions[1] != "limit" { compiledBoth += 1 }
            // Unoptimized code may exceed a limit the optimized one fits (it is larger); where both compile they agree.
            if !decisions.contains("limit") { #expect(decisions[0] == decisions[1], "\(family): \(pack.name)") }
        }
        #expect(compiledBoth > 0, "no draw of round \(round) compiled: the generators no longer make valid packs")
    }
}
