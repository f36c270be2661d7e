import Testing
@testable import RuleCompiler
import RuleLang
import RuleVM

/// The checker's cost bounds the compiled code: every node of the expanded expression counts at
/// least once (a loop's predicate too, over an empty list), so a pack whose macros use each other
/// twice per level is over the budget before the compiler expands it, wherever the uses stand.
@Suite struct CompiledSizeTests {
    /// Where a macro level uses the level below twice.
    enum Position: CaseIterable {
        case anyEmpty, allEmpty, ternaryBranches, ternaryCondition, coalesceRight, andRight, orRight, notBoth

        /// Level `i` of a bool chain in this position, using bool level `i - 1` (`b`) and string
        /// level `i - 1` (`s`).
        func bool(_ b: String, _ s: String) -> String {
            switch self {
            case .anyEmpty: "any([], \(b)) || any([], \(b))"
            case .allEmpty: "all([], \(b)) && all([], \(b))"
            case .ternaryBranches: "env == \"x\" ? \(b) : \(b)"
            case .ternaryCondition: "(\(b) ? \(b) : false)"
            case .coalesceRight: "(labels.a ?? \(s)) == (labels.b ?? \(s))"
            case .andRight: "env == \"a\" && \(b) && \(b)"
            case .orRight: "env == \"a\" || \(b) || \(b)"
            case .notBoth: "!\(b) == !\(b)"
            }
        }
    }

    /// A pack of `levels` doubling bool macros `bN` and string macros `sN`, positions chosen by
    /// `rng`, the top levels used in a route, an enrich `when` and `set`, a suppression's
    /// `while_active` and a correlation's condition and `emit`.
    static func pack(levels: Int, _ rng: inout SplitMix64) -> String {
        var yaml = "rulelang: 1\nmacros:\n  b0: 'env == \"prod\"'\n  s0: 'lower(env ?? \"\")'\n"
        for i in 1...levels {
            let p = Position.allCases[Int(rng.next() % UInt64(Position.allCases.count))]
            yaml += "  b\(i): '\(p.bool("b\(i - 1)", "s\(i - 1)"))'\n"
            yaml += "  s\(i): 'b\(i - 1) ? s\(i - 1) : s\(i - 1)'\n"
        }
        let (b, s) = ("b\(levels)", "s\(levels)")
        yaml += """
        enrich:
          - name: e
            when: 'any([], \(b))'
            set:
              note: "x {{ \(s) }} y {{ any([], \(b)) }}"
        suppress:
          - name: q
            when: 'env == "a" || \(b)'
            while_active: '\(b) ? true : false'
        correlate:
          - name: c
            when: '\(b)'
            by: [env]
            window: 5m
            condition: 'count(\(b)) >= 1'
            emit:
              alertname: Joined
              summary: '{{ first(\(s)) }}'
        routes:
          - name: r
            when: 'all([], \(b)) || (labels.x ?? \(s)) == "y"'

        """
        return yaml
    }

    /// Compiled instructions stay within a small multiple of the checked cost for every pack the
    /// checker accepts, and the doubling packs past the budget are E0308, not a long compile.
    @Test func compiledSizeIsBoundedByTheCheckedCost() {
        var rng = SplitMix64(seed: 12)
        var accepted = 0, rejected = 0
        for round in 0..<36 {
            let levels = 1 + round % 18
            let yaml = Self.pack(levels: levels, &rng)
            let file = SourceFile(path: "t.yaml", text: yaml)
            let (checked, diagnostics) = Frontend.check(tenant: "t", files: [file])
            let errors = diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty {
                #expect(errors.allSatisfy { $0.code.id == "E0308" }, "\(DiagnosticRenderer().text(errors))\n\(yaml)")
                rejected += 1
                continue
            }
            accepted += 1
            let cost = checked.rules.reduce(0) { $0 + $1.cost }
            for optimize in [true, false] {
                do throws(CompileError) {
                    let program = try PackCompiler.compile(checked, options: CompileOptions(optimize: optimize)).program
                    #expect(program.code.count <= 3 * cost + 8 * program.entries.count, "\(program.code.count) > 3 × \(cost)\n\(yaml)")
                } catch {
                    Issue.record("compile: \(error)\n\(yaml)")
                }
            }
        }
        #expect(accepted >= 10 && rejected >= 10, "accepted \(accepted), rejected \(rejected)")
    }

    /// The reported shape: 25 doubling macros behind a loop over an empty list.
    @Test func aLoopOverAnEmptyListCountsItsPredicate() {
        var yaml = "rulelang: 1\nmacros:\n  m0: 'alertname == \"x\"'\n"
        for i in 1...25 { yaml += "  m\(i): 'm\(i - 1) && m\(i - 1)'\n" }
        yaml += "routes:\n  - name: r\n    when: 'any([], m25)'\n"
        let report = HostilePackTests.compileReport(yaml)
        #expect(report.hasPrefix("check: error[E0308]: rule `r` may run 134217732 instructions, over the budget of 10000\n"), "\(report)")
        #expect(HostilePackTests.compileReport("rulelang: 1\nroutes:\n  - name: r\n    when: 'any([], alertname == \"x\")'\n") == "compiled")
    }
}
