/// Lifecycle notifications: when a paged alert is acknowledged or resolved, the channels that
/// paged it hear so (PagerDuty's acknowledge and resolve events; a "resolved" message on Slack,
/// Teams and webhooks). An alert nobody was told about (suppressed, still in `group_wait`,
/// muted) ends silently.
extension Engine {
    /// One notification of `kind` per channel that paged alert `id`: the channels of each of its
    /// routes whose group notified it (`pagedRoutes`), then those of the escalation levels sent
    /// for it, in that order, each once.
    func lifecycleNotifications(_ id: Int, _ kind: Notification.Kind, at now: Int64) -> [Notification] {
        guard let alert = state.alerts[id], alert.notified == true, alert.status != .resolved else { return [] }
        var channels: [String] = []
        func add(_ c: String) { if !channels.contains(c) { channels.append(c) } }
        let paged = alert.pagedRoutes ?? 0
        for (i, path) in alert.routes.enumerated() where i < 64 && paged & (1 << UInt64(i)) != 0 {
            if let policy = policies[path] { policy.groupChannels.forEach(add) }
        }
        if let plan = state.plans[id], !plan.levels.isEmpty, let next = state.escalationStep[id] {
            // Steps before `next` have been sent, but a first level at 0 goes with the group
            // notification (its channels are the group's).
            let first = plan.levels[0].afterMs == 0 ? 1 : 0
            for step in first..<max(first, min(next, plan.levels.count)) { plan.levels[step].channels.forEach(add) }
        }
        return channels.map {
            Notification(at: now, channel: $0, alert: alert.alertname, alertID: id, level: nil, group: .lifecycle, kind: kind)
        }
    }
}
