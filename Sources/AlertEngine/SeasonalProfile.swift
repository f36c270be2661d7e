import Foundation

/// The weekly shape of a group's alert rate: a factor per hour of the day (UTC) times a factor
/// per weekday, both kept as logarithms with mean 0. The product shares strength: a sparse
/// group learns one daily curve from every day and one weekly level from every hour, instead of
/// 168 separate hours of the week that each see a few alerts.
public struct SeasonalProfile: Sendable, Equatable, Codable {
    /// Log factor per hour of the day, 0 = 00:00 UTC.
    public var hours: [Float] = Array(repeating: 0, count: 24)
    /// Log factor per weekday, 0 = Monday.
    public var days: [Float] = Array(repeating: 0, count: 7)

    /// A profile that expects every hour alike.
    public init() {}

    /// How much of an hour's surprise (its log ratio) each factor takes: the hour of the day is
    /// seen once a day, the weekday 24 times a week.
    static let hourGain: Float = 0.15, dayGain: Float = 0.1

    /// Hour of the day and weekday (0 = Monday) of a minute since the epoch (a Thursday).
    static func slots(_ minute: Int64) -> (hour: Int, day: Int) {
        (Int((minute / 60) % 24), Int((minute / 1440 + 3) % 7))
    }

    /// The factor of the hour holding `minute`.
    func factor(_ minute: Int64) -> Double {
        let (h, d) = Self.slots(minute)
        return Double(exp(hours[h] + days[d]))
    }

    /// Learns an hour's log ratio (observed over expected) and returns the log of what the
    /// profile took from the level: the factors are kept centred, so their mean moves into it.
    mutating func learn(_ minute: Int64, surprise g: Float) -> Float {
        let (h, d) = Self.slots(minute)
        hours[h] += Self.hourGain * g
        days[d] += Self.dayGain * g
        let hourMean = hours.reduce(0, +) / 24, dayMean = days.reduce(0, +) / 7
        for i in hours.indices { hours[i] -= hourMean }
        for i in days.indices { days[i] -= dayMean }
        return hourMean + dayMean
    }
}
