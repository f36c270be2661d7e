import Testing
import AlertEngine

/// Escalation rounds: `repeat` runs the levels again once the last level has waited as long as
/// the level before it did.
@Suite struct EscalationRoundTests {
    static func pack(levels: String, repeatCount: Int) -> String {
        """
        rulelang: 1
        channels:
          a: {type: slack, url: "https://hooks.example.invalid/a"}
          b: {type: slack, url: "https://hooks.example.invalid/b"}
          c: {type: slack, url: "https://hooks.example.invalid/c"}
        escalations:
          oncall:
            levels: \(levels)
            repeat: \(repeatCount)
        routes:
          - {name: all, when: true, notify: [a], group_wait: 0s, escalation: oncall}
        """
    }

    @Test func aRoundStartsOnceTheLastLevelHasHadItsTime() {
        var e = engine(Self.pack(levels: "[{after: 0m, notify: [b]}, {after: 5m, notify: [c]}, {after: 15m, notify: [a]}]", repeatCount: 1))
        var out = e.receive(alert(["alertname": "Down"]), at: 0)
        out += e.advance(to: 3 * 3_600_000)
        #expect(timeline(out) == ["0s a Down", "0s b Down", "300s c Down L1", "900s a Down L2",
                                  "1500s b Down L0", "1800s c Down L1", "2400s a Down L2"])
    }

    /// A round replays the levels' `after` from its own start: one level at 10m makes rounds of
    /// 20m (10m to the level, 10m for it).
    @Test func aSingleLevelRepeatsEveryTwiceItsAfterAndAnImmediateOneNever() {
        var e = engine(Self.pack(levels: "[{after: 10m, notify: [b]}]", repeatCount: 2))
        var out = e.receive(alert(["alertname": "Down"]), at: 0)
        out += e.advance(to: 3 * 3_600_000)
        #expect(timeline(out) == ["0s a Down", "600s b Down L0", "1800s b Down L0", "3000s b Down L0"])
        var once = engine(Self.pack(levels: "[{after: 0m, notify: [b]}]", repeatCount: 3))
        var sent = once.receive(alert(["alertname": "Down"]), at: 0)
        sent += once.advance(to: 3 * 3_600_000)
        #expect(timeline(sent) == ["0s a Down", "0s b Down"])
    }

    @Test func acknowledgingStopsTheNextRound() {
        var e = engine(Self.pack(levels: "[{after: 0m, notify: [b]}, {after: 5m, notify: [c]}]", repeatCount: 5))
        var out = e.receive(alert(["alertname": "Down"]), at: 0)
        out += e.advance(to: 12 * 60_000)
        out += e.acknowledge("Down", at: 12 * 60_000)
        out += e.advance(to: 3 * 3_600_000)
        // Rounds of 10m: b at 10m as level 0 of round 1, then the acknowledgement news to
        // the channels that paged it.
        #expect(timeline(out) == ["0s a Down", "0s b Down", "300s c Down L1", "600s b Down L0",
                                  "720s a Down acknowledged", "720s b Down acknowledged", "720s c Down acknowledged"])
    }
}
