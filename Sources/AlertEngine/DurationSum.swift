/// An exact sum of 64-bit durations, for `sum` and `avg` over a window: 128 bits in two's
/// complement, so adding and removing events in any order never wraps, and the result is read
/// once, saturated (`sum`) or divided exactly (`avg`, whose mean of 64-bit values always fits).
/// Encoded as one integer while the sum fits in 64 bits (as window state always was), else as
/// `[high, low]`.
struct DurationSum: Sendable, Equatable, Codable {
    private var high: Int64 = 0
    private var low: UInt64 = 0

    init() {}

    /// Adds `d`, sign-extended to 128 bits.
    mutating func add(_ d: Int64) {
        let (l, carry) = low.addingReportingOverflow(UInt64(bitPattern: d))
        low = l
        // No wrap: the high word moves by at most one per event.
        high = high &+ (d < 0 ? -1 : 0) &+ (carry ? 1 : 0)
    }

    /// Removes `d` (an earlier `add`).
    mutating func subtract(_ d: Int64) {
        let (l, borrow) = low.subtractingReportingOverflow(UInt64(bitPattern: d))
        low = l
        high = high &- (d < 0 ? -1 : 0) &- (borrow ? 1 : 0)
    }

    /// The sum when it fits in 64 bits.
    private var exact: Int64? {
        let value = Int64(bitPattern: low)
        return high == (value < 0 ? -1 : 0) ? value : nil
    }

    /// The sum clamped to `Int64.min...Int64.max`: a total past the largest duration is the
    /// largest duration, as saturated time arithmetic elsewhere.
    var saturated: Int64 { exact ?? (high < 0 ? .min : .max) }

    /// The sum divided by `n` (> 0), rounded toward zero like `Int64`'s `/`.
    func mean(over n: Int) -> Int64 {
        Int64(n).dividingFullWidth((high: high, low: low)).quotient
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Int64.self) {
            add(v)
        } else {
            let words = try c.decode([UInt64].self)
            guard words.count == 2 else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "a duration sum is one integer or [high, low]") }
            high = Int64(bitPattern: words[0])
            low = words[1]
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let v = exact { try c.encode(v) } else { try c.encode([UInt64(bitPattern: high), low]) }
    }
}
