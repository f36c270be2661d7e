import RuleText
import Foundation
import ReferenceOracle
import RuleCompiler
import RuleLang
import RuleVM
import Testing

/// Paths of the repository, found from this file.
enum OracleRepo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let regressions = root.appendingPathComponent("Tests/RuleCompilerTests/Golden/oracle-regressions.txt")
}

/// Expressions checked the way a pack checks them: each one a `set` template of an enrich rule.
enum OraclePack {
    static let header = "rulelang: 1\nchannels:\n  c: {type: webhook, url: \"http://127.0.0.1:9/\"}\nenrich:\n"
    static let footer = "routes:\n  - {name: default, when: true, notify: [c]}\n"
    /// Line (1-based) of the first rule; each rule takes three lines.
    static let firstRuleLine = 5

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    static func yaml(_ sources: [String]) -> String {
        var y = header
        for (i, s) in sources.enumerated() {
            y += "  - name: e\(i)\n    when: true\n    set: {x: \(quote("{{ " + s + " }}"))}\n"
        }
        return y + footer
    }

    /// The typed expression of each source, nil where the checker rejects it. Many expressions
    /// share one pack; errors are attributed to rules by line.
    static func check(_ sources: [String]) -> [TypedExpr?] {
        let (checked, diagnostics) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml(sources))])
        var bad = Set<Int>()
        var unattributed = false
        for d in diagnostics where d.severity == .error {
            guard let span = d.span else { unattributed = true; continue }
            let line = span.file.location(of: span.start).line
            let i = (line - firstRuleLine) / 3
            if line >= firstRuleLine, i < sources.count { bad.insert(i) } else { unattributed = true }
        }
        if unattributed && sources.count > 1 { return sources.map { check([$0])[0] } }
        let rules = Dictionary(checked.rules.filter { $0.kind == .enrich }.map { ($0.name.text, $0) }, uniquingKeysWith: { a, _ in a })
        return sources.indices.map { i -> TypedExpr? in
            guard !unattributed, !bad.contains(i), let r = rules["e\(i)"], r.expressions.count > 1 else { return nil }
            return r.expressions[1].expr
        }
    }

    /// The error diagnostics of one expression, for reports.
    static func errors(_ source: String) -> String {
        let (_, diagnostics) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml([source]))])
        return diagnostics.filter { $0.severity == .error }.map { "\($0.code.id) \($0.message)" }.joined(separator: "; ")
    }
}

/// The result of one evaluation, comparable across evaluators.
enum OracleOutcome: Equatable, CustomStringConvertible {
    case value(PlainValue)
    case error(RuntimeError.Kind)
    case badProgram(String)

    init(_ r: Result<PlainValue, RuntimeError.Kind>) {
        switch r {
        case .success(let v): self = .value(v)
        case .failure(let k): self = .error(k)
        }
    }

    var description: String {
        switch self {
        case .value(let v): return "\(v)"
        case .error(let k): return "error: \(k.rawValue)"
        case .badProgram(let m): return "program rejected by the verifier: \(m)"
        }
    }
}

/// Runs one typed expression on the reference evaluator and on the VM (value and condition
/// forms, unoptimized and optimized).
enum OracleHarness {
    /// Cases computing more than this are skipped: far below the VM's memory budget, which the
    /// reference evaluator does not model.
    static let maxStringBytes = 16 * 1024
    static let maxListValues = 1024

    enum Verdict {
        case agree
        case skipped
        case mismatch(String)
    }

    static func run(_ typed: TypedExpr, _ c: AlertCase) -> Verdict {
        let (result, usage) = ReferenceEvaluator(alert: c.alert, now: c.now).evaluateWithUsage(typed)
        if usage.stringBytes > maxStringBytes || usage.listValues > maxListValues { return .skipped }
        let expected = OracleOutcome(result)
        var lines = ["reference:            \(expected)"]
        var agree = true
        for optimize in [false, true] {
            let got = vm(typed, c, optimize: optimize, condition: false)
            lines.append("vm value\(optimize ? " optimized" : "          "):   \(got)")
            if got != expected { agree = false }
        }
        if typed.type.base == .bool {
            var expectedCondition = expected
            if case .value(let v) = expected { expectedCondition = .value(.bool(v == .bool(true))) }
            lines.append("reference condition:  \(expectedCondition)")
            for optimize in [false, true] {
                let got = vm(typed, c, optimize: optimize, condition: true)
                lines.append("vm condition\(optimize ? " optimized" : "          "): \(got)")
                if got != expectedCondition { agree = false }
            }
        }
        return agree ? .agree : .mismatch(lines.joined(separator: "\n"))
    }

    static func vm(_ typed: TypedExpr, _ c: AlertCase, optimize: Bool, condition: Bool) -> OracleOutcome {
        let options = CompileOptions(optimize: optimize)
        let verified: VerifiedProgram
        do throws(CompileError) {
            verified = try condition ? ExpressionCompiler.conditionProgram(for: typed, options: options)
                : ExpressionCompiler.program(for: typed, options: options)
        } catch {
            switch error {
            case .limits(let d): return .badProgram(d.map(\.message).joined(separator: "; "))
            case .rejected(let problem): return .badProgram(problem.description)
            }
        }
        let p = verified.program
        let vm = VM(program: verified)
        vm.bind(c.alert, now: c.now)
        switch vm.run(p.entries[0]) {
        case .success(let v): return .value(vm.plain(v))
        case .failure(let e): return .error(e.kind)
        }
    }

    /// The mismatch report of `node` on `c`, nil when it does not check or agrees.
    static func failure(_ node: GNode, _ c: AlertCase) -> String? {
        guard let typed = OraclePack.check([node.source])[0] else { return nil }
        if case .mismatch(let report) = run(typed, c) { return report }
        return nil
    }

    /// Shrinks a disagreeing case: smaller expression trees first, then fewer labels and
    /// annotations, while the disagreement persists.
    static func shrink(_ node: GNode, _ c: AlertCase) -> (GNode, AlertCase, String) {
        var current = node, alert = c
        var report = failure(node, c) ?? "(the disagreement did not reproduce)"
        var budget = 800
        search: while budget > 0 {
            for candidate in current.shrinkCandidates {
                budget -= 1
                if budget < 0 { break search }
                if let r = failure(candidate, alert) {
                    current = candidate
                    report = r
                    continue search
                }
            }
            break
        }
        for key in alert.alert.labels.keys.sorted() {
            var smaller = alert
            smaller.alert.labels[key] = nil
            if let r = failure(current, smaller) { alert = smaller; report = r }
        }
        for key in alert.alert.annotations.keys.sorted() {
            var smaller = alert
            smaller.alert.annotations[key] = nil
            if let r = failure(current, smaller) { alert = smaller; report = r }
        }
        return (current, alert, report)
    }
}

@Suite struct OracleTests {
    static let environment = ProcessInfo.processInfo.environment
    static let shards = 4
    /// Cases per run, over all shards (`ORACLE_CASES` overrides).
    static let totalCases = environment["ORACLE_CASES"].flatMap { Int($0) } ?? 50_000
    /// `ORACLE_SEED` (decimal or 0x-hex) reproduces another run.
    static let baseSeed: UInt64 = {
        guard let s = environment["ORACLE_SEED"] else { return 0x5EED_0ACE_2026_0001 }
        if s.hasPrefix("0x") { return UInt64(s.dropFirst(2), radix: 16) ?? 0 }
        return UInt64(s) ?? 0
    }()
    static let batch = 50

    /// Random well-typed expressions evaluate exactly as the reference evaluator says, on the
    /// VM in every form. The first disagreement is shrunk and reported.
    @Test(arguments: 0..<4)
    func vmAgreesWithReference(shard: Int) {
        let seed = Self.baseSeed &+ UInt64(shard) &* 0x9E37_79B9_7F4A_7C15
        var gen = ExpressionGenerator(seed: seed)
        let cases = Self.totalCases / Self.shards + (shard == 0 ? Self.totalCases % Self.shards : 0)
        var generated = 0, rejected = 0, skipped = 0, compared = 0
        var samples: [String] = []
        while generated < cases {
            let size = min(Self.batch, cases - generated)
            var nodes: [GNode] = []
            var alerts: [AlertCase] = []
            for _ in 0..<size {
                nodes.append(gen.expression())
                alerts.append(gen.alertCase())
            }
            let typed = OraclePack.check(nodes.map(\.source))
            for i in 0..<size {
                let n = generated + i
                guard let t = typed[i] else {
                    rejected += 1
                    if samples.count < 8 { samples.append("  \(nodes[i].source)\n    -> \(OraclePack.errors(nodes[i].source))") }
                    continue
                }
                switch OracleHarness.run(t, alerts[i]) {
                case .agree:
                    compared += 1
                case .skipped:
                    skipped += 1
                case .mismatch(let original):
                    let (small, alert, report) = OracleHarness.shrink(nodes[i], alerts[i])
                    let json = OracleAlertCodec.encode(alert)
                    Issue.record("""
                        the VM disagrees with the reference evaluator (seed \(seed), shard \(shard), case \(n))
                        expression (shrunk): \(small.source)
                        alert:               \(json)
                        \(report)

                        original expression: \(nodes[i].source)
                        original alert:      \(OracleAlertCodec.encode(alerts[i]))
                        \(original)

                        regression line (Tests/RuleCompilerTests/Golden/oracle-regressions.txt):
                        \(small.source)\t\(json)
                        """)
                    return
                }
            }
            generated += size
        }
        #expect(compared > 0)
        #expect(Double(rejected) < 0.05 * Double(generated),
                "the checker rejected \(rejected) of \(generated) generated expressions, e.g.\n\(samples.joined(separator: "\n"))")
        #expect(Double(skipped) < 0.05 * Double(generated), "\(skipped) of \(generated) cases exceeded the memory bound")
    }

    /// Every line of the regression file (expression TAB alert JSON) agrees.
    @Test func regressions() throws {
        let text = try String(contentsOf: OracleRepo.regressions, encoding: .utf8)
        var count = 0
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            guard let tab = line.firstIndex(of: "\t") else {
                Issue.record("line \(n + 1): no TAB between the expression and the alert")
                continue
            }
            let source = String(line[..<tab]), json = String(line[line.index(after: tab)...])
            let c: AlertCase
            do { c = try OracleAlertCodec.decode(json) } catch {
                Issue.record("line \(n + 1): bad alert JSON: \(error)")
                continue
            }
            guard let typed = OraclePack.check([source])[0] else {
                Issue.record("line \(n + 1): `\(source)` does not check: \(OraclePack.errors(source))")
                continue
            }
            count += 1
            if case .mismatch(let report) = OracleHarness.run(typed, c) {
                Issue.record("line \(n + 1): \(source)\nalert: \(json)\n\(report)")
            }
        }
        #expect(count > 0)
    }
}
