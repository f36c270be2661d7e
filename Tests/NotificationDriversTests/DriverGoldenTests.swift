import NotificationDrivers
import RuleRuntime
import Testing

/// Each driver's exact payload, compared byte for byte with `Golden/<case>.txt` (request line,
/// headers, body). Regenerate with `RULELANG_BLESS=1 swift test --filter DriverGoldenTests` and
/// review the diff.
@Suite struct DriverGoldenTests {
    /// 57 alerts of one group: Slack lists 20 and says "and 37 more".
    static let many = (1...57).map { i in
        alert(i, ["alertname": "HighLatency", "service": "checkout", "instance": "web-\(i):9090", "severity": "critical"])
    }

    /// Alerts whose labels are long enough that Teams' 28 KB holds only some of them.
    static let heavy = (1...20).map { i in
        alert(i, ["alertname": "DiskFull", "instance": "db-\(i)", "detail": String(repeating: "x", count: 2_500)], severity: 2)
    }

    static let cases: [(String, @Sendable () -> Result<[DeliveryRequest], DriverError>)] = [
        ("slack-firing-one", { Drivers.requests(for: message("pay-slack", [latency]), channel: slack) }),
        ("slack-group-and-37-more", { Drivers.requests(for: message("pay-slack", many), channel: slack) }),
        ("slack-header-at-150", {
            // 149 characters and a flag (two scalars, four UTF-16 units): cut before the flag.
            Drivers.requests(for: message("pay-slack", [latency], title: String(repeating: "h", count: 147) + "🇫🇷🇫🇷"), channel: slack)
        }),
        ("slack-section-at-3000", {
            Drivers.requests(for: message("pay-slack", [latency], text: String(repeating: "é", count: 2_999) + "e\u{301}x"), channel: slack)
        }),
        ("slack-resolved", { Drivers.requests(for: message("pay-slack", [latency], kind: .resolved), channel: slack) }),
        ("slack-options", {
            Drivers.requests(for: message("ops", [latency], level: 2),
                             channel: channel("ops", .slack, [.url: "https://hooks.slack.com/services/T1/B1/Y", .channel: "#ops", .username: "RuleLang"]))
        }),
        ("teams-firing-one", { Drivers.requests(for: message("pay-teams", [latency]), channel: teams) }),
        ("teams-acknowledged", { Drivers.requests(for: message("pay-teams", [latency], kind: .acknowledged), channel: teams) }),
        ("teams-over-28kb", { Drivers.requests(for: message("pay-teams", heavy, groupLabels: [("alertname", "DiskFull")]), channel: teams) }),
        ("pagerduty-trigger", { Drivers.requests(for: message("pay-pd", [latency]), channel: pagerduty) }),
        ("pagerduty-acknowledge", { Drivers.requests(for: message("pay-pd", [latency], kind: .acknowledged), channel: pagerduty) }),
        ("pagerduty-resolve", { Drivers.requests(for: message("pay-pd", [latency], kind: .resolved), channel: pagerduty) }),
        ("pagerduty-summary-at-1024", {
            Drivers.requests(for: message("pay-pd", [latency], title: String(repeating: "s", count: 1_020) + "👩‍👩‍👧‍👦 end"), channel: pagerduty)
        }),
        ("pagerduty-long-fingerprint-eu", {
            Drivers.requests(for: message("pay-pd", [alert(7, ["alertname": "X"], severity: 0, fingerprint: String(repeating: "f", count: 300))]),
                             channel: channel("pay-pd", .pagerduty, [.routingKey: "K", .url: "https://events.eu.pagerduty.com/v2/enqueue", .severity: "warning"]))
        }),
        ("webhook-group", {
            Drivers.requests(for: message("pay-hook", [latency, alert(2, ["alertname": "HighLatency", "service": "checkout", "instance": "web-2:9090", "job": "api", "severity": "critical"],
                                                                      annotations: ["runbook": "https://runbooks.example.com/latency"])]),
                             channel: webhook)
        }),
        ("webhook-max-alerts", {
            Drivers.requests(for: message("pay-hook", Array(many.prefix(5))),
                             channel: channel("pay-hook", .webhook, [.url: "http://127.0.0.1:9/hook", .maxAlerts: "2"]))
        }),
        ("webhook-resolved", { Drivers.requests(for: message("pay-hook", [latency], kind: .resolved), channel: webhook) }),
        ("webhook-acknowledged-level", { Drivers.requests(for: message("pay-hook", [latency], kind: .acknowledged, level: 1), channel: webhook) }),
    ]

    @Test(arguments: cases.map(\.0))
    func payload(_ name: String) throws {
        let requests = try Self.cases.first { $0.0 == name }!.1().get()
        #expect(!requests.isEmpty)
        let (actual, expected) = Repo.golden(requests.map(render).joined(separator: "---\n"), "\(name).txt")
        #expect(actual == expected, "golden \(name) differs; rerun with RULELANG_BLESS=1 and review the diff")
    }
}
