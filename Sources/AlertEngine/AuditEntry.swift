/// What an audit entry records, with its details as values: they are rendered to text only when
/// the entry is (`detail`, `AuditEntry.description`), never while the engine handles an event.
public enum AuditEvent: Sendable, Equatable, CustomStringConvertible {
    /// A new alert, with its fingerprint.
    case received(fingerprint: String)
    case deduplicated
    /// A new alert suppressed by the rule (or runtime silence) named.
    case suppressed(by: String)
    /// A new alert handled by these route paths (never empty: none is `unrouted`).
    case routed(routes: [String])
    case unrouted
    case acknowledged, resolved
    /// An escalation plan's level paged the alert.
    case escalated(plan: String, level: Int)
    case slaBreach(SLAKind)
    case forgotten
    /// The pack was replaced; the tenant's.
    case packSwapped(tenant: String)
    case silenceAdded(id: String)
    case silenceRemoved(id: String)

    /// Its name in the audit log (`sla_breach`).
    public var name: String {
        switch self {
        case .received: "received"
        case .deduplicated: "deduplicated"
        case .suppressed: "suppressed"
        case .routed: "routed"
        case .unrouted: "unrouted"
        case .acknowledged: "acknowledged"
        case .resolved: "resolved"
        case .escalated: "escalated"
        case .slaBreach: "sla_breach"
        case .forgotten: "forgotten"
        case .packSwapped: "pack_swapped"
        case .silenceAdded: "silence_added"
        case .silenceRemoved: "silence_removed"
        }
    }

    /// Its details as the audit log writes them after the name: the fingerprint, the rule, the
    /// routes separated by spaces, `plan level N`, the SLA kind, the tenant, the silence's id;
    /// empty for the others.
    public var detail: String {
        switch self {
        case .received(let fingerprint): fingerprint
        case .suppressed(let rule): rule
        case .routed(let routes): routes.joined(separator: " ")
        case .escalated(let plan, let level): "\(plan) level \(level)"
        case .slaBreach(let kind): kind.rawValue
        case .packSwapped(let tenant): tenant
        case .silenceAdded(let id), .silenceRemoved(let id): id
        case .deduplicated, .unrouted, .acknowledged, .resolved, .forgotten: ""
        }
    }

    /// Its name (the entry's `description` adds the details).
    public var description: String { name }
}

/// One line of the audit log: what happened to which alert (none for a pack swap or a
/// silence), when.
public struct AuditEntry: Sendable, Equatable, CustomStringConvertible {
    public let at: Int64
    public let alertID: Int?
    public let event: AuditEvent

    /// The event's details as text (`AuditEvent.detail`).
    public var detail: String { event.detail }

    public var description: String {
        let detail = detail
        return "\(at) \(alertID.map { "#\($0) " } ?? "")\(event.name)" + (detail.isEmpty ? "" : " \(detail)")
    }
}
