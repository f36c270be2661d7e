import TestSupport
import RuleRuntime
import Testing
@testable import RuleCompiler
import RuleLang

/// The typed expression of `source` (as an enrich template, so any type is allowed).
private func typed(_ source: String, extra: String = "") -> TypedExpr {
    let yaml = "rulelang: 1\n\(extra)enrich:\n  - name: e\n    when: true\n    set: {x: '{{ \(source.replacingOccurrences(of: "'", with: "''")) }}'}\n"
    let (checked, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
    precondition(d.filter { $0.severity == .error }.isEmpty, "\(d.map(\.message))")
    return checked.rules.first { $0.name.text == "e" }!.expressions[1].expr
}

private func show(_ e: TypedExpr) -> String { TypedPrinter.print(e) }

@Suite struct OptimizerTests {
    @Test(arguments: [
        ("1 + 2 * 3", "7:int"),
        ("5m * 2 + 30s", "10m30s:duration"),
        ("!(1 < 2)", "false:bool"),
        ("len(\"abcdef\") > 3", "true:bool"),
        // What spends the run's memory stays: the budget is counted over the whole rule.
        ("\"a\" + \"b\"", "(+ \"a\":string \"b\":string):string"),
        ("len(split(\"a,b,c\", \",\"))", "(len (split \"a,b,c\":string \",\":string):list<string>):int"),
        ("lower(\"ÉA\") == \"éa\"", "(== (lower \"ÉA\":string):string \"éa\":string):bool"),
        ("severity >= error && 1 < 2", "(&& (>= severity:severity error:severity):bool true:bool):bool"),
        // A failing part that the run skips does not stop its parent from folding.
        ("(1 < 2 ? 7 : 1 / 0) + 1", "8:int"),
        // A part whose value no literal holds (a time) is left, and its parent still folds.
        ("time(\"2026-01-02T00:00:00Z\") > time(\"2026-01-01T00:00:00Z\")", "true:bool"),
    ])
    func constantFolding(source: String, expected: String) {
        #expect(show(ConstantFolding.run(typed(source))) == expected)
    }

    @Test(arguments: [
        // Errors stay for run time, and so does what depends on the alert or the clock.
        ("9223372036854775807 + 1", "(+ 9223372036854775807:int 1:int):int"),
        ("1 / 0", "(/ 1:int 0:int):int"),
        ("env + \"x\"", "(+ label[env]:string? \"x\":string):string?"),
        ("hour(now()) + 1", "(+ (hour (now):time):int 1:int):int"),
        ("time(\"2026-01-01T00:00:00Z\")", "(time \"2026-01-01T00:00:00Z\":string):time?"),
        // What always runs a failing part fails too, and is left whole.
        ("(1 / 0 + 1) * 2 == 3", "(== (* (+ (/ 1:int 0:int):int 1:int):int 2:int):int 3:int):bool"),
        ("len(\"a\" + \"b\") + 1", "(+ (len (+ \"a\":string \"b\":string):string):int 1:int):int"),
    ])
    func constantFoldingLeavesWhatItMustNot(source: String, expected: String) {
        #expect(show(ConstantFolding.run(typed(source))) == expected)
    }

    @Test func foldingStopsAtTheMemoryBudget() {
        let big = String(repeating: "x", count: 3000)
        let e = ConstantFolding.run(typed("len(join(split(\"\(big)\", \"\"), \"\(big)\"))"))
        #expect(show(e).hasPrefix("(len "))
    }

    @Test(arguments: [
        ("false && env == \"x\"", "false:bool"),
        ("true || 1 / 0 == 1", "true:bool"),
        ("true && exists(env)", "(exists label[env]:string?):bool"),
        ("true && search(env, \"x\")", "(&& true:bool (search label[env]:string? \"x\":string):bool?):bool"),
        ("true ? env : \"b\"", "label[env]:string?"),
        ("alertname ?? \"x\"", "alertname:string"),
        ("env ?? \"x\"", "(?? label[env]:string? \"x\":string):string"),
    ])
    func deadBranches(source: String, expected: String) {
        #expect(show(DeadBranches.run(typed(source))) == expected)
    }

    @Test func macroInlining() {
        let e = typed("is_prod", extra: "macros:\n  is_prod: env == \"prod\"\n")
        #expect(show(e) == "(macro is_prod (== label[env]:string? \"prod\":string):bool):bool")
        #expect(show(MacroInlining.run(e)) == "(== label[env]:string? \"prod\":string):bool")
    }

    @Test func passesRunToAFixpoint() {
        let e = typed("(1 < 2 ? big : false) || env == \"x\"", extra: "macros:\n  big: 2 > 1 && 3 > 2\n")
        #expect(show(Optimizer.optimize(e)) == "true:bool")
    }
}

@Suite struct SharedSubexpressionTests {
    static let yaml = """
    rulelang: 1
    macros:
      is_db: search(service, "db-[0-9]+") && len(service ?? "") > 3
    channels:
      c: {type: webhook, url: "http://127.0.0.1:9/"}
    routes:
      - {name: db-prod, when: 'is_db && env == "prod"', notify: [c]}
      - {name: db-crit, when: 'is_db && severity >= error', notify: [c]}
      - {name: other, when: 'len(service ?? "") > 3', notify: [c]}
      - {name: default, when: true, notify: [c]}
    """

    @Test func sharedSubexpressionsUseMemoSlots() {
        let (pack, files) = compilePack(Self.yaml)
        #expect(pack.program.memoCount == 2)
        let text = Disassembler.text(pack.program, sources: files)
        #expect(text.components(separatedBy: "memoload").count - 1 == 3)
        let (plain, _) = compilePack(Self.yaml, optimize: false)
        #expect(plain.program.memoCount == 0)
    }

    @Test func memoizedPackDecidesLikeTheUnoptimizedOne() {
        let (pack, _) = compilePack(Self.yaml), (plain, _) = compilePack(Self.yaml, optimize: false)
        let a = PackEvaluator(pack: pack), b = PackEvaluator(pack: plain)
        for service in ["db-1", "db-x", "web", "dbase-22", "", "db-12345"] {
            for env in ["prod", "dev"] {
                for severity: UInt8 in 0...3 {
                    let x = alert(["alertname": "A", "service": service, "env": env], severity: severity)
                    #expect(a.evaluate(x, now: jan1).routes == b.evaluate(x, now: jan1).routes, "\(service) \(env) \(severity)")
                }
            }
        }
    }
}

/// The optimizer's passes are linear in the expression: a chain a thousand levels deep is
/// folded and shared in one walk each, not one walk per level.
@Suite struct LongChainTests {
    /// A route `when` of `terms` `||` terms: builtin calls on labels (shared candidates at every
    /// level) and constant sums (folded at every level).
    static func chain(_ terms: Int) -> String {
        (0..<terms).map { t in t % 2 == 1 ? "lower(l\(t % 300)) == \"v\"" : "(1 + \(t)) == len(l\(t % 300) ?? \"\")" }
            .joined(separator: " || ")
    }

    @Test func longChainsCompileInLinearTime() {
        let when = Self.chain(1_300)
        let yaml = "rulelang: 1\nroutes:\n" + (0..<3).map { "  - name: r\($0)\n    when: '\(when)'\n" }.joined()
            + "  - name: other\n    when: 'lower(l1) == \"v\" || lower(l3) == \"v\"'\n"
        let clock = ContinuousClock()
        let started = clock.now
        let (pack, _) = compilePack(yaml)
        let elapsed = clock.now - started
        // The three equal chains share one slot (the largest shared subexpression of each),
        // and the other route's two terms, which the chains contain, one each.
        #expect(pack.program.memoCount == 3)
        // Quadratic passes took over a minute here in a debug build.
        #expect(elapsed < .seconds(15), "\(elapsed)")
        let (plain, _) = compilePack(yaml, optimize: false)
        let a = PackEvaluator(pack: pack), b = PackEvaluator(pack: plain)
        for labels in [["l1": "V"], ["l3": "x"], ["l0": "a"], ["l2": "ab"], [:]] {
            let x = alert(labels.merging(["alertname": "A"]) { a, _ in a })
            #expect(a.evaluate(x, now: jan1).routes == b.evaluate(x, now: jan1).routes, "\(labels)")
        }
    }
}
