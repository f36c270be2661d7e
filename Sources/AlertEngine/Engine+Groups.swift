import RuleLang

/// Group notifications: `group_wait` before the first, then a check every `group_interval` that
/// notifies when the group has new alerts or `repeat_interval` has passed (Alertmanager's
/// aggregation groups).
extension Engine {
    mutating func flush(_ key: String, at now: Int64, token: UInt64) -> [Notification] {
        guard var group = state.groups[key], group.timer == token, let policy = policies[group.route] else { return [] }
        let firing = group.alerts.filter { state.alerts[$0]?.status == .firing }
        if group.alerts.allSatisfy({ state.alerts[$0]?.status == .resolved }) {
            state.groups[key] = nil
            return []
        }
        var out: [Notification] = []
        let current = Set(firing)
        let isNew = !current.subtracting(group.notified).isEmpty
        let repeatDue = group.lastNotification.map { now - $0 >= policy.repeatIntervalMs } ?? false
        if !firing.isEmpty && (isNew || repeatDue) {
            var channels = policy.notify
            if let e = policy.escalation.flatMap({ escalations[$0] }), let first = e.levels.first, first.afterMs == 0 {
                for c in first.notify.map(\.text) where !channels.contains(c) { channels.append(c) }
            }
            for channel in channels {
                for id in firing {
                    out.append(Notification(at: now, channel: channel, alert: state.alerts[id]?.alertname ?? "", alertID: id,
                                            level: nil, group: key))
                }
            }
            group.notified = current
            group.lastNotification = now
        }
        group.timer = state.timers.schedule(.flush(group: key), at: now + policy.groupIntervalMs)
        state.groups[key] = group
        return out
    }
}
