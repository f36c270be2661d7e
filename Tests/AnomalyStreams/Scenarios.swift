import HostileInputs
import Foundation

/// The benchmark's scenarios: what on-call teams see, each labelled with its episodes. Three
/// weeks each; the first week is learning, the last two are scored.
public enum Scenarios {
    public static let week = 7 * 1440

    /// Every scenario of `make bench-anomaly`.
    public static func all(seed: UInt64 = 1) -> [Scenario] {
        [noise(seed: seed), storms(seed: seed + 1), issueStream(seed: seed + 2), smallStorms(seed: seed + 3),
         ramps(seed: seed + 4), levelShifts(seed: seed + 5), sparse(seed: seed + 6), holiday(seed: seed + 7),
         manyGroups(seed: seed + 8)]
    }

    /// Base rates spread evenly on a log scale from `low` to `high` alerts per minute.
    static func rates(_ n: Int, _ low: Double, _ high: Double) -> [Double] {
        (0..<n).map { i in low * pow(high / low, n == 1 ? 0 : Double(i) / Double(n - 1)) }
    }

    /// `count` episodes per group spread over the scored weeks: each in its own slot, starting at
    /// a random point of the slot's first 60%.
    static func place(groups: Int, count: Int, from: Int, to: Int, random: inout SeededChoices,
                      make: (Int, Int, inout SeededChoices) -> Episode) -> [Episode] {
        let slot = (to - from) / count
        return (0..<groups).flatMap { g in
            (0..<count).map { k in
                make(g, from + k * slot + Int(random.unit() * Double(slot) * 0.6), &random)
            }
        }
    }

    /// Multiplies a rate by each storm that covers the minute.
    static func storming(_ episodes: [Episode], heights: [Double], _ g: Int, _ m: Int) -> Double {
        var factor = 1.0
        for (e, h) in zip(episodes, heights) where e.group == g && m >= e.start && m <= e.end { factor *= h }
        return factor
    }

    /// Seasonal Poisson noise, no episodes: ten groups from 0.05 to 50 alerts a minute.
    public static func noise(seed: UInt64, weeks: Int = 3) -> Scenario {
        let base = rates(10, 0.05, 50)
        return Scenario(name: "noise", summary: "seasonal Poisson noise, 0.05–50/min, 10 groups", groups: 10,
                        minutes: weeks * week, scoredFrom: week, episodes: [], seed: seed) { g, m in base[g] * Scenario.season(m) }
    }

    /// Storms of 3–10× lasting 10–60 minutes (the targets) on seasonal noise, 0.05–50 a minute;
    /// `days` long, the first `learnDays` learning.
    public static func storms(seed: UInt64, groups: Int = 10, days: Int = 21, learnDays: Int = 7, perGroup: Int = 6,
                              low: Double = 0.05, high: Double = 50) -> Scenario {
        stormy(name: "storms", summary: "storms 3–10× for 10–60 min on " + String(format: "%g–%g/min", low, high), seed: seed, groups: groups,
               minutes: days * 1440, scoredFrom: learnDays * 1440, perGroup: perGroup, base: rates(groups, low, high),
               heights: [3, 4, 6, 10], lengths: [10, 20, 30, 60])
    }

    /// The stream of the report that opened this benchmark: five services at 0.3–2 a minute,
    /// 24 storms of 3–8× lasting 10–30 minutes.
    public static func issueStream(seed: UInt64) -> Scenario {
        stormy(name: "five-services", summary: "5 services at 0.3–2/min, 24 storms 3–8× for 10–30 min", seed: seed,
               groups: 5, minutes: 3 * week, scoredFrom: week, perGroup: 5, base: rates(5, 0.3, 2), heights: [3, 5, 8], lengths: [10, 20, 30], limit: 24)
    }

    /// Storms below the targets: 2× high, or 2–5 minutes long.
    public static func smallStorms(seed: UInt64) -> Scenario {
        stormy(name: "small-storms", summary: "storms 2× for 10–60 min or 3–10× for 2–5 min, 0.05–50/min", seed: seed,
               groups: 10, minutes: 3 * week, scoredFrom: week, perGroup: 6, base: rates(10, 0.05, 50), heights: [2, 3, 2, 10], lengths: [20, 2, 60, 5])
    }

    static func stormy(name: String, summary: String, seed: UInt64, groups: Int, minutes: Int, scoredFrom: Int, perGroup: Int, base: [Double],
                       heights: [Double], lengths: [Int], limit: Int? = nil) -> Scenario {
        var random = SeededChoices(seed: seed ^ 0x5EED)
        var stormHeights: [Double] = []
        var episodes = place(groups: groups, count: perGroup, from: scoredFrom, to: minutes, random: &random) { g, start, r in
            let i = Int(r.next() % UInt64(heights.count)), length = lengths[Int(r.next() % UInt64(lengths.count))]
            stormHeights.append(heights[i])
            return Episode(group: g, start: start, end: start + length - 1, label: "storm \(Int(heights[i]))x \(length)m")
        }
        if let limit, episodes.count > limit {
            // Every other group loses its last storm until the count fits.
            var keep = Array(repeating: true, count: episodes.count)
            var drop = episodes.count - limit, i = episodes.count - 1
            while drop > 0 { keep[i] = false; drop -= 1; i -= perGroup }
            stormHeights = zip(stormHeights, keep).filter(\.1).map(\.0)
            episodes = zip(episodes, keep).filter(\.1).map(\.0)
        }
        let kept = episodes, keptHeights = stormHeights
        return Scenario(name: name, summary: summary, groups: groups, minutes: minutes, scoredFrom: scoredFrom,
                        episodes: kept, seed: seed) { g, m in
            base[g] * Scenario.season(m) * storming(kept, heights: keptHeights, g, m)
        }
    }

    /// Slow ramps: the rate climbs from 1× to 4× over two hours, holds an hour, then drops back.
    public static func ramps(seed: UInt64) -> Scenario {
        var random = SeededChoices(seed: seed ^ 0x5EED)
        let base = rates(6, 0.3, 10)
        let episodes = place(groups: 6, count: 3, from: week, to: 3 * week, random: &random) { g, start, _ in
            Episode(group: g, start: start, end: start + 179, label: "ramp to 4x")
        }
        return Scenario(name: "ramps", summary: "ramps 1→4× over 2 h, held 1 h, 0.3–10/min", groups: 6, minutes: 3 * week,
                        scoredFrom: week, episodes: episodes, seed: seed) { g, m in
            var factor = 1.0
            for e in episodes where e.group == g && m >= e.start && m <= e.end { factor = min(4, 1 + 3 * Double(m - e.start) / 120) }
            return base[g] * Scenario.season(m) * factor
        }
    }

    /// Level shifts: after a deploy the rate is 3× for good. One detection within the first hour
    /// is right; any later one is a false alarm.
    public static func levelShifts(seed: UInt64) -> Scenario {
        var random = SeededChoices(seed: seed ^ 0x5EED)
        let base = rates(6, 0.3, 10)
        let episodes = (0..<6).map { g in
            let start = week + 2 * 1440 + Int(random.unit() * 3 * 1440)
            return Episode(group: g, start: start, end: start + 59, label: "shift 3x")
        }
        return Scenario(name: "level-shifts", summary: "a deploy triples the rate for good, 0.3–10/min", groups: 6,
                        minutes: 3 * week, scoredFrom: week, episodes: episodes, seed: seed) { g, m in
            base[g] * Scenario.season(m) * (m >= episodes[g].start ? 3 : 1)
        }
    }

    /// Sparse groups (2–10 alerts a day) with bursts of about ten alerts in ten minutes.
    public static func sparse(seed: UInt64) -> Scenario {
        var random = SeededChoices(seed: seed ^ 0x5EED)
        let base = rates(10, 2.0 / 1440, 10.0 / 1440)
        let episodes = place(groups: 10, count: 3, from: week, to: 3 * week, random: &random) { g, start, _ in
            Episode(group: g, start: start, end: start + 9, label: "burst +1/min 10m")
        }
        return Scenario(name: "sparse", summary: "2–10 alerts a day, bursts of +1/min for 10 min", groups: 10,
                        minutes: 3 * week, scoredFrom: week, episodes: episodes, seed: seed) { g, m in
            base[g] * Scenario.season(m) + (episodes.contains { $0.group == g && m >= $0.start && m <= $0.end } ? 1 : 0)
        }
    }

    /// A holiday: the Wednesday of the second week at a tenth of its rate; no episodes (the
    /// days after it, and the next Wednesday, must not look like storms).
    public static func holiday(seed: UInt64) -> Scenario {
        let base = rates(6, 0.3, 10)
        let day = week + 2 * 1440
        return Scenario(name: "holiday", summary: "a weekday at 0.1× in week 2, 0.3–10/min", groups: 6, minutes: 3 * week,
                        scoredFrom: week, episodes: [], seed: seed) { g, m in
            base[g] * Scenario.season(m) * (m >= day && m < day + 1440 ? 0.1 : 1)
        }
    }

    /// A hundred groups at 0.05–5 a minute, two storms each (3–10×, 10–60 minutes).
    public static func manyGroups(seed: UInt64) -> Scenario {
        stormy(name: "many-groups", summary: "100 groups at 0.05–5/min, 2 storms each 3–10× 10–60 min", seed: seed,
                       groups: 100, minutes: 3 * week, scoredFrom: week, perGroup: 2, base: rates(100, 0.05, 5).shuffledDeterministically(seed),
                       heights: [3, 4, 6, 10], lengths: [10, 20, 30, 60])
    }
}

extension Array {
    /// A seeded Fisher–Yates shuffle.
    func shuffledDeterministically(_ seed: UInt64) -> [Element] {
        var random = SeededChoices(seed: seed), a = self
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        return a
    }
}
