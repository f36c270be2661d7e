import RuleText

/// Messages that waited for a rate limit, merged: one message per channel, group, level and
/// kind, holding every alert the waiting ones named (each once, its latest record, in the
/// order first named), so a burst reaches the channel as one message instead of being dropped.
public enum Backlog {
    public static func merge(_ queued: [OutgoingMessage]) -> [OutgoingMessage] {
        struct Key: Hashable {
            let channel: String, group: String, level: Int?, kind: NotificationKind
        }
        var order: [Key] = []
        var merged: [Key: (first: OutgoingMessage, last: OutgoingMessage, alerts: [MessageAlert])] = [:]
        for m in queued {
            let key = Key(channel: m.channel, group: m.group, level: m.level, kind: m.kind)
            guard var entry = merged[key] else {
                order.append(key)
                merged[key] = (m, m, m.alerts)
                continue
            }
            for a in m.alerts {
                if let i = entry.alerts.firstIndex(where: { $0.id == a.id }) { entry.alerts[i] = a } else { entry.alerts.append(a) }
            }
            entry.last = m
            merged[key] = entry
        }
        return order.map { key in
            let e = merged[key]!
            // One message needs no new identity: it keeps its own id, and the delivery its key.
            guard e.first.id != e.last.id else { return e.first }
            return OutgoingMessage(tenant: e.last.tenant, channel: key.channel, kind: key.kind, level: key.level, at: e.last.at,
                                   group: key.group, groupLabels: e.last.groupLabels, alerts: e.alerts, title: e.last.title,
                                   text: e.last.text, externalURL: e.last.externalURL)
        }
    }
}
