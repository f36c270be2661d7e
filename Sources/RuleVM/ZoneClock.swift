import Foundation
import RuleText

/// One IANA zone's UTC offset, remembered with the span it holds for: asking ICU (and
/// Foundation's zone cache, behind a lock) costs about a hundred nanoseconds, and a pack asks at
/// every `in_window`, `hour()` and `weekday()`. The span runs from the instant asked to the
/// zone's next transition, at most a day; an instant outside it asks again. Not thread-safe:
/// each VM (and engine) has its own.
package final class ZoneClock {
    let zone: TimeZone?
    private var from: Int64 = 1
    private var until: Int64 = 0
    private var offset: Int64 = 0

    /// An unknown zone (or a name outside the IANA alphabet, see `ZoneNames`) has offset 0
    /// (as `TimeMath.local` treats it).
    package init(_ identifier: String) {
        zone = ZoneNames.zone(identifier)
    }

    /// The zone's offset from UTC at `ms`, in milliseconds.
    package func offsetMs(at ms: Int64) -> Int64 {
        if ms >= from && ms < until { return offset }
        guard let zone else { return 0 }
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        offset = Int64(zone.secondsFromGMT(for: date)) * 1000
        let day = ms.addingReportingOverflow(86_400_000)
        var end = day.overflow ? Int64.max : day.partialValue
        if let next = zone.nextDaylightSavingTimeTransition(after: date) {
            let t = next.timeIntervalSince1970 * 1000
            if t > Double(ms) && t < Double(end) { end = Int64(t.rounded(.down)) }
        }
        from = ms
        until = end
        return offset
    }

    /// Local ISO weekday and minute of the day of `ms` (`TimeMath.local`).
    package func local(_ ms: Int64) -> (weekday: Int, minute: Int)? {
        TimeMath.local(ms, offsetMs: offsetMs(at: ms))
    }

    /// Whether `ms` falls in `w`, whose zone this is (`TimeMath.inWindow`).
    package func inWindow(_ ms: Int64, _ w: WindowTimes) -> Bool {
        guard let (day, minute) = local(ms) else { return false }
        return TimeMath.inWindow(day: day, minute: minute, w)
    }
}
