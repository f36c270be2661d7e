import RuleRuntime
import RuleVM

/// An event the engine handles (service.md "Shape"): the shell turns requests, its timer and
/// pack reloads into these.
public enum EngineEvent: Sendable {
    case alert(AlertInput)
    case acknowledge(String)
    case resolve(String)
    /// Manual escalation.
    case escalate(String)
    /// Time passes: the timers due by `now` fire.
    case timersDue
    /// The tenant's pack is replaced (`Engine.swap(to:)`).
    case packSwapped(RuntimePack)
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

/// One line of the audit log: what happened to which alert, when.
public struct AuditEntry: Sendable, Equatable, CustomStringConvertible {
    public let at: Int64
    public let alertID: Int?
    /// `received`, `deduplicated`, `suppressed`, `routed`, `unrouted`, `acknowledged`,
    /// `resolved`, `escalated`, `sla_breach`, `forgotten`, `pack_swapped`.
    public let event: String
    public let detail: String

    public var description: String { "\(at) \(alertID.map { "#\($0) " } ?? "")\(event)" + (detail.isEmpty ? "" : " \(detail)") }
}

extension Engine {
    /// The engine as service.md's "Shape" states it: one event at `now` in, the actions out —
    /// the notifications, then a `store` for each alert whose record changed (or a `forget`),
    /// the audit entries, and `schedule` when the next deadline moved.
    public mutating func handle(_ event: EngineEvent, at now: Int64) -> [EngineAction] {
        let dueBefore = state.timers.nextDue
        touched = []
        audit = []
        recording = true
        defer { recording = false }
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
            audit.append(AuditEntry(at: now, alertID: nil, event: "pack_swapped", detail: p.tenant))
        }
        var actions = sent.map(EngineAction.notify)
        var seen = Set<Int>()
        for id in touched + sent.map(\.alertID) where seen.insert(id).inserted {
            actions.append(state.alerts[id].map(EngineAction.store) ?? .forget(alertID: id))
        }
        actions += audit.map(EngineAction.audit)
        if state.timers.nextDue != dueBefore { actions.append(.schedule(at: state.timers.nextDue)) }
        touched = []
        audit = []
        return actions
    }

    /// Records that alert `id` changed, with an audit entry.
    mutating func note(_ id: Int, _ event: String, _ detail: @autoclosure () -> String = "", at now: Int64) {
        guard recording else { return }
        touched.append(id)
        audit.append(AuditEntry(at: now, alertID: id, event: event, detail: detail()))
    }
}

extension Array where Element == Notification {
    /// `self += more`, taking `more`'s buffer when `self` is empty: notifications pass up
    /// several calls (a flush, the timers, the event) and are copied at none of them.
    mutating func add(_ more: [Notification]) {
        if isEmpty { self = more } else if !more.isEmpty { append(contentsOf: more) }
    }
}
