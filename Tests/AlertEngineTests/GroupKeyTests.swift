import Foundation
import Testing
import AlertEngine
import RuleRuntime

/// Group keys are values (who groups, by number, and the grouping labels): notifications carry
/// them, a pack swap renumbers them, snapshots hold them structured.
@Suite struct GroupKeyTests {
    static let pack = """
    rulelang: 1
    channels:
      slack: {type: slack, url: "https://hooks.example.invalid/a"}
    correlate:
      - {name: burst, when: 'alertname == "Err"', by: [service, zone], window: 10m, condition: count() >= 3, emit: {alertname: Burst}}
    routes:
      - {name: db, when: 'alertname == "DBDown"', notify: [slack], group_wait: 0s, group_interval: 1m, group_by: [alertname, cluster]}
      - {name: rest, when: true, notify: [slack], group_wait: 0s, group_interval: 1m, group_by: [alertname]}
    """

    /// A notification names its group's route by number, its labels in `group_by` order (""
    /// for one the alert lacks), and renders as the timelines show it.
    @Test func notificationsCarryTheGroupsRouteAndLabels() {
        var e = engine(Self.pack)
        let sent = e.receive(alert(["alertname": "DBDown", "host": "a"]), at: 0)
        #expect(sent.map(\.group.owner) == [.route(0)])
        #expect(sent.map(\.group.labels) == [[GroupLabel(name: "alertname", value: "DBDown"), GroupLabel(name: "cluster", value: "")]])
        #expect(sent.map(\.group.description) == ["db{alertname=DBDown,cluster=}"])
        let other = e.receive(alert(["alertname": "Disk"]), at: 0)
        #expect(other.map(\.group.owner) == [.route(1)])
        #expect(other.map(\.group.description) == ["rest{alertname=Disk}"])
    }

    /// A correlation's groups are keyed by the rule's number and its `by` labels in name order.
    @Test func correlationGroupsAreKeyedByRuleNumber() {
        var e = engine(Self.pack)
        _ = e.receive(alert(["alertname": "Err", "zone": "b", "service": "api"]), at: 0)
        #expect(e.state.windows.keys.map(\.owner) == [.correlation(RuleID(0))])
        #expect(e.state.windows.keys.map(\.labels) == [[GroupLabel(name: "service", value: "api"), GroupLabel(name: "zone", value: "b")]])
        #expect(e.state.windows.keys.texts == ["burst|service=api,zone=b"])
        #expect(e.state.windows.values.map(\.rule) == [RuleID(0)])
    }

    /// A swap that puts a route and a rule before the kept ones renumbers the state's keys, its
    /// timers' and its derived alerts': the kept group goes on (no second first notification),
    /// the kept window counts on.
    @Test func aSwapRenumbersWhatItKeeps() {
        var e = engine(Self.pack)
        var out = e.receive(alert(["alertname": "Disk", "host": "a"]), at: 0)
        out += e.receive(alert(["alertname": "Err", "service": "api", "n": "1"]), at: 0)
        out += e.receive(alert(["alertname": "Err", "service": "api", "n": "2"]), at: 10 * s)
        let swapped = Self.pack
            .replacingOccurrences(of: "correlate:\n", with: "correlate:\n  - {name: first, when: 'alertname == \"Zzz\"', by: [service], window: 5m, condition: count() >= 2, emit: {alertname: First}}\n")
            .replacingOccurrences(of: "routes:\n", with: "routes:\n  - {name: new, when: 'alertname == \"Zzz\"', notify: [slack], group_wait: 0s}\n")
        let (checked, compiled) = PackSwapTests.compiled(swapped)
        e.swap(to: checked, compiled: compiled, at: 20 * s)
        #expect(e.state.groups.keys.map(\.owner).sorted { "\($0)" < "\($1)" } == [.route(2), .route(2)])
        #expect(e.state.windows.keys.map(\.owner) == [.correlation(RuleID(1))])
        #expect(e.state.windows.values.map(\.rule) == [RuleID(1)])
        out += e.receive(alert(["alertname": "Disk", "host": "b"]), at: 30 * s)
        out += e.receive(alert(["alertname": "Err", "service": "api", "n": "3"]), at: 40 * s)
        out += e.advance(to: 1 * m)
        // Had the swap lost the `Disk` group, the second `Disk` would have paged at once (30s).
        #expect(timeline(out) == ["0s slack Disk", "0s slack Err", "40s slack Burst", "60s slack Disk", "60s slack Disk",
                                  "60s slack Err", "60s slack Err", "60s slack Err"])
        let derived = e.state.alerts.values.filter { $0.derivedBy == "burst" }
        #expect(derived.compactMap(\.derivedGroup).map(\.owner) == [.correlation(RuleID(1))])
        #expect(e.state.timers.count > 0)
    }

    /// A snapshot holds the keys as values (owner and labels), never as joined text, and
    /// restores them equal.
    @Test func snapshotsHoldStructuredKeys() throws {
        var e = engine(Self.pack)
        _ = e.receive(alert(["alertname": "DBDown", "cluster": "c1"]), at: 0)
        let data = try e.snapshot()
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("db{"))
        #expect(text.contains(#""labels":[{"name":"alertname","value":"DBDown"},{"name":"cluster","value":"c1"}]"#))
        var restored = engine(Self.pack)
        try restored.restore(data)
        #expect(restored.state == e.state)
        #expect(restored.state.groups.keys.texts == ["db{alertname=DBDown,cluster=c1}"])
    }
}
