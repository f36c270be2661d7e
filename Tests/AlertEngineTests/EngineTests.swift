import TestSupport
import RuleRuntime
import Testing
import AlertEngine
import RuleCompiler
import RuleLang
import RuleVM

/// An engine over a one-file pack.
func engine(_ yaml: String) -> Engine {
    let (checked, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
    precondition(d.filter { $0.severity == .error }.isEmpty, DiagnosticRenderer().text(d))
    return Engine(pack: TestSupport.compiled(checked))
}

func alert(_ labels: [String: String], severity: UInt8 = 3) -> AlertInput {
    AlertInput(labels: labels, severity: severity, tenant: "t")
}

let s = Int64(1000), m = Int64(60_000)

/// Notifications as `time channel alert [level]`, times in seconds.
func timeline(_ ns: [Notification]) -> [String] {
    ns.map { "\($0.at / 1000)s \($0.channel) \($0.alert)" + ($0.level.map { " L\($0)" } ?? "") + ($0.kind == .firing ? "" : " \($0.kind.rawValue)") }
}

@Suite struct EngineTests {
    static let pack = """
    rulelang: 1
    channels:
      slack: {type: slack, url: "https://hooks.example.invalid/a"}
      pd: {type: pagerduty, routing_key: k}
      teams: {type: teams, url: "https://hooks.example.invalid/b"}
    escalations:
      oncall:
        levels:
          - {after: 0m, notify: [slack]}
          - {after: 5m, notify: [pd]}
          - {after: 15m, notify: [teams]}
        until: acknowledged
    suppress:
      - {name: maintenance, when: 'env == "maint"'}
      - {name: db-down-mutes-db-alerts, when: 'alertname != "DBDown"', while_active: 'alertname == "DBDown"', equal: [cluster]}
    routes:
      - name: prod
        when: env == "prod"
        group_by: [alertname]
        group_wait: 30s
        group_interval: 5m
        repeat_interval: 1h
        escalation: oncall
      - {name: default, when: true, notify: [teams], group_wait: 10s}
    """

    @Test func fingerprintsAreStableAndOrderFree() {
        #expect(Fingerprint.of(["a": "1", "b": "2"]) == Fingerprint.of(["b": "2", "a": "1"]))
        // FNV-1a 64 of "alertname\0HighLatency\0service\0checkout\0", computed independently.
        #expect(Fingerprint.of(["alertname": "HighLatency", "service": "checkout"]) == "fb80abd0aaff873b")
        #expect(Fingerprint.of(["a": "1"]) != Fingerprint.of(["a": "1 "]))
    }

    @Test func timersFireInTimeThenInsertionOrder() {
        var q = TimerQueue()
        func key(_ route: String) -> GroupKey { GroupKey(owner: .route(0), name: route, labels: []) }
        q.schedule(.flush(group: key("c")), at: 30); q.schedule(.flush(group: key("a")), at: 10)
        q.schedule(.flush(group: key("b")), at: 10); q.schedule(.flush(group: key("d")), at: 5)
        var out: [String] = []
        while let t = q.popDue(20) { if case .flush(let g) = t.payload { out.append(g.name) } }
        #expect(out == ["d", "a", "b"])
        #expect(q.nextDue == 30)
    }

    @Test func groupWaitThenEscalationLevelsUntilAcknowledged() {
        var e = engine(Self.pack)
        var out = e.receive(alert(["alertname": "HighLatency", "env": "prod"]), at: 0)
        out += e.advance(to: 10 * m)
        out += e.acknowledge("HighLatency", at: 12 * m)
        out += e.advance(to: 2 * 60 * m)
        // Acknowledged: the escalation stops and the group does not repeat it; the channels that
        // paged it (the group's, level 1's) hear of the acknowledgement.
        #expect(timeline(out) == ["30s slack HighLatency", "300s pd HighLatency L1",
                                  "720s slack HighLatency acknowledged", "720s pd HighLatency acknowledged"])
    }

    @Test func unacknowledgedGroupsRepeatAfterTheRepeatInterval() {
        var e = engine(Self.pack)
        var out = e.receive(alert(["alertname": "HighLatency", "env": "prod"]), at: 0)
        out += e.advance(to: 2 * 60 * m)
        #expect(timeline(out) == ["30s slack HighLatency", "300s pd HighLatency L1", "900s teams HighLatency L2",
                                  "3630s slack HighLatency"])
    }

    @Test func unacknowledgedAlertsRunEveryLevel() {
        var e = engine(Self.pack)
        var out = e.receive(alert(["alertname": "HighLatency", "env": "prod"]), at: 0)
        out += e.advance(to: 20 * m)
        #expect(timeline(out) == ["30s slack HighLatency", "300s pd HighLatency L1", "900s teams HighLatency L2"])
    }

    @Test func groupingDeduplicationAndGroupInterval() {
        var e = engine(Self.pack)
        var out = e.receive(alert(["alertname": "A", "env": "prod", "i": "1"]), at: 0)
        out += e.receive(alert(["alertname": "A", "env": "prod", "i": "2"]), at: 10 * s)
        out += e.receive(alert(["alertname": "A", "env": "prod", "i": "1"]), at: 20 * s)   // duplicate
        out += e.receive(alert(["alertname": "A", "env": "prod", "i": "3"]), at: 60 * s)   // after the first flush
        out += e.acknowledge("A", at: 2 * m)
        out += e.advance(to: 6 * m)
        // One group (group_by alertname), the duplicate folded in, the ack before any level 1;
        // the two alerts paged hear of it, the third (not notified yet) does not.
        #expect(timeline(out) == ["30s slack A", "30s slack A", "120s slack A acknowledged", "120s slack A acknowledged"])
        #expect(e.state.alerts.count == 3)
    }

    @Test func silencesAndInhibitions() {
        var e = engine(Self.pack)
        var out = e.receive(alert(["alertname": "Disk", "env": "maint"]), at: 0)
        out += e.receive(alert(["alertname": "DBDown", "cluster": "c1"]), at: 0)
        out += e.receive(alert(["alertname": "SlowQueries", "cluster": "c1"]), at: 1 * s)
        out += e.receive(alert(["alertname": "SlowQueries", "cluster": "c2"]), at: 2 * s)
        out += e.advance(to: 1 * m)
        let suppressed = e.state.alerts.values.sorted { $0.id < $1.id }.map { "\($0.alertname):\($0.suppressedBy ?? "-")" }
        #expect(suppressed == ["Disk:maintenance", "DBDown:-", "SlowQueries:db-down-mutes-db-alerts", "SlowQueries:-"])
        #expect(timeline(out) == ["10s teams DBDown", "10s teams SlowQueries"])
    }

    /// Resolution notifies the channels that paged the alert, once each (spec 5 step 1: an
    /// update "resolves"); alerts nobody was told about resolve silently.
    @Test func resolutionNotifiesTheChannelsThatPagedIt() {
        var e = engine(Self.pack)
        var out = e.receive(alert(["alertname": "HighLatency", "env": "prod"]), at: 0)
        out += e.receive(alert(["alertname": "Disk", "env": "maint"]), at: 0)           // suppressed
        out += e.advance(to: 6 * m)                                                    // slack at 30s, pd at 5m
        out += e.receive(alert(["alertname": "Late", "env": "dev"]), at: 6 * m)       // still in group_wait
        out += e.resolve("Late", at: 6 * m + 5 * s)
        out += e.resolve("HighLatency", at: 7 * m)
        out += e.resolve("Disk", at: 7 * m)
        out += e.resolve("HighLatency", at: 8 * m)                                    // already resolved
        // `ends_at` in the past resolves too.
        out += e.receive(alert(["alertname": "Flap", "env": "dev"]), at: 10 * m)
        out += e.advance(to: 11 * m)
        var end = alert(["alertname": "Flap", "env": "dev"])
        end.endsAt = 12 * m
        out += e.receive(end, at: 12 * m)
        out += e.advance(to: 60 * m)
        #expect(timeline(out) == ["30s slack HighLatency", "300s pd HighLatency L1",
                                  "420s slack HighLatency resolved", "420s pd HighLatency resolved",
                                  "610s teams Flap", "720s teams Flap resolved"])
    }

    /// A resolved alert is forgotten `forgetResolvedMs` after its resolution (at least the
    /// longest correlation window later), with its escalation state and its place in its group;
    /// open alerts are kept however old.
    @Test func resolvedAlertsAreForgotten() {
        var e = engine(Self.pack)
        _ = e.receive(alert(["alertname": "HighLatency", "env": "prod"]), at: 0)
        _ = e.receive(alert(["alertname": "Old", "env": "prod"]), at: 0)
        _ = e.resolve("HighLatency", at: 10 * m)
        _ = e.advance(to: 70 * m - 1)
        #expect(e.state.alerts.keys.sorted() == [1, 2])
        _ = e.advance(to: 70 * m)
        #expect(e.state.alerts.keys.sorted() == [2])
        #expect(e.state.plans[1] == nil && e.state.escalationStep[1] == nil)
        #expect(e.state.groups.values.flatMap(\.alerts).sorted() == [2])
        _ = e.advance(to: 48 * 60 * m)
        #expect(e.state.alerts.keys.sorted() == [2])

        var keepAll = engine(Self.pack)
        keepAll.forgetResolvedMs = nil
        _ = keepAll.receive(alert(["alertname": "HighLatency", "env": "prod"]), at: 0)
        _ = keepAll.resolve("HighLatency", at: 10 * m)
        _ = keepAll.advance(to: 48 * 60 * m)
        #expect(keepAll.state.alerts.keys.sorted() == [1])

        // A 3-hour window reads its alerts' labels: they are kept that long.
        var windowed = engine("""
        rulelang: 1
        correlate:
          - {name: burst, when: 'alertname == "A"', window: 3h, condition: 'count() >= 99', emit: {summary: "x"}}
        routes:
          - {name: all, when: true}
        """)
        _ = windowed.receive(alert(["alertname": "A"]), at: 0)
        _ = windowed.resolve("A", at: 1 * m)
        _ = windowed.advance(to: 2 * 60 * m)
        #expect(windowed.state.alerts.keys.sorted() == [1])
        _ = windowed.advance(to: 3 * 60 * m + 1 * m)
        #expect(windowed.state.alerts.isEmpty)
    }

    /// `handle` returns the spec's actions: notifications, a `store` per changed alert, audit
    /// entries, and `schedule` when the next deadline moves.
    @Test func eventsGiveActions() {
        var e = engine(Self.pack)
        func describe(_ actions: [EngineAction]) -> [String] {
            actions.map { a in
                switch a {
                case .notify(let n): "notify \(timeline([n])[0])"
                case .store(let alert): "store #\(alert.id) \(alert.status.rawValue)" + (alert.notified ? " paged" : "")
                case .forget(let id): "forget #\(id)"
                case .audit(let entry): "audit \(entry.event)" + (entry.detail.isEmpty ? "" : " \(entry.detail)")
                case .schedule(let at): "schedule \(at.map { "\($0 / 1000)s" } ?? "none")"
                }
            }
        }
        #expect(describe(e.handle(.alert(alert(["alertname": "HighLatency", "env": "prod"])), at: 0)) == [
            "store #1 firing", "audit received \(Fingerprint.of(["alertname": "HighLatency", "env": "prod"]))", "audit routed prod",
            "schedule 30s"])
        #expect(describe(e.handle(.timersDue, at: 30 * s)) == ["notify 30s slack HighLatency", "store #1 firing paged", "schedule 300s"])
        #expect(describe(e.handle(.alert(alert(["alertname": "HighLatency", "env": "prod"])), at: 40 * s)) == [
            "store #1 firing paged", "audit deduplicated"])
        #expect(describe(e.handle(.acknowledge("HighLatency"), at: 60 * s)) == [
            "notify 60s slack HighLatency acknowledged", "store #1 acknowledged paged", "audit acknowledged"])
        #expect(describe(e.handle(.resolve("HighLatency"), at: 90 * s)) == [
            "notify 90s slack HighLatency resolved", "store #1 resolved paged", "audit resolved"])
        #expect(describe(e.handle(.alert(alert(["alertname": "Disk", "env": "maint"])), at: 100 * s)) == [
            "store #2 firing", "audit received \(Fingerprint.of(["alertname": "Disk", "env": "maint"]))", "audit suppressed maintenance"])
        _ = e.receive(alert(["alertname": "Quiet", "env": "dev"]), at: 110 * s)
        let forgotten = e.handle(.timersDue, at: 90 * s + 3_600 * s)
        #expect(describe(forgotten).contains("forget #1"))
        #expect(describe(forgotten).contains("audit forgotten"))
    }

    /// Only the routes whose group paged the alert hear of its resolution: a second route still
    /// in `group_wait` holds the alert but never paged it.
    @Test func resolutionGoesOnlyToRoutesThatPaged() {
        var e = engine("""
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
          pd: {type: pagerduty, routing_key: k}
        routes:
          - {name: a, when: true, continue: true, notify: [slack], group_wait: 0s}
          - {name: b, when: true, notify: [pd], group_wait: 10m}
        """)
        var out = e.receive(alert(["alertname": "X"]), at: 0)
        out += e.resolve("X", at: 1 * m)
        out += e.advance(to: 30 * m)
        #expect(e.state.alerts[1]?.routes == ["a", "b"])
        #expect(timeline(out) == ["0s slack X", "60s slack X resolved"])
    }

    /// The alert table drops the slots of forgotten alerts at its front, a whole chunk of 1,024
    /// at a time; ids, look-ups, counts and snapshots go on as with a dictionary.
    @Test func theAlertTableAfterManyForgottenAlerts() throws {
        var e = engine(Self.pack)
        for i in 0..<2100 { _ = e.receive(alert(["alertname": "A", "i": "\(i)", "env": "dev"]), at: Int64(i) * s) }
        _ = e.receive(alert(["alertname": "Kept", "env": "dev"]), at: 2100 * s)
        _ = e.resolve("A", at: 2200 * s)
        #expect(e.state.alerts.count == 2101)
        #expect(e.state.alerts.capacity == 2101)
        _ = e.advance(to: 2200 * s + 61 * m)
        #expect(e.state.alerts.count == 1)
        #expect(e.state.alerts.capacity == 2101 - 2048)     // two chunks dropped, the third holds id 2101
        #expect(e.state.alerts.keys == [2101])
        #expect(e.state.alerts[2101]?.alertname == "Kept")
        #expect(e.state.alerts[5] == nil)
        #expect(e.state.alerts[2050] == nil)
        _ = e.receive(alert(["alertname": "New", "env": "dev"]), at: 2200 * s + 62 * m)
        #expect(e.state.alerts.keys == [2101, 2102])
        #expect(e.state.alerts.capacity == 2102 - 2048)
        var restored = engine(Self.pack)
        try restored.restore(try e.snapshot())
        #expect(restored.state == e.state)
        #expect(restored.state.alerts[2102]?.alertname == "New")
        #expect(restored.state.alerts.capacity == 2)     // a restored table starts at its oldest alert
    }

    /// A `count(filter)` whose filter fails (a run-time error) for every alert counts none of
    /// them, while `count()` counts them all.
    @Test func aFailingCountFilterCountsNothing() {
        let yaml = """
        rulelang: 1
        correlate:
          - {name: failing, when: 'alertname == "A"', window: 10m, condition: 'count(1 / int(labels.z ?? "0") > 0) >= 2', emit: {summary: "x"}}
          - {name: plain, when: 'alertname == "A"', window: 10m, condition: 'count() >= 2', emit: {summary: "y"}}
        routes:
          - {name: all, when: true}
        """
        var e = engine(yaml)
        for i in 0..<3 { _ = e.receive(alert(["alertname": "A", "i": "\(i)", "z": "0"]), at: Int64(i) * s) }
        #expect(e.state.alerts.values.compactMap(\.derivedBy).sorted() == ["plain"])
    }

    @Test func triggerAfterResolveOpensANewAlert() {
        var e = engine(Self.pack)
        _ = e.receive(alert(["alertname": "X", "env": "dev"]), at: 0)
        _ = e.resolve("X", at: 1 * m)
        _ = e.receive(alert(["alertname": "X", "env": "dev"]), at: 2 * m)
        let statuses = e.state.alerts.values.sorted { $0.id < $1.id }.map(\.status)
        #expect(statuses == [.resolved, .firing])
    }

    @Test func snapshotsGiveIdenticalFutureActions() {
        var e = engine(Self.pack)
        _ = e.receive(alert(["alertname": "HighLatency", "env": "prod"]), at: 0)
        _ = e.receive(alert(["alertname": "B", "env": "dev"]), at: 5 * s)
        var copy = e
        try! copy.restore(e.snapshot())
        let a = e.advance(to: 30 * m), b = copy.advance(to: 30 * m)
        #expect(timeline(a) == timeline(b))
        #expect(!a.isEmpty)
    }
}

@Suite struct SLAAndWindowTests {
    static let pack = """
    rulelang: 1
    tier: platinum
    sla: {ack_timeout: 10m}
    time_windows:
      nights: {hours: "22:00-06:00"}
    channels:
      slack: {type: slack, url: "https://hooks.example.invalid/a"}
      pd: {type: pagerduty, routing_key: k}
    escalations:
      oncall:
        levels:
          - {after: 0m, notify: [slack]}
          - {after: 20m, notify: [pd]}
    routes:
      - {name: quiet, when: 'team == "web"', notify: [slack], mute_during: nights, group_wait: 0s}
      - {name: all, when: true, escalation: oncall, group_wait: 30s}
    """

    @Test func ackWithinBreachEscalatesAtOnce() {
        var e = engine(Self.pack)
        var out = e.receive(alert(["alertname": "A"]), at: 0)
        out += e.advance(to: 30 * m)
        // Platinum: ack within 5m. The breach pulls level 1 (due at 20m) forward to 5m.
        #expect(timeline(out) == ["30s slack A", "300s pd A L1"])
        #expect(e.state.breaches.map { "\($0.kind.rawValue)@\($0.at / 1000)" } == ["ack_within@300"])
    }

    @Test func ackTimeoutRetriggers() {
        var e = engine(Self.pack)
        var out = e.receive(alert(["alertname": "A"]), at: 0)
        out += e.acknowledge("A", at: 1 * m)
        out += e.advance(to: 30 * m)
        #expect(timeline(out) == ["30s slack A", "60s slack A acknowledged", "660s pd A L1"])
        #expect(e.state.alerts[1]?.status == .firing)
    }

    /// A second acknowledgement starts `ack_timeout` again: the first one's deadline passes
    /// without re-triggering.
    @Test func aSecondAcknowledgementRestartsTheAckTimeout() {
        var e = engine(Self.pack)
        var out = e.receive(alert(["alertname": "A"]), at: 0)
        out += e.acknowledge("A", at: 1 * m)
        out += e.acknowledge("A", at: 8 * m)
        out += e.advance(to: 12 * m)
        #expect(e.state.alerts[1]?.status == .acknowledged)
        #expect(e.state.breaches.map { "\($0.kind.rawValue)@\($0.at / 1000)" } == [])
        out += e.advance(to: 30 * m)
        #expect(e.state.alerts[1]?.status == .firing)
        #expect(e.state.breaches.map { "\($0.kind.rawValue)@\($0.at / 1000)" } == ["ack_timeout@1080"])
        // The second acknowledgement is not news to the channels: one acknowledged notification.
        #expect(timeline(out) == ["30s slack A", "60s slack A acknowledged", "1080s pd A L1"])
    }

    /// One SLA timer per alert is pending at a time: the later deadline is scheduled when the
    /// earlier one passes, unless the alert is resolved by then. Both still breach, in order,
    /// whichever is first (here `resolve_within` before `ack_within`).
    @Test func oneSLATimerPendingPerAlert() {
        func run(_ sla: String, resolveAt: Int64?) -> (breaches: [String], timersAfterFirst: Int) {
            var e = engine("""
            rulelang: 1
            sla: \(sla)
            channels:
              slack: {type: slack, url: "https://hooks.example.invalid/a"}
            routes:
              - {name: all, when: true, notify: [slack], group_wait: 0s, group_interval: 1d, repeat_interval: 1d}
            """)
            _ = e.receive(alert(["alertname": "A"]), at: 0)
            if let t = resolveAt { _ = e.resolve("A", at: t) }
            _ = e.advance(to: 11 * m)
            let pending = e.state.timers.count
            _ = e.advance(to: 2 * 60 * m)
            return (e.state.breaches.map { "\($0.kind.rawValue)@\($0.at / 60_000)" }, pending)
        }
        let both = run("{ack_within: 10m, resolve_within: 1h}", resolveAt: nil)
        #expect(both.breaches == ["ack_within@10", "resolve_within@60"])
        #expect(both.timersAfterFirst == 2)         // the group's next check, resolve_within
        // Resolved before the first deadline: nothing breaches and no second SLA timer is set.
        let resolved = run("{ack_within: 10m, resolve_within: 1h}", resolveAt: 5 * m)
        #expect(resolved.breaches.isEmpty)
        #expect(resolved.timersAfterFirst == 2)     // the group's next check, forgetting the alert
        let inverted = run("{ack_within: 1h, resolve_within: 10m}", resolveAt: nil)
        #expect(inverted.breaches == ["resolve_within@10", "ack_within@60"])
    }

    /// An alert no route takes is stored (and counted as unrouted) but has no SLA: nobody was
    /// paged, so nobody can breach it.
    @Test func unroutedAlertsHaveNoSLA() {
        var e = engine("""
        rulelang: 1
        tier: platinum
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        routes:
          - {name: web, when: 'team == "web"', notify: [slack]}
        """)
        _ = e.receive(alert(["alertname": "Stray"]), at: 0)
        _ = e.advance(to: 48 * 60 * m)
        #expect(e.state.alerts[1]?.routes == [])
        #expect(e.state.breaches.isEmpty)
    }

    /// Group keys escape `\`, `,`, `=`, `{`, `}`: label sets that would spell the same key
    /// unescaped stay in two groups.
    @Test func groupKeysAreEscaped() {
        var e = engine("""
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        routes:
          - {name: r, when: true, notify: [slack], group_by: [a, b], group_wait: 10s}
        """)
        var out = e.receive(alert(["alertname": "X", "a": "1,b=2", "b": ""]), at: 0)
        out += e.receive(alert(["alertname": "Y", "a": "1", "b": "2,b="]), at: 0)
        out += e.advance(to: 1 * m)
        #expect(e.state.groups.keys.texts == ["r{a=1,b=2\\,b\\=}", "r{a=1\\,b\\=2,b=}"])
        #expect(timeline(out) == ["10s slack X", "10s slack Y"])
    }

    @Test func muteDuringDropsNotificationsNotTheRoute() {
        var e = engine(Self.pack)
        let night = Int64(1_767_225_600_000) + 23 * 60 * m   // 2026-01-01T23:00Z
        var out = e.receive(alert(["alertname": "W", "team": "web"]), at: night)
        out += e.advance(to: night + 5 * m)
        #expect(out.isEmpty)
        #expect(e.state.alerts[1]?.routes == ["quiet"])
        var day = engine(Self.pack)
        let noon = Int64(1_767_225_600_000) + 12 * 60 * m
        #expect(timeline(day.receive(alert(["alertname": "W", "team": "web"]), at: noon)).count == 1)
    }
}

@Suite struct SnapshotTests {
    /// A busy state (groups mid-wait, escalations pending, a correlation window filling, a
    /// silence) survives a snapshot and gives identical future notifications.
    @Test func roundTripOfABusyStateGivesIdenticalFutureActions() throws {
        let yaml = EngineTests.pack + """

        correlate:
          - name: burst
            when: alertname == "Err"
            by: [service]
            window: 10m
            condition: count() >= 3
            emit: {alertname: ErrBurst, summary: "{{ count() }} errors"}
        """
        var e = engine(yaml)
        var before: [Notification] = []
        for i in 0..<40 {
            let labels = ["alertname": i % 3 == 0 ? "Err" : "HighLatency", "env": i % 2 == 0 ? "prod" : "dev",
                          "service": "s\(i % 4)", "i": "\(i)"]
            before += e.receive(alert(labels, severity: UInt8(i % 4)), at: Int64(i) * 20 * s)
        }
        _ = e.acknowledge("HighLatency", at: 14 * m)
        #expect(e.state.alerts.values.contains { $0.derivedBy == "burst" })
        let bytes = try e.snapshot()
        var restored = engine(yaml)
        try restored.restore(bytes)
        #expect(restored.state == e.state)
        let a = e.advance(to: 3 * 60 * m), b = restored.advance(to: 3 * 60 * m)
        #expect(timeline(a) == timeline(b))
        #expect(a.count > 10)
        // Three hours on, the resolved alerts (derived ones included) are forgotten in both.
        #expect(restored.state == e.state)
    }
}

@Suite struct AnomalyTests {
    static let pack = """
    rulelang: 1
    channels:
      slack: {type: slack, url: "https://hooks.example.invalid/a"}
    anomalies:
      - name: error-surge
        when: alertname == "Err"
        by: [service]
        min_rate: 5
        emit: {alertname: ErrSurge, summary: "surge on {{ service }}"}
    routes:
      - {name: all, when: true, notify: [slack], group_wait: 0s}
    """

    /// Two alerts a minute for three hours, then sixty in one minute.
    static func feed(_ e: inout Engine) {
        for minute in 0..<180 {
            for k in 0..<2 { _ = e.receive(alert(["alertname": "Err", "service": "api", "n": "\(minute)-\(k)"]), at: Int64(minute) * m + Int64(k) * s) }
        }
        for k in 0..<60 { _ = e.receive(alert(["alertname": "Err", "service": "api", "n": "burst-\(k)"]), at: 180 * m + Int64(k) * 500) }
    }

    @Test func aBurstAgainstASteadyBaselineIsAnAnomaly() {
        var e = engine(Self.pack)
        Self.feed(&e)
        let derived = e.state.alerts.values.filter { $0.derivedBy == "error-surge" }
        #expect(derived.count == 1)
        #expect(derived.first?.labels["summary"] == "surge on api")
        // The alert whose count tips the five-minute window past the tail the rule allows.
        #expect(derived.first.map { ($0.startsAt - 180 * m) / 500 } == 37)
    }

    /// After the burst the group goes quiet: the episode resolves once the burst has left the
    /// last 15 minutes (at the close of minute 195) and five calm minutes have followed, with no
    /// alert needed; a new burst is news again after the 30-minute cooldown.
    @Test func aQuietGroupResolvesItsAnomaly() {
        var e = engine(Self.pack)
        Self.feed(&e)
        _ = e.advance(to: 199 * m)
        #expect(e.state.alerts.values.filter { $0.derivedBy == "error-surge" }.map(\.status) == [.firing])
        _ = e.advance(to: 200 * m)
        let derived = e.state.alerts.values.filter { $0.derivedBy == "error-surge" }
        #expect(derived.map(\.status) == [.resolved])
        #expect(e.state.anomalies.values.map { $0.derived == nil } == [true])
        for k in 0..<60 { _ = e.receive(alert(["alertname": "Err", "service": "api", "n": "soon-\(k)"]), at: 205 * m + Int64(k) * 500) }
        #expect(e.state.alerts.values.filter { $0.derivedBy == "error-surge" }.count == 1)
        for k in 0..<60 { _ = e.receive(alert(["alertname": "Err", "service": "api", "n": "again-\(k)"]), at: 240 * m + Int64(k) * 500) }
        #expect(e.state.alerts.values.filter { $0.derivedBy == "error-surge" }.count == 2)
    }

    @Test func switchedOffByTheMLFlag() {
        var e = engine(Self.pack)
        e.anomaliesEnabled = false
        Self.feed(&e)
        #expect(!e.state.alerts.values.contains { $0.derivedBy != nil })
    }
}

@Suite struct GroupExpiryTests {
    @Test func idleGroupsExpireAfterTheCacheTTL() {
        var e = engine(EngineTests.pack)
        e.cacheTTLMs = 10 * m
        _ = e.receive(alert(["alertname": "A", "env": "prod"]), at: 0)
        _ = e.acknowledge("A", at: 1 * m)
        // Checks every 5m from 30s: idle from the 5m30s check, forgotten at the 15m30s one.
        _ = e.advance(to: 11 * m)
        #expect(e.state.groups.count == 1)
        _ = e.advance(to: 16 * m)
        #expect(e.state.groups.isEmpty)
        #expect(e.state.timers.count < 10)
    }
}

@Suite struct PackSwapTests {
    static func compiled(_ yaml: String) -> (CheckedPack, RuntimePack) {
        let (checked, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
        precondition(d.filter { $0.severity == .error }.isEmpty, DiagnosticRenderer().text(d))
        return (checked, TestSupport.compiled(checked))
    }

    /// Mid-flight: the escalation keeps its frozen plan, the group is not notified twice, and
    /// a new alert takes the new pack's route at once.
    @Test func swapKeepsEscalationsInFlightAndRoutesNewAlertsByTheNewPack() {
        var e = engine(EngineTests.pack)
        var out = e.receive(alert(["alertname": "HighLatency", "env": "prod"]), at: 0)
        out += e.advance(to: 2 * m)
        let newPack = EngineTests.pack
            .replacingOccurrences(of: "{after: 5m, notify: [pd]}", with: "{after: 7m, notify: [teams]}")
            .replacingOccurrences(of: "when: env == \"prod\"", with: "when: env == \"production\"")
        let (checked, compiled) = Self.compiled(newPack)
        e.swap(to: checked, compiled: compiled, at: 2 * m)
        out += e.receive(alert(["alertname": "Other", "env": "prod"]), at: 3 * m)
        out += e.advance(to: 6 * m)
        #expect(timeline(out) == ["30s slack HighLatency", "190s teams Other", "300s pd HighLatency L1"])
    }

    @Test func unchangedCorrelationWindowsCarryOver() {
        let base = EngineTests.pack + """

        correlate:
          - {name: burst, when: 'alertname == "Err"', by: [service], window: 10m, condition: count() >= 3, emit: {alertname: Burst}}
          - {name: other, when: 'alertname == "Err"', by: [service], window: 10m, condition: count() >= 2, emit: {alertname: Other}}
        """
        var e = engine(base)
        _ = e.receive(alert(["alertname": "Err", "service": "a", "i": "1"]), at: 0)
        let changed = base.replacingOccurrences(of: "condition: count() >= 2", with: "condition: count() >= 5")
        let (checked, compiled) = Self.compiled(changed)
        e.swap(to: checked, compiled: compiled, at: 0)
        #expect(e.state.windows.values.map { e.pack.correlate[$0.rule.index].name }.sorted() == ["burst"])
        _ = e.receive(alert(["alertname": "Err", "service": "a", "i": "2"]), at: 1 * m)
        _ = e.receive(alert(["alertname": "Err", "service": "a", "i": "3"]), at: 2 * m)
        #expect(e.state.alerts.values.contains { $0.derivedBy == "burst" })
    }
}

@Suite struct HeartbeatTests {
    static let pack = """
    rulelang: 1
    channels:
      slack: {type: slack, url: "https://hooks.example.invalid/a"}
    correlate:
      - {name: watchdog, when: 'alertname == "Watchdog"', by: [site], every: 10m, emit: {alertname: WatchdogMissing, summary: "no beat from {{ site }}"}}
    routes:
      - {name: all, when: true, notify: [slack], group_wait: 0s}
    """

    /// A watchdog repeating the same labels keeps its heartbeat alive; when it stops, the
    /// missing alert names its own site.
    @Test func repeatedBeatsKeepTheHeartbeatAlive() {
        var e = engine(Self.pack)
        for k in 0..<5 {
            _ = e.receive(alert(["alertname": "Watchdog", "site": "a"]), at: Int64(k) * 4 * m)
            _ = e.receive(alert(["alertname": "Watchdog", "site": "b"]), at: Int64(k) * 4 * m + 1 * s)
        }
        _ = e.advance(to: 25 * m)
        #expect(!e.state.alerts.values.contains { $0.derivedBy != nil })
        _ = e.receive(alert(["alertname": "Watchdog", "site": "b"]), at: 26 * m)
        _ = e.advance(to: 40 * m)
        let missing = e.state.alerts.values.filter { $0.derivedBy == "watchdog" }.map { $0.labels["summary"] ?? "" }.sorted()
        #expect(missing == ["no beat from a", "no beat from b"])
    }
}

@Suite struct RuntimeSilenceTests {
    @Test func silencesMuteUntilTheyExpireAndSurviveSnapshots() throws {
        var e = engine(EngineTests.pack)
        let (checked, _) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: EngineTests.pack)])
        /// The service's way: compiled against the pack, then handed to the engine.
        func addSilence(id: String, expression: String, expiresAt: Int64) -> [Diagnostic] {
            let (silence, diagnostics) = SilenceCompiler.compile(expression, id: id, for: checked)
            if let silence { _ = e.handle(.silenceAdded(silence, expiresAt: expiresAt), at: 0) }
            return diagnostics
        }
        #expect(addSilence(id: "s1", expression: "env == \"dev\" && alertname =~ \"Disk.*\"", expiresAt: 10 * m).isEmpty)
        let bad = addSilence(id: "s2", expression: "env == ", expiresAt: 10 * m)
        #expect(bad.map(\.code.id) == ["E0104"])
        _ = e.receive(alert(["alertname": "DiskFull", "env": "dev", "i": "1"]), at: 1 * m)
        _ = e.receive(alert(["alertname": "CPU", "env": "dev"]), at: 1 * m)
        var restored = engine(EngineTests.pack)
        try restored.restore(try e.snapshot())
        _ = restored.receive(alert(["alertname": "DiskFull", "env": "dev", "i": "2"]), at: 2 * m)
        _ = restored.receive(alert(["alertname": "DiskFull", "env": "dev", "i": "3"]), at: 11 * m)
        let muted = restored.state.alerts.values.sorted { $0.id < $1.id }.map { "\($0.alertname):\($0.suppressedBy ?? "-")" }
        #expect(muted == ["DiskFull:silence:s1", "CPU:-", "DiskFull:silence:s1", "DiskFull:-"])
    }
}
