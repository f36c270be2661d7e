import Testing
import AlertEngine
import RuleCompiler
import RuleVM

@Suite struct AlertValidationTests {
    private func problem(_ json: String) -> String {
        switch AlertJSON.parse(json, tenant: "t", tier: "gold") {
        case .success: return "ok"
        case .failure(let p): return p.description
        }
    }

    @Test func alertsAreValidatedWithTheFieldNamed() {
        #expect(problem(#"{"labels": {"alertname": "A"}}"#) == "ok")
        #expect(problem(#"{"annotations": {}}"#) == "`labels`: required")
        #expect(problem(#"{"labels": {"team": "a"}}"#) == "`labels.alertname`: required")
        #expect(problem(#"{"labels": {"alertname": "A", "bad-key": "x"}}"#) == "`labels.bad-key`: a label name is `[A-Za-z_][A-Za-z0-9_]*`")
        #expect(problem(#"{"labels": {"alertname": "A", "x": "a\u0000b"}}"#) == "`labels.x`: contains a NUL character")
        #expect(problem(#"{"labels": {"alertname": "A"}, "severity": "urgent"}"#) == "`severity`: must be one of info, warning, error, critical, found `urgent`")
        #expect(problem(#"{"labels": {"alertname": "A"}, "ends_at": "yesterday"}"#) == "`ends_at`: must be an RFC 3339 time such as 2026-01-01T00:00:00Z, found `yesterday`")
        #expect(problem(#"{"labels": {"alertname": "A"}, "colour": "red"}"#) == "`colour`: unknown field (known: annotations, ends_at, fingerprint, labels, severity, source, starts_at, value)")
        let many = (0..<64).map { "\"l\($0)\": \"v\"" }.joined(separator: ", ")
        #expect(problem("{\"labels\": {\"alertname\": \"A\", \(many)}}") == "`labels`: 65 labels, over the limit of 64")
        let long = String(repeating: "x", count: 4097)
        #expect(problem("{\"labels\": {\"alertname\": \"A\", \"v\": \"\(long)\"}}") == "`labels.v`: 4097 bytes, over the limit of 4096")
    }

    @Test func endsAtInThePastResolves() throws {
        var e = engine(EngineTests.pack)
        _ = e.receive(alert(["alertname": "X", "env": "dev"]), at: 0)
        var resolved = try AlertJSON.parse(#"{"labels": {"alertname": "X", "env": "dev"}, "ends_at": "1970-01-01T00:00:30Z"}"#,
                                           tenant: "t", tier: "gold").get()
        resolved.tenant = "t"
        _ = e.receive(resolved, at: 60 * s)
        #expect(e.state.alerts[1]?.status == .resolved)
        #expect(e.state.open.isEmpty)
    }
}
