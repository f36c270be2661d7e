import RuleText
import RuleVM

/// A compiled pack as the engine runs it: the verified program and every static fact of the
/// pack resolved to values and entry numbers. The compiler builds it from a checked pack, the
/// artifact loader from a `.rpk`; nothing at run time goes back to the source.
public struct RuntimePack: Sendable {
    public let tenant: String
    /// The pack's tier (`tier` in expressions).
    public let tier: String
    /// The pack's program, verified: what a `VM` runs.
    public let verified: VerifiedProgram
    public var program: Program { verified.program }
    public let enrich: [RuntimeRule]
    /// Silences (no `whileActive`) and inhibitions, in the pack's order.
    public let suppress: [RuntimeRule]
    public let correlate: [RuntimeRule]
    public let anomalies: [RuntimeRule]
    /// The routing tree, as the evaluator walks it.
    public let routes: [RuntimeRoute]
    /// Each route's settings after inheritance, by route number (pre-order over `routes`,
    /// the numbering of `Decision.routeIDs`).
    public let routeSettings: [RouteSettings]
    /// Every escalation of the pack as the plan an alert freezes, in declaration order (the
    /// first of a duplicated name wins when looked up by a route).
    public let escalations: [EscalationPlan]
    /// The SLA clocks: the pack's `sla:` or its tier's defaults.
    public let sla: SLASettings
    /// Rules the index scans linearly, and why (`rulec check --explain-index`; empty for a pack
    /// loaded from an artifact, which keeps no such report).
    public let unindexed: [(rule: String, reason: Unindexed)]
    /// The notification channels, in declaration order (secrets unresolved).
    public let channels: [RuntimeChannel]

    /// The model as its parts (the compiler and the artifact loader make it).
    public init(tenant: String, tier: String, verified: VerifiedProgram, enrich: [RuntimeRule], suppress: [RuntimeRule],
                correlate: [RuntimeRule], anomalies: [RuntimeRule], routes: [RuntimeRoute], routeSettings: [RouteSettings],
                escalations: [EscalationPlan], sla: SLASettings, unindexed: [(rule: String, reason: Unindexed)],
                channels: [RuntimeChannel] = []) {
        self.tenant = tenant
        self.tier = tier
        self.verified = verified
        self.enrich = enrich
        self.suppress = suppress
        self.correlate = correlate
        self.anomalies = anomalies
        self.routes = routes
        self.routeSettings = routeSettings
        self.escalations = escalations
        self.sla = sla
        self.unindexed = unindexed
        self.channels = channels
    }

    /// The longest window, sequence `within` or heartbeat `every` of the correlations.
    public var longestCorrelationMs: Int64 {
        correlate.compactMap { $0.form?.spanMs }.max() ?? 0
    }
}

/// A rule's number in its list of the runtime pack (`correlate[id.index]`, …): what decisions
/// and the engine name rules by.
public struct RuleID: Hashable, Comparable, Sendable {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: RuleID, b: RuleID) -> Bool { a.index < b.index }
}

/// A rule of an ordered list (enrich, suppress, correlate, anomalies): its entries and settings.
public struct RuntimeRule: Sendable {
    public let kind: RuleKind
    public let name: String
    /// Index into `program.entries` of its condition.
    public let entry: Int
    /// What the rule index hashes it by, when it has a guard.
    public let guardTest: RuleGuard?
    /// Enrich rules: each label (or `annotations.x`) they set and the entry rendering its template.
    public let sets: [(label: String, entry: Int)]
    /// Inhibitions: the entry of `while_active`, evaluated against the other active alerts.
    public let whileActive: Int?
    /// Inhibitions: the `equal` label names.
    public let equal: [String]
    /// Correlations and anomalies: the entries the engine runs over a window.
    public let correlation: CorrelationEntries?
    /// Correlations and anomalies: the `by` label names, as declared.
    public let by: [String]
    /// Correlations: window, sequence or heartbeat, with its span.
    public let form: CorrelationForm?
    /// Anomaly rules: their detector's settings.
    public let anomaly: AnomalySettings?
    /// What the rule is, compiled (its typed expressions and settings), as a stable 64-bit
    /// hash: a pack swap keeps a correlation's or an inhibition's state when it is unchanged.
    public let fingerprint: UInt64

    /// A rule as its parts (unset settings: none).
    public init(kind: RuleKind, name: String, entry: Int, guardTest: RuleGuard? = nil, sets: [(label: String, entry: Int)] = [],
                whileActive: Int? = nil, equal: [String] = [], correlation: CorrelationEntries? = nil, by: [String] = [],
                form: CorrelationForm? = nil, anomaly: AnomalySettings? = nil, fingerprint: UInt64 = 0) {
        self.kind = kind
        self.name = name
        self.entry = entry
        self.guardTest = guardTest
        self.sets = sets
        self.whileActive = whileActive
        self.equal = equal
        self.correlation = correlation
        self.by = by
        self.form = form
        self.anomaly = anomaly
        self.fingerprint = fingerprint
    }
}

/// The three correlation forms (spec 5.3), each with its time span.
public enum CorrelationForm: Sendable, Equatable {
    case window(ms: Int64)
    case sequence(withinMs: Int64)
    case heartbeat(everyMs: Int64)

    /// The window, `within` or `every`.
    public var spanMs: Int64 {
        switch self {
        case .window(let ms), .sequence(let ms), .heartbeat(let ms): ms
        }
    }
}

/// An anomaly rule's settings as the detector reads them.
public struct AnomalySettings: Sendable, Equatable {
    /// `sensitivity`: how many false alarms per group per week the test may raise on noise the
    /// model describes (0.5 when absent). Each minute's test runs at `sensitivity / 10,080`.
    public var sensitivity: Double
    /// `min_rate`: the least rate (alerts per minute over the evidence window) that may fire.
    public var minRate: Double
    /// `seasonality: hour_of_week`: a seasonal profile (hour of the day × weekday).
    public var seasonal: Bool

    /// The default `sensitivity`: half a false alarm per group per week on noise alone, which
    /// leaves room for what the model gets wrong (the benchmark measures at most 1).
    public static let defaultSensitivity = 0.5

    public init(sensitivity: Double?, minRate: Double?, seasonal: Bool) {
        self.sensitivity = sensitivity ?? Self.defaultSensitivity
        self.minRate = minRate ?? 0
        self.seasonal = seasonal
    }
}

/// What the engine runs for a correlation or anomaly rule: the window `condition`, the
/// `sequence` steps, one value entry per aggregate's argument (evaluated per alert of the
/// window; the VM reads the results with `aggregate k`), and the `emit` templates.
public struct CorrelationEntries: Sendable {
    public let condition: Int?
    public let steps: [Int]
    public let aggregates: [(kind: Aggregate, argument: Int?)]
    public let emits: [(label: String, entry: Int)]

    public init(condition: Int?, steps: [Int], aggregates: [(kind: Aggregate, argument: Int?)], emits: [(label: String, entry: Int)]) {
        self.condition = condition
        self.steps = steps
        self.aggregates = aggregates
        self.emits = emits
    }
}

/// A node of the routing tree and its entry.
public struct RuntimeRoute: Sendable {
    public let name: String
    public let entry: Int
    public let continueMatching: Bool
    public let children: [RuntimeRoute]
    public let guardTest: RuleGuard?

    public init(name: String, entry: Int, continueMatching: Bool, children: [RuntimeRoute], guardTest: RuleGuard? = nil) {
        self.name = name
        self.entry = entry
        self.continueMatching = continueMatching
        self.children = children
        self.guardTest = guardTest
    }
}

/// A route's settings after inheritance: what a child does not set, it takes from its parent
/// (spec 5.5), with Alertmanager's defaults at the root.
public struct RouteSettings: Sendable, Equatable {
    public let path: [String]
    public let notify: [String]
    public let failover: [String]
    /// The escalation's name, when the route (or a parent) has one.
    public let escalation: String?
    /// nil: every label (`group_by: [...]`).
    public let groupBy: [String]?
    public let groupWaitMs: Int64
    public let groupIntervalMs: Int64
    public let repeatIntervalMs: Int64
    public let activeDuring: String?
    public let muteDuring: String?

    public init(path: [String], notify: [String], failover: [String], escalation: String?, groupBy: [String]?,
                groupWaitMs: Int64, groupIntervalMs: Int64, repeatIntervalMs: Int64, activeDuring: String?, muteDuring: String?) {
        self.path = path
        self.notify = notify
        self.failover = failover
        self.escalation = escalation
        self.groupBy = groupBy
        self.groupWaitMs = groupWaitMs
        self.groupIntervalMs = groupIntervalMs
        self.repeatIntervalMs = repeatIntervalMs
        self.activeDuring = activeDuring
        self.muteDuring = muteDuring
    }

    public static let defaultGroupWait: Int64 = 30_000
    public static let defaultGroupInterval: Int64 = 300_000
    public static let defaultRepeatInterval: Int64 = 4 * 3_600_000
}

/// An escalation policy as frozen for one alert.
public struct EscalationPlan: Sendable, Equatable, Codable {
    /// One level: its delay from the alert's start and its channels.
    public struct Level: Sendable, Equatable, Codable {
        public let afterMs: Int64
        public let channels: [String]

        public init(afterMs: Int64, channels: [String]) {
            self.afterMs = afterMs
            self.channels = channels
        }
    }

    public let name: String
    public let levels: [Level]
    public let repeatCount: Int
    /// Stops at acknowledgement (`true`) or only at resolution.
    public let untilAcknowledged: Bool

    public init(name: String, levels: [Level], repeatCount: Int, untilAcknowledged: Bool) {
        self.name = name
        self.levels = levels
        self.repeatCount = repeatCount
        self.untilAcknowledged = untilAcknowledged
    }
}

/// The SLA clocks of a pack (spec section 7), resolved: its `sla:` or its tier's defaults.
public struct SLASettings: Sendable, Equatable {
    public let ackWithinMs: Int64
    public let resolveWithinMs: Int64
    /// An acknowledgement not resolved within this re-triggers the alert (nil: never).
    public let ackTimeoutMs: Int64?

    public init(ackWithinMs: Int64, resolveWithinMs: Int64, ackTimeoutMs: Int64?) {
        self.ackWithinMs = ackWithinMs
        self.resolveWithinMs = resolveWithinMs
        self.ackTimeoutMs = ackTimeoutMs
    }
}
