import RuleText
/// A tenant's rule pack as read from its YAML files: declarations and rules with parsed
/// (not yet typed) expressions. `PackChecker` turns it into a `CheckedPack`.
public struct Pack: Sendable {
    public var tenant: String
    public var files: [SourceFile] = []
    public var timezone: String = "UTC"
    public var tier: Tier = .silver
    public var labels: [LabelDecl] = []
    public var lists: [ListDecl] = []
    public var macros: [MacroDecl] = []
    public var windows: [WindowDecl] = []
    public var channels: [ChannelDecl] = []
    public var escalations: [EscalationDecl] = []
    public var sla: SLADecl?
    public var enrich: [EnrichRule] = []
    public var suppress: [SuppressRule] = []
    public var correlate: [CorrelateRule] = []
    public var anomalies: [AnomalyRule] = []
    public var routes: [Route] = []
    public var tests: [PackTest] = []
    /// Declarations that were reported as invalid (`channel:x`, `window:x`, `escalation:x`,
    /// `list:x`, `macro:x`): references to them are not reported again as unknown names.
    public var brokenDeclarations: Set<String> = []
    /// Rules with a structural error, as far as they could be read: checked, never compiled.
    public var partialRules: [PartialRule] = []

    public init(tenant: String) { self.tenant = tenant }

    /// Every route, depth first, in evaluation order.
    public var allRoutes: [Route] {
        var out: [Route] = []
        func walk(_ rs: [Route]) { for r in rs { out.append(r); walk(r.children) } }
        walk(routes)
        return out
    }

    /// Number of rules of every kind (routes counted at every depth).
    public var ruleCount: Int { enrich.count + suppress.count + correlate.count + anomalies.count + allRoutes.count }
}

/// Service tiers; each sets default SLAs.
public enum Tier: String, Sendable, CaseIterable {
    case platinum, gold, silver, bronze

    /// Default `(ack_within, resolve_within)` in milliseconds.
    public var defaultSLA: (ack: Int64, resolve: Int64) {
        switch self {
        case .platinum: (5 * 60_000, 3_600_000)
        case .gold: (15 * 60_000, 4 * 3_600_000)
        case .silver: (30 * 60_000, 8 * 3_600_000)
        case .bronze: (60 * 60_000, 24 * 3_600_000)
        }
    }
}

/// A label's declared type in the schema.
public enum LabelType: Sendable, Equatable {
    case string, number
    case enumeration([String])
}

public struct LabelDecl: Sendable {
    public let name: Name
    public let type: LabelType
}

/// A constant list; its values are all strings or all numbers.
public struct ListDecl: Sendable {
    public let name: Name
    public let values: [YamlScalar]
    public let span: SourceSpan
}

public struct MacroDecl: Sendable {
    public let name: Name
    public let body: Expr
}

public struct WindowDecl: Sendable {
    public let name: Name
    /// 0 = Monday … 6 = Sunday.
    public let weekdays: [Int]
    /// Minutes since midnight, `[start, end)`; end < start wraps past midnight.
    public let startMinute: Int
    public let endMinute: Int
    public let timezone: String?
}

public enum ChannelType: String, Sendable, CaseIterable {
    case slack, teams, pagerduty, webhook
}

/// A secret reference `${secret:NAME}` found in a channel field.
public struct SecretReference: Sendable {
    public let name: String
    public let span: SourceSpan
}

public struct ChannelDecl: Sendable {
    public let name: Name
    public let type: ChannelType
    /// Field name → raw value (may contain secret references).
    public let fields: [(String, YamlScalar)]
    public let secrets: [SecretReference]
    public let title: Template?
    public let text: Template?
    /// Deliveries allowed per `ratePeriodMs`.
    public let rateLimit: (count: Int, periodMs: Int64)?
    /// `give_up_after`: how long a delivery is retried before failover (nil: the default).
    public let giveUpAfterMs: Int64?
}

public struct EscalationLevel: Sendable {
    public let afterMs: Int64
    public let afterSpan: SourceSpan
    public let notify: [Name]
}

public enum EscalationUntil: String, Sendable {
    case acknowledged, resolved
}

public struct EscalationDecl: Sendable {
    public let name: Name
    public let levels: [EscalationLevel]
    public let repeatCount: Int
    public let until: EscalationUntil
}

public struct SLADecl: Sendable {
    public let ackWithinMs: Int64?
    public let resolveWithinMs: Int64?
    public let ackTimeoutMs: Int64?
}

/// `{name, when, set: {label: template}}`.
public struct EnrichRule: Sendable {
    public let name: Name
    public let when: Expr
    public let set: [(Name, Template)]
}

/// Silence (`when` only) or inhibition (`while_active` and `equal`).
public struct SuppressRule: Sendable {
    public let name: Name
    public let when: Expr
    public let whileActive: Expr?
    public let equal: [Name]
}

/// The three correlate forms.
public enum CorrelateKind: Sendable {
    case window(window: Int64, condition: Expr)
    case sequence(within: Int64, steps: [Expr])
    case heartbeat(every: Int64)
}

public struct CorrelateRule: Sendable {
    public let name: Name
    public let when: Expr?
    public let by: [Name]
    public let kind: CorrelateKind
    public let emit: [(Name, Template)]
}

public struct AnomalyRule: Sendable {
    public let name: Name
    public let when: Expr
    public let by: [Name]
    /// False alarms per group per week the test allows; nil for the default.
    public let sensitivity: Double?
    public let minRate: Double?
    public let seasonal: Bool
    public let emit: [(Name, Template)]
}

/// `group_by: [...]` (every label) or a list of labels.
public enum GroupBy: Sendable {
    case all
    case labels([Name])
}

/// One node of the routing tree; unset settings are inherited from the parent.
public struct Route: Sendable {
    public let name: Name
    public let when: Expr
    public let notify: [Name]?
    public let failover: [Name]?
    public let escalation: Name?
    public let groupBy: GroupBy?
    public let groupWaitMs: Int64?
    public let groupIntervalMs: Int64?
    public let repeatIntervalMs: Int64?
    public let activeDuring: Name?
    public let muteDuring: Name?
    public let `continue`: Bool
    public let children: [Route]
    public let span: SourceSpan
}

/// One step of a test's input.
public enum TestInputKind: Sendable {
    case alert(YamlMapping)
    case ack(String)
    case resolve(String)
    case escalate(String)
}

public struct TestInput: Sendable {
    public let atMs: Int64
    public let kind: TestInputKind
    public let span: SourceSpan
}

public struct TestExpectation: Sendable {
    public let atMs: Int64
    public let channel: Name
    public let alert: String
    public let level: Int?
    /// `firing` unless the expectation says `kind:`.
    public var kind: NotificationKind = .firing
    public let span: SourceSpan
}

/// A `not_expect:` entry: no notification may match every field it gives.
public struct TestExclusion: Sendable {
    public let atMs: Int64?
    public let channel: Name?
    public let alert: String?
    public let level: Int?
    public let kind: NotificationKind?
    public let span: SourceSpan
}

/// A `suppressed:` or `derived:` expectation: an alert and the rule responsible.
public struct TestRuleExpectation: Sendable {
    public let alert: String
    public let rule: Name
    public let atMs: Int64?
}

public struct PackTest: Sendable {
    public let name: Name
    public let startMs: Int64?
    public let untilMs: Int64?
    public let partial: Bool
    public let inputs: [TestInput]
    public let expect: [TestExpectation]
    /// Notifications that must not happen (`not_expect:`).
    public var notExpect: [TestExclusion] = []
    public let suppressed: [TestRuleExpectation]
    public let derived: [TestRuleExpectation]
}
