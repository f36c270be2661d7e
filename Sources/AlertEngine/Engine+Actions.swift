import RuleRuntime
import RuleVM

/// An event the engine handles (service.md "Shape"): the shell turns requests, its timer and
/// pack reloads into these. Every change to the state is one of them.
public enum EngineEvent: Sendable {
    case alert(AlertInput)
    case acknowledge(String)
    case resolve(String)
    /// Manual escalation.
    case escalate(String)
    /// Time passes: the timers due by `now` fire.
    case timersDue
    /// The tenant's pack is replaced by another runtime pack.
    case packSwapped(RuntimePack)
    /// A runtime silence, compiled against the pack (`SilenceCompiler`), added or replaced
    /// under its id.
    case silenceAdded(CompiledSilence, expiresAt: Int64)
    case silenceRemoved(id: String)
}

/// What the shell must do after an event, in this order: deliver, persist, log, sleep.
public enum EngineAction: Sendable, Equatable {
    case notify(Notification)
    /// An alert's record changed (created, deduplicated into, acknowledged, resolved, paged,
    /// re-triggered): persist it as it now is.
    case store(EngineAlert)
    /// An alert left the engine's state (`forgetResolvedMs`); the store keeps its history.
    case forget(alertID: Int)
    case audit(AuditEntry)
    /// The engine's next deadline changed: call `handle(.timersDue, at:)` then (nil: none left).
    case schedule(at: Int64?)
}

/// What an audit entry records.
public enum AuditEvent: String, Sendable, Equatable, Codable, CustomStringConvertible {
    case received, deduplicated, suppressed, routed, unrouted, acknowledged, resolved, escalated
    case slaBreach = "sla_breach", forgotten
    case packSwapped = "pack_swapped", silenceAdded = "silence_added", silenceRemoved = "silence_removed"

    /// Its name in the audit log (`sla_breach`).
    public var description: String { rawValue }
}

/// One line of the audit log: what happened to which alert (none for a pack swap or a
/// silence), when.
public struct AuditEntry: Sendable, Equatable, CustomStringConvertible {
    public let at: Int64
    public let alertID: Int?
    public let event: AuditEvent
    /// The fingerprint (`received`), the rule (`suppressed`), the routes (`routed`), the plan
    /// and level (`escalated`), the deadline (`sla_breach`), the tenant (`pack_swapped`), the
    /// silence's id (`silence_added`, `silence_removed`); empty for the others.
    public let detail: String

    public var description: String { "\(at) \(alertID.map { "#\($0) " } ?? "")\(event)" + (detail.isEmpty ? "" : " \(detail)") }
}

extension Engine {
    /// The engine's one entry point, as service.md's "Shape" states it: one event at `now` in
    /// (the timers due by then fire first), the actions out — the notifications, then a `store`
    /// for each alert whose record changed (or a `forget`), the audit entries, and `schedule`
    /// when the next deadline moved.
    public mutating func handle(_ event: EngineEvent, at now: Int64) -> [EngineAction] {
        let dueBefore = state.timers.nextDue
        touched.removeAll(keepingCapacity: true)
        audit.removeAll(keepingCapacity: true)
        let sent: [Notification]
        switch event {
        case .alert(let a): sent = receive(a, at: now)
        case .acknowledge(let name): sent = acknowledge(name, at: now)
        case .resolve(let name): sent = resolve(name, at: now)
        case .escalate(let name): sent = escalateNow(name, at: now)
        case .timersDue: sent = advance(to: now)
        case .packSwapped(let p):
            sent = advance(to: now)
            swap(to: p)
            audit.append(AuditEntry(at: now, alertID: nil, event: .packSwapped, detail: p.tenant))
        case .silenceAdded(let silence, let expiresAt):
            sent = advance(to: now)
            addSilence(silence, expiresAt: expiresAt)
            audit.append(AuditEntry(at: now, alertID: nil, event: .silenceAdded, detail: silence.id))
        case .silenceRemoved(let id):
            sent = advance(to: now)
            if state.silences[id] != nil { audit.append(AuditEntry(at: now, alertID: nil, event: .silenceRemoved, detail: id)) }
            removeSilence(id: id)
        }
        var actions: [EngineAction] = []
        actions.reserveCapacity(sent.count + touched.count + audit.count + 1)
        for n in sent { actions.append(.notify(n)) }
        // Each changed alert once, in the order it first changed: most events change one.
        if touched.count + sent.count == 1 {
            let id = touched.first ?? sent[0].alertID
            actions.append(state.alerts[id].map(EngineAction.store) ?? .forget(alertID: id))
        } else if touched.count + sent.count > 1 {
            var seen = Set<Int>()
            for id in touched + sent.map(\.alertID) where seen.insert(id).inserted {
                actions.append(state.alerts[id].map(EngineAction.store) ?? .forget(alertID: id))
            }
        }
        for entry in audit { actions.append(.audit(entry)) }
        if state.timers.nextDue != dueBefore { actions.append(.schedule(at: state.timers.nextDue)) }
        return actions
    }

    /// Records that alert `id` changed, with an audit entry.
    mutating func note(_ id: Int, _ event: AuditEvent, _ detail: String = "", at now: Int64) {
        touched.append(id)
        audit.append(AuditEntry(at: now, alertID: id, event: event, detail: detail))
    }
}

extension Array where Element == EngineAction {
    /// The notifications among the actions, in order.
    public var notifications: [Notification] {
        compactMap { if case .notify(let n) = $0 { n } else { nil } }
    }
}

extension Array where Element == Notification {
    /// `self += more`, taking `more`'s buffer when `self` is empty: notifications pass up
    /// several calls (a flush, the timers, the event) and are copied at none of them.
    mutating func add(_ more: [Notification]) {
        if isEmpty { self = more } else if !more.isEmpty { append(contentsOf: more) }
    }
}
