/// Which list a rule belongs to: the front end, the compiler and the runtime pack name rule
/// lists by it.
public enum RuleKind: String, Sendable, Codable {
    case enrich, suppress, correlate, anomaly, route
}

/// Aggregates over a correlation window (spec 3.6): what the checker types, the compiler
/// lowers and the engine keeps running over a window's alerts.
public enum Aggregate: String, Sendable, CaseIterable, Codable {
    case count, distinct, sum, min, max, avg, first, last
}

/// What a notification says: a page (`firing`), or news of an alert already paged on its
/// channel (PagerDuty's acknowledge and resolve events). Tests expect them by these names.
public enum NotificationKind: String, Sendable, CaseIterable, Codable {
    case firing, acknowledged, resolved
}
