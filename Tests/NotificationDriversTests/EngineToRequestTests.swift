import AlertEngine
import Foundation
import NotificationDrivers
import RuleRuntime
import RuleVM
import Testing

/// From the engine's notifications to the requests: entries gathered into one message per
/// channel and group, the channel's template rendered, the driver's payload built.
@Suite struct EngineToRequestTests {
    static let pack = """
    rulelang: 1
    channels:
      pay-hook:
        type: webhook
        url: "http://127.0.0.1:9/hook"
      pay-pd:
        type: pagerduty
        routing_key: "${secret:PD_KEY}"
        template: {title: "{{ alertname }} on {{ instance }}"}
    routes:
      - name: payments
        when: service == "checkout"
        notify: [pay-hook, pay-pd]
        group_by: [alertname]
        group_wait: 30s
    """

    @Test func aGroupNotificationBecomesOneWebhookMessageAndOnePagerDutyEventPerAlert() throws {
        let (pack, _) = compilePack(Self.pack)
        var engine = Engine(pack: pack)
        for instance in ["web-1", "web-2"] {
            _ = engine.handle(.alert(AlertInput(labels: ["alertname": "HighLatency", "service": "checkout", "instance": instance],
                                                severity: 3, startsAt: jan1, fingerprint: "fp-\(instance)", tenant: "acme")), at: jan1)
        }
        let actions = engine.handle(.timersDue, at: jan1 + 30_000)
        let entries = actions.compactMap { if case .notify(let n) = $0 { n } else { nil } }
        #expect(entries.count == 4)
        let groupBy = pack.routeSettings[0].groupBy
        let messages = OutgoingMessage.gather(entries, tenant: "acme", externalURL: "https://rulelang.example.com",
                                              alert: { engine.state.alerts[$0].map(MessageAlert.init) },
                                              groupLabels: { _, first in OutgoingMessage.groupLabels(groupBy: groupBy, alert: first) })
        #expect(messages.map(\.channel) == ["pay-hook", "pay-pd"])
        #expect(messages.map { $0.alerts.map(\.fingerprint) } == [["fp-web-1", "fp-web-2"], ["fp-web-1", "fp-web-2"]])
        let channels = try ResolvedChannel.resolveAll(pack.channels, secrets: { $0 == "PD_KEY" ? "KEY" : nil }).get()
        let renderer = TemplateRenderer(pack: pack)

        let hook = try Drivers.requests(for: renderer.apply(pack.channels[0], to: messages[0]), channel: channels["pay-hook"]!).get()
        #expect(hook.count == 1)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(hook[0].body)) as? [String: Any])
        #expect(body["groupLabels"] as? [String: String] == ["alertname": "HighLatency"])
        #expect(body["commonLabels"] as? [String: String] == ["alertname": "HighLatency", "service": "checkout"])
        #expect((body["alerts"] as? [[String: Any]])?.compactMap { $0["fingerprint"] as? String } == ["fp-web-1", "fp-web-2"])
        #expect(hook[0].header("Idempotency-Key") == messages[0].id.rawValue)

        let pd = try Drivers.requests(for: renderer.apply(pack.channels[1], to: messages[1]), channel: channels["pay-pd"]!).get()
        let summaries = try pd.map { r in
            let event = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
            return (event["payload"] as? [String: Any])?["summary"] as? String
        }
        // One event per alert, each summary rendered against its own alert.
        #expect(summaries == ["HighLatency on web-1", "HighLatency on web-2"])
    }
}
