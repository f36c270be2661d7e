import Testing
import AlertEngine

/// Groups end at a check: when every alert in them is resolved or forgotten, or when a pack
/// swap removed their route.
@Suite struct GroupLifetimeTests {
    static let pack = """
    rulelang: 1
    channels:
      slack: {type: slack, url: "https://hooks.example.invalid/a"}
    routes:
      - {name: db, when: 'alertname == "DBDown"', notify: [slack], group_wait: 0s, group_interval: 1m, group_by: [alertname]}
      - {name: rest, when: true, notify: [slack], group_wait: 0s, group_interval: 1m, group_by: [alertname]}
    """

    @Test func forgottenAlertsLeaveTheirGroupAtItsNextCheck() {
        var e = engine(Self.pack)
        e.forgetResolvedMs = 10 * m
        _ = e.receive(alert(["alertname": "Disk", "host": "a"]), at: 0)
        _ = e.receive(alert(["alertname": "Disk", "host": "b"]), at: 0)
        _ = e.resolve("Disk", at: 30 * s)
        // Resolved: the group ends at its next check (1m).
        _ = e.advance(to: 1 * m)
        #expect(e.state.groups.isEmpty)
        // An alert joining a group that still holds forgotten ones: they leave at its check.
        _ = e.receive(alert(["alertname": "CPU", "host": "a"]), at: 2 * m)
        _ = e.receive(alert(["alertname": "CPU", "host": "b"]), at: 2 * m)
        _ = e.resolve("CPU", at: 2 * m + 30 * s)
        _ = e.receive(alert(["alertname": "CPU", "host": "c"]), at: 2 * m + 40 * s)
        _ = e.advance(to: 12 * m + 30 * s)
        #expect(e.state.alerts.count == 1)
        #expect(e.state.groups.values.map(\.alerts.count) == [3])
        _ = e.advance(to: 13 * m)
        #expect(e.state.groups.values.map(\.alerts.count) == [1])
    }

    @Test func aGroupWhoseRouteASwapRemovedEndsAtItsNextCheck() {
        var e = engine(Self.pack)
        _ = e.receive(alert(["alertname": "DBDown"]), at: 0)
        #expect(e.state.groups.keys.texts == ["db{alertname=DBDown}"])
        let withoutDB = Self.pack.split(separator: "\n").filter { !$0.contains("name: db") }.joined(separator: "\n")
        let (checked, compiled) = PackSwapTests.compiled(withoutDB)
        e.swap(to: checked, compiled: compiled, at: 0)
        let sent = e.advance(to: 1 * m)
        #expect(sent.isEmpty)
        #expect(e.state.groups.isEmpty)
    }

    /// A derived alert joins its group before the alert that derived it (it is admitted while
    /// that one is), so a group's ids are not always ascending: its check after the
    /// notification still finds nothing new, and sends nothing.
    @Test func aGroupWithADerivedAlertBeforeItsCauseIsNotNotifiedTwice() {
        var e = engine("""
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        correlate:
          - name: pair
            when: alertname == "Err"
            by: [env]
            window: 10m
            condition: count() >= 2
            emit: {alertname: ErrPair, env: prod}
        routes:
          - {name: all, when: true, notify: [slack], group_wait: 30s, group_interval: 1m, repeat_interval: 1h, group_by: [env]}
        """)
        _ = e.receive(alert(["alertname": "Err", "env": "prod", "host": "a"]), at: 0)
        _ = e.receive(alert(["alertname": "Err", "env": "prod", "host": "b"]), at: 10 * s)
        #expect(e.state.groups.values.map(\.alerts) == [[1, 3, 2]])
        #expect(timeline(e.advance(to: 30 * s)) == ["30s slack Err", "30s slack ErrPair", "30s slack Err"])
        // Eight checks, nothing new (the window keeps the derived alert firing until 20m).
        #expect(e.advance(to: 9 * m).isEmpty)
    }

    /// An alert that arrived before a swap changed its route's `group_by` is still found in its
    /// group when its severity rises: the rise is notified at the group's next check.
    @Test func aSeverityRiseAfterASwapStillReachesTheAlertsGroup() {
        var e = engine(Self.pack)
        _ = e.receive(alert(["alertname": "Disk", "host": "a"], severity: 1), at: 0)
        let (checked, compiled) = PackSwapTests.compiled(Self.pack.replacingOccurrences(of: "group_by: [alertname]}", with: "group_by: [host]}"))
        e.swap(to: checked, compiled: compiled, at: 0)
        _ = e.receive(alert(["alertname": "Disk", "host": "a"], severity: 3), at: 30 * s)
        #expect(timeline(e.advance(to: 1 * m)) == ["60s slack Disk"])
    }

    /// A `group_by` naming a label twice writes its value twice, escaped: the key is built in
    /// a buffer sized for that (ten commas escaped twice over used to run past it).
    @Test func aLabelNamedTwiceInGroupBy() {
        var e = engine("""
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        routes:
          - {name: r, when: true, notify: [slack], group_wait: 0s, group_by: [a, a, a]}
        """)
        _ = e.receive(alert(["alertname": "X", "a": ",,,,,,,,,,"]), at: 0)
        let escaped = String(repeating: "\\,", count: 10)
        #expect(e.state.groups.keys.texts == ["r{a=\(escaped),a=\(escaped),a=\(escaped)}"])
    }

    /// Keys longer than the stack buffer most are built in (512 bytes) come out the same, built
    /// again at their exact size: a long value, escaped, under both kinds of `group_by`.
    @Test func longGroupKeys() {
        var e = engine("""
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        routes:
          - {name: by-name, when: true, notify: [slack], group_by: [a, alertname], continue: true}
          - {name: everything, when: true, notify: [slack], group_by: [...]}
        """)
        let long = String(repeating: "x=", count: 300)          // 600 bytes, 900 escaped
        _ = e.receive(alert(["alertname": "X", "a": long]), at: 0)
        let escaped = String(repeating: "x\\=", count: 300)
        #expect(e.state.groups.keys.texts == ["by-name{a=\(escaped),alertname=X}", "everything{a=\(escaped),alertname=X}"])
    }
}
