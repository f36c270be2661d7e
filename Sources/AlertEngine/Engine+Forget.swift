import RuleLang

/// Forgetting resolved alerts, so a long-running engine's state is bounded by its open alerts
/// and its recent past, not by every alert it ever saw.
extension Engine {
    /// The longest window, sequence `within` or heartbeat `every` of `pack`'s correlations.
    static func longestCorrelation(_ pack: Pack) -> Int64 {
        pack.correlate.map { decl -> Int64 in
            switch decl.kind {
            case .window(let w, _): w
            case .sequence(let within, _): within
            case .heartbeat(let every): every
            }
        }.max() ?? 0
    }

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
