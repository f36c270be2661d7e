import TestSupport
import RuleRuntime
import Testing
@testable import RuleCompiler
import RuleLang
import RuleVM

/// Packs that pass the checker but exceed a limit of the VM: each is a diagnostic at its span
/// from the compile step (never a program that runs unverified, never a trap), and constant
/// folding that could change a decision.
@Suite struct HostilePackTests {
    /// The diagnostics of compiling `yaml`, rendered; "compiled" when it compiles.
    static func compileReport(_ yaml: String, optimize: Bool = true) -> String {
        let file = SourceFile(path: "t.yaml", text: yaml)
        let (checked, diagnostics) = Frontend.check(tenant: "t", files: [file])
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { return "check: " + DiagnosticRenderer().text(errors) }
        do throws(CompileError) {
            _ = try PackCompiler.compile(checked, options: CompileOptions(optimize: optimize))
            return "compiled"
        } catch {
            switch error {
            case .limits(let d): return DiagnosticRenderer().text(d)
            case .rejected(let e): return "rejected: \(e)"
            }
        }
    }

    static func route(_ when: String) -> String { "rulelang: 1\nroutes:\n  - name: r\n    when: '\(when)'\n" }

    /// Nested in the last argument, every level leaves two values waiting: 128 levels need 257.
    static func deepReplace(_ levels: Int) -> String {
        (0..<levels).reduce("\"c\"") { inner, _ in "replace(alertname, \"b\", \(inner))" } + " == \"c\""
    }

    @Test func stackPastTheVMIsADiagnosticNotACrash() {
        #expect(Self.compileReport(Self.route(Self.deepReplace(127))) == "compiled")
        let (actual, expected) = Repo.golden(Self.compileReport(Self.route(Self.deepReplace(128))), "hostile-stack.txt")
        #expect(actual == expected)
        #expect(actual.hasPrefix("error[E0311]: rule `r` needs 257 stack values, more than the 256 the vm has\n"))
    }

    /// 300 macros `mN: '"x" + mN-1'`: unoptimized, 300 values wait; optimized the same, since
    /// folding leaves what spends memory.
    @Test func macroChainsAreMeasuredAfterInlining() {
        var yaml = "rulelang: 1\nmacros:\n  m0: '\"x\"'\n"
        for i in 1..<300 { yaml += "  m\(i): '\"x\" + m\(i - 1)'\n" }
        yaml += "routes:\n  - name: r\n    when: 'm299 != \"\"'\n"
        for optimize in [true, false] {
            #expect(Self.compileReport(yaml, optimize: optimize).hasPrefix("error[E0311]: rule `r` needs 300 stack values"))
        }
    }

    /// The checker's estimate (12 per term) passes; the compiled cost (16 per term) does not.
    @Test func compiledCostIsTheBudgetsTruth() {
        let terms = (0..<700).map { "labels.l\($0) in [\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\"]" }.joined(separator: " || ")
        let report = Self.compileReport(Self.route(terms))
        #expect(report.hasPrefix("error[E0308]: rule `r` compiles to 11202 instructions, over the budget of 10000\n --> t.yaml:3:11\n"))
    }

    /// A list literal of 256 computed items and a template of 300 parts: counts past a byte,
    /// built whole (not clamped) or reported for their stack.
    @Test func wideListsAndTemplatesNeverTrapOrClamp() throws {
        let items = Array(repeating: "alertname", count: 256).joined(separator: ", ")
        let (pack, _) = compilePack(Self.route("len([\(items)]) == 256"))
        let vm = VM(program: pack.verified)
        vm.bind(alert(["alertname": "A"]), now: jan1)
        #expect(vm.matches(pack.program.entries[pack.routes[0].entry]))
        let parts = String(repeating: "{{ alertname }}-", count: 128)
        let (enriched, _) = compilePack("rulelang: 1\nenrich:\n  - name: e\n    when: true\n    set: {summary: '\(parts)'}\nroutes:\n  - {name: r, when: true}\n")
        let d = PackEvaluator(pack: enriched).evaluate(alert(["alertname": "A"]), now: jan1)
        #expect(d.labels["summary"] == String(repeating: "A-", count: 128))   // 256 parts
        let many = String(repeating: "{{ alertname }}", count: 300)
        #expect(Self.compileReport("rulelang: 1\nenrich:\n  - name: e\n    when: true\n    set: {summary: '\(many)'}\nroutes:\n  - {name: r, when: true}\n")
            .hasPrefix("error[E0311]: rule `e` needs 300 stack values"))
    }

    /// An operand past its field's width (here: a 65,537th label slot) is reported, and no
    /// program is built from the code holding it.
    @Test func operandsPastTheirWidthAreReported() {
        let file = SourceFile(path: "t.yaml", text: "rulelang: 1\nroutes:\n  - {name: r, when: true}\n")
        var b = ProgramBuilder()
        b.mark(SourceSpan(file: file, start: 31, end: 35))
        b.emit(.label, b: b.u16(65_536, "distinct labels"))
        b.emit(.ret)
        b.addEntry("r", pc: 0, cost: 2)
        do throws(CompileError) {
            _ = try CompileLimits.finish(b, owners: [], timezone: "UTC", budget: 10_000)
            Issue.record("compiled a program with an operand that does not fit")
        } catch {
            guard case .limits(let d) = error else { Issue.record("\(error)"); return }
            let (actual, expected) = Repo.golden(DiagnosticRenderer().text(d), "hostile-operand.txt")
            #expect(actual == expected)
            #expect(actual.hasPrefix("error[E0312]: pack needs more than 65536 distinct labels, the most the vm can address\n"))
        }
    }

    /// Folding never changes a decision: a rule whose strings exceed the memory budget fails
    /// the same way optimized and unoptimized; and folding stops at the budget, so doubling
    /// 25 times takes no time.
    @Test func foldingSpendsNoMemoryTheRuleWouldHaveSpent() {
        let long = "\"" + String(repeating: "a", count: 40_000) + "\" + \"b\" + \"c\" != \"\""
        var doubled = "\"aa\""
        for _ in 0..<25 { doubled = "replace(\(doubled), \"a\", \"aa\")" }
        for when in [long, doubled + " != \"\""] {
            var outcomes: [String] = []
            for optimize in [true, false] {
                let (pack, _) = compilePack(Self.route(when), optimize: optimize)
                let d = PackEvaluator(pack: pack).evaluate(alert(["alertname": "A"]), now: jan1)
                outcomes.append("\(d.routes) \(d.errors.map { "\($0.error.kind)" })")
            }
            #expect(outcomes == ["[] [\"memoryBudget\"]", "[] [\"memoryBudget\"]"])
        }
    }

    /// A budget past what the verifier accepts (10,000,000) is held at the largest it accepts,
    /// so a compiled pack is never rejected for its options and encoding never traps.
    @Test func budgetsStayWithinTheArtifactsWidth() {
        #expect(CompileOptions(budget: Int.max).budget == 10_000_000)
        #expect(CompileOptions(budget: -1).budget == 0)
        var options = CompileOptions()
        options.budget = Int.min
        #expect(options.budget == 0)
        let (checked, _) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: Self.route("alertname == \"A\""))])
        let pack = compiled(checked, options: CompileOptions(budget: Int.max))
        guard case .success(let loaded) = Artifact.decode(Artifact.encode(pack)) else { Issue.record("artifact did not load"); return }
        #expect(loaded.program.budget == 10_000_000)
    }
}
