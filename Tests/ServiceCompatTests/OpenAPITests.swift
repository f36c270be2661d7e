import AlertEngine
import Foundation
import RuleRuntime
import RuleVM
import ServiceCompat
import Testing

/// `docs/openapi.yaml` is a valid OpenAPI document, and what our models encode — and what the
/// real amtool and Alertmanager exchanged — validates against its schemas (python's
/// openapi-spec-validator and jsonschema, installed by scripts/install-deps.sh).
@Suite struct OpenAPITests {
    static let root = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs scripts/validate-openapi.py on the document and `samples`; its exit status and output.
    static func validate(_ samples: [String: [String: [Any]]]) throws -> (Int32, String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-samples-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: samples).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/validate-openapi.py").path,
                             root.appendingPathComponent("docs/openapi.yaml").path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    static func json<T: Encodable>(_ value: T) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value), options: [.fragmentsAllowed])
    }

    @Test func ourEncodingsAndTheRealExchangesValidateAgainstTheDocument() throws {
        let engine = AlertmanagerViewTests.engine()
        let gettable = AlertmanagerViewTests.gettable(engine)
        let silence = try AlertmanagerSilenceTests.accepted().stored
        let post = Fixtures.amtool("POST", "/api/v2/silences")[0]
        let postable = try JSONDecoder().decode(Alertmanager.PostableSilence.self, from: Data(post.requestText.utf8))
        let event = try JSONDecoder().decode(PagerDuty.Event.self, from: Data(Fixtures.text("pagerduty/trigger.json").utf8))
        let status = Alertmanager.status(serviceVersion: "0.1.0", revision: "abc", startedAt: 0, packSource: Fixtures.packSource)
        var valid: [String: [Any]] = [
            "am.postableAlerts": [try Self.json([Alertmanager.PostableAlert(labels: ["alertname": "A"], annotations: ["s": "t"],
                                                                            startsAt: "2026-12-01T10:00:00.000Z",
                                                                            generatorURL: "http://prom.example/graph")])],
            "am.gettableAlerts": [try Self.json(gettable)],
            "am.postableSilence": [try Self.json(postable)],
            "am.gettableSilence": [try Self.json(silence.gettable(at: 0))],
            "am.gettableSilences": [try Self.json(try Alertmanager.listSilences([silence], filter: [], now: 0))],
            "am.alertmanagerStatus": [try Self.json(status)],
            "pd.event": [try Self.json(event), try JSONSerialization.jsonObject(with: Data(Fixtures.text("pagerduty/trigger.json").utf8))],
            "pd.accepted": [try Self.json(PagerDuty.Accepted(dedupKey: "k"))],
            "pd.invalid": [try Self.json(PagerDuty.Invalid(errors: ["'payload.summary' is missing or blank"]))],
        ]
        #expect(gettable.count == 4)
        // What Alertmanager 0.25 and amtool really exchanged.
        for x in Fixtures.amtool where x.path.hasPrefix("/api/v2/") {
            switch (x.method, x.path) {
            case ("POST", "/api/v2/alerts"): valid["am.postableAlerts", default: []].append(x.request!)
            case ("GET", "/api/v2/alerts"): valid["am.gettableAlerts", default: []].append(x.response!)
            case ("POST", "/api/v2/silences"): valid["am.postableSilence", default: []].append(x.request!)
            case ("GET", "/api/v2/silences"): valid["am.gettableSilences", default: []].append(x.response!)
            case ("GET", "/api/v2/status"): valid["am.alertmanagerStatus", default: []].append(x.response!)
            default: continue
            }
        }
        // What the document must refuse: the test would pass on an empty schema otherwise.
        let invalid: [String: [Any]] = [
            "pd.event": [["routing_key": "short", "event_action": "trigger"], ["routing_key": String(repeating: "k", count: 32), "event_action": "resolve"]],
            "am.postableSilence": [["matchers": [], "startsAt": "x", "endsAt": "y", "createdBy": "a", "comment": "c"]],
            "am.gettableAlert": [["labels": [:]]],
            "AlertInput": [["labels": ["env": "prod"]], ["labels": ["alertname": "A"], "bogus": 1]],
            "Error": [["error": ["message": "no code"]]],
        ]
        let (status_, output) = try Self.validate(["valid": valid, "invalid": invalid])
        #expect(status_ == 0, "\(output)")
        #expect(output.hasSuffix("ok\n"))
    }

    @Test func aSampleThatBreaksTheDocumentFailsTheCheck() throws {
        let (status, output) = try Self.validate(["valid": ["pd.accepted": [["status": "failure", "message": "m", "dedup_key": "k"]]]])
        #expect(status == 1)
        #expect(output.contains("pd.accepted[0]: status"))
    }

    @Test func everyRouteOfTheSpecTableIsDescribed() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let routes = ["/api/v1/critical-alerts:", "/api/v1/critical-alerts/bulk:", "/api/v1/critical-alerts/{id}:",
                      "/api/v1/critical-alerts/{id}/escalate:", "/api/v1/critical-alerts/{id}/ack:", "/api/v1/critical-alerts/{id}/resolve:",
                      "/api/v1/silences:", "/api/v1/silences/{id}:", "/api/v1/rule-packs:", "/api/v2/alerts:", "/api/v2/silences:",
                      "/api/v2/silence/{silenceID}:", "/api/v2/status:", "/v2/enqueue:", "/healthz:", "/readyz:", "/metrics:", "/-/reload:"]
        for route in routes { #expect(text.contains("\n  \(route)\n"), "\(route)") }
        for status in ["'400'", "'401'", "'404'", "'413'", "'422'", "'429'", "'503'"] { #expect(text.contains(status), "\(status)") }
    }
}
