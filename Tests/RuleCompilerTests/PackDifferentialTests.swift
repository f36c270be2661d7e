import RuleText
import RuleRuntime
import RuleCompiler
import RuleLang
import RuleVM
import Testing

/// The optimizer never changes a decision: generated packs of several rules (enrich `when` and
/// `set`, suppressions, routes) with values near the VM's budgets (64 KiB literals, strings
/// grown by `replace` and `+`, lists of hundreds of items) decide every generated alert the
/// same optimized and unoptimized, run-time errors (budgets included) by rule and kind.
@Suite struct PackDifferentialTests {
    static let packs = 48
    static let rulesPerList = 3
    static let alertsPerPack = 6

    /// One generated pack: its YAML, from expressions the checker accepts alone.
    static func pack(_ gen: inout ExpressionGenerator) -> String {
        var bools: [String] = [], strings: [String] = []
        while bools.count < 3 * rulesPerList {
            let candidates = (0..<6).map { _ in gen.expression(.bool, maxDepth: 4).source }
            bools += zip(candidates, OraclePack.check(candidates)).compactMap { $1 == nil ? nil : $0 }
        }
        while strings.count < rulesPerList {
            let candidates = (0..<3).map { _ in gen.expression(.string, maxDepth: 4).source }
            strings += zip(candidates, OraclePack.check(candidates)).compactMap { $1 == nil ? nil : $0 }
        }
        var y = "rulelang: 1\nenrich:\n"
        for i in 0..<rulesPerList {
            y += "  - name: e\(i)\n    when: \(OraclePack.quote(bools[i]))\n    set: {x\(i): \(OraclePack.quote("{{ " + strings[i] + " }}"))}\n"
        }
        y += "suppress:\n"
        for i in 0..<rulesPerList { y += "  - name: s\(i)\n    when: \(OraclePack.quote(bools[rulesPerList + i]))\n" }
        y += "routes:\n"
        for i in 0..<rulesPerList { y += "  - name: r\(i)\n    when: \(OraclePack.quote(bools[2 * rulesPerList + i]))\n    continue: true\n" }
        return y + "  - name: default\n    when: true\n"
    }

    /// Everything a decision says, errors by rule and kind (their pcs differ by design).
    static func summary(_ d: Decision) -> String {
        "enrich \(d.enrich) \(d.enriched.map { "\($0.label)=\($0.value.count):\($0.value.prefix(40))" }) suppress \(d.suppress) "
            + "routes \(d.routes) errors \(d.errors.map { "\($0.rule): \($0.error.kind)" })"
    }

    @Test func optimizedPacksDecideLikeUnoptimizedOnes() {
        var gen = ExpressionGenerator(seed: 0x5EED_0012, budgetSized: true)
        var compared = 0, budgetErrors = 0, skipped = 0
        for _ in 0..<Self.packs {
            let yaml = Self.pack(&gen)
            let (checked, diagnostics) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
            // Expressions the checker accepts alone can still put a rule over its budget together.
            guard diagnostics.allSatisfy({ $0.severity != .error || $0.code.id == "E0308" }) else {
                Issue.record("\(DiagnosticRenderer().text(diagnostics.filter { $0.severity == .error }))")
                continue
            }
            guard diagnostics.allSatisfy({ $0.severity != .error }) else { skipped += 1; continue }
            let evaluators: [PackEvaluator]
            do throws(CompileError) {
                evaluators = try [true, false].map { optimize throws(CompileError) in
                    PackEvaluator(pack: try PackCompiler.compile(checked, options: CompileOptions(optimize: optimize)))
                }
            } catch {
                // A rule past a limit of the VM is past it either way: only a limit is allowed.
                guard case .limits = error else { Issue.record("\(error)\n\(yaml)"); continue }
                skipped += 1
                continue
            }
            for _ in 0..<Self.alertsPerPack {
                let c = gen.alertCase()
                let (a, b) = (Self.summary(evaluators[0].evaluate(c.alert, now: c.now)), Self.summary(evaluators[1].evaluate(c.alert, now: c.now)))
                compared += 1
                if a.contains("memoryBudget") || a.contains("instructionBudget") { budgetErrors += 1 }
                #expect(a == b, "optimized:   \(a)\nunoptimized: \(b)\nalert: \(OracleAlertCodec.encode(c))\n\(yaml.prefix(4000))")
            }
        }
        #expect(compared >= Self.packs * Self.alertsPerPack / 2, "compared \(compared), skipped \(skipped) packs")
        #expect(budgetErrors > 0, "no generated decision reached a budget")
    }
}
