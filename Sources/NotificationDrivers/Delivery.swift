/// One message's delivery: its channel and the route's `failover` channels after it, tried in
/// order. A channel is retried (backoff, `Retry-After`) until it delivers, refuses the request
/// for good, or has been tried for its `give_up_after`; then the next channel takes over at
/// once. A pure state machine: the caller sends, reports what came back, and waits.
public struct Delivery: Sendable, Equatable {
    /// What the caller does next.
    public enum Step: Sendable, Equatable {
        /// Send to `channel` at `at` (an attempt on a channel already tried, or the first).
        case attempt(channel: String, at: Int64)
        /// `channel` gave up; `next` is tried at `at`.
        case failover(from: String, to: String, at: Int64)
        /// Done: `channel` took it.
        case delivered(channel: String)
        /// Every channel gave up; `reason` is the last one's.
        case exhausted(reason: String)
    }

    /// The channels in order: the one the message is for, then the failovers.
    public let channels: [String]
    /// The channel being tried.
    public private(set) var current = 0
    /// Retries made on the current channel (0 before the first failure).
    public private(set) var retries = 0
    /// When the current channel was first tried.
    public private(set) var since: Int64
    public private(set) var finished = false

    /// A delivery starting at `now` on `channel`, falling over to `failover` in order (the
    /// channel itself and repeats left out).
    public init(channel: String, failover: [String], now: Int64) {
        var list = [channel]
        for c in failover where !list.contains(c) { list.append(c) }
        channels = list
        since = now
    }

    /// The first step: try the channel now.
    public var first: Step { .attempt(channel: channels[0], at: since) }

    /// The next step after `verdict` came back at `now`. `giveUpAfterMs` is each channel's
    /// budget; `backoff` and `random` draw the wait.
    public mutating func record<R: RandomSource>(_ verdict: Verdict, now: Int64, giveUpAfterMs: (String) -> Int64,
                                                 backoff: Backoff = Backoff(), random: inout R) -> Step {
        precondition(!finished, "a finished delivery records nothing more")
        let channel = channels[current]
        switch verdict {
        case .delivered:
            finished = true
            return .delivered(channel: channel)
        case .final(let reason):
            return failover(now: now, reason: "\(channel): \(reason)")
        case .retry(let hint):
            let wait = backoff.delay(retry: retries, hintMs: hint, random: &random)
            let at = now.addingReportingOverflow(wait).overflow ? Int64.max : now + wait
            guard at - since <= giveUpAfterMs(channel) else {
                return failover(now: now, reason: "\(channel): gave up after \(retries + 1) attempts")
            }
            retries += 1
            return .attempt(channel: channel, at: at)
        }
    }

    private mutating func failover(now: Int64, reason: String) -> Step {
        guard current + 1 < channels.count else {
            finished = true
            return .exhausted(reason: reason)
        }
        let from = channels[current]
        current += 1
        retries = 0
        since = now
        return .failover(from: from, to: channels[current], at: now)
    }
}
