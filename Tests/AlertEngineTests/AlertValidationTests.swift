import RuleRuntime
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

/// Fields of the wrong type are never ignored: each is a problem naming the field, what was
/// expected and what was found (the service's 400 answer).
@Suite struct AlertFieldTypeTests {
    @Test(arguments: [
        (#"{"labels": {"alertname": "A"}, "source": 5}"#, "source", "a string", "a number"),
        (#"{"labels": {"alertname": "A"}, "fingerprint": {}}"#, "fingerprint", "a string", "an object"),
        (#"{"labels": {"alertname": "A"}, "severity": []}"#, "severity", "a severity name", "a list"),
        (#"{"labels": {"alertname": "A"}, "value": "x"}"#, "value", "a number", "a string"),
        (#"{"labels": {"alertname": "A"}, "value": true}"#, "value", "a number", "a boolean"),
        (#"{"labels": {"alertname": "A"}, "starts_at": 5}"#, "starts_at", "an RFC 3339 time", "a number"),
        (#"{"labels": {"alertname": "A"}, "ends_at": null}"#, "ends_at", "an RFC 3339 time", "null"),
        (#"{"labels": {"alertname": "A", "env": 1}}"#, "labels.env", "a string", "a number"),
        (#"{"labels": {"alertname": "A", "env": false}}"#, "labels.env", "a string", "a boolean"),
        (#"{"labels": ["alertname"]}"#, "labels", "an object of strings", "a list"),
        (#"{"labels": {"alertname": "A"}, "annotations": {"summary": {"x": 1}}}"#, "annotations.summary", "a string", "an object"),
        (#"{"labels": {"alertname": "A"}, "annotations": "text"}"#, "annotations", "an object of strings", "a string"),
        (#"[{"labels": {"alertname": "A"}}]"#, "(body)", "an object", "a list"),
    ])
    func wrongTypes(_ json: String, _ field: String, _ expected: String, _ found: String) {
        guard case .failure(let p) = AlertJSON.parse(json, tenant: "t", tier: "gold") else {
            Issue.record("accepted: \(json)")
            return
        }
        #expect(p == AlertJSON.Problem(field: field, message: "must be \(expected), found \(found)", expected: expected, found: found))
        #expect(p.description == "`\(field)`: must be \(expected), found \(found)")
    }

    @Test func valuesAndLimits() throws {
        // 0 and 1 are numbers (JSONSerialization gives them the type a boolean has too).
        #expect(try AlertJSON.parse(#"{"labels": {"alertname": "A"}, "value": 1}"#, tenant: "t", tier: "gold").get().value == 1)
        #expect(try AlertJSON.parse(#"{"labels": {"alertname": "A"}, "value": 0}"#, tenant: "t", tier: "gold").get().value == 0)
        func problem(_ json: String) -> String {
            if case .failure(let p) = AlertJSON.parse(json, tenant: "t", tier: "gold") { return p.description }
            return "ok"
        }
        #expect(problem(#"{"labels": {"alertname": "A"}, "starts_at": "2026-02-30T00:00:00Z"}"#)
                == "`starts_at`: must be an RFC 3339 time such as 2026-01-01T00:00:00Z, found `2026-02-30T00:00:00Z`")
        #expect(problem(#"{"labels": {"alertname": "A"}, "starts_at": "2026-01-01T00:00:00+99:99"}"#)
                == "`starts_at`: must be an RFC 3339 time such as 2026-01-01T00:00:00Z, found `2026-01-01T00:00:00+99:99`")
        #expect(problem(#"{"labels": {"alertname": "A"}, "source": "a\u0000b"}"#) == "`source`: contains a NUL character")
        let longName = String(repeating: "n", count: 1025)
        #expect(problem("{\"labels\": {\"alertname\": \"A\", \"\(longName)\": \"v\"}}")
                == "`labels.\(String(repeating: "n", count: 64))…`: a name of 1025 bytes, over the limit of 1024")
        let many = (0..<65).map { "\"a\($0)\": \"v\"" }.joined(separator: ", ")
        #expect(problem("{\"labels\": {\"alertname\": \"A\"}, \"annotations\": {\(many)}}") == "`annotations`: 65 annotations, over the limit of 64")
        #expect(problem(#"{"labels": {"alertname": "A"}, "annotations": {"x": "\#(String(repeating: "y", count: 65_537))"}}"#)
                == "`annotations.x`: 65537 bytes, over the limit of 65536")
        #expect(problem("{") == "`(body)`: not JSON")
    }
}
