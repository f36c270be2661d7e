import RuleRuntime
import RuleVM
import RuleText

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

    /// A group's check: its notifications go to the end of `out` (the timers' list: a list per
    /// check, copied into it, moved every notification of a large group twice). The group stays
    /// in its bucket (taken out and put back, it was hashed, probed for and moved twice).
    mutating func flush(_ key: GroupKey, at now: Int64, token: UInt64, into out: inout [Notification]) {
        guard let i = state.groups.index(forKey: key), state.groups[at: i].timer == token else { return }
        // (A pack swap renumbers the groups of the routes it keeps and drops the others.)
        guard case .route(let number) = state.groups[at: i].key.owner, let policy = routePolicies[number] else {
            state.groups.remove(at: i)
            return
        }
        // Its lists taken out while they change (no copy), forgotten alerts leaving.
        var alerts: [Int] = [], notified: [Int] = []
        Swift.swap(&alerts, &state.groups[at: i].alerts)
        Swift.swap(&notified, &state.groups[at: i].notified)
        let held = alerts.count
        alerts.removeAll { state.alerts.status(of: $0) == nil }
        if alerts.count < held { notified.removeAll { state.alerts.status(of: $0) == nil } }
        let firing = alerts.filter { state.alerts.status(of: $0) == .firing }
        var idleSince: Int64?
        if firing.isEmpty {
            let since = state.groups[at: i].idleSince ?? now
            if alerts.allSatisfy({ state.alerts.status(of: $0) == .resolved }) || now.subtractingSaturated(since) >= cacheTTLMs {
                state.groups.remove(at: i)
                return
            }
            idleSince = since
        }
        let isNew = !AlertGroup.notified(notified, all: firing)
        let repeatDue = state.groups[at: i].lastNotification.map { now.subtractingSaturated($0) >= policy.repeatIntervalMs } ?? false
        let route = state.groups[at: i].route
        if !firing.isEmpty && (isNew || repeatDue) && !muted(policy, at: now) {
            for id in firing { _ = state.alerts.update(id) { $0.paged(by: route) } }
            for channel in policy.groupChannels {
                for id in firing {
                    out.append(Notification(at: now, channel: channel, alert: state.alerts.alertname(of: id), alertID: id,
                                            level: nil, group: key))
                }
            }
            notified = firing
            state.groups[at: i].lastNotification = now
        }
        state.groups[at: i].idleSince = idleSince
        state.groups[at: i].alerts = alerts
        state.groups[at: i].notified = notified
        state.groups[at: i].timer = state.timers.schedule(.flush(group: key), at: now.addingSaturated(policy.groupIntervalMs))
    }
}
