import Foundation
import RuleText

/// The canonical text of values (templates, `string(x)`), defined once (docs/semantics.md).
public enum CanonicalText {
    public static let severityNames = ["info", "warning", "error", "critical"]

    public static func text(_ v: PlainValue) -> String {
        switch v {
        case .missing: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return float(d)
        case .string(let s): return s
        case .duration(let ms): return formatDuration(ms)
        case .time(let ms): return formatRFC3339(ms)
        case .severity(let s): return severityNames[Int(min(s, 3))]
        case .list(let xs): return "[" + xs.map(text).joined(separator: ", ") + "]"
        case .map(let m): return m == 0 ? "labels" : "annotations"
        }
    }

    public static func float(_ d: Double) -> String { "\(d)" }
}

extension Int64 {
    /// Floor division and the non-negative remainder.
    public func floorDivided(by d: Int64) -> (Int64, Int64) {
        let q = self / d, r = self % d
        return r < 0 ? (q - 1, r + d) : (q, r)
    }
}

/// Calendar arithmetic in UTC and in IANA zones.
public enum TimeMath {
    /// Local ISO weekday (1 = Monday … 7 = Sunday) and minute of the day of `ms` in `zone`.
    /// Nil when the local time is past the range of a time (within a zone offset of the ends).
    public static func local(_ ms: Int64, zone: String) -> (weekday: Int, minute: Int)? {
        local(ms, offsetMs: Int64(ZoneNames.zone(zone)?.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000)) ?? 0) * 1000)
    }

    /// As `local(_:zone:)`, with the zone's offset at `ms` already known.
    public static func local(_ ms: Int64, offsetMs offset: Int64) -> (weekday: Int, minute: Int)? {
        let (localMs, overflow) = ms.addingReportingOverflow(offset)
        if overflow { return nil }
        let (days, msOfDay) = localMs.floorDivided(by: 86_400_000)
        // 1970-01-01 was a Thursday (ISO 4).
        let weekday = Int((days + 3).floorDivided(by: 7).1) + 1
        return (weekday, Int(msOfDay / 60_000))
    }

    /// Whether `ms` falls in `w` (docs/semantics.md: a window wrapping past midnight belongs to
    /// the day it started on).
    public static func inWindow(_ ms: Int64, _ w: WindowSpec) -> Bool {
        guard let (day, minute) = local(ms, zone: w.zone) else { return false }
        return inWindow(day: day, minute: minute, w.times)
    }

    /// Whether local weekday `day` at `minute` falls in `w`.
    static func inWindow(day: Int, minute: Int, _ w: WindowTimes) -> Bool {
        let onDay = { (d: Int) in w.weekdays & (1 << UInt8(d)) != 0 }
        if w.startMinute < w.endMinute { return onDay(day) && minute >= w.startMinute && minute < w.endMinute }
        let previous = day == 1 ? 7 : day - 1
        return (onDay(day) && minute >= w.startMinute) || (onDay(previous) && minute < w.endMinute)
    }
}
