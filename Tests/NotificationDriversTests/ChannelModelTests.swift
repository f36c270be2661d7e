import AlertEngine
import NotificationDrivers
import RuleCompiler
import RuleLang
import RuleRuntime
import Testing

/// Channels reach the runtime pack and the artifact with their secrets as references, their
/// templates compiled, their rate limit and retry budget; the shell resolves the secrets.
@Suite struct ChannelModelTests {
    static let pack = """
    rulelang: 1
    channels:
      pay-slack:
        type: slack
        url: "https://hooks.slack.com/services/${secret:SLACK_PATH}"
        template:
          title: "{{ alertname }} on {{ labels.service }}"
          text: "severity {{ severity }}, value {{ value }}"
        rate_limit: 10/m
        give_up_after: 2m
      pay-pd: {type: pagerduty, routing_key: "${secret:PD_KEY}", severity: error}
    routes:
      - name: payments
        when: service == "checkout"
        notify: [pay-slack]
        failover: [pay-pd]
    """

    @Test func channelsAreCompiledIntoTheRuntimePack() throws {
        let (pack, _) = compilePack(Self.pack)
        #expect(pack.channels.map(\.name) == ["pay-slack", "pay-pd"])
        let s = pack.channels[0]
        #expect(s.kind == .slack)
        #expect(s.options == [.url: SecretText(parts: [.text("https://hooks.slack.com/services/"), .secret("SLACK_PATH")])])
        #expect(s.rateLimit == RateLimit(count: 10, periodMs: 60_000))
        #expect(s.giveUpAfterMs == 120_000)
        #expect(s.titleEntry != nil && s.textEntry != nil)
        let p = pack.channels[1]
        #expect(p.options == [.routingKey: SecretText(parts: [.secret("PD_KEY")]), .severity: SecretText(parts: [.text("error")])])
        #expect(p.giveUpAfterMs == RuntimeChannel.defaultGiveUpAfterMs && p.rateLimit == nil && p.titleEntry == nil)
        #expect(pack.routeSettings[0].failover == ["pay-pd"])
    }

    @Test func theArtifactCarriesChannelsAndNoSecretValue() throws {
        let (pack, _) = compilePack(Self.pack, secrets: ["SLACK_PATH": "T1/B1/TOPSECRET", "PD_KEY": "PDSECRETKEY"])
        let bytes = Artifact.encode(pack)
        let loaded = try Artifact.decode(bytes).get()
        #expect(loaded.channels == pack.channels)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("TOPSECRET") && !text.contains("PDSECRETKEY"))
        #expect(text.contains("SLACK_PATH"))
    }

    @Test func aTamperedChannelIsRejectedByTheLoader() throws {
        let (pack, _) = compilePack(Self.pack)
        var bytes = Artifact.encode(pack)
        // The last channel's `give_up_after` is the payload's last 8 bytes: set it to 0 and
        // seal the payload again (header: magic, version, flags, length, CRC-32 at 16..<20).
        for i in (bytes.count - 8)..<bytes.count { bytes[i] = 0 }
        let crc = Artifact.crc32(Array(bytes[20...]))
        for i in 0..<4 { bytes[16 + i] = UInt8((crc >> (8 * UInt32(i))) & 0xFF) }
        switch Artifact.decode(bytes) {
        case .success: Issue.record("a channel giving up after 0ms was accepted")
        case .failure(let e): #expect(e.message == "channel `pay-pd` gives up after 0ms in artifact")
        }
    }

    @Test func secretsAreResolvedAtLoadWithAClearErrorWhenOneIsMissing() throws {
        let (pack, _) = compilePack(Self.pack)
        let env = ["SLACK_PATH": "T1/B1/Z", "PD_KEY": "k"]
        let resolved = try ResolvedChannel.resolveAll(pack.channels, secrets: { env[$0] }).get()
        #expect(resolved["pay-slack"]?[.url] == "https://hooks.slack.com/services/T1/B1/Z")
        #expect(resolved["pay-pd"]?[.routingKey] == "k")
        #expect("\(resolved["pay-slack"]!)" == "slack channel `pay-slack`")
        let missing = ResolvedChannel.resolveAll(pack.channels, secrets: { $0 == "PD_KEY" ? "k" : nil })
        #expect(throws: UnresolvedSecret(channel: "pay-slack", field: .url, secret: "SLACK_PATH")) { try missing.get() }
        #expect("\(UnresolvedSecret(channel: "pay-slack", field: .url, secret: "SLACK_PATH"))"
                == "secret `SLACK_PATH` is not set (field `url` of channel `pay-slack`)")
    }

    @Test func channelTemplatesRenderThroughTheCompiledProgram() throws {
        let (pack, _) = compilePack(Self.pack)
        let renderer = TemplateRenderer(pack: pack)
        let a = MessageAlert(id: 1, fingerprint: "f", labels: ["alertname": "HighLatency", "service": "checkout"], severity: 3,
                             startsAt: jan1, value: 2.5)
        let m = renderer.apply(pack.channels[0], to: message("pay-slack", [a]))
        #expect(m.title == "HighLatency on checkout")
        #expect(m.text == "severity critical, value 2.5")
        let r = try Drivers.requests(for: m, channel: channel("pay-slack", .slack, [.url: "https://hooks.slack.com/services/x"])).get()[0]
        #expect(String(decoding: r.body, as: UTF8.self).hasPrefix(#"{"text":"HighLatency on checkout","blocks":[{"type":"header","text":{"type":"plain_text","text":"HighLatency on checkout"}}"#))
    }

    @Test(arguments: [
        ("give_up_after: 10", "bad duration `10` for `give_up_after`"),
        ("give_up_after: 0s", "`give_up_after` must be longer than 0s"),
    ])
    func aBadGiveUpAfterIsReported(_ field: String, _ headline: String) {
        let yaml = """
        rulelang: 1
        channels:
          s:
            type: slack
            url: "https://hooks.slack.com/services/x"
            \(field)
        routes:
          - {name: all, when: true, notify: [s]}
        """
        let errors = diagnose(yaml).filter { $0.severity == .error }
        #expect(errors.map(\.message) == [headline])
        #expect(errors.map(\.code.id) == ["E0012"])
    }

    @Test(arguments: [
        ("{type: webhook, url: \"http://127.0.0.1:9/\", send_resolved: maybe}", "`send_resolved` must be `true` or `false`, found `maybe`"),
        ("{type: webhook, url: \"http://127.0.0.1:9/\", max_alerts: -1}", "`max_alerts` must be a whole number of at least 0, found `-1`"),
    ])
    func aBadOptionValueIsReported(_ channel: String, _ headline: String) {
        let yaml = """
        rulelang: 1
        channels:
          c: \(channel)
        routes:
          - {name: all, when: true, notify: [c]}
        """
        let errors = diagnose(yaml).filter { $0.severity == .error }
        #expect(errors.map(\.message) == [headline])
        #expect(errors.map(\.code.id) == ["E0011"])
    }
}
