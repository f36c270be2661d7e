
/// Forgetting resolved alerts, so a long-running engine's state is bounded by its open alerts
/// and its recent past, not by every alert it ever saw.
extension Engine {
    /// Removes resolved alert `id` and everything kept per alert: its escalation and SLA state,
    /// its breaches.
    /// Its groups drop it at their next check (one pass over the group there, instead of one
    /// per forgotten alert); a group left with no alert ends then.
    mutating func forget(_ id: Int, at now: Int64) {
        guard state.alerts.status(of: id) == .resolved else { return }
        note(id, .forgotten, at: now)
        state.alerts[id] = nil
        state.plans[id] = nil
        state.escalationStep[id] = nil
        state.escalationTokens[id] = nil
        state.escalationShift[id] = nil
        state.ackTimeouts[id] = nil
        state.breachesByAlert[id] = nil
    }
}
