import Foundation
import HostileInputs

/// The draws the alert-rate streams need, from the tests' one seeded generator: every
/// generated stream is the same on every run.
extension SeededChoices {
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
