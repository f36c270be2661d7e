import TestSupport
import RuleRuntime
import Testing
import RuleCompiler
import RuleLang
import RuleVM

/// The pack evaluator over compiled packs: routes in order, and run-time errors rendered.
@Suite struct EvaluatorTests {
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
