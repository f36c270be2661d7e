import RuleRuntime
import RuleText
import RuleVM

/// The running state of one aggregate over a window group's events, so an event entering or
/// leaving the window costs O(1) (amortized) instead of reducing the whole window again: the
/// count of `true` filters, the present values, a multiset for `distinct`, exact sums of numbers
/// and of durations, and the current `min`/`max` (looked for again only when an event holding
/// it leaves). `first` and `last` read the events' values directly.
public struct WindowAggregate: Sendable, Equatable, Codable {
    let kind: Aggregate
    /// Values that are not `missing`.
    var present = 0
    /// `true` values (`count(filter)`).
    var trues = 0
    /// Present values and how many events hold each (`distinct` only).
    var distinct: [PlainValue: Int] = [:]
    /// Durations present, and their sum (`sum`/`avg` of durations).
    var durations = 0
    var durationSum = DurationSum()
    /// Numbers present (ints and floats), and their exact sum.
    var numbers = 0
    var numberSum = ExactSum()
    /// The current `min`/`max`, nil when it must be looked for again; how many present values
    /// of each `orderClass` the window holds.
    var best: PlainValue? = nil
    var classes = [Int](repeating: 0, count: 6)

    public init(_ kind: Aggregate) { self.kind = kind }

    /// An event's argument enters the window.
    mutating func add(_ x: PlainValue) {
        guard x != .missing else { return }
        present += 1
        switch x {
        case .bool(true): trues += 1
        case .duration(let d): durations += 1; durationSum.add(d)
        case .int(let i): numbers += 1; numberSum.add(Double(i))
        case .float(let d): numbers += 1; numberSum.add(d)
        default: break
        }
        switch kind {
        case .distinct: distinct[x, default: 0] += 1
        case .min, .max:
            classes[Self.orderClass(x)] += 1
            // The reduction's own step, in arrival order: the same as reducing the window.
            if !homogeneous {
                best = nil
            } else if present == 1 {
                best = x
            } else if let b = best {
                best = Aggregates.less(x, b) == (kind == .min) && x != b ? x : b
            }
        default: break
        }
    }

    /// An event's argument leaves the window (the oldest first).
    mutating func remove(_ x: PlainValue) {
        guard x != .missing else { return }
        present -= 1
        switch x {
        case .bool(true): trues -= 1
        case .duration(let d): durations -= 1; durationSum.subtract(d)
        case .int(let i): numbers -= 1; numberSum.remove(Double(i))
        case .float(let d): numbers -= 1; numberSum.remove(d)
        default: break
        }
        switch kind {
        case .distinct:
            let n = (distinct[x] ?? 1) - 1
            distinct[x] = n > 0 ? n : nil
        case .min, .max:
            classes[Self.orderClass(x)] -= 1
            // The oldest value left: in a window of one ordered kind the reduction of the rest
            // differs only if it was the best.
            if !homogeneous || best == x { best = nil }
        default: break
        }
    }

    /// The aggregate's value, argument `i` of the rule, over the window's `events` (oldest
    /// first; those that left were removed).
    mutating func value(_ events: ArraySlice<WindowGroup.Event>, argument i: Int?) -> PlainValue {
        func argument(_ e: WindowGroup.Event) -> PlainValue {
            guard let i, i < e.values.count else { return .missing }
            return e.values[i]
        }
        switch kind {
        case .count: return .int(Int64(i == nil ? events.count : trues))
        case .distinct: return .int(Int64(distinct.count))
        case .sum, .avg:
            if present > 0 && durations == present {
                return kind == .sum ? .duration(durationSum.saturated) : .duration(durationSum.mean(over: present))
            }
            if numberSum.overflowed {
                // Numbers past the largest double met on the way: summed again from the window
                // (a left fold, infinite as it would be, while they are in it).
                var fresh = ExactSum()
                let xs = events.compactMap { e -> Double? in
                    switch argument(e) {
                    case .int(let n): Double(n)
                    case .float(let d): d
                    default: nil
                    }
                }
                for x in xs { fresh.add(x) }
                if fresh.overflowed {
                    let total = xs.reduce(0, +)
                    return kind == .sum ? .float(total) : .float(total / Double(xs.count))
                }
                numberSum = fresh
            }
            if kind == .sum { return .float(numberSum.value) }
            return numbers == 0 ? .missing : .float(numberSum.value / Double(numbers))
        case .min, .max:
            if present == 0 { return .missing }
            if let best { return best }
            let reduced = Aggregates.reduce(kind, events.map(argument), count: events.count)
            if homogeneous { best = reduced }
            return reduced
        case .first: return present == 0 ? .missing : events.lazy.map(argument).first { $0 != .missing } ?? .missing
        case .last: return present == 0 ? .missing : events.reversed().lazy.map(argument).first { $0 != .missing } ?? .missing
        }
    }

    /// Whether every present value is of one totally ordered kind: then the reduction of the
    /// window does not depend on which values left before the best one.
    var homogeneous: Bool {
        var used = 0
        for c in 0..<Self.unordered where classes[c] > 0 { used += 1 }
        return classes[Self.unordered] == 0 && used <= 1
    }

    /// Numbers (not NaN), strings, durations, times, severities; anything else is unordered.
    static let unordered = 5
    static func orderClass(_ x: PlainValue) -> Int {
        switch x {
        case .int: 0
        case .float(let d): d.isNaN ? unordered : 0
        case .string: 1
        case .duration: 2
        case .time: 3
        case .severity: 4
        default: unordered
        }
    }
}

/// An exact sum of doubles (Shewchuk's partials, as Python's `math.fsum`): adding `-x` takes
/// `x` out exactly, so a sliding window's sum never drifts, and the value is the exact sum
/// correctly rounded whatever the order of the additions. Infinities and NaN are counted apart.
struct ExactSum: Sendable, Equatable, Codable {
    private var partials: [Double] = []
    private var positiveInfinities = 0, negativeInfinities = 0, nans = 0
    /// Finite numbers summed past the largest double on the way: the partials no longer hold
    /// the sum (the owner sums its values again).
    private(set) var overflowed = false

    mutating func add(_ value: Double) { add(value, times: 1) }

    mutating func remove(_ value: Double) { add(value, times: -1) }

    /// Adds `value` (`times` 1) or takes it out (`times` -1).
    private mutating func add(_ value: Double, times: Int) {
        if value.isNaN { nans += times; return }
        if value.isInfinite {
            if value > 0 { positiveInfinities += times } else { negativeInfinities += times }
            return
        }
        var x = times > 0 ? value : -value
        var i = 0
        for j in partials.indices {
            var y = partials[j]
            if abs(x) < abs(y) { swap(&x, &y) }
            let hi = x + y
            if !hi.isFinite { overflowed = true }
            let lo = y - (hi - x)
            if lo != 0 {
                partials[i] = lo
                i += 1
            }
            x = hi
        }
        partials.removeSubrange(i...)
        partials.append(x)
    }

    /// The sum, correctly rounded.
    var value: Double {
        if nans != 0 || (positiveInfinities > 0 && negativeInfinities > 0) { return .nan }
        if positiveInfinities > 0 { return .infinity }
        if negativeInfinities > 0 { return -.infinity }
        var n = partials.count
        guard n > 0 else { return 0 }
        n -= 1
        var hi = partials[n]
        var lo = 0.0
        while n > 0 {
            let x = hi
            let y = partials[n - 1]
            n -= 1
            hi = x + y
            lo = y - (hi - x)
            if lo != 0 { break }
        }
        // Round half to even across the partials left, as fsum does.
        if n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0)) {
            let y = lo * 2
            let x = hi + y
            if y == x - hi { hi = x }
        }
        return hi + 0.0      // a zero sum is +0, as a fold from 0 gives
    }

    private enum Keys: String, CodingKey { case partials, positiveInfinities, negativeInfinities, nans, overflowed }

    init() {}

    /// Partials as bit patterns, exact in JSON whatever they hold.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        partials = try c.decode([UInt64].self, forKey: .partials).map(Double.init(bitPattern:))
        positiveInfinities = try c.decode(Int.self, forKey: .positiveInfinities)
        negativeInfinities = try c.decode(Int.self, forKey: .negativeInfinities)
        nans = try c.decode(Int.self, forKey: .nans)
        overflowed = try c.decode(Bool.self, forKey: .overflowed)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(partials.map(\.bitPattern), forKey: .partials)
        try c.encode(positiveInfinities, forKey: .positiveInfinities)
        try c.encode(negativeInfinities, forKey: .negativeInfinities)
        try c.encode(nans, forKey: .nans)
        try c.encode(overflowed, forKey: .overflowed)
    }
}
