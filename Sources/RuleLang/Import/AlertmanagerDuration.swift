/// An Alertmanager duration (Prometheus' `model.Duration`), in milliseconds.
struct AlertmanagerDuration: Equatable {
    let milliseconds: Int

    /// The longest duration the import writes: ten years. Alertmanager accepts up to about
    /// 292 years, but a timer that long is a typo, and a pack's timers must stay far from the
    /// engine's time range.
    static let maximum = 3_650 * 86_400_000

    /// Units in the order the syntax requires them, with their length in milliseconds.
    private static let units: [(name: String, ms: Int)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// Parses `0` or `[Ny][Nw][Nd][Nh][Nm][Ns][Nms]` (each part optional, in that order, at least
    /// one present, whole numbers only), as `model.ParseDuration` does; a failure with the reason
    /// when the text is not a duration or is longer than `maximum`.
    static func parse(_ text: String) -> Result<AlertmanagerDuration, ImportProblem> {
        if text == "0" { return .success(AlertmanagerDuration(milliseconds: 0)) }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return .failure("empty duration") }
        var i = 0, next = 0, total = 0
        let bad: ImportProblem = "not an Alertmanager duration"
        while i < bytes.count {
            let start = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            guard i > start, i < bytes.count else { return .failure(bad) }
            let unit = bytes[i] == 0x6D && i + 1 < bytes.count && bytes[i + 1] == 0x73 ? "ms" : String(UnicodeScalar(bytes[i]))
            i += unit.utf8.count
            guard let index = units[next...].firstIndex(where: { $0.name == unit }) else { return .failure(bad) }
            next = index + 1
            // Any number of digits is syntax; the value is checked against the maximum as it grows.
            var n = 0
            for d in bytes[start..<(start + (i - start - unit.utf8.count))] {
                n = n * 10 + Int(d - 0x30)
                if n > maximum { return .failure(tooLong) }
            }
            let (product, o1) = n.multipliedReportingOverflow(by: units[index].ms)
            let (sum, o2) = total.addingReportingOverflow(product)
            guard !o1, !o2, sum <= maximum else { return .failure(tooLong) }
            total = sum
        }
        return .success(AlertmanagerDuration(milliseconds: total))
    }

    private static let tooLong: ImportProblem = "longer than the import's maximum of 3650d (ten years)"

    /// RuleLang's spelling: `0s`, or days, hours, minutes, seconds and milliseconds, largest first.
    var ruleLang: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds, out = ""
        for (name, ms) in [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] where rest >= ms {
            out += "\(rest / ms)\(name)"
            rest %= ms
        }
        return out
    }
}
