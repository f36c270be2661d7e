import AlertEngine
import AnomalyStreams
import Foundation
import Testing

/// The anomaly detector on generated streams, through the engine as `rulec simulate` drives
/// it: exact detections for small seeds, a restart in the middle of a storm, bounded state.
/// (The full benchmark is `make bench-anomaly`; docs/anomalies.md has its table.)
@Suite struct AnomalyReplayTests {
    /// Two days of two groups (0.5 and 2 alerts a minute, seasonal), the first day learning,
    /// two storms per group on the second.
    static let scenario = Scenarios.storms(seed: 7, groups: 2, days: 2, learnDays: 1, perGroup: 2, low: 0.5, high: 2)

    static func replay(_ yaml: String = Replay.pack()) -> (Engine, [Detection]) {
        var e = Replay.engine(yaml)
        let found = Replay.run(scenario, engine: &e, minutes: 0..<scenario.minutes)
        return (e, found)
    }

    @Test func theSmallScenarioIsTheOneExpected() {
        #expect(Self.scenario.episodes.map { "g\($0.group) \($0.start)-\($0.end) \($0.label)" }
                == ["g0 1463-1522 storm 6x 60m", "g0 2574-2603 storm 3x 30m", "g1 1854-1873 storm 4x 20m", "g1 2259-2268 storm 6x 10m"])
    }

    /// Each storm detected once, nothing else. The two night storms of the quieter group (0.5
    /// a minute, 0.2 at night) take 16–18 minutes to hold enough alerts to be news.
    @Test func eachStormIsDetectedOnce() {
        let (_, found) = Self.replay()
        #expect(found.map(\.description) == ["g0@1481", "g1@1858", "g1@2260", "g0@2590"])
    }

    /// A snapshot taken while a storm is open, restored into a new engine: the same detections
    /// after it as without the restart, and the same state at the end.
    @Test func aRestartMidStormChangesNothing() throws {
        let (whole, found) = Self.replay()
        let storm = try #require(found.first)
        var first = Replay.engine(Replay.pack())
        let cut = storm.minute + 2
        let before = Replay.run(Self.scenario, engine: &first, minutes: 0..<cut)
        #expect(first.state.anomalies.values.contains { $0.derived != nil })
        var second = Replay.engine(Replay.pack())
        try second.restore(first.snapshot())
        let after = Replay.run(Self.scenario, engine: &second, minutes: cut..<Self.scenario.minutes)
        #expect((before + after).map(\.description) == found.map(\.description))
        #expect(second.state.anomalies == whole.state.anomalies)
    }

    /// A seasonal group's whole state, encoded as snapshots hold it, stays under 4 KiB.
    @Test func aSeasonalGroupStaysUnderFourKiB() throws {
        let (e, _) = Self.replay()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let sizes = try e.state.anomalies.values.map { try encoder.encode($0).count }
        #expect(sizes.count == 2)
        #expect(sizes.allSatisfy { $0 <= 4096 })
    }

    /// A stricter rule (0.01 false alarms a week) misses the 3× night storm and detects the others
    /// a minute or two later; a looser one (50 a week) detects sooner and raises false alarms.
    @Test func sensitivityTradesDetectionsForFalseAlarms() {
        let (_, strict) = Self.replay(Replay.pack(sensitivity: 0.01))
        let (_, loose) = Self.replay(Replay.pack(sensitivity: 50))
        #expect(strict.map(\.description) == ["g0@1483", "g1@1860", "g1@2261"])
        #expect(loose.map(\.description) == ["g0@397", "g0@513", "g1@550", "g0@620", "g1@628", "g0@755", "g0@876", "g0@1038", "g0@1139",
                                               "g0@1474", "g1@1858", "g0@2060", "g0@2166", "g1@2198", "g1@2268", "g0@2511", "g0@2599"])
    }
}
