import Foundation

/// Tail thresholds of alert counts under a negative binomial model: mean `μ` and variance
/// `μ + φμ²` (Poisson when `φ = 0`). The dispersion `φ` stands for what the expected rate itself
/// is unsure of — a young or shifting baseline — so a busy group needs a relative rise, not
/// just a few more alerts than its mean.
enum CountModel {
    /// The smallest count `c` with `P(X ≥ c) ≤ alpha`. Exact (the pmf's recurrence) up to a
    /// mean of 400; above it, a normal approximation with a Cornish–Fisher skew correction.
    static func critical(mean: Double, dispersion: Double, alpha: Double) -> Int {
        let mean = max(mean, 1e-9), alpha = min(max(alpha, 1e-15), 0.5)
        if mean > 400 {
            let variance = mean + dispersion * mean * mean, sd = variance.squareRoot()
            let skew = (mean + 2 * dispersion * mean * mean) / (variance * sd)
            let z = upperQuantile(alpha)
            return Int((mean + sd * (z + (z * z - 1) * skew / 6)).rounded(.up)) + 1
        }
        // P(X = 0), then p(k+1) = p(k)·(k + r)/(k + 1)·q with r = 1/φ, q = μ/(r + μ); as φ → 0
        // this is Poisson's p(k+1) = p(k)·μ/(k + 1).
        var p: Double, ratio: (Double) -> Double
        if dispersion < 1e-9 {
            p = exp(-mean)
            ratio = { k in mean / (k + 1) }
        } else {
            let r = 1 / dispersion, q = mean / (r + mean)
            p = exp(r * log(r / (r + mean)))
            ratio = { k in (k + r) / (k + 1) * q }
        }
        var cdf = p, k = 0.0
        while cdf < 1 - alpha && k < 100_000 {
            p *= ratio(k)
            k += 1
            cdf += p
        }
        return Int(k) + 1
    }

    /// `z` with `P(Z > z) = alpha` for a standard normal `Z` (bisection on `erfc`).
    static func upperQuantile(_ alpha: Double) -> Double {
        var low = 0.0, high = 40.0
        for _ in 0..<60 {
            let mid = (low + high) / 2
            if 0.5 * erfc(mid / 2.0.squareRoot()) > alpha { low = mid } else { high = mid }
        }
        return high
    }
}
