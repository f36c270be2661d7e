import RuleRuntime
import RuleRuntime
import RuleText

/// Escalations (spec section 7): the plan is frozen when the alert's escalation starts; level 0
/// goes with the group notification, each later level fires at the alert's start plus its
/// `after` while the alert is not acknowledged (or not resolved, per `until`); `repeat` runs the
/// levels again, each round starting once the previous round's last level has had its time.
extension Engine {
    /// Every escalation of `pack` as a plan, by name (the first of a duplicated name).
    static func plans(_ pack: RuntimePack) -> [String: EscalationPlan] {
        Dictionary(pack.escalations.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// When step `step` of the plan is due, or nil past the last round.
    func due(_ plan: EscalationPlan, step: Int, start: Int64) -> Int64? {
        let n = plan.levels.count
        guard n > 0, step < n * (plan.repeatCount + 1) else { return nil }
        // A round lasts until its last level has waited as long as the level before it did
        // (PagerDuty's "escalates after" of the last rule): levels 0m, 5m, 15m repeat every 25m.
        let last = plan.levels[n - 1].afterMs
        let cycle = last.addingSaturated(last.subtractingSaturated(n > 1 ? plan.levels[n - 2].afterMs : 0))
        let round = step / n
        if round > 0 && cycle == 0 { return nil }
        return start.addingSaturated(Int64(round).multipliedSaturated(cycle)).addingSaturated(plan.levels[step % n].afterMs)
    }

    /// Freezes the plan of alert `id` — the escalation of the first of its `routes` (route
    /// numbers) that has one — and schedules its first step from `start`.
    mutating func startEscalation(_ id: Int, routes: [Int], start: Int64) {
        guard let route = routes.first(where: { routePlans[$0] != nil }), let plan = routePlans[route] else { return }
        state.plans[id] = plan
        // Level 0 with `after: 0` goes with the group notification; otherwise it is a step too.
        schedule(id, step: plan.levels.first?.afterMs == 0 ? 1 : 0, plan, start: start)
    }

    mutating func schedule(_ id: Int, step: Int, _ plan: EscalationPlan, start: Int64) {
        state.escalationStep[id] = step
        guard let at = due(plan, step: step, start: start) else {
            state.escalationTokens[id] = nil
            return
        }
        state.escalationTokens[id] = state.timers.schedule(.escalate(alert: id, step: step), at: at)
    }

    mutating func escalate(_ id: Int, step: Int, at now: Int64, token: UInt64) -> [Notification] {
        guard state.escalationTokens[id] == token, let alert = state.alerts[id], let plan = state.plans[id] else { return [] }
        let stillOpen = plan.untilAcknowledged ? alert.status == .firing : alert.status != .resolved
        guard stillOpen else {
            state.escalationTokens[id] = nil
            return []
        }
        let level = step % plan.levels.count
        if !plan.levels[level].channels.isEmpty { state.alerts[id]?.notified = true }
        note(id, .escalated(plan: plan.name, level: level), at: now)
        let out = plan.levels[level].channels.map { channel in
            Notification(at: now, channel: channel, alert: alert.alertname, alertID: id, level: level, group: .escalation)
        }
        schedule(id, step: step + 1, plan, start: alert.startsAt.addingSaturated(state.escalationShift[id] ?? 0))
        return out
    }
}
