/// The bounds every duration and every deadline of the product keeps to, so that no time
/// arithmetic on a pack's values can overflow.

/// The longest duration a pack, a test or a command-line flag may give: 3650 days (about ten
/// years). Longer values are rejected where they are read (`E0012`), so that a time plus a
/// duration always fits in 64-bit milliseconds with room to spare.
public let maxDurationMs: Int64 = 3650 * 86_400_000

/// The text of `maxDurationMs` as a pack writes it.
public let maxDurationText = "3650d"

/// A duration text within `maxDurationMs`, in milliseconds: what `duration()` accepts at run
/// time, so a computed duration obeys the limit a written one does. nil when malformed or longer.
public func parseBoundedDuration(_ text: String) -> Int64? {
    parseDuration(text).flatMap { $0 <= maxDurationMs ? $0 : nil }
}

extension Int64 {
    /// `self + other`, clamped to `Int64.min...Int64.max` instead of trapping: a deadline past
    /// the end of time is "never".
    @inlinable
    public func addingSaturated(_ other: Int64) -> Int64 {
        let (r, o) = addingReportingOverflow(other)
        return o ? (other > 0 ? .max : .min) : r
    }

    /// `self - other`, clamped to `Int64.min...Int64.max` instead of trapping.
    @inlinable
    public func subtractingSaturated(_ other: Int64) -> Int64 {
        let (r, o) = subtractingReportingOverflow(other)
        return o ? (other < 0 ? .max : .min) : r
    }

    /// `self * other`, clamped to `Int64.min...Int64.max` instead of trapping.
    @inlinable
    public func multipliedSaturated(_ other: Int64) -> Int64 {
        let (r, o) = multipliedReportingOverflow(by: other)
        return o ? ((self < 0) == (other < 0) ? .max : .min) : r
    }
}
