import TestSupport
import RuleRuntime
import Foundation
import Testing
import AlertEngine
import RuleCompiler
import RuleLang
import RuleVM

/// The engine's whole state is `EngineState`: an engine restored from a snapshot — a new engine
/// built from the pack in force, as a replica or a restarted service builds it — has the same
/// future as one that never stopped, at every step of a busy stream (pack swaps included). And
/// the state is bounded: once the stream goes quiet and its alerts are resolved, its timers
/// take everything out of it.
@Suite struct StateReplayTests {
    /// Two versions of a pack that differ in grouping, waits, a window's condition, an
    /// inhibition's `equal` and an escalation (the swaps between them change policies, keep some
    /// correlation state and drop the rest).
    static func pack(_ version: Int) -> String {
        """
        rulelang: 1
        sla: {ack_within: 2m, resolve_within: 6m, ack_timeout: 3m}
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
          pd: {type: pagerduty, routing_key: k}
        escalations:
          oncall:
            levels:
              - {after: 0m, notify: [slack]}
              - {after: \(version == 1 ? "1m" : "90s"), notify: [pd]}
            repeat: 1
            until: acknowledged
        suppress:
          - {name: maint, when: 'env == "maint"'}
          - {name: db-mutes, when: 'alertname != "DBDown"', while_active: 'alertname == "DBDown"', equal: [\(version == 1 ? "cluster" : "env")]}
        correlate:
          - {name: burst, when: 'alertname == "Err"', by: [cluster], window: 5m, condition: count() >= \(version == 1 ? 3 : 2), emit: {alertname: Burst}}
          - name: chain
            by: [cluster]
            within: 4m
            sequence:
              - alertname == "Login"
              - alertname == "Payout"
            emit: {alertname: Chain}
          - {name: beat, when: 'alertname == "Watchdog"', by: [cluster], every: 3m, emit: {alertname: BeatMissing}}
        anomalies:
          - {name: surge, when: 'alertname == "Err"', by: [cluster], sensitivity: 2, emit: {alertname: Surge}}
        routes:
          - name: prod
            when: env == "prod"
            group_by: [\(version == 1 ? "alertname" : "cluster")]
            group_wait: \(version == 1 ? "20s" : "40s")
            group_interval: 1m
            repeat_interval: 5m
            escalation: oncall
            continue: true
          - {name: all, when: true, notify: [slack], group_by: [cluster], group_wait: 10s, group_interval: 2m}
        """
    }

    static let packs = [pack(1), pack(2)].map { yaml -> (CheckedPack, RuntimePack) in
        let (checked, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
        precondition(d.filter { $0.severity == .error }.isEmpty, DiagnosticRenderer().text(d))
        return (checked, TestSupport.compiled(checked))
    }

    static let names = ["Err", "DBDown", "Disk", "Login", "Payout", "Watchdog"]

    /// A new engine on pack `version` (0 or 1), with the settings of these tests: resolved
    /// alerts forgotten after 10 minutes, idle groups after 5.
    static func engine(_ version: Int) -> Engine {
        var e = Engine(pack: packs[version].1)
        e.forgetResolvedMs = 10 * m
        e.cacheTTLMs = 5 * m
        return e
    }

    /// A busy stream drawn from `seed`: alerts (repeats among them), acknowledgements,
    /// resolutions, manual escalations, timers, silences added and removed, and pack swaps
    /// between the two versions; each event with its time and the pack version after it.
    static func stream(seed: UInt64, count: Int) -> [(event: EngineEvent, at: Int64, version: Int)] {
        var rng = SplitMix(seed)
        var now: Int64 = 1_767_225_600_000, version = 0
        var out: [(EngineEvent, Int64, Int)] = []
        for _ in 0..<count {
            now += Int64(rng.next(90)) * s
            let name = names[rng.next(names.count)]
            let event: EngineEvent
            switch rng.next(100) {
            case 0..<50:
                let labels = ["alertname": name, "cluster": ["a", "b", "c"][rng.next(3)],
                              "env": ["prod", "prod", "dev", "maint"][rng.next(4)], "n": "\(rng.next(4))"]
                event = .alert(AlertInput(labels: labels, severity: UInt8(rng.next(4)), tenant: "t"))
            case 50..<60: event = .acknowledge(name)
            case 60..<70: event = .resolve(name)
            case 70..<75: event = .escalate(name)
            case 75..<85: event = .timersDue
            case 85..<91:
                let id = "s\(rng.next(3))", expression = "cluster == \"\(["a", "b", "c"][rng.next(3)])\""
                event = .silenceAdded(SilenceCompiler.compile(expression, id: id, for: packs[version].0).0!,
                                      expiresAt: now + Int64(rng.next(20)) * m)
            case 91..<95: event = .silenceRemoved(id: "s\(rng.next(3))")
            default:
                version = 1 - version
                event = .packSwapped(packs[version].1)
            }
            out.append((event, now, version))
        }
        return out
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func restoringAtEveryStepGivesTheSameFuture(seed: UInt64) throws {
        var reference = Self.engine(0)
        var restored = Self.engine(0)
        var version = 0
        var notified = 0, swaps = 0
        for (step, (event, at, next)) in Self.stream(seed: seed, count: 400).enumerated() {
            // A new engine on the pack in force, given the state as bytes.
            let snapshot = try restored.snapshot()
            restored = Self.engine(version)
            try restored.restore(snapshot)
            let want = reference.handle(event, at: at)
            let got = restored.handle(event, at: at)
            #expect(got == want, "seed \(seed), step \(step): \(event)")
            if got != want { return }
            version = next
            notified += want.notifications.count
            if case .packSwapped = event { swaps += 1 }
        }
        #expect(restored.state == reference.state)
        // The stream is busy: it notifies and swaps packs.
        #expect(notified > 100)
        #expect(swaps > 5)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theStateEmptiesOnceTheStreamGoesQuiet(seed: UInt64) {
        var e = Self.engine(0)
        var last: Int64 = 0
        for (event, at, _) in Self.stream(seed: seed, count: 400) {
            _ = e.handle(event, at: at)
            last = at
        }
        #expect(Self.sizes(e.state).values.contains { $0 > 0 })
        // Everything still open is resolved (derived alerts too); then time passes.
        for name in Self.names + ["Burst", "Chain", "BeatMissing", "Surge"] { _ = e.handle(.resolve(name), at: last + 1) }
        for day in 1...8 { _ = e.handle(.timersDue, at: last + Int64(day) * 86_400_000) }
        #expect(Self.sizes(e.state).filter { $0.value > 0 } == [:], "seed \(seed)")
    }

    /// Only the snapshot format the engine writes restores: one that names no format (as
    /// snapshots did before they named theirs) or another one is refused, the state untouched.
    @Test func snapshotsOfAnotherFormatAreRefused() throws {
        var e = Self.engine(0)
        for (event, at, _) in Self.stream(seed: 1, count: 50) { _ = e.handle(event, at: at) }
        let saved = e.state
        var json = try #require(try JSONSerialization.jsonObject(with: try e.snapshot()) as? [String: Any])
        #expect(json["format"] as? Int == Engine.snapshotFormat)
        let state = try #require(json["state"])
        json["format"] = 99
        #expect(throws: SnapshotError.unknownFormat(99, supported: 2)) { try e.restore(JSONSerialization.data(withJSONObject: json)) }
        #expect(throws: SnapshotError.unknownFormat(nil, supported: 2)) { try e.restore(JSONSerialization.data(withJSONObject: state)) }
        // Format 1 (string group keys, rules by name, silences without their program) is refused.
        json["format"] = 1
        #expect(throws: SnapshotError.unknownFormat(1, supported: 2)) { try e.restore(JSONSerialization.data(withJSONObject: json)) }
        #expect(e.state == saved)
        #expect("\(SnapshotError.unknownFormat(nil, supported: 2))" == "engine snapshot of format (none), but this engine reads format 2 only")
        #expect("\(SnapshotError.unknownFormat(1, supported: 2))" == "engine snapshot of format 1, but this engine reads format 2 only")
    }

    /// The size of every table of the state.
    static func sizes(_ state: EngineState) -> [String: Int] {
        ["alerts": state.alerts.count, "open": state.open.count, "groups": state.groups.count, "timers": state.timers.count,
         "escalationTokens": state.escalationTokens.count, "escalationStep": state.escalationStep.count, "plans": state.plans.count,
         "escalationShift": state.escalationShift.count, "ackTimeouts": state.ackTimeouts.count, "windows": state.windows.count,
         "sequences": state.sequences.count, "heartbeats": state.heartbeats.count, "anomalies": state.anomalies.count,
         "silences": state.silences.count, "inhibitors": state.inhibitors.count, "breaches": state.breachesByAlert.count]
    }
}

