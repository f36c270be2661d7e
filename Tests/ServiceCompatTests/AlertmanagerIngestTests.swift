import AlertEngine
import Foundation
import RuleRuntime
import RuleVM
import ServiceCompat
import Testing

/// `POST /api/v2/alerts` bodies: amtool's real requests, and each refusal naming item and field.
@Suite struct AlertmanagerIngestTests {
    /// When the fixtures were recorded: amtool's second alert had ended by then.
    static let now = Fixtures.ms("2026-12-07T23:36:03Z")

    @Test func amtoolAlertWithoutEndIsFiringWithItsFieldsMapped() throws {
        let posts = Fixtures.amtool("POST", "/api/v2/alerts")
        #expect(posts.count == 2)
        let items = try Alertmanager.readAlerts(posts[0].requestText, now: Self.now, tenant: "t", tier: "gold").get()
        #expect(items.count == 1)
        let item = items[0]
        #expect(item.input.labels == ["alertname": "DiskFull", "service": "db", "severity": "critical"])
        #expect(item.input.annotations == ["summary": "disk \"data\" is 97% full"])
        #expect(item.input.startsAt == Fixtures.ms("2026-12-01T10:00:00Z"))
        #expect(item.input.endsAt == nil)          // amtool sent Go's zero time
        #expect(item.input.source == "http://prom.example:9090/graph")
        #expect(item.input.severity == 3)           // from the `severity` label
        #expect(item.input.tenant == "t" && item.input.tier == "gold")
        #expect(item.fingerprint == Fingerprint.of(item.input.labels))
        #expect(!item.resolves)
    }

    @Test func anEndInThePastResolvesTheAlertWithThoseLabels() throws {
        let post = Fixtures.amtool("POST", "/api/v2/alerts")[1]
        let item = try Alertmanager.readAlerts(post.requestText, now: Self.now, tenant: "t", tier: "gold").get()[0]
        #expect(item.input.endsAt == Fixtures.ms("2026-12-01T11:00:00Z"))
        #expect(item.resolves)
        // The same end read before it has passed: still firing.
        let early = try Alertmanager.readAlerts(post.requestText, now: Fixtures.ms("2026-12-01T10:30:00Z"), tenant: "t", tier: "gold").get()[0]
        #expect(!early.resolves)

        // Through the engine: the firing alert opens, the ended one resolves it.
        var engine = Engine(pack: Fixtures.pack.1)
        let fire = Alertmanager.PostableAlert(labels: ["alertname": "HighLatency", "service": "web"], startsAt: "2026-12-01T10:00:00.000Z")
        let body = String(decoding: try JSONEncoder().encode([fire]), as: UTF8.self)
        let firing = try Alertmanager.readAlerts(body, now: Fixtures.ms("2026-12-01T10:30:00Z"), tenant: "t", tier: "gold").get()[0]
        _ = engine.handle(.alert(firing.input), at: Fixtures.ms("2026-12-01T10:30:00Z"))
        #expect(engine.state.alerts.values.map(\.status) == [.firing])
        _ = engine.handle(.alert(item.input), at: Self.now)
        #expect(engine.state.alerts.values.map(\.status) == [.resolved])
        #expect(engine.state.alerts.values.map(\.fingerprint) == [item.fingerprint])
    }

    @Test func aMissingStartIsTheTimeOfReceipt() throws {
        let items = try Alertmanager.readAlerts(#"[{"labels":{"alertname":"A"}}]"#, now: 1_234, tenant: "t", tier: "gold").get()
        #expect(items[0].input.startsAt == 1_234)
        #expect(items[0].input.severity == 1)
    }

    static let refusals: [(String, String?, String)] = [
        (#"{"labels":{"alertname":"A"}}"#, nil, "must be a list of alerts, found an object"),
        ("[1]", "0", "must be an alert object, found a number"),
        (#"[{"labels":{"alertname":"A"}},{"labels":{"a-b":"x","alertname":"B"}}]"#, "1.labels.a-b", "a label name is `[A-Za-z_][A-Za-z0-9_]*`"),
        (#"[{"labels":{"service":"db"}}]"#, "0.labels.alertname", "required"),
        (#"[{"annotations":{}}]"#, "0.labels", "required"),
        (#"[{"labels":{"alertname":5}}]"#, "0.labels.alertname", "must be a string, found a number"),
        (#"[{"labels":{"alertname":"A"},"startsAt":"yesterday"}]"#, "0.startsAt",
         "must be an RFC 3339 time such as 2026-01-01T00:00:00Z, found `yesterday`"),
        (#"[{"labels":{"alertname":"A"},"startsAt":"2026-01-02T00:00:00Z","endsAt":"2026-01-01T00:00:00Z"}]"#, "0.endsAt",
         "start time must be before end time"),
        (#"[{"labels":{"alertname":"A"},"generatorURL":7}]"#, "0.generatorURL", "must be a string, found a number"),
        (#"[{"labels":{"alertname":"A"},"annotations":{"s":true}}]"#, "0.annotations.s", "must be a string, found a boolean"),
        (#"[{"labels":{"alertname":"A"},"bogus":1}]"#, "0.bogus", "unknown field (known: annotations, endsAt, generatorURL, labels, startsAt)"),
        ("[{", nil, "not JSON"),
    ]

    @Test(arguments: refusals)
    func badBatchesAreRefusedNamingItemAndField(body: String, field: String?, message: String) {
        #expect(throws: CompatProblem(field: field, message: message)) {
            try Alertmanager.readAlerts(body, now: 0, tenant: "t", tier: "gold").get()
        }
    }

    @Test func aBatchOverTheBulkLimitIsRefusedWhole() {
        let body = "[" + Array(repeating: #"{"labels":{"alertname":"A"}}"#, count: 10_001).joined(separator: ",") + "]"
        #expect(throws: CompatProblem(field: nil, message: "10001 alerts, over the limit of 10000 per request")) {
            try Alertmanager.readAlerts(body, now: 0, tenant: "t", tier: "gold").get()
        }
        let atLimit = "[" + Array(repeating: #"{"labels":{"alertname":"A"}}"#, count: 10_000).joined(separator: ",") + "]"
        #expect((try? Alertmanager.readAlerts(atLimit, now: 0, tenant: "t", tier: "gold").get().count) == 10_000)
    }

    @Test func aBodyOverTheLimitIsRefusedWhole() {
        var limits = AlertJSON.Limits()
        limits.maxBodyBytes = 10
        #expect(throws: CompatProblem(field: nil, message: "30 bytes, over the limit of 10")) {
            try Alertmanager.readAlerts(#"[{"labels":{"alertname":"A"}}]"#, now: 0, tenant: "t", tier: "gold", limits: limits).get()
        }
    }
}
