import AlertEngine
import Foundation
import RuleRuntime
import RuleVM
import ServiceCompat
import Testing

/// `POST /v2/enqueue`: PagerDuty's documented example, ack and resolve by dedup key, and
/// PagerDuty's validation with its error shape.
@Suite struct PagerDutyTests {
    static let now = Fixtures.ms("2026-12-07T12:00:00Z")
    static let key = "R0123456789abcdef0123456789abcde"

    static func read(_ body: String) -> Result<PagerDuty.Enqueued, PagerDuty.Invalid> {
        PagerDuty.readEvent(body, now: now, newDedupKey: "generated-key", tenant: "t", tier: "gold")
    }

    @Test func theDocumentedTriggerBecomesAnAlert() throws {
        let event = try Self.read(Fixtures.text("pagerduty/trigger.json")).get()
        #expect(event.dedupKey == "samplekeyhere")
        guard case .trigger(let input) = event.action else { Issue.record("not a trigger"); return }
        let source = "monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003"
        #expect(input.labels == ["alertname": "deploy", "class": "deploy", "component": "postgres", "dedup_key": "samplekeyhere",
                                 "group": "prod-datapipe", "severity": "info", "source": source])
        #expect(input.annotations == [
            "summary": "Example alert on host1.example.com",
            "client": "Sample Monitoring Service",
            "client_url": "https://monitoring.example.com",
            "custom_details": #"{"load avg":0.75,"ping time":"1500ms"}"#,
            "links": #"[{"href":"https://example.com/","text":"Link text"}]"#,
            "images": #"[{"alt":"Example text","href":"https://example.com/","src":"https://www.pagerduty.com/wp-content/uploads/2016/05/pagerduty-logo-green.png"}]"#,
        ])
        #expect(input.startsAt == Fixtures.ms("2015-07-17T08:42:58.315Z"))
        #expect(input.severity == 0)
        #expect(input.source == source)
        #expect(input.fingerprint == PagerDuty.fingerprint(ofDedupKey: "samplekeyhere"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(event.response), as: UTF8.self)
                == #"{"dedup_key":"samplekeyhere","message":"Event processed","status":"success"}"#)
        // Our Codable model reads the documented example too.
        let model = try JSONDecoder().decode(PagerDuty.Event.self, from: Data(Fixtures.text("pagerduty/trigger.json").utf8))
        #expect(model.payload?.eventClass == "deploy" && model.links == [PagerDuty.Link(href: "https://example.com/", text: "Link text")])
        #expect(model.payload?.customDetails == ["ping time": .string("1500ms"), "load avg": .number(0.75)])
    }

    @Test func aTriggerWithoutDedupKeyGetsTheGeneratedOne() throws {
        let body = #"{"routing_key":"\#(Self.key)","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"critical"}}"#
        let event = try Self.read(body).get()
        #expect(event.dedupKey == "generated-key")
        guard case .trigger(let input) = event.action else { Issue.record("not a trigger"); return }
        #expect(input.labels == ["alertname": "pagerduty", "dedup_key": "generated-key", "severity": "critical", "source": "h"])
        #expect(input.startsAt == Self.now && input.severity == 3)
    }

    @Test func acknowledgeAndResolveReachTheAlertTheTriggerOpened() throws {
        var engine = Engine(pack: Fixtures.pack.1)
        let trigger = try Self.read(Fixtures.text("pagerduty/trigger.json")).get()
        guard case .trigger(let input) = trigger.action else { Issue.record("not a trigger"); return }
        _ = engine.handle(.alert(input), at: Self.now)
        // An unrelated alert named like the dedup key is not touched.
        _ = engine.handle(.alert(AlertInput(labels: ["alertname": "samplekeyhere"], startsAt: Self.now)), at: Self.now)
        for (action, status) in [("acknowledge", AlertStatus.acknowledged), ("resolve", .resolved)] {
            let body = #"{"routing_key":"\#(Self.key)","event_action":"\#(action)","dedup_key":"samplekeyhere"}"#
            let event = try Self.read(body).get()
            switch event.action {
            case .acknowledge(let fp): _ = engine.handle(.acknowledge(fp), at: Self.now + 1)
            case .resolve(let fp): _ = engine.handle(.resolve(fp), at: Self.now + 2)
            case .trigger: Issue.record("a trigger")
            }
            let alerts = engine.state.alerts.values
            #expect(alerts.first { $0.fingerprint == input.fingerprint }?.status == status)
            #expect(alerts.first { $0.alertname == "samplekeyhere" }?.status == .firing)
        }
    }

    static func event(_ fields: String) -> String { "{\(fields)}" }
    static let payload = #""payload":{"summary":"s","source":"h","severity":"error"}"#

    static let refusals: [(String, [String])] = [
        (event(#""event_action":"trigger",\#(payload)"#), ["'routing_key' is missing or blank"]),
        (event(#""routing_key":"short","event_action":"trigger",\#(payload)"#), ["Length of 'routing_key' is incorrect (should be 32 characters)"]),
        (event(#""routing_key":"\#(key)","event_action":"fire",\#(payload)"#),
         ["'event_action' is invalid (must be one of trigger, acknowledge, resolve)"]),
        (event(#""routing_key":"\#(key)",\#(payload)"#), ["'event_action' is missing or blank"]),
        (event(#""routing_key":"\#(key)","event_action":"resolve""#), ["'dedup_key' is missing or blank (required to resolve)"]),
        (event(#""routing_key":"\#(key)","event_action":"acknowledge","dedup_key":"\#(String(repeating: "k", count: 256))""#),
         ["Length of 'dedup_key' is too long (maximum is 255 characters)"]),
        (event(#""routing_key":"\#(key)","event_action":"trigger""#), ["'payload' is missing (required to trigger)"]),
        (event(#""routing_key":"\#(key)","event_action":"trigger","payload":{"summary":" ","severity":"fatal"}"#),
         ["'payload.summary' is missing or blank", "'payload.source' is missing or blank",
          "'payload.severity' is invalid (must be one of critical, error, warning, info)"]),
        (event(#""routing_key":"\#(key)","event_action":"trigger","payload":{"summary":"\#(String(repeating: "s", count: 1025))","source":"h","severity":"info"}"#),
         ["Length of 'payload.summary' is too long (maximum is 1024 characters)"]),
        (event(#""routing_key":"\#(key)","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"info","timestamp":"today"}"#),
         ["'payload.timestamp' is not a valid ISO 8601 time"]),
        (event(#""routing_key":"\#(key)","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"info","custom_details":3}"#),
         ["'payload.custom_details' must be an object"]),
        (event(#""routing_key":"\#(key)","event_action":"trigger",\#(payload),"links":[{"text":"t"}],"images":{}"#),
         ["'links[0].href' is missing", "'images' must be a list"]),
        (event(#""routing_key":7,"event_action":"trigger",\#(payload),"extra":1"#), ["'extra' is not a known field", "'routing_key' must be a string"]),
        ("[]", ["Event must be a JSON object"]),
    ]

    @Test(arguments: refusals)
    func invalidEventsListEveryProblem(body: String, errors: [String]) {
        #expect(throws: PagerDuty.Invalid(errors: errors)) { try Self.read(body).get() }
    }

    @Test func theErrorEncodesInPagerDutysShape() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(PagerDuty.Invalid(errors: ["'payload.summary' is missing or blank"])), as: UTF8.self)
        #expect(json == #"{"errors":["'payload.summary' is missing or blank"],"message":"Event object is invalid","status":"invalid event"}"#)
    }
}
