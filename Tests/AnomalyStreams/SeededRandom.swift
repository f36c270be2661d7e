import Foundation

/// SplitMix64: a small seeded generator, so every generated stream is the same on every run.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    var state: UInt64

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A Poisson draw of mean `lambda`: Knuth's product method, in pieces of mean at most 20 so
    /// `exp(-lambda)` never underflows (a sum of Poisson draws is Poisson).
    public mutating func poisson(_ lambda: Double) -> Int {
        var left = max(0, lambda), total = 0
        while left > 0 {
            let piece = min(left, 20)
            left -= piece
            let limit = Foundation.exp(-piece)
            var product = unit(), k = 0
            while product > limit { product *= unit(); k += 1 }
            total += k
        }
        return total
    }
}
