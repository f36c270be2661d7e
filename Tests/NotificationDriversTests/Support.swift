import AlertEngine
import Foundation
import NotificationDrivers
import RuleCompiler
import RuleLang
import RuleRuntime
import RuleText

enum Repo {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static var bless: Bool { ProcessInfo.processInfo.environment["RULELANG_BLESS"] != nil }

    /// `actual` and the content of `Golden/<name>`, which `RULELANG_BLESS=1` rewrites first.
    static func golden(_ actual: String, _ name: String) -> (String, String) {
        let url = tests.appendingPathComponent("Golden/\(name)")
        if bless { try? actual.write(to: url, atomically: true, encoding: .utf8) }
        return (actual, (try? String(contentsOf: url, encoding: .utf8)) ?? "<missing golden \(name)>")
    }
}

/// 2026-01-01T00:00:00Z.
let jan1 = Int64(1_767_225_600_000)

/// A source that returns its values in turn (exact jitter in table tests).
struct FixedRandom: RandomSource {
    var values: [UInt64]
    var i = 0
    init(_ values: [UInt64]) { self.values = values }
    mutating func next() -> UInt64 {
        defer { i += 1 }
        return values[i % values.count]
    }
}

/// A fraction of the 64-bit range: `upTo(b)` then gives `b · f` (rounded down), near enough.
func fraction(_ f: Double) -> UInt64 { f >= 1 ? UInt64.max : UInt64(f * 18_446_744_073_709_551_616.0) }

func alert(_ id: Int, _ labels: [String: String], annotations: [String: String] = [:], severity: UInt8 = 3,
           status: AlertStatus = .firing, fingerprint: String? = nil, source: String? = nil) -> MessageAlert {
    MessageAlert(id: id, fingerprint: fingerprint ?? String(format: "%016llx", UInt64(id) &* 0x9E37_79B9_7F4A_7C15), labels: labels,
                 annotations: annotations, severity: severity, status: status, startsAt: jan1 - 60_000, source: source)
}

func message(_ channel: String, _ alerts: [MessageAlert], kind: NotificationKind = .firing, level: Int? = nil,
             groupLabels: [(String, String)] = [("alertname", "HighLatency")], title: String? = nil, text: String? = nil) -> OutgoingMessage {
    OutgoingMessage(tenant: "acme", channel: channel, kind: kind, level: level, at: jan1, group: "payments|alertname=HighLatency",
                    groupLabels: groupLabels, alerts: alerts, title: title, text: text, externalURL: "https://rulelang.example.com")
}

func channel(_ name: String, _ kind: ChannelKind, _ values: [ChannelOption: String]) -> ResolvedChannel {
    let runtime = RuntimeChannel(name: name, kind: kind, options: values.mapValues { SecretText(parts: [.text($0)]) })
    return try! ResolvedChannel.resolve(runtime, secrets: { _ in nil }).get()
}

let slack = channel("pay-slack", .slack, [.url: "https://hooks.slack.com/services/T000/B000/XXXX"])
let teams = channel("pay-teams", .teams, [.url: "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke"])
let pagerduty = channel("pay-pd", .pagerduty, [.routingKey: "R0UT1NGKEY0000000000000000000000"])
let webhook = channel("pay-hook", .webhook, [.url: "https://hooks.example.com/alertmanager"])

let latency = alert(1, ["alertname": "HighLatency", "service": "checkout", "instance": "web-1:9090", "job": "api", "severity": "critical"],
                    annotations: ["summary": "p99 latency over 2s on web-1", "runbook": "https://runbooks.example.com/latency"],
                    source: "prometheus")

/// The request as a golden shows it: request line, headers, the body indented.
func render(_ r: DeliveryRequest) -> String {
    "\(r.method) \(r.url)\n" + r.headers.map { "\($0.name): \($0.value)\n" }.joined() + "\n" + r.json.pretty + "\n"
}

/// Checks and compiles a one-file pack; fails loudly on check errors.
func compilePack(_ yaml: String, secrets: [String: String] = [:]) -> (RuntimePack, [Diagnostic]) {
    var options = CheckOptions()
    options.secrets = secrets
    let (checked, diagnostics) = Frontend.check(tenant: "acme", files: [SourceFile(path: "pack.yaml", text: yaml)], options: options)
    let errors = diagnostics.filter { $0.severity == .error }
    precondition(errors.isEmpty, DiagnosticRenderer().text(errors))
    return (try! PackCompiler.compile(checked), diagnostics)
}

/// The diagnostics of a pack that should not check.
func diagnose(_ yaml: String) -> [Diagnostic] {
    Frontend.check(tenant: "acme", files: [SourceFile(path: "pack.yaml", text: yaml)]).1
}
