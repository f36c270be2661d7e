import RuleRuntime

/// A token bucket in exact integer arithmetic: `rate.count` tokens per `rate.periodMs`, at
/// most `burst` held. Time is the caller's (milliseconds), so tests state exact waits.
public struct TokenBucket: Sendable, Equatable {
    public let rate: RateLimit
    public let burst: Int
    /// Tokens held, in units of 1/`periodMs` of a token (a millisecond adds `count` units).
    private var units: Int64
    private var last: Int64

    /// A full bucket at `now`.
    public init(rate: RateLimit, burst: Int, now: Int64) {
        self.rate = rate
        self.burst = max(1, burst)
        self.units = Int64(self.burst) * rate.periodMs
        self.last = now
    }

    /// Takes a token at `now` when one is there (0 returned); else takes nothing and returns
    /// how long until one is.
    public mutating func take(now: Int64) -> Int64 {
        refill(now)
        if units >= rate.periodMs {
            units -= rate.periodMs
            return 0
        }
        let missing = rate.periodMs - units
        let count = Int64(rate.count)
        return (missing + count - 1) / count
    }

    /// Tokens held at `now` (whole ones).
    public mutating func available(now: Int64) -> Int {
        refill(now)
        return Int(units / rate.periodMs)
    }

    private mutating func refill(_ now: Int64) {
        guard now > last else { return }
        let cap = Int64(burst) * rate.periodMs
        let (added, overflow) = (now - last).multipliedReportingOverflow(by: Int64(rate.count))
        units = overflow ? cap : min(cap, units + added)
        last = now
    }
}

/// The products' published rate limits, and the pack's `rate_limit` over them.
public enum RateLimits {
    /// Slack: one message per second per webhook, short bursts allowed.
    public static let slack = (rate: RateLimit(count: 1, periodMs: 1_000), burst: 3)
    /// Teams: four requests per second per webhook.
    public static let teams = (rate: RateLimit(count: 4, periodMs: 1_000), burst: 4)
    /// PagerDuty Events v2: 120 events per minute per routing key.
    public static let pagerduty = (rate: RateLimit(count: 120, periodMs: 60_000), burst: 120)

    /// A channel's bucket at `now`: its `rate_limit` (a burst of its count) or its product's
    /// default; nil for a webhook without one (no limit).
    public static func bucket(for channel: RuntimeChannel, now: Int64) -> TokenBucket? {
        if let r = channel.rateLimit { return TokenBucket(rate: r, burst: r.count, now: now) }
        switch channel.kind {
        case .slack: return TokenBucket(rate: slack.rate, burst: slack.burst, now: now)
        case .teams: return TokenBucket(rate: teams.rate, burst: teams.burst, now: now)
        case .pagerduty: return TokenBucket(rate: pagerduty.rate, burst: pagerduty.burst, now: now)
        case .webhook: return nil
        }
    }

    /// What shares a bucket: a webhook URL for Slack and Teams, a routing key for PagerDuty
    /// (two channels with one key share PagerDuty's limit), the channel otherwise. Hashed, so
    /// a key holding a secret is never kept or printed as text.
    public static func key(for channel: ResolvedChannel) -> RateKey {
        let what: String
        switch channel.kind {
        case .pagerduty: what = "pagerduty|" + (channel[.routingKey] ?? channel.name)
        case .slack, .teams: what = "\(channel.kind.rawValue)|" + (channel[.url] ?? channel.name)
        case .webhook: what = "webhook|" + channel.name
        }
        return RateKey(hash: NotificationID.digest(what, basis: 0xcbf2_9ce4_8422_2325))
    }
}

/// The identity of a rate-limit bucket (a hash of what shares it).
public struct RateKey: Sendable, Hashable {
    public let hash: UInt64
}
