import TestSupport
import RuleRuntime
import Testing
import AlertEngine
import RuleCompiler
import RuleLang

/// Alertmanager regressions that bit its users, held on the virtual clock.
@Suite struct AlertmanagerRegressionTests {
    static let pack = """
    rulelang: 1
    channels:
      slack: {type: slack, url: "https://hooks.example.invalid/a"}
    suppress:
      - name: node-down-mutes-its-services
        when: 'alertname !~ "Node(Down|Unreachable)"'
        while_active: 'alertname =~ "Node(Down|Unreachable)" && severity >= error'
        equal: [instance, cluster]
    routes:
      - {name: all, when: true, notify: [slack], group_by: [alertname], group_wait: 30s, group_interval: 5m}
    """

    static func compiled(_ yaml: String) -> (CheckedPack, RuntimePack) {
        let (checked, _) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
        return (checked, TestSupport.compiled(checked))
    }

    /// A reload while a group waits neither drops nor repeats its notification.
    @Test func noPartialOrDuplicateNotificationsAcrossAReload() {
        var e = engine(Self.pack)
        var out: [AlertEngine.Notification] = []
        for i in 0..<5 { out += e.receive(alert(["alertname": "Disk", "instance": "i\(i)"]), at: Int64(i) * s) }
        let (checked, compiled) = Self.compiled(Self.pack)
        e.swap(to: checked, compiled: compiled, at: 4 * s)
        for i in 5..<8 { out += e.receive(alert(["alertname": "Disk", "instance": "i\(i)"]), at: Int64(10 + i) * s) }
        e.swap(to: checked, compiled: compiled, at: 17 * s)
        out += e.advance(to: 20 * m)
        #expect(timeline(out) == Array(repeating: "30s slack Disk", count: 8))
    }

    /// Maintaining thousands of groups does not delay a new group's first notification.
    @Test func noPauseWhileGroupsAreMaintained() {
        var e = engine(Self.pack)
        for i in 0..<2_000 { _ = e.receive(alert(["alertname": "A\(i)"]), at: Int64(i) * 10) }
        var out = e.advance(to: 4 * m)
        out = e.receive(alert(["alertname": "Late"]), at: 4 * m + 1 * s)
        out += e.advance(to: 6 * m)
        #expect(timeline(out.filter { $0.alert == "Late" }) == ["271s slack Late"])
    }

    /// Inhibition with regex matchers, on equal labels, including labels missing on both sides.
    @Test func inhibitionWithRegexMatchers() {
        var e = engine(Self.pack)
        _ = e.receive(alert(["alertname": "NodeUnreachable", "instance": "n1"], severity: 3), at: 0)
        _ = e.receive(alert(["alertname": "NodeDown", "instance": "n2"], severity: 1), at: 0)       // warning: inhibits nothing
        _ = e.receive(alert(["alertname": "HTTPDown", "instance": "n1"]), at: 1 * s)               // muted (cluster missing on both)
        _ = e.receive(alert(["alertname": "HTTPDown", "instance": "n1", "cluster": "c"]), at: 2 * s) // cluster differs: not muted
        _ = e.receive(alert(["alertname": "HTTPDown", "instance": "n2"]), at: 3 * s)               // its node alert is only a warning
        _ = e.receive(alert(["alertname": "NodeDown", "instance": "n1"], severity: 3), at: 4 * s)  // never inhibits itself
        let muted = e.state.alerts.values.sorted { $0.id < $1.id }.map { "\($0.alertname)/\($0.labels["instance"]!):\($0.suppressedBy ?? "-")" }
        #expect(muted == ["NodeUnreachable/n1:-", "NodeDown/n2:-", "HTTPDown/n1:node-down-mutes-its-services", "HTTPDown/n1:-",
                          "HTTPDown/n2:-", "NodeDown/n1:-"])
    }
}
