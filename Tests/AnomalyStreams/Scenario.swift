import HostileInputs
import Foundation

/// A labelled stretch of a generated stream: what an anomaly detector should report once.
public struct Episode: Sendable, Equatable {
    /// Index of the group in `Scenario.groups`.
    public let group: Int
    /// First and last minute (inclusive) of the episode, from the start of the stream.
    public let start: Int
    public let end: Int
    /// What happened: `storm 3x 20m`, `ramp`, `shift 3x`, …
    public let label: String
}

/// A generated alert stream: per group, the number of new alerts in each minute, and the
/// labelled episodes. Minute 0 is a Monday 00:00 UTC.
public struct Scenario: Sendable {
    public let name: String
    /// What the scenario stands for, one line.
    public let summary: String
    public let groups: [String]
    /// Per group, the count of each minute.
    public let counts: [[Int32]]
    public let episodes: [Episode]
    /// Detections and false alarms are scored from this minute on (earlier is learning).
    public let scoredFrom: Int

    /// Minutes in the stream.
    public var minutes: Int { counts.first?.count ?? 0 }

    /// The instant (ms since the epoch) of minute 0: Monday 2026-01-05 00:00 UTC.
    public static let startMs: Int64 = 1_767_571_200_000

    /// Draws each group's counts from `rate(group, minute)` (alerts per minute, Poisson).
    init(name: String, summary: String, groups: Int, minutes: Int, scoredFrom: Int, episodes: [Episode],
         seed: UInt64, rate: (Int, Int) -> Double) {
        var random = SeededChoices(seed: seed)
        self.name = name
        self.summary = summary
        self.groups = (0..<groups).map { "g\($0)" }
        self.counts = (0..<groups).map { g in (0..<minutes).map { m in Int32(random.poisson(rate(g, m))) } }
        self.episodes = episodes
        self.scoredFrom = scoredFrom
    }

    /// The daily and weekly shape of on-call alert rates: a daytime peak at 15:00 UTC (1.6× the
    /// day's mean, 0.4× at 03:00) and weekends at half the weekday rate.
    public static func season(_ minute: Int) -> Double {
        let hour = Double(minute % 1440) / 60
        let weekend = (minute / 1440) % 7 >= 5
        return (1 + 0.6 * sin(2 * Double.pi * (hour - 9) / 24)) * (weekend ? 0.5 : 1)
    }
}
