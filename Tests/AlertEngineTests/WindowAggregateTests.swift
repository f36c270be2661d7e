import RuleText
import Foundation
import Testing
@testable import AlertEngine
import RuleLang
import RuleVM

/// The running aggregates of a sliding window give what reducing the window again gives.
@Suite struct WindowAggregateTests {
    /// A small deterministic generator (xorshift), so a failure replays.
    struct Rng {
        var s: UInt64
        mutating func next(_ n: Int) -> Int {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17
            return Int(s % UInt64(n))
        }
    }

    static func value(_ r: inout Rng, mixed: Bool) -> PlainValue {
        switch r.next(mixed ? 9 : 3) {
        case 0: return .missing
        case 1: return .int(Int64(r.next(20)) - 5)
        case 2: return .float([0.1, 0.2, 0.3, 1e16, -1e16, 2.5, -0.0][r.next(7)])
        case 3: return .string(["a", "b", "é", "ab"][r.next(4)])
        case 4: return .bool(r.next(2) == 0)
        case 5: return .duration(Int64(r.next(5)) * 1000)
        case 6: return .int(2)
        case 7: return .float(2.0)
        default: return .float(.nan)
        }
    }

    /// 4,000 random enter/leave steps per aggregate kind, on numbers only and on mixed kinds:
    /// every value but sums and averages equals the reduction of the window; those equal it
    /// when the window's numbers sum exactly, and never drift from a fresh exact sum.
    @Test func runningAggregatesMatchAFreshReduction() {
        for mixed in [false, true] {
            for kind in Aggregate.allCases {
                var r = Rng(s: 0x9E37_79B9_7F4A_7C15 &+ UInt64(kind.rawValue.utf8.count) &+ (mixed ? 1 : 0))
                var running = WindowAggregate(kind)
                var events: [WindowGroup.Event] = []
                for step in 0..<4_000 {
                    if events.isEmpty || r.next(3) != 0 {
                        let v = Self.value(&r, mixed: mixed)
                        events.append(.init(at: Int64(step), alert: step, values: [v]))
                        running.add(v)
                    } else {
                        let n = 1 + r.next(min(3, events.count))
                        for e in events.prefix(n) { running.remove(e.values[0]) }
                        events.removeFirst(n)
                    }
                    let got = running.value(events[...], argument: 0)
                    var fresh = WindowAggregate(kind)
                    for e in events { fresh.add(e.values[0]) }
                    #expect(got == fresh.value(events[...], argument: 0), "\(kind) mixed \(mixed) step \(step)")
                    if kind != .sum && kind != .avg {
                        let reduced = Aggregates.reduce(kind, events.map { $0.values[0] }, count: events.count)
                        #expect(got == reduced, "\(kind) mixed \(mixed) step \(step): \(got) vs \(reduced)")
                    }
                    if !(got == fresh.value(events[...], argument: 0)) { return }
                }
            }
        }
    }

    @Test func sumsAreExactAndCorrectlyRounded() {
        var sum = WindowAggregate(.sum)
        for v in [1e16, 1.0, -1e16, 0.1, 0.2] { sum.add(.float(v)) }
        // A left fold gives 0.30000000000000004 (1e16 + 1 loses the 1); the exact sum is 1.3.
        #expect(sum.value([][...], argument: 0) == .float(1.3))
        sum.remove(.float(1e16))
        sum.remove(.float(1.0))
        sum.remove(.float(-1e16))
        #expect(sum.value([][...], argument: 0) == .float(0.30000000000000004))   // 0.1 + 0.2, rounded once
        // Finite numbers past the largest double on the way: infinite while they are in the
        // window, exact again once they have left.
        var big = WindowAggregate(.sum)
        let huge: [WindowGroup.Event] = [1.7e308, 1.7e308, 2.5].enumerated().map { .init(at: Int64($0.offset), alert: $0.offset, values: [.float($0.element)]) }
        for e in huge { big.add(e.values[0]) }
        #expect(big.value(huge[...], argument: 0) == .float(.infinity))
        big.remove(.float(1.7e308))
        #expect(big.value(huge[1...], argument: 0) == .float(1.7e308 + 2.5))
        big.remove(.float(1.7e308))
        #expect(big.value(huge[2...], argument: 0) == .float(2.5))
        var durations = WindowAggregate(.avg)
        for d in [1000, 3000] as [Int64] { durations.add(.duration(d)) }
        #expect(durations.value([][...], argument: 0) == .duration(2000))
    }
}

/// Durations near the 64-bit limit (a computed duration can reach it): `sum` saturates instead
/// of wrapping, `avg` stays exact, running and fresh reductions agree, and the state survives
/// its encoding.
@Suite struct DurationSumTests {
    static let big = Int64.max - 10

    static func events(_ ds: [Int64]) -> [WindowGroup.Event] {
        ds.enumerated().map { .init(at: Int64($0.offset), alert: $0.offset, values: [.duration($0.element)]) }
    }

    @Test(arguments: [
        ([big, big, 5], Int64.max, big / 3 * 2 + (big % 3 * 2 + 5) / 3),
        ([-big, -big, -30], Int64.min, -(big / 3 * 2 + (big % 3 * 2 + 30) / 3)),
        ([big, big, -big], big, big / 3),
        ([1000, 3000], 4000, 2000),
    ] as [([Int64], Int64, Int64)])
    func sumSaturatesAndAverageIsExact(_ ds: [Int64], _ sum: Int64, _ avg: Int64) throws {
        let evs = Self.events(ds)
        for (kind, expected) in [(Aggregate.sum, sum), (.avg, avg)] {
            var running = WindowAggregate(kind)
            for d in ds { running.add(.duration(d)) }
            #expect(running.value(evs[...], argument: 0) == .duration(expected), "\(kind) \(ds)")
            #expect(Aggregates.reduce(kind, ds.map { .duration($0) }, count: ds.count) == .duration(expected), "\(kind) \(ds)")
            let decoded = try JSONDecoder().decode(WindowAggregate.self, from: JSONEncoder().encode(running))
            #expect(decoded == running)
        }
    }

    /// Past the limit and back: once the large values leave, the sum is exact again.
    @Test func sumRecoversWhenTheLargeValuesLeave() {
        var sum = WindowAggregate(.sum)
        let evs = Self.events([Self.big, Self.big, 7])
        for e in evs { sum.add(e.values[0]) }
        #expect(sum.value(evs[...], argument: 0) == .duration(.max))
        sum.remove(.duration(Self.big))
        sum.remove(.duration(Self.big))
        #expect(sum.value(evs[2...], argument: 0) == .duration(7))
    }
}

@Suite struct WindowSnapshotTests {
    static let pack = """
    rulelang: 1
    channels:
      slack: {type: slack, url: "https://hooks.example.invalid/a"}
    correlate:
      - name: burst
        when: 'alertname == "Err"'
        by: [service]
        window: 10m
        condition: count() >= 3 && distinct(host) >= 2 && sum(value ?? 0.0) > 1.0
        emit: {alertname: Burst, summary: "{{ count() }} from {{ distinct(host) }} hosts, max {{ max(value) }}, first {{ first(host) }}"}
    routes:
      - {name: all, when: true, notify: [slack], group_wait: 0s}
    """

    static func feed(_ e: inout Engine, from: Int, to: Int, settle: Bool = true) -> [String] {
        var out: [AlertEngine.Notification] = []
        for i in from..<to {
            var a = alert(["alertname": "Err", "service": "api", "host": "h\(i % 3)", "n": "\(i)"])
            a.value = Double(i % 5) / 4
            out += e.handle(.alert(a), at: Int64(i) * 90 * s).notifications
        }
        if settle { out += e.handle(.timersDue, at: Int64(to) * 90 * s + 30 * m).notifications }
        return timeline(out) + e.state.alerts.values.filter { $0.derivedBy != nil }.map { "\($0.startsAt / 1000)s \($0.labels["summary"] ?? "")" }
    }
}
