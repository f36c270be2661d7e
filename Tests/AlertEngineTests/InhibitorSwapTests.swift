import Testing
import AlertEngine
import RuleVM

/// A pack swap that changes an inhibition's `while_active` or `equal` re-indexes the active
/// alerts under the new definition; unchanged inhibitions keep their index.
@Suite struct InhibitorSwapTests {
    static func pack(whileActive: String, equal: String) -> String {
        """
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        suppress:
          - {name: outage-mutes, when: 'alertname == "Err"', while_active: '\(whileActive)', equal: \(equal)}
          - {name: dc-down-mutes, when: 'alertname == "Disk"', while_active: 'alertname == "DCDown"', equal: [dc]}
        routes:
          - {name: all, when: true, notify: [slack], group_wait: 0s}
        """
    }

    static func mutedBy(_ e: inout Engine, _ labels: [String: String], at t: Int64) -> String {
        _ = e.receive(alert(labels), at: t)
        let id = e.state.open[Fingerprint.of(labels)]!
        return e.state.alerts[id]?.suppressedBy ?? "-"
    }

    @Test func changedInhibitionsAreIndexedAgainOverTheActiveAlerts() {
        var e = engine(Self.pack(whileActive: "alertname == \"DBDown\"", equal: "[cluster]"))
        _ = e.receive(alert(["alertname": "DBDown", "cluster": "a", "dc": "x"]), at: 0)
        _ = e.receive(alert(["alertname": "NetDown", "cluster": "b", "dc": "y"]), at: 0)
        _ = e.receive(alert(["alertname": "DCDown", "cluster": "c", "dc": "z"]), at: 0)
        #expect(Self.mutedBy(&e, ["alertname": "Err", "cluster": "a", "n": "1"], at: 1 * m) == "outage-mutes")
        #expect(Self.mutedBy(&e, ["alertname": "Err", "cluster": "b", "n": "1"], at: 1 * m) == "-")

        // `while_active` now names NetDown: the active NetDown inhibits, DBDown no longer does.
        let (checked, compiled) = PackSwapTests.compiled(Self.pack(whileActive: "alertname == \"NetDown\"", equal: "[cluster]"))
        e.swap(to: checked, compiled: compiled, at: 1 * m)
        #expect(Self.mutedBy(&e, ["alertname": "Err", "cluster": "a", "n": "2"], at: 2 * m) == "-")
        #expect(Self.mutedBy(&e, ["alertname": "Err", "cluster": "b", "n": "2"], at: 2 * m) == "outage-mutes")
        // The unchanged inhibition kept its index.
        #expect(Self.mutedBy(&e, ["alertname": "Disk", "dc": "z"], at: 2 * m) == "dc-down-mutes")

        // `equal` now `[dc]`: NetDown of dc y mutes any cluster's errors in dc y.
        let (checked2, compiled2) = PackSwapTests.compiled(Self.pack(whileActive: "alertname == \"NetDown\"", equal: "[dc]"))
        e.swap(to: checked2, compiled: compiled2, at: 2 * m)
        #expect(Self.mutedBy(&e, ["alertname": "Err", "cluster": "q", "dc": "y"], at: 3 * m) == "outage-mutes")
        #expect(Self.mutedBy(&e, ["alertname": "Err", "cluster": "b", "dc": "x"], at: 3 * m) == "-")
    }
}

@Suite struct InhibitorRemovalTests {
    /// A resolved inhibitor leaves the index, and the index keeps no emptied entries: with two
    /// inhibitors under one key, the first resolved still leaves the second muting.
    @Test func resolvedInhibitorsLeaveNoEntries() {
        var e = engine(InhibitorSwapTests.pack(whileActive: "alertname == \"DBDown\"", equal: "[cluster]"))
        _ = e.receive(alert(["alertname": "DBDown", "cluster": "a", "n": "1"]), at: 0)
        _ = e.receive(alert(["alertname": "DBDown", "cluster": "a", "n": "2"]), at: 0)
        _ = e.receive(alert(["alertname": "DCDown", "dc": "z"]), at: 0)
        #expect(e.inhibitionNames == ["dc-down-mutes", "outage-mutes"])
        _ = e.resolve(Fingerprint.of(["alertname": "DBDown", "cluster": "a", "n": "1"]), at: 1 * m)
        #expect(InhibitorSwapTests.mutedBy(&e, ["alertname": "Err", "cluster": "a"], at: 1 * m) == "outage-mutes")
        _ = e.resolve("DBDown", at: 2 * m)
        _ = e.resolve("DCDown", at: 2 * m)
        #expect(e.state.inhibitors.isEmpty)
        #expect(InhibitorSwapTests.mutedBy(&e, ["alertname": "Err", "cluster": "a", "k": "2"], at: 3 * m) == "-")
    }

    @Test func aSwapThatRemovesAnInhibitionDropsItFromTheIndex() {
        var e = engine(InhibitorSwapTests.pack(whileActive: "alertname == \"DBDown\"", equal: "[cluster]"))
        _ = e.receive(alert(["alertname": "DBDown", "cluster": "a"]), at: 0)
        _ = e.receive(alert(["alertname": "DCDown", "dc": "z"]), at: 0)
        #expect(e.inhibitionNames == ["dc-down-mutes", "outage-mutes"])
        let without = InhibitorSwapTests.pack(whileActive: "x", equal: "[]")
            .split(separator: "\n").filter { !$0.contains("outage-mutes") }.joined(separator: "\n")
        let (checked, compiled) = PackSwapTests.compiled(without)
        e.swap(to: checked, compiled: compiled, at: 0)
        #expect(e.inhibitionNames == ["dc-down-mutes"])
        #expect(InhibitorSwapTests.mutedBy(&e, ["alertname": "Err", "cluster": "a"], at: 1 * m) == "-")
    }
}
