import RuleRuntime

/// One grouping label of a group key: its name and the value the group's alerts have ("" for
/// a route's `group_by` label they lack).
public struct GroupLabel: Hashable, Sendable, Codable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What a group of alerts is known by: who groups them (a route or a rule, by number) and the
/// grouping labels' names and values. Route groups, correlation and anomaly groups, timers,
/// derived alerts and notifications all hold one; it is never parsed back from text.
///
/// `description` renders it as the timelines, `rulec eval` and the audit show it:
/// `path{name=value,…}` for a route, `rule|name=value,…` for a rule, names and values escaped
/// (`RoutePolicy.escaped`), so two keys that differ render differently.
public struct GroupKey: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Who groups the alerts.
    public enum Owner: Hashable, Sendable, Codable {
        /// A route, by its number in the engine's route table (the evaluator's `routePaths`).
        case route(Int)
        /// A correlation (`RuntimePack.correlate`) or anomaly rule (`RuntimePack.anomalies`).
        case correlation(RuleID)
        case anomaly(RuleID)
        /// Notifications an escalation level sends, and acknowledged/resolved news: no group.
        case escalation, lifecycle
    }

    /// Renumbered when a pack swap moves the route or rule (`Engine.swap(to:)`).
    public internal(set) var owner: Owner
    /// The owner's name (route path `a/b`, rule name): what the key renders, and how a pack
    /// swap finds its route or rule in the new pack. Not part of its identity.
    public let name: String
    /// The grouping labels: a route's `group_by` names in their order (every label of the alert
    /// in byte order for `[...]`); a rule's `by` names in order, those the alert has.
    public let labels: [GroupLabel]

    public init(owner: Owner, name: String, labels: [GroupLabel]) {
        self.owner = owner
        self.name = name
        self.labels = labels
    }

    /// The key of the notifications an escalation level sends.
    public static let escalation = GroupKey(owner: .escalation, name: "escalation", labels: [])
    /// The key of acknowledged and resolved news.
    public static let lifecycle = GroupKey(owner: .lifecycle, name: "lifecycle", labels: [])

    public static func == (a: GroupKey, b: GroupKey) -> Bool { a.owner == b.owner && a.labels == b.labels }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(owner)
        hasher.combine(labels)
    }

    public var description: String {
        var text = name
        let close: String
        switch owner {
        case .route:
            text += "{"
            close = "}"
        case .correlation, .anomaly:
            text += "|"
            close = ""
        case .escalation, .lifecycle:
            return name
        }
        for (i, label) in labels.enumerated() {
            if i > 0 { text += "," }
            text += RoutePolicy.escaped(label.name)
            text += "="
            text += RoutePolicy.escaped(label.value)
        }
        return text + close
    }

    /// The key of a rule's group for an alert: the rule's `by` names in `<` order, each once,
    /// those `value` gives.
    static func rule(_ owner: Owner, name: String, by names: [String], _ value: (String) -> String?) -> GroupKey {
        var labels: [GroupLabel] = []
        labels.reserveCapacity(names.count)
        if names.count == 1 {
            if let v = value(names[0]) { labels.append(GroupLabel(name: names[0], value: v)) }
        } else {
            var previous: String?
            for n in names.sorted() where n != previous {
                if let v = value(n) { labels.append(GroupLabel(name: n, value: v)) }
                previous = n
            }
        }
        return GroupKey(owner: owner, name: name, labels: labels)
    }

    /// The rule of a correlation or anomaly group's key.
    public var ruleID: RuleID? {
        switch owner {
        case .correlation(let id), .anomaly(let id): id
        case .route, .escalation, .lifecycle: nil
        }
    }

    /// The labels as a dictionary (a derived alert's labels, a heartbeat's).
    public var labelDictionary: [String: String] {
        Dictionary(labels.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}
