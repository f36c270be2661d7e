import Foundation
import NotificationDrivers
import RuleRuntime
import Testing

/// Each product's limits, checked on the bytes a driver sends.
@Suite struct DriverLimitTests {
    /// The JSON body, decoded.
    func object(_ r: DeliveryRequest) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
    }

    @Test(arguments: [(150, false), (151, true), (10, false)])
    func slackHeaderIsCutOnlyOverItsLimit(length: Int, cut: Bool) throws {
        let title = String(repeating: "a", count: length)
        let r = try Drivers.requests(for: message("pay-slack", [latency], title: title), channel: slack).get()[0]
        let blocks = try #require(try object(r)["blocks"] as? [[String: Any]])
        let header = try #require((blocks[0]["text"] as? [String: Any])?["text"] as? String)
        #expect(header == (cut ? String(repeating: "a", count: 149) + "…" : title))
    }

    @Test func slackKeepsWithinBlocksAndFields() throws {
        let alerts = (1...300).map { alert($0, ["alertname": "A", "n": "\($0)"]) }
        let labels = (1...15).map { ("l\($0)", "v") }
        let r = try Drivers.requests(for: message("pay-slack", alerts, groupLabels: labels, text: "body"), channel: slack).get()[0]
        let blocks = try #require(try object(r)["blocks"] as? [[String: Any]])
        #expect(blocks.count == 26)
        #expect((blocks[2]["fields"] as? [Any])?.count == 10)
        let more = (blocks[23]["text"] as? [String: Any])?["text"] as? String
        #expect(more == "_and 280 more_")
    }

    @Test func teamsBodyStaysUnder28KB() throws {
        let alerts = (1...40).map { alert($0, ["alertname": "A", "blob": String(repeating: "é", count: 2_900)]) }
        let r = try Drivers.requests(for: message("pay-teams", alerts), channel: teams).get()[0]
        #expect(r.body.count <= 28_000)
        let text = String(decoding: r.body, as: UTF8.self)
        // 20 rows would be ~116 KB: halved to 10, then 5, then 2 (each row ~5.8 KB).
        #expect(text.contains("and 38 more"))
    }

    @Test func pagerDutySummaryIsCutNeverRejected() throws {
        let r = try Drivers.requests(for: message("pay-pd", [latency], title: String(repeating: "x", count: 5_000)), channel: pagerduty).get()[0]
        let payload = try #require(try object(r)["payload"] as? [String: Any])
        let summary = try #require(payload["summary"] as? String)
        #expect(summary.count == 1_024 && summary.hasSuffix("…"))
    }

    @Test func pagerDutySendsOneEventPerAlertKeyedByFingerprint() throws {
        let a = alert(1, ["alertname": "A"], fingerprint: "aaaa"), b = alert(2, ["alertname": "B"], fingerprint: "bbbb")
        let rs = try Drivers.requests(for: message("pay-pd", [a, b], kind: .resolved), channel: pagerduty).get()
        #expect(try rs.map { try object($0)["dedup_key"] as? String } == ["aaaa", "bbbb"])
        #expect(try rs.map { try object($0)["event_action"] as? String } == ["resolve", "resolve"])
    }

    @Test func webhookWithoutSendResolvedSendsNothingOnResolve() throws {
        let quiet = channel("q", .webhook, [.url: "http://127.0.0.1:9/", .sendResolved: "false"])
        #expect(try Drivers.requests(for: message("q", [latency], kind: .resolved), channel: quiet).get().isEmpty)
        #expect(try Drivers.requests(for: message("q", [latency]), channel: quiet).get().count == 1)
    }

    @Test func theIdempotencyKeyIsTheNotificationIDAndStable() throws {
        let one = try Drivers.requests(for: message("pay-hook", [latency]), channel: webhook).get()[0]
        let again = try Drivers.requests(for: message("pay-hook", [latency]), channel: webhook).get()[0]
        let other = try Drivers.requests(for: message("pay-hook", [latency], kind: .resolved), channel: webhook).get()[0]
        #expect(one.header("idempotency-key") == message("pay-hook", [latency]).id.rawValue)
        #expect(one.header("Idempotency-Key")?.count == 32)
        #expect(one.header("Idempotency-Key") == again.header("Idempotency-Key"))
        #expect(one.header("Idempotency-Key") != other.header("Idempotency-Key"))
    }

    @Test func aChannelWithoutItsEndpointIsAClearError() {
        let bad = channel("broken", .slack, [.url: "hooks.slack.com/x"])
        #expect(throws: DriverError(channel: "broken", message: "`url` is not an http(s) URL")) {
            try Drivers.requests(for: message("broken", [latency]), channel: bad).get()
        }
        let noKey = channel("pd", .pagerduty, [:])
        #expect(throws: DriverError(channel: "pd", message: "no `routing_key`")) {
            try Drivers.requests(for: message("pd", [latency]), channel: noKey).get()
        }
    }
}

/// Slack's mrkdwn control characters in what an alert's sender wrote are escaped; a channel
/// template (the pack author's mrkdwn) is sent as written.
@Suite struct SlackEscapingTests {
    func sections(_ r: DeliveryRequest) throws -> [String] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        return blocks.compactMap { ($0["type"] as? String) == "section" ? ($0["text"] as? [String: Any])?["text"] as? String : nil }
    }

    @Test func annotationsAreEscapedTemplatesAreNot() throws {
        let a = alert(1, ["alertname": "A<b>", "path": "/x&y"], annotations: ["summary": "<!channel> & more"], severity: 1)
        let plain = try sections(Drivers.requests(for: message("s", [a]), channel: slack).get()[0])
        #expect(plain == ["&lt;!channel&gt; &amp; more",
                          "*<https://rulelang.example.com/api/v1/critical-alerts/1|A&lt;b&gt;>* · warning · path=/x&amp;y\n&lt;!channel&gt; &amp; more"])
        let templated = try sections(Drivers.requests(for: message("s", [a], text: "*bold* <https://x.example|link>"), channel: slack).get()[0])
        #expect(templated.first == "*bold* <https://x.example|link>")
    }
}
