import Testing
import RuleCompiler
import RuleLang

/// A pack the optimizer keeps under a limit of the VM that its unoptimized code exceeds: the
/// pack compiles and runs as deployed (optimized); `rulec check` warns W0010 with the error
/// `--no-optimize` would give, made from the unoptimized compile's own diagnostic.
@Suite struct UnoptimizedLimitTests {
    /// `len(alertname) in [0 + 0, 0 + 1, …]` with `items` items: the optimizer folds each item,
    /// so the list is one constant; unoptimized, every item waits on the stack.
    static func pack(_ items: Int) -> String {
        HostilePackTests.route("len(alertname) in [" + (0..<items).map { "0 + \($0)" }.joined(separator: ", ") + "]")
    }

    @Test func onlyTheOptimizedCodeFits() throws {
        let yaml = Self.pack(300)
        #expect(HostilePackTests.compileReport(yaml, optimize: true) == "compiled")
        #expect(HostilePackTests.compileReport(yaml, optimize: false).hasPrefix("error[E0311]: rule `r` needs 302 stack values, more than the 256 the vm has\n"))
        let (checked, _) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
        do throws(CompileError) {
            _ = try PackCompiler.compile(checked, options: CompileOptions(optimize: false))
            Issue.record("the unoptimized pack compiled")
        } catch {
            guard case .limits(let problems) = error else { Issue.record("\(error)"); return }
            let warnings = problems.map(Diagnostic.onlyWhenOptimized)
            #expect(warnings.map(\.code.id) == ["W0010"])
            #expect(warnings.allSatisfy { $0.severity == .warning })
            let (actual, expected) = Repo.golden(DiagnosticRenderer().text(warnings), "W0010-only-when-optimized.txt")
            #expect(actual == expected)
        }
        // 254 items (256 values) fit both ways.
        #expect(HostilePackTests.compileReport(Self.pack(254), optimize: false) == "compiled")
    }
}
