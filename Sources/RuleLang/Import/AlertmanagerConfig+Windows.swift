import Foundation

extension AlertmanagerConfig {
    static let intervalKeys = ["name", "time_intervals"]
    static let rangeKeys = ["times", "weekdays", "days_of_month", "months", "years", "location"]
    private static let days = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// A named time interval as a RuleLang time window. RuleLang windows hold one range of
    /// hours on some weekdays in one zone, so an interval is translated only when it is exactly
    /// that (one range, at most one `times` entry, no days of the month, months or years);
    /// anything else is an error rather than a window that means something else.
    static func readWindow(_ node: YamlNode, _ r: inout AlertmanagerReader) -> Window? {
        guard let m = r.mapping(node, "a time interval", required: true) else { return nil }
        r.checkKeys(m, intervalKeys, in: "a time interval")
        guard let name = r.string(m["name"], "a time interval's `name`"), !name.value.isEmpty else {
            r.error(YamlCodes.missingKey, "time interval without a `name`", at: m.span, label: "no name")
            return nil
        }
        var window = Window(name: name.value)
        let ranges = r.sequence(m["time_intervals"], "`time_intervals`")
        guard ranges.count == 1 else {
            r.error(YamlCodes.invalidValue, "time interval \(YamlEmitter.quoted(name.value)) has \(ranges.count) ranges; the import translates exactly one",
                    at: name.span, label: "not translatable", help: ["a RuleLang time window is one range of hours on some weekdays"])
            return nil
        }
        guard let range = r.mapping(ranges[0], "a time range", required: true) else { return nil }
        r.checkKeys(range, rangeKeys, in: "a time range")
        for key in ["days_of_month", "months", "years"] where !AlertmanagerReader.isNull(range[key]) {
            r.error(YamlCodes.invalidValue, "`\(key)` cannot be translated into a time window", at: range.keyScalar(key)!.span,
                    label: "not translatable", help: ["time windows have `weekdays`, `hours` and `timezone` only"])
        }
        let times = r.sequence(range["times"], "`times`")
        if times.count > 1 {
            r.error(YamlCodes.invalidValue, "the import translates one entry of `times`, found \(times.count)", at: range["times"]!.span,
                    label: "several ranges of hours")
        } else if let t = times.first, let tm = r.mapping(t, "an entry of `times`", required: true) {
            r.checkKeys(tm, ["start_time", "end_time"], in: "an entry of `times`")
            let start = clock(r.string(tm["start_time"], "`start_time`"), "start_time", tm, &r)
            let end = clock(r.string(tm["end_time"], "`end_time`"), "end_time", tm, &r)
            if let start, let end {
                if start.minutes >= end.minutes {
                    r.error(YamlCodes.invalidValue, "start time cannot be equal or greater than end time", at: tm.span, label: "empty range")
                } else {
                    window.hours = start.text + "-" + end.text
                }
            }
        }
        if range["weekdays"] != nil, !AlertmanagerReader.isNull(range["weekdays"]) {
            window.weekdays = r.strings(range["weekdays"], "`weekdays`").flatMap { weekdays($0, &r) }
        }
        if let loc = r.string(range["location"], "`location`") { window.location = loc.value }
        return window
    }

    /// `HH:MM` (00:00 to 23:59, or 24:00), as Alertmanager requires.
    private static func clock(_ s: YamlScalar?, _ key: String, _ m: YamlMapping, _ r: inout AlertmanagerReader) -> (text: String, minutes: Int)? {
        guard let s else {
            r.error(YamlCodes.missingKey, "missing `\(key)`", at: m.span, label: "no `\(key)`")
            return nil
        }
        let b = Array(s.value.utf8)
        func digit(_ i: Int) -> Int? { b[i] >= 0x30 && b[i] <= 0x39 ? Int(b[i] - 0x30) : nil }
        if b.count == 5, b[2] == UInt8(ascii: ":"), let h1 = digit(0), let h2 = digit(1), let m1 = digit(3), let m2 = digit(4) {
            let h = h1 * 10 + h2, min = m1 * 10 + m2
            if (h < 24 && min < 60) || (h == 24 && min == 0) { return (s.value, h * 60 + min) }
        }
        r.error(YamlCodes.invalidValue, "invalid time of day \(YamlEmitter.quoted(s.value)) in `\(key)`", at: s.span,
                label: "not HH:MM", help: ["write `HH:MM`, from `00:00` to `24:00`"])
        return nil
    }

    /// `monday` or `monday:friday` (any case) as RuleLang's `mon` or `mon-fri`. Alertmanager's
    /// week starts on Sunday and RuleLang's on Monday, so `sunday:tuesday` is `[sun, mon-tue]`.
    private static func weekdays(_ s: YamlScalar, _ r: inout AlertmanagerReader) -> [String] {
        let parts = s.value.lowercased().split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let indices = parts.map { days.firstIndex(of: $0) }
        guard (1...2).contains(parts.count), indices.allSatisfy({ $0 != nil }) else {
            r.error(YamlCodes.invalidValue, "invalid weekday range \(YamlEmitter.quoted(s.value))", at: s.span, label: "not a weekday",
                    help: ["write a day (`monday`) or a range (`monday:friday`)"])
            return []
        }
        // Alertmanager counts from Sunday; a range must not run backwards.
        if parts.count == 2, indices[0]! > indices[1]! {
            r.error(YamlCodes.invalidValue, "start day cannot be after end day in \(YamlEmitter.quoted(s.value))", at: s.span,
                    label: "descending range", help: ["split it, e.g. `friday:saturday` and `sunday:monday`"])
            return []
        }
        let first = indices[0]!, last = indices.last!!
        func short(_ i: Int) -> String { String(days[i].prefix(3)) }
        func span(_ a: Int, _ b: Int) -> String { a == b ? short(a) : short(a) + "-" + short(b) }
        if first == 0, last > 0 { return [short(0), span(1, last)] }
        return [span(first, last)]
    }
}
