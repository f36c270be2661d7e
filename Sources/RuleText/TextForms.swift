import Foundation

/// Text forms shared by the front end and the VM: durations and RFC 3339 times.

/// Parses `250ms`, `30s`, `1h30m`, `7d` to milliseconds; nil when malformed or out of range.
public func parseDuration(_ text: String) -> Int64? {
    let b = Array(text.utf8)
    guard !b.isEmpty else { return nil }
    var i = 0, total: Int64 = 0
    while i < b.count {
        let ns = i
        while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        guard i > ns, let n = Int64(String(decoding: b[ns..<i], as: UTF8.self)) else { return nil }
        let us = i
        while i < b.count, (b[i] | 0x20) >= 97, (b[i] | 0x20) <= 122 { i += 1 }
        let scale: Int64
        switch String(decoding: b[us..<i], as: UTF8.self) {
        case "ms": scale = 1
        case "s": scale = 1000
        case "m": scale = 60_000
        case "h": scale = 3_600_000
        case "d": scale = 86_400_000
        default: return nil
        }
        let (m, o1) = n.multipliedReportingOverflow(by: scale)
        let (t, o2) = total.addingReportingOverflow(m)
        if o1 || o2 { return nil }
        total = t
    }
    return total
}

/// Parses an RFC 3339 time (`2026-01-01T00:00:00Z`, fractional seconds and offsets allowed) to
/// milliseconds since the Unix epoch; nil unless every field is in range: year 0000–9999, a
/// month's real days (leap years included), hour 0–23, minute and second 0–59 (no leap second,
/// as Go's parser that Prometheus and Alertmanager use), offset `±hh:mm` up to `±23:59`.
/// Fractional digits past milliseconds are dropped. Every path that reads a time uses this one
/// parser.
public func parseRFC3339(_ text: String) -> Int64? {
    let b = Array(text.utf8)
    func num(_ r: Range<Int>) -> Int? {
        guard r.upperBound <= b.count, b[r].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(String(decoding: b[r], as: UTF8.self))
    }
    guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] | 0x20 == 116, b[13] == 58, b[16] == 58,
          let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13), let mi = num(14..<16),
          let s = num(17..<19), (1...12).contains(mo), (1...daysIn(month: mo, year: y)).contains(d), h < 24, mi < 60, s < 60
    else { return nil }
    var i = 19
    var ms = 0
    if i < b.count, b[i] == 46 {
        i += 1
        let fs = i
        while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        guard i > fs else { return nil }
        let digits = String(decoding: b[fs..<min(i, fs + 3)], as: UTF8.self)
        ms = Int(digits.padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0
    }
    guard i < b.count else { return nil }
    var offset = 0
    if b[i] | 0x20 == 122 { i += 1 } else if (b[i] == 43 || b[i] == 45), i + 6 == b.count, b[i + 3] == 58,
                                              let oh = num((i + 1)..<(i + 3)), let om = num((i + 4)..<(i + 6)), oh < 24, om < 60 {
        offset = (oh * 60 + om) * 60 * (b[i] == 43 ? 1 : -1)
        i += 6
    } else { return nil }
    guard i == b.count else { return nil }
    // Days from civil (Howard Hinnant's algorithm).
    let yy = mo <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    let secs = Int64(days) * 86400 + Int64(h * 3600 + mi * 60 + s) - Int64(offset)
    return secs * 1000 + Int64(ms)
}

/// The number of days of `month` (1–12) in the proleptic Gregorian `year`.
public func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Canonical text of a duration in milliseconds: `1h30m`, `250ms`, `0s`.
public func formatDuration(_ ms: Int64) -> String {
    if ms == 0 { return "0s" }
    var rest = ms.magnitude
    var out = ms < 0 ? "-" : ""
    for (unit, size) in [("d", UInt64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] where rest >= size {
        out += "\(rest / size)\(unit)"
        rest %= size
    }
    return out
}

/// RFC 3339 text of `ms` since the epoch, in UTC, with milliseconds only when not zero.
public func formatRFC3339(_ ms: Int64) -> String {
    var days = ms / 86_400_000, msOfDay = ms % 86_400_000
    if msOfDay < 0 { days -= 1; msOfDay += 86_400_000 }
    let (y, m, d) = civilDate(fromDays: days)
    let secs = msOfDay / 1000, frac = msOfDay % 1000
    func pad(_ x: Int64, _ n: Int) -> String {
        let s = String(x)
        return String(repeating: "0", count: max(0, n - s.count)) + s
    }
    var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
    if frac != 0 { out += "." + pad(frac, 3) }
    return out + "Z"
}

/// (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
public func civilDate(fromDays z0: Int64) -> (Int64, Int64, Int64) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}
