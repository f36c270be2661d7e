import TestSupport
import PackTesting
import Testing
import AlertEngine
import RuleCompiler
import RuleLang
import RuleText
import RuleVM

/// Extreme durations and times: checked where they are read, and never a trap in the engine or
/// the test runner, whatever the pack, the clock or the state holds.
@Suite struct ExtremeTimeTests {
    /// Every duration position of a pack (and of its tests), as a YAML template where `D` is
    /// replaced; the duration's key is unique in the pack.
    static let positions: [(key: String, positive: Bool, yaml: String)] = [
        ("group_wait", false, route("group_wait: D")),
        ("group_interval", true, route("group_interval: D")),
        ("repeat_interval", true, route("repeat_interval: D")),
        ("ack_within", false, route("") + "sla: {ack_within: D}\n"),
        ("resolve_within", false, route("") + "sla: {resolve_within: D}\n"),
        ("ack_timeout", false, route("") + "sla: {ack_timeout: D}\n"),
        ("after", false, route("escalation: esc") + "escalations:\n  esc:\n    levels:\n      - {after: D, notify: [slack]}\n    repeat: 100\n"),
        ("every", true, route("") + "correlate:\n  - {name: hb, when: 'alertname == \"A\"', by: [alertname], every: D, emit: {alertname: Gone}}\n"),
        ("window", false, route("") + "correlate:\n  - {name: w, when: 'alertname == \"A\"', by: [alertname], window: D, condition: 'count(true) >= 1', emit: {alertname: Many}}\n"),
        ("within", false, route("") + "correlate:\n  - {name: sq, by: [alertname], within: D, sequence: ['alertname == \"A\"', 'alertname == \"A\"'], emit: {alertname: Twice}}\n"),
        ("until", false, route("", test: "until: D")),
        ("at", false, route("", input: "D")),
    ]

    /// A pack of one route (with `extra` in it) and one test (with `test` in it, its second
    /// input at `input`).
    static func route(_ extra: String, test: String = "until: 1h", input: String = "1m") -> String {
        """
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        routes:
          - name: all
            when: true
            notify: [slack]
            \(extra)
        tests:
          - name: extreme
            partial: true
            \(test)
            input:
              - {at: 0s, alert: {labels: {alertname: A}, severity: critical}}
              - {at: \(input), alert: {labels: {alertname: A, n: "2"}, severity: critical}}
            expect: []

        """
    }

    static func check(_ yaml: String) -> (CheckedPack, [String]) {
        let (checked, d) = Frontend.check(tenant: "t", files: [SourceFile(path: "t.yaml", text: yaml)])
        return (checked, d.filter { $0.severity == .error }.map { "\($0.code.id) \($0.message)" })
    }

    /// Each duration position with 0, 1ms, 3650d, 3650d1ms, the largest 64-bit value and past
    /// it, and a negative: the diagnostics are exact, and an accepted pack runs its test
    /// through the engine without a trap.
    @Test(arguments: positions)
    func everyDurationPositionIsBounded(_ position: (key: String, positive: Bool, yaml: String)) {
        let what = "`\(position.key)`"
        let cases: [(String, String?)] = [
            ("0s", position.positive ? "E0012 \(what) must be longer than 0s" : nil),
            ("1ms", nil),
            ("3650d", nil),
            ("3650d1ms", "E0012 duration `3650d1ms` for \(what) is longer than the maximum of 3650d"),
            ("106751991167d", "E0012 duration `106751991167d` for \(what) is longer than the maximum of 3650d"),
            ("106751991168d", "E0012 bad duration `106751991168d` for \(what)"),
            ("-1s", "E0012 bad duration `-1s` for \(what)"),
        ]
        for (value, error) in cases {
            let yaml = position.yaml.replacingOccurrences(of: ": D", with: ": \(value)").replacingOccurrences(of: "at: D", with: "at: \(value)")
            let (checked, errors) = Self.check(yaml)
            // (A rejected escalation level also leaves its escalation without levels: E0011.)
            #expect(errors.filter { $0.hasPrefix("E0012") } == (error.map { [$0] } ?? []), "\(position.key): \(value)")
            #expect(error != nil || errors.isEmpty, "\(position.key): \(value)")
            guard errors.isEmpty else { continue }
            let outcomes = TestRunner.run(checked, compiled: TestSupport.compiled(checked))
            #expect(outcomes.map(\.name) == ["extreme"], "\(position.key): \(value)")
        }
    }

    /// The engine's own clock at its extremes: alerts at the first and last representable
    /// instants, with every timer of the pack at its longest, never trap; a deadline past the
    /// end of time never fires.
    @Test func theEngineSaturatesAtTheEndsOfTime() {
        var e = engine("""
        rulelang: 1
        sla: {ack_within: 3650d, resolve_within: 3650d, ack_timeout: 3650d}
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        escalations:
          esc:
            levels:
              - {after: 0s, notify: [slack]}
              - {after: 3650d, notify: [slack]}
            repeat: 100
        correlate:
          - {name: hb, when: 'alertname == "A"', by: [alertname], every: 3650d, emit: {alertname: Gone}}
          - {name: w, when: 'alertname == "A"', by: [alertname], window: 3650d, condition: 'count(true) >= 1', emit: {alertname: Many}}
          - {name: sq, by: [alertname], within: 3650d, sequence: ['alertname == "A"', 'alertname == "A"'], emit: {alertname: Twice}}
        routes:
          - {name: all, when: true, notify: [slack], escalation: esc, group_wait: 3650d, group_interval: 3650d, repeat_interval: 3650d}
        """)
        // (A group's check every 3650d from 0 to the end of time is 29 million timers: the
        // cap per event keeps the test short.)
        e.maxTimersPerEvent = 1000
        let initial = e
        for now in [Int64.max - 1, Int64.max, Int64.min, Int64.min + 1, 0] {
            e = initial
            _ = e.receive(alert(["alertname": "A"]), at: now)
            _ = e.receive(alert(["alertname": "A", "n": "2"]), at: now)
            _ = e.acknowledge("A", at: now)
            _ = e.escalateNow("A", at: now)
            let late = e.advance(to: .max)
            #expect(late.allSatisfy { $0.at >= now }, "\(now)")
            #expect(e.overdue(at: .max) == (now < Int64.max - 1), "\(now)")
            _ = e.resolve("A", at: .max)
        }
    }

    /// One event fires at most `maxTimersPerEvent` timers; the rest stay due for the next.
    @Test func oneEventFiresABoundedNumberOfTimers() {
        var e = engine("""
        rulelang: 1
        channels:
          slack: {type: slack, url: "https://hooks.example.invalid/a"}
        routes:
          - {name: all, when: true, notify: [slack], group_wait: 0s, group_interval: 1ms, repeat_interval: 1ms}
        """)
        e.maxTimersPerEvent = 1000
        _ = e.receive(alert(["alertname": "A"]), at: 0)
        let sent = e.advance(to: 86_400_000)
        #expect(sent.count == 1000)
        #expect(e.timersFired == 1000)
        #expect(e.overdue(at: 86_400_000))
        // (The flush at 0 went with the alert's own event.)
        #expect(sent.first?.at == 1 && sent.last?.at == 1000)
        #expect(e.advance(to: 86_400_000).first?.at == 1001)
    }

    /// A test whose timers fire every millisecond for a day stops at the cap and fails, naming it.
    @Test func aTestStopsAtItsTimerCap() {
        let yaml = Self.route("group_interval: 1ms\n    repeat_interval: 1ms", test: "until: 1d")
        let (checked, errors) = Self.check(yaml)
        #expect(errors == [])
        let outcomes = TestRunner.run(checked, compiled: TestSupport.compiled(checked))
        #expect(outcomes.map(\.status) == [.failed])
        #expect(outcomes.first?.detail == "stopped after 100,000 timer firings, the most one run may make: "
                + "the timers (group_interval, repeat_interval, escalations, correlations) fire too often")
    }

    /// Saturating arithmetic: exact inside the range, clamped at its ends.
    @Test func saturatingArithmetic() {
        #expect(Int64(5).addingSaturated(7) == 12)
        #expect(Int64.max.addingSaturated(1) == .max)
        #expect(Int64.min.addingSaturated(-1) == .min)
        #expect(Int64.min.subtractingSaturated(1) == .min)
        #expect(Int64.max.subtractingSaturated(-1) == .max)
        #expect(Int64(0).subtractingSaturated(.min) == .max)
        #expect(Int64.max.multipliedSaturated(2) == .max)
        #expect(Int64.max.multipliedSaturated(-2) == .min)
        #expect(Int64(-3).multipliedSaturated(4) == -12)
        #expect(maxDurationMs == 315_360_000_000)
    }

    /// RFC 3339: every field in its real range; one parser for every path.
    @Test(arguments: [
        ("2026-01-01T00:00:00Z", Int64(1_767_225_600_000)),
        ("2026-01-01t00:00:00z", 1_767_225_600_000),
        ("2024-02-29T12:00:00Z", 1_709_208_000_000),
        ("2000-02-29T00:00:00Z", 951_782_400_000),
        ("2026-01-01T00:00:00.5Z", 1_767_225_600_500),
        ("2026-01-01T00:00:00.123456789Z", 1_767_225_600_123),
        ("2026-01-01T01:00:00+01:00", 1_767_225_600_000),
        ("2025-12-31T23:00:00-01:00", 1_767_225_600_000),
        ("2026-01-01T23:59:59+23:59", 1_767_225_600_000 + 86_399_000 - 86_340_000),
        ("0000-01-01T00:00:00Z", -62_167_219_200_000),
        ("9999-12-31T23:59:59Z", 253_402_300_799_000),
        ("1970-01-01T00:00:00Z", 0),
    ] as [(String, Int64)])
    func validTimes(_ text: String, _ ms: Int64) {
        #expect(parseRFC3339(text) == ms)
    }

    @Test(arguments: [
        "2026-02-30T00:00:00Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01T00:00:61Z",
        "2026-01-01T00:00:00+99:99", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00-00:60",
        "2026-01-01T00:00:00", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00Zjunk",
        "+2026-01-01T00:00:00Z", "26-01-01T00:00:00Z", "2026-1-01T00:00:00Z", "2026-01-01T00:00:00+0100", "",
    ])
    func invalidTimes(_ text: String) {
        #expect(parseRFC3339(text) == nil)
    }
}
