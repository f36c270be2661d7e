import RuleText

/// Times as these protocols write them: RFC 3339 with milliseconds in UTC, as Alertmanager
/// answers (`2026-12-01T10:00:00.000Z`), and Go's zero time, which `amtool alert add` sends as
/// `endsAt` when no end was given and which means "not set".
enum CompatTime {
    /// `0001-01-01T00:00:00Z`, Go's `time.Time{}`.
    static let goZero: Int64 = parseRFC3339("0001-01-01T00:00:00Z")!

    /// `ms` as Alertmanager writes a time.
    static func format(_ ms: Int64) -> String {
        let text = formatRFC3339(ms)
        return text.contains(".") ? text : text.dropLast() + ".000Z"
    }
}
