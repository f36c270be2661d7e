/// Where delivery draws its jitter: injected, so tests state exact delays and production uses
/// the system's generator.
public protocol RandomSource {
    /// 64 uniformly random bits.
    mutating func next() -> UInt64
}

extension RandomSource {
    /// A number in `0...bound`, uniform (the high half of a 128-bit product: no modulo bias
    /// worth naming, and the same result for the same bits on every platform).
    mutating func upTo(_ bound: Int64) -> Int64 {
        guard bound > 0 else { return 0 }
        return Int64(next().multipliedFullWidth(by: UInt64(bound) + 1).high)
    }
}

/// The system's cryptographic generator.
public struct SystemRandomSource: RandomSource {
    private var g = SystemRandomNumberGenerator()
    public init() {}
    public mutating func next() -> UInt64 { g.next() }
}

/// SplitMix64: a seeded, reproducible source (simulations and benchmarks).
public struct SeededRandomSource: RandomSource {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
