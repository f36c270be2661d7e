import Testing
import AlertEngine
import RuleVM

/// Correlation and anomaly state is bounded: sequences are dropped when their `within` has
/// passed, heartbeat groups when their "silent" alert is resolved, quiet anomaly groups after
/// what their baseline remembers.
@Suite struct StateExpiryTests {
    static let pack = """
    rulelang: 1
    channels:
      slack: {type: slack, url: "https://hooks.example.invalid/a"}
    correlate:
      - name: takeover
        by: [user]
        within: 15m
        sequence:
          - alertname == "Login"
          - alertname == "Payout"
        emit: {alertname: Takeover}
      - {name: watchdog, when: 'alertname == "Watchdog"', by: [site], every: 10m, emit: {alertname: WatchdogMissing}}
    anomalies:
      - {name: surge, when: 'alertname == "Err"', by: [service], sensitivity: 3, emit: {alertname: ErrSurge}}
      - {name: weekly, when: 'alertname == "Err"', by: [service], sensitivity: 3, seasonality: hour_of_week, emit: {alertname: WeeklySurge}}
    routes:
      - {name: all, when: true, notify: [slack], group_wait: 0s}
    """

    @Test func sequenceProgressIsDroppedWhenItsWindowHasPassed() {
        var e = engine(Self.pack)
        _ = e.receive(alert(["alertname": "Login", "user": "u1"]), at: 0)
        _ = e.receive(alert(["alertname": "Login", "user": "u2"]), at: 5 * m)
        #expect(e.state.sequences.count == 2)
        // Kept while the last step could still arrive: exactly `within` after the first.
        _ = e.advance(to: 15 * m)
        #expect(e.state.sequences.count == 2)
        _ = e.advance(to: 15 * m + 1)
        #expect(e.state.sequences.keys.texts == ["takeover|user=u2"])
        // u2's progress ended at 20m; a new first step at 21m lives until 36m.
        _ = e.receive(alert(["alertname": "Login", "user": "u2", "n": "2"]), at: 21 * m)
        _ = e.advance(to: 36 * m)
        #expect(e.state.sequences.keys.texts == ["takeover|user=u2"])
        _ = e.advance(to: 36 * m + 1)
        #expect(e.state.sequences.isEmpty)
        // A first step again restarts the sequence: its own `within` counts, not the first one's.
        _ = e.receive(alert(["alertname": "Login", "user": "u4"]), at: 50 * m)
        _ = e.receive(alert(["alertname": "Login", "user": "u4", "n": "2"]), at: 55 * m)
        _ = e.advance(to: 70 * m)
        #expect(e.state.sequences.keys.texts == ["takeover|user=u4"])
        _ = e.advance(to: 70 * m + 1)
        #expect(e.state.sequences.isEmpty)
        // A completed sequence keeps nothing, and derives its alert once.
        _ = e.receive(alert(["alertname": "Login", "user": "u3"]), at: 80 * m)
        _ = e.receive(alert(["alertname": "Payout", "user": "u3"]), at: 81 * m)
        #expect(e.state.sequences.isEmpty)
        #expect(e.state.alerts.values.filter { $0.derivedBy == "takeover" }.count == 1)
        // The last step exactly `within` after the first still completes it.
        _ = e.receive(alert(["alertname": "Login", "user": "u5"]), at: 90 * m)
        _ = e.receive(alert(["alertname": "Payout", "user": "u5"]), at: 105 * m)
        #expect(e.state.alerts.values.filter { $0.derivedBy == "takeover" }.count == 2)
    }

    @Test func aHeartbeatGroupEndsWhenItsSilentAlertIsResolvedByHand() {
        var e = engine(Self.pack)
        _ = e.receive(alert(["alertname": "Watchdog", "site": "a"]), at: 0)
        _ = e.advance(to: 11 * m)
        #expect(e.state.alerts.values.filter { $0.derivedBy == "watchdog" }.map(\.status) == [.firing])
        #expect(e.state.heartbeats.count == 1)
        _ = e.resolve("WatchdogMissing", at: 12 * m)
        #expect(e.state.heartbeats.isEmpty)
        // The next beat starts the group again.
        _ = e.receive(alert(["alertname": "Watchdog", "site": "a", "n": "2"]), at: 13 * m)
        #expect(e.state.heartbeats.count == 1)
        _ = e.advance(to: 24 * m)
        #expect(e.state.alerts.values.filter { $0.derivedBy == "watchdog" }.map(\.status) == [.resolved, .firing])
    }

    /// The key of a correlation or anomaly group — which snapshots keep — is the rule, then its
    /// `by` labels sorted by name, escaped as route group keys are; a missing label is left out.
    @Test func groupKeysNameTheirLabelsInOrderEscaped() {
        var e = engine("""
        rulelang: 1
        anomalies:
          - {name: burst, when: 'alertname == "Err"', by: [zone, service, cell], sensitivity: 3, emit: {alertname: Burst}}
        routes:
          - {name: all, when: true}
        """)
        _ = e.receive(alert(["alertname": "Err", "zone": "b", "service": "a=1,x"]), at: 0)
        _ = e.receive(alert(["alertname": "Err", "zone": "b", "service": "web", "cell": "{c}"]), at: 1)
        #expect(e.state.anomalies.keys.texts == [#"burst|cell=\{c\},service=web,zone=b"#, #"burst|service=a\=1\,x,zone=b"#])
    }

    @Test func quietAnomalyGroupsAreDroppedAfterWhatTheirBaselineRemembers() {
        var e = engine(Self.pack)
        _ = e.receive(alert(["alertname": "Err", "service": "api"]), at: 0)
        _ = e.receive(alert(["alertname": "Err", "service": "web"]), at: 2 * 86_400_000)
        #expect(e.state.anomalies.keys.texts == ["surge|service=web", "weekly|service=api", "weekly|service=web"])
        // The non-seasonal group of `web` stays a day after its last minute, the seasonal ones a week.
        _ = e.advance(to: 3 * 86_400_000 + 59 * s)
        #expect(e.state.anomalies.count == 3)
        _ = e.advance(to: 3 * 86_400_000 + 1 * m)
        #expect(e.state.anomalies.keys.texts == ["weekly|service=api", "weekly|service=web"])
        _ = e.advance(to: 7 * 86_400_000 + 1 * m)
        #expect(e.state.anomalies.keys.texts == ["weekly|service=web"])
        // An alert keeps its groups (or starts them again): the expiry counts from it.
        _ = e.receive(alert(["alertname": "Err", "service": "web", "n": "2"]), at: 8 * 86_400_000)
        #expect(e.state.anomalies.keys.texts == ["surge|service=web", "weekly|service=web"])
        _ = e.advance(to: 9 * 86_400_000 + 1 * m)
        #expect(e.state.anomalies.keys.texts == ["weekly|service=web"])
        _ = e.advance(to: 15 * 86_400_000)
        #expect(e.state.anomalies.keys.texts == ["weekly|service=web"])
        _ = e.advance(to: 15 * 86_400_000 + 1 * m)
        #expect(e.state.anomalies.isEmpty)
    }
}

/// A repeated watchdog beats in the group of its labels as the engine keeps them (enriched).
@Suite struct HeartbeatRepeatTests {
    @Test func repeatsBeatInTheGroupOfTheEnrichedLabels() {
        var e = engine("""
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        enrich:
          - {name: site-from-host, when: 'exists(host)', set: {site: '{{ upper(host) }}'}}
        correlate:
          - {name: watchdog, when: 'alertname == "Watchdog"', by: [site], every: 10m, emit: {alertname: WatchdogMissing}}
        routes:
          - {name: all, when: true, notify: [slack], group_wait: 0s}
        """)
        for k in 0..<6 { _ = e.receive(alert(["alertname": "Watchdog", "host": "a1"]), at: Int64(k) * 5 * m) }
        _ = e.advance(to: 34 * m)
        #expect(e.state.heartbeats.keys.texts == ["watchdog|site=A1"])
        #expect(!e.state.alerts.values.contains { $0.derivedBy != nil })
        _ = e.advance(to: 36 * m)
        #expect(e.state.alerts.values.filter { $0.derivedBy != nil }.map(\.alertname) == ["WatchdogMissing"])
    }

    /// A repeat is checked against each heartbeat's index guard on the stored (enriched) labels
    /// before it is bound: a guard on a label an enrich rule sets still lets the watchdog beat,
    /// and other alerts' repeats do not.
    @Test func theGuardReadsTheEnrichedLabels() {
        var e = engine("""
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        enrich:
          - {name: kind, when: 'alertname == "Watchdog"', set: {kind: beat}}
        correlate:
          - {name: watchdog, when: 'kind == "beat" && exists(host)', by: [host], every: 10m, emit: {alertname: WatchdogMissing}}
        routes:
          - {name: all, when: true, notify: [slack], group_wait: 0s}
        """)
        for k in 0..<6 {
            _ = e.receive(alert(["alertname": "Watchdog", "host": "a1"]), at: Int64(k) * 5 * m)
            _ = e.receive(alert(["alertname": "Other", "host": "b1"]), at: Int64(k) * 5 * m)
        }
        #expect(e.state.heartbeats.keys.texts == ["watchdog|host=a1"])
        _ = e.advance(to: 34 * m)
        #expect(!e.state.alerts.values.contains { $0.derivedBy != nil })
        _ = e.advance(to: 36 * m)
        #expect(e.state.alerts.values.filter { $0.derivedBy != nil }.map(\.alertname) == ["WatchdogMissing"])
    }
}
