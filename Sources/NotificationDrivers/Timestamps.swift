/// RFC 3339 times in UTC with milliseconds, from milliseconds since the Unix epoch: computed
/// (no formatter, no locale), so every payload has the same text on every machine.
enum Timestamps {
    /// `2026-01-01T00:00:00.000Z`.
    static func rfc3339(_ ms: Int64) -> String {
        let (days, msOfDay) = ms.quotientAndRemainder(dividingBy: 86_400_000)
        let d = msOfDay < 0 ? days - 1 : days
        let m = msOfDay < 0 ? msOfDay + 86_400_000 : msOfDay
        let (y, mo, da) = civil(d)
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(mo, 2))-\(pad(da, 2))T\(pad(m / 3_600_000, 2)):\(pad(m / 60_000 % 60, 2)):\(pad(m / 1000 % 60, 2)).\(pad(m % 1000, 3))Z"
    }

    /// Alertmanager's "not ended" time.
    static let zero = "0001-01-01T00:00:00Z"

    /// Year, month, day of a day number since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
