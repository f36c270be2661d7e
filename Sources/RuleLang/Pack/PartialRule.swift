import RuleText
/// What could be read of a rule with a structural error (a bad duration, an unknown or missing
/// key, a refused value). Its expressions, templates and references are still checked, so that
/// its other mistakes show in the same run and the names it uses count as used; it is never
/// compiled, since its pack has errors.
public struct PartialRule: Sendable {
    /// A condition and how it is checked.
    public struct Condition: Sendable {
        /// What messages call it (`` `when` ``, `a sequence step`).
        public let what: String
        public let expr: Expr
        /// Aggregates are allowed (a correlate `condition`).
        public let aggregates: Bool
    }

    public let kind: RuleKind
    public var name: Name?
    public var conditions: [Condition] = []
    /// `set:` or `emit:` entries, with whether aggregates are allowed in them.
    public var templates: [(label: Name, template: Template, aggregates: Bool)] = []
    /// Channels named by `notify` and `failover`.
    public var channels: [Name] = []
    public var escalation: Name?
    /// Windows named by `active_during` and `mute_during`.
    public var windows: [Name] = []
    /// Label names of `by`, `group_by` or `equal`, with the key they come from.
    public var labelNames: [(what: String, names: [Name])] = []

    public init(kind: RuleKind, name: Name?) {
        self.kind = kind
        self.name = name
    }

    /// A well-formed route under a broken parent, with its subtree, as partial rules.
    static func flatten(_ route: Route) -> [PartialRule] {
        var p = PartialRule(kind: .route, name: route.name)
        p.conditions = [Condition(what: "`when`", expr: route.when, aggregates: false)]
        p.channels = (route.notify ?? []) + (route.failover ?? [])
        p.escalation = route.escalation
        p.windows = [route.activeDuring, route.muteDuring].compactMap { $0 }
        if case .labels(let names)? = route.groupBy { p.labelNames = [("`group_by`", names)] }
        return [p] + route.children.flatMap(flatten)
    }
}
