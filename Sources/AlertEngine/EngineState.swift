import Foundation
import RuleRuntime
import RuleText
import RuleVM

/// Where an alert is in its lifecycle.
public enum AlertStatus: String, Sendable, Equatable, Codable {
    case firing, acknowledged, resolved
}

/// An alert the engine holds.
public struct EngineAlert: Sendable, Equatable, Codable {
    /// Increasing per tenant: a trigger after resolve opens a new alert with a new id.
    public let id: Int
    public let fingerprint: String
    public var labels: LabelSet
    public var annotations: LabelSet
    public let startsAt: Int64
    public var source: String? = nil
    public var suppressedBy: String?
    /// The correlation or anomaly rule that derived it, for derived alerts.
    public var derivedBy: String? = nil
    /// The key of the rule's group that derived it, for derived alerts.
    public var derivedGroup: GroupKey? = nil
    /// Route paths that handle it (`a/b`), empty when unrouted.
    public var routes: [String]
    /// Which of `routes` paged it, as bits (bit i: the group of `routes[i]` notified it).
    public var pagedRoutes: UInt64? = nil
    public var value: Double? = nil
    // (The one-byte fields last, together: between wider ones each took eight bytes. Codable
    // goes by name, so the order is the memory layout's business only.)
    /// 0 info … 3 critical.
    public var severity: UInt8
    public var status: AlertStatus
    /// Whether a notification paged it (a group's or an escalation level's): only then do its
    /// acknowledgement and resolution notify.
    public var notified = false
    /// Its `alertname` label ("" without one), kept beside the labels: every notification and
    /// every look-up by name reads it, and the labels are another allocation (a cache miss per
    /// alert of a large group). Not encoded: `AlertTable` sets it again when it decodes.
    public internal(set) var alertname: String = ""

    private enum CodingKeys: String, CodingKey {
        case id, fingerprint, labels, annotations, startsAt, source, suppressedBy, derivedBy, derivedGroup, routes, pagedRoutes,
             value, severity, status, notified
    }

    /// The group of route `path` notified it.
    mutating func paged(by path: String) {
        notified = true
        if let i = routes.firstIndex(of: path), i < 64 { pagedRoutes = (pagedRoutes ?? 0) | 1 << UInt64(i) }
    }
}

/// A group of alerts of one route with the same `group_by` values (Alertmanager's aggregation
/// group) and its notification state.
public struct AlertGroup: Sendable, Equatable, Codable {
    /// Its route (by number) and `group_by` values; renumbered by a pack swap.
    public internal(set) var key: GroupKey
    /// Its route's path (`a/b`).
    public var route: String { key.name }
    /// Alert ids in the group, in arrival order.
    public var alerts: [Int]
    /// Ids notified by the last notification (to tell whether anything changed), in the order
    /// of `alerts` (of which it is a subsequence, as the firing alerts checked against it are):
    /// compared by walking both, no set built and hashed at every notification.
    public var notified: [Int] = []
    public var lastNotification: Int64?
    /// Since when no alert of the group has been firing (for `CRITICAL_ALERT_CACHE_TTL`).
    public var idleSince: Int64?
    /// Token of the live flush timer.
    public var timer: UInt64 = 0

    public init(key: GroupKey, alerts: [Int]) {
        self.key = key
        self.alerts = alerts
    }

    /// Whether every id of `ids` (a subsequence of a group's `alerts`) is in `notified` (one
    /// too): one walk over both, as both follow the order of `alerts`.
    static func notified(_ notified: [Int], all ids: [Int]) -> Bool {
        var j = 0
        for id in ids {
            while j < notified.count && notified[j] != id { j += 1 }
            if j == notified.count { return false }
            j += 1
        }
        return true
    }

    /// Forgets that `id` was notified (it is news again at the next check).
    mutating func unnotify(_ id: Int) {
        if let i = notified.firstIndex(of: id) { notified.remove(at: i) }
    }
}

/// A deadline in the engine's one timer queue.
public enum EngineTimer: Sendable, Equatable, Codable {
    case flush(group: GroupKey)
    case escalate(alert: Int, step: Int)
    /// The alert's `ack_within` / `resolve_within` deadline, or the end of its `ack_timeout`.
    case sla(alert: Int, kind: SLAKind)
    /// The alert's `ack_within` deadline, carrying its later `resolve_within` one: that is
    /// scheduled when this one has passed, unless the alert is resolved by then (one pending
    /// timer per alert, not two), with the sequence after this one's, reserved when both
    /// started (so it fires in the same order).
    case slaAckThenResolve(alert: Int, resolveDue: Int64)
    /// The same with `resolve_within` the earlier (a pack whose `resolve_within` is shorter).
    case slaResolveThenAck(alert: Int, ackDue: Int64)
    /// A correlation window to look at again (an event leaves it).
    case window(key: GroupKey)
    /// A heartbeat group that has been quiet for `every`.
    case heartbeat(key: GroupKey)
    /// A resolved alert the engine no longer keeps (`Engine.forgetResolvedMs`).
    case forget(alert: Int)
    /// A minute boundary of an anomaly group whose derived alert is open: the minute just
    /// ended is folded in and may resolve it.
    case anomaly(key: GroupKey)
    /// A sequence group's `within` has passed since its first step: its progress is dropped.
    case sequenceExpiry(key: GroupKey)
    /// An anomaly group may have been quiet long enough to be dropped (`Engine.anomalyIdleMs`).
    case anomalyExpiry(key: GroupKey)
    /// A runtime silence has expired: it leaves the state.
    case silenceExpiry(id: String)
}

extension EngineTimer {
    /// The timer with its group key renumbered by `key` (nil: the timer goes, its group gone);
    /// a timer without a group key is kept as it is. (Beside the cases: a new one is added here.)
    func renumbered(_ key: (GroupKey) -> GroupKey?) -> EngineTimer? {
        switch self {
        case .flush(let k): key(k).map { .flush(group: $0) }
        case .window(let k): key(k).map { .window(key: $0) }
        case .heartbeat(let k): key(k).map { .heartbeat(key: $0) }
        case .anomaly(let k): key(k).map { .anomaly(key: $0) }
        case .sequenceExpiry(let k): key(k).map { .sequenceExpiry(key: $0) }
        case .anomalyExpiry(let k): key(k).map { .anomalyExpiry(key: $0) }
        case .escalate, .sla, .slaAckThenResolve, .slaResolveThenAck, .forget, .silenceExpiry: self
        }
    }
}

/// One group of a window correlation: the alerts in the window and the derived alert.
public struct WindowGroup: Sendable, Equatable, Codable {
    public struct Event: Sendable, Equatable, Codable {
        public let at: Int64
        public let alert: Int
        /// The rule's aggregate arguments for this alert, one per aggregate (`missing` for one
        /// without an argument), evaluated once when it entered the window.
        public var values: [PlainValue]

        public init(at: Int64, alert: Int, values: [PlainValue]) {
            self.at = at
            self.alert = alert
            self.values = values
        }
    }

    public internal(set) var rule: RuleID
    /// The events, oldest first; the first `head` of them have left the window (they are
    /// dropped in bulk once they are half the array, so an event leaving costs O(1)).
    public var events: [Event] = []
    public var head = 0
    /// The events in the window.
    public var live: ArraySlice<Event> { events[head...] }
    /// The derived alert while it is open.
    public var derived: Int?
    /// Since when the condition has been false while the derived alert is open.
    public var falseSince: Int64?
    /// The live `window` timer (token) and when it is due: one per group, moved when the next
    /// moment to look at the window changes (nil while none is: its timer has just fired).
    public var timer: UInt64? = nil
    public var timerDue: Int64? = nil
    /// The running state of each of the rule's aggregates over the live events.
    public var aggregates: [WindowAggregate]
}

/// One group of a sequence correlation: how many steps have been seen, since when.
public struct SequenceProgress: Sendable, Equatable, Codable {
    public var step = 0
    public var start: Int64 = 0
    /// Token of the live expiry timer (`expiryDue`); nil until the first step schedules it.
    public var expiry: UInt64? = nil

    /// Just past `within` after the first step: the last step may still arrive exactly then.
    func expiryDue(within: Int64) -> Int64 { start.addingSaturated(within).addingSaturated(1) }
}

/// One group of an anomaly rule: its detector (`AnomalyDetector`), the derived alert while an
/// episode is open, and its timers.
public struct AnomalyGroup: Sendable, Equatable, Codable {
    public internal(set) var rule: RuleID
    public var detector: AnomalyDetector
    public var derived: Int?
    /// Token of the live minute timer while `derived` is open.
    public var timer: UInt64? = nil
    /// Token of the live expiry timer (`Engine.anomalyIdleMs`), scheduled when the group starts.
    public var expiry: UInt64 = 0

    /// The minute (since the epoch) being counted.
    public var minute: Int64 { detector.minute }
}

/// A silence created through the API: an expression and its expiry.
public struct RuntimeSilence: Sendable, Equatable, Codable {
    public let id: String
    public let expression: String
    public let expiresAt: Int64
    /// Token of its expiry timer (a silence added again under its id has a new one).
    public var timer: UInt64 = 0
    /// Its compiled program in artifact form (`CompiledSilence.bytes`): a restored state mutes
    /// with it, no compiler needed (the program is verified again when first used).
    public var program: Data = Data()
}

/// One group of a heartbeat: the live timer and the derived alert while the group is quiet.
public struct HeartbeatGroup: Sendable, Equatable, Codable {
    public internal(set) var rule: RuleID
    public var timer: UInt64 = 0
    public var labels: [String: String] = [:]
    public var derived: Int?
}

/// Which service-level deadline.
public enum SLAKind: String, Sendable, Equatable, Codable {
    case ackWithin = "ack_within", resolveWithin = "resolve_within", ackTimeout = "ack_timeout"
}

/// A recorded SLA breach.
public struct SLABreach: Sendable, Equatable, Codable {
    public let alertID: Int
    public let alert: String
    public let kind: SLAKind
    public let at: Int64
    /// The deadline's timer (its token): breaches at one instant happened in this order.
    public let sequence: UInt64
}

/// One notification entry: one alert in a notification to one channel (the unit `rulec test`
/// compares).
public struct Notification: Sendable, Equatable, CustomStringConvertible {
    public let at: Int64
    public let channel: String
    public let alert: String
    public let alertID: Int
    /// Escalation level, for notifications an escalation sends (level 0 goes with the group).
    public let level: Int?
    /// The group it goes out for (`GroupKey.escalation` or `.lifecycle` for those): its
    /// `description` is the group's text, its `labels` the grouping labels' names and values.
    public let group: GroupKey
    /// A page (`firing`), or news of an alert already paged on this channel: acknowledged or
    /// resolved (PagerDuty's acknowledge and resolve events, a "resolved" message elsewhere).
    public var kind: Kind = .firing

    public typealias Kind = NotificationKind

    public var description: String {
        "\(at) \(channel) \(alert)" + (level.map { " level \($0)" } ?? "") + (kind == .firing ? "" : " \(kind.rawValue)")
    }
}

/// The whole state of one tenant's engine: a value, so a snapshot is a copy, and `Codable`, so
/// the service can persist it and restore it exactly.
public struct EngineState: Sendable, Codable, Equatable {
    public var alerts = AlertTable()
    /// The open (not resolved) alert of each fingerprint.
    public var open = ByteKeyedMap<Int>()
    public var groups = GroupTable()
    public var timers = TimerQueue()
    /// Live escalation timer token of each alert.
    public var escalationTokens = IDMap<UInt64>()
    /// The next escalation step of each alert (steps run through the levels `repeat + 1` times).
    public var escalationStep = IDMap<Int>()
    /// Each alert's escalation plan, frozen when its escalation started: a pack reload never
    /// reshapes an escalation in flight.
    public var plans = IDMap<EscalationPlan>()
    /// How far each alert's escalation schedule has been moved (a breach or a manual escalation
    /// runs the next level now; the levels after it keep their spacing).
    public var escalationShift = IDMap<Int64>()
    /// The token of each acknowledged alert's live `ack_timeout` timer: a later acknowledgement
    /// starts the timeout again.
    public var ackTimeouts = IDMap<UInt64>()
    public var nextID = 1
    public var windows: [GroupKey: WindowGroup] = [:]
    public var sequences: [GroupKey: SequenceProgress] = [:]
    public var heartbeats: [GroupKey: HeartbeatGroup] = [:]
    public var anomalies: [GroupKey: AnomalyGroup] = [:]
    /// Runtime silences by id.
    public var silences: [String: RuntimeSilence] = [:]
    /// Inhibition rule (its number in `RuntimePack.suppress`) → `equal` values → active alerts
    /// that satisfy its `while_active`.
    public var inhibitors: [RuleID: [String: Set<Int>]] = [:]
    /// The SLA breaches of each alert the state holds, in order: they leave with their alert
    /// (its `forget` timer). The shell records and counts them from the `sla_breach` audit
    /// entries.
    public var breachesByAlert = IDMap<[SLABreach]>()
    /// Alerts with a lower id arrived before the last pack swap: their group keys may not be
    /// the current policies' keys (their groups are found by a scan).
    public var admittedBeforeSwap = 0

    public init() {}

    /// The SLA breaches of the alerts the state holds, in the order they happened.
    public var breaches: [SLABreach] {
        breachesByAlert.dictionary.values.joined().sorted { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
    }
}
