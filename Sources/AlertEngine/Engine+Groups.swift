import RuleVM
import RuleLang

/// Group notifications: `group_wait` before the first, then a check every `group_interval` that
/// notifies when the group has new alerts or `repeat_interval` has passed (Alertmanager's
/// aggregation groups).
extension Engine {
    /// `mute_during` / `active_during` (Alertmanager's time intervals): a muted route's
    /// notifications are dropped; which route matched does not change.
    func muted(_ policy: RoutePolicy, at now: Int64) -> Bool {
        // (The engine's VM runs the same program: its zone offsets are cached.)
        func inWindow(_ name: String) -> Bool { vm.inWindow(named: name, at: now) ?? false }
        if let m = policy.muteDuring, inWindow(m) { return true }
        if let a = policy.activeDuring, !inWindow(a) { return true }
        return false
    }

    mutating func flush(_ key: String, at now: Int64, token: UInt64) -> [Notification] {
        guard let i = state.groups.index(forKey: key), state.groups[at: i].timer == token else { return [] }
        // Taken out of the state while it changes (no copy of its arrays); forgotten alerts leave.
        var group = state.groups.remove(at: i).value
        // A group whose route a pack swap removed ends here, silently.
        guard let policy = policies[group.route] else { return [] }
        let held = group.alerts.count
        group.alerts.removeAll { state.alerts.status(of: $0) == nil }
        if group.alerts.count < held { group.notified = group.notified.filter { state.alerts.status(of: $0) != nil } }
        let firing = group.alerts.filter { state.alerts.status(of: $0) == .firing }
        if firing.isEmpty && group.alerts.allSatisfy({ state.alerts.status(of: $0) == .resolved }) { return [] }
        if firing.isEmpty {
            let idleSince = group.idleSince ?? now
            if now - idleSince >= cacheTTLMs { return [] }
            group.idleSince = idleSince
        } else {
            group.idleSince = nil
        }
        var out: [Notification] = []
        let isNew = !group.notifiedAll(firing)
        let repeatDue = group.lastNotification.map { now - $0 >= policy.repeatIntervalMs } ?? false
        if !firing.isEmpty && (isNew || repeatDue) && !muted(policy, at: now) {
            for id in firing { _ = state.alerts.update(id) { $0.paged(by: group.route) } }
            for channel in policy.groupChannels {
                for id in firing {
                    out.append(Notification(at: now, channel: channel, alert: state.alerts.alertname(of: id), alertID: id,
                                            level: nil, group: key))
                }
            }
            group.notified = firing
            group.lastNotification = now
        }
        group.timer = state.timers.schedule(.flush(group: key), at: now + policy.groupIntervalMs)
        state.groups[key] = group
        return out
    }
}
