import RuleRuntime
import RuleText

/// SLAs (spec section 7): `ack_within` and `resolve_within` from the pack's `sla:` or its tier's
/// defaults; a breach is recorded and moves the alert to its next escalation level at once. An
/// acknowledgement not resolved within `ack_timeout` re-triggers the alert.
extension Engine {
    var ackWithin: Int64 { pack.sla.ackWithinMs }
    var resolveWithin: Int64 { pack.sla.resolveWithinMs }

    /// Starts the SLA clocks of a routed alert (an unrouted one has nobody to escalate to).
    mutating func startSLA(_ id: Int, routed: Bool, at now: Int64) {
        guard routed else { return }
        let ack = now.addingSaturated(ackWithin), resolve = now.addingSaturated(resolveWithin)
        let first = state.timers.reserveSequence()
        _ = state.timers.reserveSequence()          // the later deadline's
        if ack <= resolve {
            state.timers.schedule(.slaAckThenResolve(alert: id, resolveDue: resolve), at: ack, sequence: first)
        } else {
            state.timers.schedule(.slaResolveThenAck(alert: id, ackDue: ack), at: resolve, sequence: first)
        }
    }

    /// The earlier SLA deadline (timer `token`) has come: it is checked, and the later one
    /// scheduled, with the sequence reserved after `token`, unless the alert is resolved (or
    /// forgotten): neither deadline can breach after that.
    mutating func slaDeadlines(_ id: Int, first: SLAKind, then second: SLAKind, due: Int64, at now: Int64, token: UInt64) -> [Notification] {
        let out = slaDeadline(id, first, at: now, token: token)
        if let status = state.alerts.status(of: id), status != .resolved {
            state.timers.schedule(.sla(alert: id, kind: second), at: due, sequence: token + 1)
        }
        return out
    }

    mutating func slaDeadline(_ id: Int, _ kind: SLAKind, at now: Int64, token: UInt64) -> [Notification] {
        // Read in place: most deadlines find their alert acknowledged or resolved.
        guard let status = state.alerts.status(of: id) else { return [] }
        switch kind {
        case .ackWithin where status == .firing, .resolveWithin where status != .resolved:
            breach(id, kind, at: now, token: token)
            return escalateNextLevel(id, at: now)
        case .ackTimeout where status == .acknowledged && state.ackTimeouts[id] == token:
            state.ackTimeouts[id] = nil
            state.alerts[id]?.status = .firing
            breach(id, kind, at: now, token: token)
            return escalateNextLevel(id, at: now)
        default:
            return []
        }
    }

    /// Records that alert `id` breached `kind` (its deadline timer `token` fired at `now`).
    mutating func breach(_ id: Int, _ kind: SLAKind, at now: Int64, token: UInt64) {
        let breach = SLABreach(alertID: id, alert: state.alerts.alertname(of: id), kind: kind, at: now, sequence: token)
        state.breachesByAlert[id] = (state.breachesByAlert[id] ?? []) + [breach]
        note(id, .slaBreach(kind), at: now)
    }

    /// Runs the alert's next escalation step now (a breach or a manual escalation), unless the
    /// plan is exhausted; the steps after it keep their spacing from it.
    mutating func escalateNextLevel(_ id: Int, at now: Int64) -> [Notification] {
        guard let plan = state.plans[id], let step = state.escalationStep[id], let start = state.alerts[id]?.startsAt else { return [] }
        let shift = state.escalationShift[id] ?? 0
        guard let planned = due(plan, step: step, start: start.addingSaturated(shift)) else { return [] }
        state.escalationShift[id] = shift.addingSaturated(now.subtractingSaturated(planned))
        let token = state.timers.schedule(.escalate(alert: id, step: step), at: now)
        state.escalationTokens[id] = token
        return []
    }
}
