import RuleText
import RuleRuntime

/// PagerDuty Events API v2: one event per alert, `dedup_key` = its fingerprint, so trigger,
/// acknowledge and resolve find the same PagerDuty alert.
enum PagerDutyDriver {
    /// The US service region's endpoint; a channel `url` replaces it (the EU region, a test sink).
    static let defaultURL = "https://events.pagerduty.com/v2/enqueue"
    /// Events API v2 limits: `payload.summary` and `dedup_key`.
    static let summaryLimit = 1024
    static let dedupKeyLimit = 255
    /// PagerDuty's severities (ours have the same four names).
    static let severities = ["critical", "error", "warning", "info"]

    /// The request(s) delivering `m` through `c`; an error when the channel lacks its endpoint.
    static func requests(_ m: OutgoingMessage, _ c: ResolvedChannel) -> Result<[DeliveryRequest], DriverError> {
        guard let key = c[.routingKey], !key.isEmpty else { return .failure(DriverError(channel: c.name, message: "no `routing_key`")) }
        return Drivers.endpoint(c, default: defaultURL).map { url in
            m.alerts.map { DeliveryRequest(url: url, headers: [.json], json: event(m, $0, c, key: key)) }
        }
    }

    /// The event for one alert; acknowledge and resolve carry only the key and the action.
    static func event(_ m: OutgoingMessage, _ a: MessageAlert, _ c: ResolvedChannel, key: String) -> JSONValue {
        var out: [(String, JSONValue)] = [("routing_key", .string(key)), ("event_action", .string(action(m.kind))),
                                          ("dedup_key", .string(dedupKey(a.fingerprint)))]
        // Acknowledge and resolve need only the key: PagerDuty keeps the trigger's details.
        guard m.kind == .firing else { return .object(out) }
        var details: [(String, JSONValue)] = [("labels", .strings(a.labels)), ("tenant", .string(m.tenant))]
        if !a.annotations.isEmpty { details.append(("annotations", .strings(a.annotations))) }
        if let level = m.level { details.append(("escalation_level", .int(Int64(level)))) }
        details.append(("notification_id", .string(m.id.rawValue)))
        var payload: [(String, JSONValue)] = [
            ("summary", .string(TextLimit.truncate(summary(m, a), to: summaryLimit))),
            ("source", .string(a.source ?? a.labels["instance"] ?? "rulelang/\(m.tenant)")),
            ("severity", .string(severity(a, c))),
            ("timestamp", .string(Timestamps.rfc3339(a.startsAt))),
        ]
        if let job = a.labels["job"] { payload.append(("component", .string(job))) }
        if let service = a.labels["service"] { payload.append(("group", .string(service))) }
        payload.append(("class", .string(a.alertname)))
        payload.append(("custom_details", .object(details)))
        out.append(("payload", .object(payload)))
        out.append(("client", .string("RuleLang")))
        out.append(("client_url", .string(MessageText.link(m, a))))
        out.append(("links", .array([.object([("href", .string(MessageText.link(m, a))), ("text", .string("Alert in RuleLang"))])])))
        return .object(out)
    }

    /// `trigger`, `acknowledge` or `resolve`.
    static func action(_ kind: NotificationKind) -> String {
        switch kind {
        case .firing: "trigger"
        case .acknowledged: "acknowledge"
        case .resolved: "resolve"
        }
    }

    /// The channel's `template.title` (rendered against this alert), else the `summary`
    /// annotation, else the alert line.
    static func summary(_ m: OutgoingMessage, _ a: MessageAlert) -> String {
        if let t = m.alertTitles[a.id] ?? m.title, !t.isEmpty { return t }
        return a.annotations["summary"] ?? MessageText.alertLine(a)
    }

    /// The channel's fixed `severity` when it names one of PagerDuty's, else the alert's (our
    /// four severities are PagerDuty's four).
    static func severity(_ a: MessageAlert, _ c: ResolvedChannel) -> String {
        if let s = c[.severity], severities.contains(s) { return s }
        return a.severityName
    }

    /// The fingerprint, or when it is over PagerDuty's 255 characters its head and a hash of
    /// the whole: still one key per fingerprint, never cut to collide with another.
    static func dedupKey(_ fingerprint: String) -> String {
        guard fingerprint.utf8.count > dedupKeyLimit else { return fingerprint }
        var head = ""
        for c in fingerprint {
            guard head.utf8.count + c.utf8.count <= dedupKeyLimit - 17 else { break }
            head.append(c)
        }
        return head + "-" + NotificationID.hex(NotificationID.digest(fingerprint, basis: 0xcbf2_9ce4_8422_2325))
    }
}
