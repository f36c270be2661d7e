import Foundation
import Testing
import RuleCompiler
import RuleLang
@testable import RuleVM

@Suite struct VMTests {
    @Test func valueFitsSixteenBytes() {
        #expect(MemoryLayout<Value>.size <= 16)
        #expect(MemoryLayout<Value>.stride == 16)
        #expect(MemoryLayout<Instruction>.stride == 8)
    }

    @Test func routingFollowsAlertmanagerOrderAndContinue() {
        let (pack, _) = compilePack("""
        rulelang: 1
        channels:
          c: {type: webhook, url: "http://127.0.0.1:9/"}
        routes:
          - name: audit
            when: team == "payments"
            continue: true
            notify: [c]
          - name: prod
            when: env == "prod"
            notify: [c]
            routes:
              - {name: critical, when: severity >= error, notify: [c]}
              - {name: db, when: 'service =~ "db-.*"', notify: [c]}
          - {name: default, when: true, notify: [c]}
        """)
        let e = PackEvaluator(pack: pack)
        func routes(_ l: [String: String], _ s: UInt8 = 1) -> [String] {
            e.evaluate(alert(l, severity: s), now: jan1).routes.map { $0.joined(separator: "/") }
        }
        #expect(routes(["alertname": "A", "team": "payments", "env": "prod"], 3) == ["audit", "prod/critical"])
        #expect(routes(["alertname": "A", "env": "prod", "service": "db-1"]) == ["prod/db"])
        #expect(routes(["alertname": "A", "env": "prod", "service": "web"]) == ["prod"])
        #expect(routes(["alertname": "A"]) == ["default"])
        #expect(routes(["alertname": "A", "team": "payments"]) == ["audit", "default"])
    }

    private func runError(_ when: String, labels: [String: String], budget: Int = 10_000) -> String {
        let file = SourceFile(path: "t.yaml", text: "rulelang: 1\nroutes:\n  - name: r\n    when: '\(when)'\n")
        let (checked, d) = Frontend.check(tenant: "t", files: [file], options: { var o = CheckOptions(); o.ruleBudget = 1_000_000; return o }())
        precondition(d.filter { $0.severity == .error }.isEmpty, "\(d.map(\.message))")
        let pack = PackCompiler.compile(checked, options: CompileOptions(budget: budget))
        let vm = VM(program: pack.program)
        vm.bind(alert(labels), now: jan1)
        switch vm.run(pack.program.entries[0]) {
        case .success(let v): return "value \(vm.plain(v))"
        case .failure(let e):
            let s = pack.program.span(at: e.pc)!
            return "\(e.kind.rawValue) at \(file.location(of: Int(s.start)).line):\(file.location(of: Int(s.start)).column)"
        }
    }

    @Test func runTimeErrorsCarryTheirSpan() {
        #expect(runError("int(x) * 9223372036854775807 > 1", labels: ["x": "2"]) == "integer overflow at 4:12")
        #expect(runError("1 + int(x) / int(y) > 1", labels: ["x": "2", "y": "0"]) == "division by zero at 4:16")
        #expect(runError("1 + int(x) / int(y) > 1", labels: ["x": "2", "y": "1"]) == "value true")
    }

    @Test func budgetsAreEnforcedAtRunTime() {
        let long = Array(repeating: "a", count: 200).joined(separator: ",")
        #expect(runError("any(split(x, \",\"), it == \"b\")", labels: ["x": long], budget: 500) == "instruction budget exceeded at 4:12")
        #expect(runError("any(split(x, \",\"), it == \"b\")", labels: ["x": long]) == "value false")
        let big = String(repeating: "x", count: 4000)
        #expect(runError("len(join(split(x, \"\"), x)) > 0", labels: ["x": big]) == "memory budget exceeded at 4:16")
    }

    @Test func regexMatchLimitIsAnError() {
        let evil = String(repeating: "a", count: 40) + "!"
        #expect(runError("x =~ \"(a+)+$\"", labels: ["x": evil]) == "regex match limit exceeded at 4:12")
        #expect(runError("x =~ \"(a+)+$\"", labels: ["x": "aaa"]) == "value true")
    }
}

@Suite struct RuntimeDiagnosticTests {
    /// A run-time error renders like a compile error: code, message, excerpt under the rule's span.
    @Test func runtimeErrorRendersWithItsExcerpt() {
        let (pack, files) = compilePack("rulelang: 1\nroutes:\n  - name: ratio\n    when: 'int(errors) / int(total) > 1'\n", path: "ratio.yaml")
        let d = PackEvaluator(pack: pack).evaluate(alert(["alertname": "A", "errors": "5", "total": "0"]), now: jan1)
        #expect(d.errors.count == 1)
        let e = d.errors[0].error
        let ref = pack.program.span(at: e.pc)!
        let span = SourceSpan(file: files[0], start: Int(ref.start), end: Int(ref.end))
        let text = DiagnosticRenderer().text(Diagnostic.runtime(e.description, rule: d.errors[0].rule, at: span))
        let (actual, expected) = Repo.golden(text, "runtime-error.txt")
        #expect(actual == expected)
    }
}
