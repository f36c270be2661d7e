import AlertEngine
import RuleText
import RuleVM

/// A notification's identity: the same notification (tenant, channel, group, time, level,
/// kind and alerts) always has the same id, so a replay or a retry carries the same
/// `Idempotency-Key` and the receiver can drop the duplicate.
public struct NotificationID: Sendable, Hashable, CustomStringConvertible {
    /// 32 lower-case hex digits.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// The id of one message (the alert ids in the message's order).
    public init(tenant: String, channel: String, group: String, at: Int64, level: Int?, kind: NotificationKind, alertIDs: [Int]) {
        // Fields separated by a byte no name or key holds as text (0x1F, unit separator).
        let text = [tenant, channel, group, String(at), level.map(String.init) ?? "-", kind.rawValue,
                    alertIDs.map(String.init).joined(separator: ",")].joined(separator: "\u{1F}")
        rawValue = Self.hex(Self.digest(text, basis: 0xcbf2_9ce4_8422_2325)) + Self.hex(Self.digest(text, basis: 0x8422_2325_cbf2_9ce4))
    }

    public var description: String { rawValue }

    /// FNV-1a mixed by MurmurHash3's finaliser: FNV alone changes little in its high bits
    /// when only the last bytes differ, and two bases alone give correlated halves.
    static func digest(_ s: String, basis: UInt64) -> UInt64 {
        var h = fnv1a(s, basis: basis)
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        return h ^ (h >> 33)
    }

    /// FNV-1a, 64 bits: the same in every process (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ s: String, basis: UInt64) -> UInt64 {
        var h = basis
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// One message to one channel: the engine's notification entries of one instant, channel,
/// group, level and kind, with the alerts they name. What a driver turns into requests.
public struct OutgoingMessage: Sendable {
    public let id: NotificationID
    public let tenant: String
    public let channel: String
    public let kind: NotificationKind
    /// The escalation level, for a message an escalation sends.
    public let level: Int?
    public let at: Int64
    /// The engine's group key (`escalation` or `lifecycle` for those messages).
    public let group: String
    /// The labels the group is keyed by, with their values.
    public let groupLabels: [(String, String)]
    /// The alerts, in the group's order.
    public let alerts: [MessageAlert]
    /// The channel's `template`, rendered against the first alert (nil: the driver's default).
    public var title: String?
    public var text: String?
    /// The `title` rendered against each alert, by alert id, for a channel that sends one
    /// event per alert (PagerDuty's summary).
    public var alertTitles: [Int: String] = [:]
    /// Where the service is reached (links to the alert).
    public let externalURL: String

    public init(id: NotificationID? = nil, tenant: String, channel: String, kind: NotificationKind, level: Int? = nil, at: Int64,
                group: String, groupLabels: [(String, String)] = [], alerts: [MessageAlert], title: String? = nil, text: String? = nil,
                externalURL: String) {
        self.id = id ?? NotificationID(tenant: tenant, channel: channel, group: group, at: at, level: level, kind: kind,
                                       alertIDs: alerts.map(\.id))
        self.tenant = tenant
        self.channel = channel
        self.kind = kind
        self.level = level
        self.at = at
        self.group = group
        self.groupLabels = groupLabels
        self.alerts = alerts
        self.title = title
        self.text = text
        self.externalURL = externalURL
    }

    /// The engine's notification entries (one per alert) gathered into messages: entries of
    /// the same instant, channel, group, level and kind make one message, in first-seen order.
    /// `alert` finds an alert record by id (entries whose alert is gone are dropped);
    /// `groupLabels` gives a group's labels from its key and first alert.
    public static func gather(_ entries: [Notification], tenant: String, externalURL: String, alert: (Int) -> MessageAlert?,
                              groupLabels: (String, MessageAlert) -> [(String, String)] = { _, _ in [] }) -> [OutgoingMessage] {
        struct Key: Hashable {
            let at: Int64, channel: String, group: String, level: Int?, kind: NotificationKind
        }
        var order: [Key] = []
        var alerts: [Key: [MessageAlert]] = [:]
        for e in entries {
            guard let a = alert(e.alertID) else { continue }
            let key = Key(at: e.at, channel: e.channel, group: e.group, level: e.level, kind: e.kind)
            if alerts[key] == nil { order.append(key) }
            alerts[key, default: []].append(a)
        }
        return order.map { k in
            let list = alerts[k]!
            return OutgoingMessage(tenant: tenant, channel: k.channel, kind: k.kind, level: k.level, at: k.at, group: k.group,
                                   groupLabels: groupLabels(k.group, list[0]), alerts: list, externalURL: externalURL)
        }
    }

    /// The labels every alert of the message has with the same value, in name order.
    public var commonLabels: [(String, String)] { Self.common(alerts.map(\.labels)) }

    /// The annotations every alert of the message has with the same value, in name order.
    public var commonAnnotations: [(String, String)] { Self.common(alerts.map(\.annotations)) }

    static func common(_ sets: [[String: String]]) -> [(String, String)] {
        guard let first = sets.first else { return [] }
        return sorted(first.filter { pair in sets.dropFirst().allSatisfy { $0[pair.key] == pair.value } })
    }

    /// The labels of a group whose route groups by `groupBy` (nil: every label, `[...]`).
    public static func groupLabels(groupBy: [String]?, alert: MessageAlert) -> [(String, String)] {
        guard let groupBy else { return sorted(alert.labels) }
        return groupBy.compactMap { name in alert.labels[name].map { (name, $0) } }
    }

    /// Pairs in the byte order of their names.
    static func sorted(_ map: [String: String]) -> [(String, String)] {
        map.map { ($0.key, $0.value) }.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
    }
}

/// An alert as a message shows it: a copy of the engine's record (`EngineAlert`) with plain
/// label maps.
public struct MessageAlert: Sendable, Equatable {
    public let id: Int
    public let fingerprint: String
    public let labels: [String: String]
    public let annotations: [String: String]
    /// 0 info … 3 critical.
    public let severity: UInt8
    public let status: AlertStatus
    public let startsAt: Int64
    public let source: String?
    public let value: Double?

    public init(id: Int, fingerprint: String, labels: [String: String], annotations: [String: String] = [:], severity: UInt8 = 1,
                status: AlertStatus = .firing, startsAt: Int64, source: String? = nil, value: Double? = nil) {
        self.id = id
        self.fingerprint = fingerprint
        self.labels = labels
        self.annotations = annotations
        self.severity = severity
        self.status = status
        self.startsAt = startsAt
        self.source = source
        self.value = value
    }

    /// The engine's record of the alert.
    public init(_ alert: EngineAlert) {
        self.init(id: alert.id, fingerprint: alert.fingerprint, labels: alert.labels.dictionary, annotations: alert.annotations.dictionary,
                  severity: alert.severity, status: alert.status, startsAt: alert.startsAt, source: alert.source, value: alert.value)
    }

    /// `labels.alertname`, or empty.
    public var alertname: String { labels["alertname"] ?? "" }

    /// The severity's name (`info`, `warning`, `error`, `critical`).
    public var severityName: String { CanonicalText.severityNames[Int(min(severity, 3))] }
}
