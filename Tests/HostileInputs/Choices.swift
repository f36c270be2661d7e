/// Where a generator's choices come from: a seeded generator for the CI tests (a failure
/// reproduces from its seed) or the fuzzer's bytes (so libFuzzer's mutations steer the shape).
public protocol Choices {
    /// A number in `0..<n` (`n` > 0).
    mutating func int(_ n: Int) -> Int
}

extension Choices {
    /// One element of `xs` (not empty).
    public mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
}

/// SplitMix64: small, fast and deterministic (the tests' and the generated alert streams' one
/// seeded generator).
public struct SeededChoices: Choices, RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Choices read from a fuzzer's input, two bytes each; zeros once the bytes run out.
public struct ByteChoices: Choices {
    let bytes: [UInt8]
    var at = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func int(_ n: Int) -> Int {
        var v = 0
        for _ in 0..<2 where at < bytes.count {
            v = v << 8 | Int(bytes[at])
            at += 1
        }
        return v % n
    }
}
