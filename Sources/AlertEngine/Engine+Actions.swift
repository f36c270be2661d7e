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
    /// re-triggered): persist it as it now is. (Boxed: an alert is several times the size of
    /// the other actions, and every action of the list was moved at that size.)
    indirect case store(EngineAlert)
    /// An alert left the engine's state (`forgetResolvedMs`); the store keeps its history.
    case forget(alertID: Int)
    case audit(AuditEntry)
    /// The engine's next deadline changed: call `handle(.timersDue, at:)` then (nil: none left).
    case schedule(at: Int64?)
}

extension Engine {
    /// The engine's one entry point, as service.md's "Shape" states it: one event at `now` in
    /// (the timers due by then fire first), the actions out — the notifications, then a `store`
    /// for each alert whose record changed (or a `forget`), the audit entries, and `schedule`
    /// when the next deadline moved.
    public mutating func handle(_ event: consuming EngineEvent, at now: Int64) -> [EngineAction] {
        let dueBefore = state.timers.nextDue
        touched.removeAll(keepingCapacity: true)
        audit.removeAll(keepingCapacity: true)
        let sent: [Notification]
        // (Consumed: the alert input is moved into `receive`, not copied out of the event.)
        switch consume event {
        case .alert(let a): sent = receive(a, at: now)
        case .acknowledge(let name): sent = acknowledge(name, at: now)
        case .resolve(let name): sent = resolve(name, at: now)
        case .escalate(let name): sent = escalateNow(name, at: now)
        case .timersDue: sent = advance(to: now)
        case .packSwapped(let p):
            sent = advance(to: now)
            swap(to: p)
            audit.append(AuditEntry(at: now, alertID: nil, event: .packSwapped(tenant: p.tenant)))
        case .silenceAdded(let silence, let expiresAt):
            sent = advance(to: now)
            addSilence(silence, expiresAt: expiresAt)
            audit.append(AuditEntry(at: now, alertID: nil, event: .silenceAdded(id: silence.id)))
        case .silenceRemoved(let id):
            sent = advance(to: now)
            if state.silences[id] != nil { audit.append(AuditEntry(at: now, alertID: nil, event: .silenceRemoved(id: id))) }
            removeSilence(id: id)
        }
        var actions: [EngineAction] = []
        actions.reserveCapacity(sent.count + touched.count + audit.count + 1)
        for n in sent { actions.append(.notify(n)) }
        // Each changed alert once, in the order it first changed (the notified ones after the
        // others; `touched` is this event's scratch, so they join it there).
        for n in sent { touched.append(n.alertID) }
        // (Bound, then moved into the action: `map(EngineAction.store)` copied the alert twice.)
        touched.forEachFirst { id in
            if let alert = state.alerts[id] { actions.append(.store(alert)) } else { actions.append(.forget(alertID: id)) }
        }
        for entry in audit { actions.append(.audit(entry)) }
        if state.timers.nextDue != dueBefore { actions.append(.schedule(at: state.timers.nextDue)) }
        return actions
    }

    /// Records that alert `id` changed, with an audit entry.
    mutating func note(_ id: Int, _ event: AuditEvent, at now: Int64) {
        touched.append(id)
        audit.append(AuditEntry(at: now, alertID: id, event: event))
    }
}

extension Array where Element == Int {
    /// Calls `body` with each id once, at its first place. Most events change a handful of
    /// alerts: each is compared with those before it (no hashing, no allocation). More are
    /// marked in a bitmap over their range (alert ids are dense), or a set when it is sparse.
    func forEachFirst(_ body: (Int) -> Void) {
        if count <= 16 {
            for i in indices where !self[..<i].contains(self[i]) { body(self[i]) }
            return
        }
        let low = self.min()!, (span, overflow) = self.max()!.subtractingReportingOverflow(low)
        if !overflow && span / 64 <= count {
            var seen = [UInt64](repeating: 0, count: span / 64 + 1)
            for id in self {
                let offset = id - low, bit: UInt64 = 1 << UInt64(offset & 63)
                if seen[offset >> 6] & bit == 0 {
                    seen[offset >> 6] |= bit
                    body(id)
                }
            }
        } else {
            var seen = Set<Int>(minimumCapacity: count)
            for id in self where seen.insert(id).inserted { body(id) }
        }
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
