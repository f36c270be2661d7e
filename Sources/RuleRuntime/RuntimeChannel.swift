/// The products a channel delivers to (spec section 6).
public enum ChannelKind: String, Sendable, Equatable, CaseIterable {
    case slack, teams, pagerduty, webhook
}

/// A channel field other than `type`, `template`, `rate_limit` and `give_up_after`, by the
/// name the pack writes it with.
public enum ChannelOption: String, Sendable, Equatable, CaseIterable, Comparable {
    /// The endpoint (Slack, Teams, webhook; PagerDuty's when it replaces the default one).
    case url
    /// PagerDuty's integration key.
    case routingKey = "routing_key"
    /// Slack: the channel the message goes to (legacy webhooks only).
    case channel
    /// Slack: the name the message is posted under.
    case username
    /// PagerDuty: a fixed severity in place of the alert's.
    case severity
    /// Webhook: whether resolved alerts are sent (`true` unless `false`).
    case sendResolved = "send_resolved"
    /// Webhook: at most this many alerts per message (0: all).
    case maxAlerts = "max_alerts"

    public static func < (a: ChannelOption, b: ChannelOption) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A channel field's value as the pack writes it: literal text and `${secret:NAME}` references.
/// The references are kept as names: a secret's value never enters the runtime model nor the
/// artifact; the shell resolves it when the pack loads (`resolved(_:)`).
public struct SecretText: Sendable, Equatable, CustomStringConvertible {
    /// One piece of the value.
    public enum Part: Sendable, Equatable {
        case text(String)
        case secret(String)
    }

    public let parts: [Part]

    public init(parts: [Part]) {
        // Adjacent text merged, empty text dropped: one value has one form.
        var out: [Part] = []
        for p in parts {
            switch (p, out.last) {
            case (.text(let s), _) where s.isEmpty: continue
            case (.text(let s), .text(let t)?): out[out.count - 1] = .text(t + s)
            default: out.append(p)
            }
        }
        self.parts = out
    }

    /// The value as written, its `${secret:NAME}` references found (the reader has rejected
    /// malformed ones; anything that is not one is text).
    public init(parsing raw: String) {
        var parts: [Part] = []
        var rest = raw[...]
        while let open = rest.range(of: "${secret:") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            parts.append(.text(String(rest[..<open.lowerBound])))
            parts.append(.secret(String(rest[open.upperBound..<close])))
            rest = rest[rest.index(after: close)...]
        }
        parts.append(.text(String(rest)))
        self.init(parts: parts)
    }

    /// The names of the secrets it refers to, in order.
    public var secretNames: [String] {
        parts.compactMap { if case .secret(let n) = $0 { n } else { nil } }
    }

    /// The value with every reference replaced by `lookup(name)`; the first name `lookup` does
    /// not know when one is missing.
    public func resolved(_ lookup: (String) -> String?) -> Result<String, MissingSecret> {
        var out = ""
        for p in parts {
            switch p {
            case .text(let s): out += s
            case .secret(let n):
                guard let v = lookup(n) else { return .failure(MissingSecret(name: n)) }
                out += v
            }
        }
        return .success(out)
    }

    /// The value as written (references as `${secret:NAME}`, never a secret's value).
    public var description: String {
        parts.map { p in
            switch p {
            case .text(let s): s
            case .secret(let n): "${secret:\(n)}"
            }
        }.joined()
    }
}

/// A secret a channel refers to that the lookup did not know.
public struct MissingSecret: Error, Sendable, Equatable {
    public let name: String
}

/// A channel's `rate_limit`: at most `count` deliveries per `periodMs`.
public struct RateLimit: Sendable, Equatable {
    public let count: Int
    public let periodMs: Int64

    public init(count: Int, periodMs: Int64) {
        self.count = count
        self.periodMs = periodMs
    }
}

/// A channel as the runtime pack carries it: its kind, its fields with their secret references
/// unresolved, its compiled `template`, its rate limit and its retry budget.
public struct RuntimeChannel: Sendable, Equatable {
    public let name: String
    public let kind: ChannelKind
    /// The fields the pack sets (`url`, `routing_key`, …).
    public let options: [ChannelOption: SecretText]
    /// Entries rendering `template.title` and `template.text`, when set.
    public let titleEntry: Int?
    public let textEntry: Int?
    /// `rate_limit`, when set (else the product's default applies).
    public let rateLimit: RateLimit?
    /// `give_up_after`: how long a delivery is retried before the route's `failover` takes over.
    public let giveUpAfterMs: Int64

    /// Ten minutes: long enough to ride out a product's brief outage, short enough that a page
    /// reaches a failover channel while it still matters.
    public static let defaultGiveUpAfterMs: Int64 = 600_000

    public init(name: String, kind: ChannelKind, options: [ChannelOption: SecretText], titleEntry: Int? = nil, textEntry: Int? = nil,
                rateLimit: RateLimit? = nil, giveUpAfterMs: Int64 = RuntimeChannel.defaultGiveUpAfterMs) {
        self.name = name
        self.kind = kind
        self.options = options
        self.titleEntry = titleEntry
        self.textEntry = textEntry
        self.rateLimit = rateLimit
        self.giveUpAfterMs = giveUpAfterMs
    }
}
