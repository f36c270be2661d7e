/// Exponential backoff with full jitter: the n-th retry waits a uniform time in
/// `0...min(cap, base · 2ⁿ)`, so clients that failed together do not retry together; a wait
/// the remote asked for is honoured (up to `maxHintMs`) when it is longer.
public struct Backoff: Sendable, Equatable {
    public var baseMs: Int64
    public var capMs: Int64
    /// The longest `Retry-After` obeyed: a remote asking for more is retried after this.
    public var maxHintMs: Int64

    public init(baseMs: Int64 = 1_000, capMs: Int64 = 60_000, maxHintMs: Int64 = 300_000) {
        self.baseMs = baseMs
        self.capMs = capMs
        self.maxHintMs = maxHintMs
    }

    /// The ceiling of retry `n` (0: the first retry): `min(cap, base · 2ⁿ)`, without overflow.
    public func ceiling(_ n: Int) -> Int64 {
        guard n < 62, baseMs <= capMs >> Int64(n) else { return capMs }
        return baseMs << Int64(n)
    }

    /// The wait before retry `n`, drawing from `random`; `hintMs`: what the remote asked for.
    public func delay<R: RandomSource>(retry n: Int, hintMs: Int64?, random: inout R) -> Int64 {
        let jittered = random.upTo(ceiling(n))
        guard let hintMs else { return jittered }
        return max(jittered, min(max(hintMs, 0), maxHintMs))
    }
}
