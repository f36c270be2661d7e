/// The detectors the engine's is compared with, run offline on the minute counts. Each
/// raises a detection when it crosses its threshold and stays quiet until it resolves.
public enum Baselines {
    /// Every baseline by name, as the benchmark's table lists them.
    public static let all: [(String, @Sendable (Scenario, Int) -> [Int])] = [
        ("static 3x week-1 mean (5 min)", { s, g in staticThreshold(s.counts[g], learn: s.scoredFrom) }),
        ("rolling z > 3 (60 min)", { s, g in rollingZ(s.counts[g], window: 60, threshold: 3) }),
        ("EWMA z > 3 hour-of-week", { s, g in ewma(s.counts[g], sensitivity: 3) }),
        ("EWMA z > 5 hour-of-week", { s, g in ewma(s.counts[g], sensitivity: 5) }),
    ]

    /// Fires when the last five minutes hold more than three times the first week's mean rate
    /// (and at least five alerts); resolves when they hold no more than that.
    static func staticThreshold(_ counts: [Int32], learn: Int) -> [Int] {
        let mean = Double(counts.prefix(learn).reduce(0) { $0 + Int($1) }) / Double(max(1, learn))
        let limit = max(5, 3 * mean * 5)
        var out: [Int] = [], open = false, window = 0
        for (m, c) in counts.enumerated() {
            window += Int(c) - (m >= 5 ? Int(counts[m - 5]) : 0)
            if !open, Double(window) > limit { out.append(m); open = true } else if open, Double(window) <= limit { open = false }
        }
        return out
    }

    /// Fires when a minute's count is more than `threshold` standard deviations (at least 0.5)
    /// above the mean of the `window` minutes before it; resolves when it is within one.
    static func rollingZ(_ counts: [Int32], window: Int, threshold: Double) -> [Int] {
        var out: [Int] = [], open = false, sum = 0.0, squares = 0.0
        for (m, c) in counts.enumerated() {
            let x = Double(c)
            if m >= window {
                let mean = sum / Double(window), sd = max(0.5, (squares / Double(window) - mean * mean).squareRoot())
                let z = (x - mean) / sd
                if !open, z > threshold { out.append(m); open = true } else if open, z <= 1 { open = false }
                let old = Double(counts[m - window])
                sum -= old
                squares -= old * old
            }
            sum += x
            squares += x * x
        }
        return out
    }

    /// The engine's detector before the count-aware one, minute by minute: an exponentially
    /// weighted mean and variance (α = 0.1) per hour of the week, a variance floor of 0.25, ten
    /// minutes of warm-up; fires when `z > sensitivity`, resolves when a minute is back at or
    /// under its baseline's mean.
    static func ewma(_ counts: [Int32], sensitivity: Double) -> [Int] {
        var mean = Array(repeating: 0.0, count: 168), variance = mean, samples = Array(repeating: 0, count: 168)
        var out: [Int] = [], open = false
        for (m, c) in counts.enumerated() {
            // Minute 0 is a Monday; the engine's hour 0 of the week is Thursday 00:00 UTC.
            let slot = (m / 60 + 4 * 24) % 168, x = Double(c)
            let z = (x - mean[slot]) / max(variance[slot], 0.25).squareRoot()
            if !open, samples[slot] >= 10, z > sensitivity { out.append(m); open = true }
            let d = x - mean[slot]
            mean[slot] += 0.1 * d
            variance[slot] = 0.9 * (variance[slot] + 0.1 * d * d)
            samples[slot] += 1
            if open, x <= mean[slot] { open = false }
        }
        return out
    }
}
