import Foundation
import RuleRuntime

extension AnomalySettings {
    /// The probability of a false alarm in one minute of noise.
    var alpha: Double { sensitivity / 10_080 }
}

/// One group's alert-rate detector: a count-aware test of the last few minutes against a
/// learnt expected rate, with hysteresis and a cooldown. Fed minute by minute (`roll`) and alert
/// by alert (`count`); a value, so a snapshot holds it whole.
///
/// - Expected rate: `level × profile factor` alerts per minute. The level and the profile learn
///   once an hour from the hour's log ratio of observed to expected counts (shrunk toward 1 by
///   two pseudo-alerts, so a sparse hour says little); not from an hour an episode was open in,
///   nor from a collapsed hour (under a quarter of its expected count: a holiday, an outage
///   upstream) unless 36 such hours come in a row.
/// - Evidence: the counts of the last 5 and the last 15 minutes (this one included), each
///   against the tail of a negative binomial with that window's expected count; it fires when
///   either tail probability falls to half of `sensitivity / 10,080`. One noisy minute rarely
///   does; five busy minutes, or a sparse group's handful of alerts in a quarter of an hour, do.
/// - Hysteresis: an open episode resolves once, for five minutes in a row, the last 15 minutes
///   hold no more than one standard deviation above their expected count (and it has been open
///   five minutes); none opens for 30 minutes after. An episode open three hours is a new
///   normal: the level takes the last 15 minutes' ratio and the episode resolves.
public struct AnomalyDetector: Sendable, Equatable, Codable {
    static let window = 5, longWindow = 15, calmMinutes: Int32 = 5
    static let cooldown: Int64 = 30, adaptAfter: Int64 = 180, minOpen: Int64 = 4
    static let lowRatio = 0.25, lowHoursLimit: Int32 = 36, pseudoCount = 2.0, levelGain = 0.05, floorRate = 1e-4

    /// The minute (since the epoch) being counted, and its count so far.
    public private(set) var minute: Int64 = 0
    public private(set) var count: Int32 = 0
    /// The last 15 closed minutes, a ring: counts and expected counts; `head` is the oldest.
    var counts: [Int32] = Array(repeating: 0, count: longWindow)
    var expected: [Float] = Array(repeating: 0, count: longWindow)
    var head = 0
    /// Alerts per minute the profile's factor is applied to; 0 until the first hour is learnt.
    var level = 0.0
    var profile: SeasonalProfile?
    /// The hour (since the epoch) being accumulated for learning, its factor, counts, expected
    /// counts, minutes, and whether an episode was open in it.
    var hour: Int64 = -1
    var hourFactor = 1.0
    var hourCount: Int32 = 0, hourExpected = 0.0, hourMinutes: Int32 = 0, hourTainted = false
    /// Hours learnt (the baseline's age), and collapsed hours skipped in a row.
    var learnedHours: Int32 = 0, lowHours: Int32 = 0
    /// Whether an episode is open, since when, its calm minutes in a row, and the first minute a
    /// new one may open.
    public private(set) var open = false
    var openedAt: Int64 = 0, calm: Int32 = 0, quietUntil: Int64 = 0
    /// The count of the current minute that fires (`Int32.max` while the baseline is unlearnt),
    /// and the alerts of the short window's closed minutes (for `min_rate`).
    var need: Int32 = .max
    var windowBefore: Int32 = 0

    /// A detector that has seen nothing, with a seasonal profile or not.
    public init(seasonal: Bool) {
        profile = seasonal ? SeasonalProfile() : nil
    }

    /// The negative binomial dispersion: wide while the baseline is young, then what a learnt
    /// baseline is still unsure of (about 15%).
    var dispersion: Double { 0.02 + 1 / (Double(learnedHours) + 4) }

    /// One more alert in the current minute; true when it opens an episode.
    public mutating func count(_ settings: AnomalySettings) -> Bool {
        count += 1
        guard !open, count >= need, minute >= quietUntil,
              Double(windowBefore + count) >= settings.minRate * Double(Self.window) else { return false }
        open = true
        openedAt = minute
        calm = 0
        return true
    }

    /// Moves to `now` (a minute since the epoch): the counted minute and the quiet ones after it
    /// are closed. True when that resolves the open episode.
    public mutating func roll(to now: Int64, _ settings: AnomalySettings) -> Bool {
        guard now > minute else { return false }
        if hour < 0 {
            minute = now
            hour = now / 60
            hourFactor = profile?.factor(now) ?? 1
            return false
        }
        var resolved = close(minute, count)
        // After a week of quiet minutes the older ones teach nothing more.
        var m = max(minute + 1, now - 10_080)
        while m < now {
            resolved = close(m, 0) || resolved
            m += 1
        }
        minute = now
        count = 0
        prepare(settings)
        return resolved
    }

    /// Closes minute `m` with count `c`: into the ring, into its hour, and the open episode's
    /// resolution test.
    mutating func close(_ m: Int64, _ c: Int32) -> Bool {
        if m / 60 != hour {
            finishHour()
            hour = m / 60
            hourFactor = profile?.factor(m) ?? 1
        }
        let e = max(level * hourFactor, Self.floorRate)
        counts[head] = c
        expected[head] = Float(e)
        head = (head + 1) % Self.longWindow
        hourCount += c
        hourExpected += e
        hourMinutes += 1
        guard open else { return false }
        hourTainted = true
        let observed = Double(counts.reduce(0, +)), mean = Double(expected.reduce(0, +))
        if m - openedAt >= Self.adaptAfter {
            // A new normal (a deploy, a bigger fleet): take it, and stop paging about it.
            level = max(level * min(max(observed / mean, 1), 20), Self.floorRate)
        } else if m - openedAt >= Self.minOpen && observed <= mean + (mean + dispersion * mean * mean).squareRoot() {
            calm += 1
            if calm < Self.calmMinutes { return false }
        } else {
            calm = 0
            return false
        }
        open = false
        quietUntil = m + 1 + Self.cooldown
        return true
    }

    /// Learns the finished hour, unless an episode was open in it or it collapsed.
    mutating func finishHour() {
        defer {
            hourCount = 0
            hourExpected = 0
            hourMinutes = 0
            hourTainted = false
        }
        guard hourMinutes > 0 else { return }
        if level == 0 {
            level = max(Double(hourCount) / Double(hourMinutes), Self.floorRate)
            learnedHours = 1
            return
        }
        guard !hourTainted else { return }
        let ratio = (Double(hourCount) + Self.pseudoCount) / (hourExpected + Self.pseudoCount)
        // Collapsed: under a quarter of what was expected, shrunk or (with ten alerts expected,
        // enough to tell) not; a sparse quiet hour is neither.
        let collapsed = ratio < Self.lowRatio || (hourExpected >= 10 && Double(hourCount) < Self.lowRatio * hourExpected)
        if collapsed && lowHours < Self.lowHoursLimit {
            lowHours += 1
            return
        }
        lowHours = 0
        let g = min(max(log(ratio), -log(4)), log(4))
        level *= exp(Self.levelGain * g)
        if profile != nil { level *= exp(Double(profile!.learn(hour * 60, surprise: Float(g)))) }
        level = max(level, Self.floorRate)
        learnedHours += 1
    }

    /// The count of the new current minute that fires: the lower of the two windows' critical
    /// counts (each at half the minute's false-alarm probability), less what their closed
    /// minutes already hold.
    mutating func prepare(_ settings: AnomalySettings) {
        guard level > 0 else { return }
        let now = max(level * (profile?.factor(minute) ?? 1), Self.floorRate)
        var before: Int32 = 0, mean = now
        need = .max
        for k in 1..<Self.longWindow {
            let i = (head - k + Self.longWindow) % Self.longWindow
            before += counts[i]
            mean += Double(expected[i])
            guard k == Self.window - 1 || k == Self.longWindow - 1 else { continue }
            if k == Self.window - 1 { windowBefore = before }
            let critical = CountModel.critical(mean: mean, dispersion: dispersion, alpha: settings.alpha / 2)
            need = min(need, Int32(clamping: max(1, critical - Int(before))))
        }
    }
}
