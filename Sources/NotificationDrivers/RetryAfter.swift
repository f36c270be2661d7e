import Foundation

/// `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as a wait in milliseconds
/// from `now`.
public enum RetryAfter {
    /// The wait the header asks for; nil when it is neither form. A date in the past is a wait
    /// of zero.
    public static func parse(_ value: String, now: Int64) -> Int64? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if !v.isEmpty, v.utf8.allSatisfy({ (48...57).contains($0) }) {
            guard let s = Int64(v) else { return Int64.max / 2 }   // more digits than a 64-bit count: "very long"
            return s.multipliedReportingOverflow(by: 1000).overflow ? Int64.max / 2 : s * 1000
        }
        guard let at = httpDate(v) else { return nil }
        return max(0, at - now)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form senders must use, as
    /// milliseconds since the epoch.
    static func httpDate(_ s: String) -> Int64? {
        let p = s.split(separator: " ")
        guard p.count == 6, p[0].count == 4, p[0].hasSuffix(","), days.contains(String(p[0].dropLast())), p[5] == "GMT",
              p[1].count == 2, let day = Int64(p[1]), let month = months.firstIndex(of: String(p[2])),
              p[3].count == 4, let year = Int64(p[3]) else { return nil }
        let t = p[4].split(separator: ":")
        guard t.count == 3, t.allSatisfy({ $0.count == 2 }), let h = Int64(t[0]), let m = Int64(t[1]), let sec = Int64(t[2]),
              (1...31).contains(day), h < 24, m < 60, sec < 61 else { return nil }
        return (daysFromCivil(year, Int64(month) + 1, day) * 86_400 + h * 3600 + m * 60 + sec) * 1000
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
