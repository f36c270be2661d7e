/// A circuit breaker per channel: after `threshold` consecutive failures it opens and sends
/// nothing for `coolDownMs`; then one probe goes through (half-open): its success closes the
/// breaker, its failure opens it for another cool-down.
public struct CircuitBreaker: Sendable, Equatable {
    /// Where the breaker is.
    public enum State: Sendable, Equatable {
        /// Sending; `failures` consecutive failures so far.
        case closed(failures: Int)
        /// Refusing until `until`.
        case open(until: Int64)
        /// The probe is out; nothing else is sent until it answers.
        case halfOpen
    }

    /// Whether an attempt may go now.
    public enum Permit: Sendable, Equatable {
        /// Closed: go.
        case allowed
        /// The one attempt of a half-open breaker.
        case probe
        /// Not now; try again at `at` (nil: when the probe has answered).
        case rejected(retryAt: Int64?)
    }

    /// Consecutive failures that open it.
    public let threshold: Int
    /// How long it stays open before a probe.
    public let coolDownMs: Int64
    public private(set) var state: State = .closed(failures: 0)

    public init(threshold: Int = 5, coolDownMs: Int64 = 30_000) {
        self.threshold = max(1, threshold)
        self.coolDownMs = coolDownMs
    }

    /// The state as a number for metrics: 0 closed, 1 open, 2 half-open.
    public var gauge: Int {
        switch state {
        case .closed: 0
        case .open: 1
        case .halfOpen: 2
        }
    }

    /// Asks to send at `now` (a probe is taken when the cool-down is over).
    public mutating func permit(now: Int64) -> Permit {
        switch state {
        case .closed: return .allowed
        case .open(let until):
            guard now >= until else { return .rejected(retryAt: until) }
            state = .halfOpen
            return .probe
        case .halfOpen: return .rejected(retryAt: nil)
        }
    }

    /// Records what an attempt said about the endpoint at `now`.
    public mutating func record(_ signal: BreakerSignal, now: Int64) {
        switch (state, signal) {
        case (_, .neutral): break
        case (.closed, .success), (.halfOpen, .success): state = .closed(failures: 0)
        case (.closed(let n), .failure):
            state = n + 1 >= threshold ? .open(until: now + coolDownMs) : .closed(failures: n + 1)
        case (.halfOpen, .failure): state = .open(until: now + coolDownMs)
        // An answer to an attempt made before the breaker opened changes nothing.
        case (.open, _): break
        }
    }
}
