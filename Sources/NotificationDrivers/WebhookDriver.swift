import RuleRuntime

/// Generic webhooks: Alertmanager's webhook JSON, version 4, so a receiver written for
/// Alertmanager works unchanged; the notification id goes in an `Idempotency-Key` header.
enum WebhookDriver {
    /// The request(s) delivering `m` through `c`; an error when the channel lacks its endpoint.
    static func requests(_ m: OutgoingMessage, _ c: ResolvedChannel) -> Result<[DeliveryRequest], DriverError> {
        if m.kind == .resolved && c[.sendResolved] == "false" { return .success([]) }
        return Drivers.endpoint(c).map { url in
            [DeliveryRequest(url: url, headers: [.json, HTTPHeader("Idempotency-Key", m.id.rawValue)], json: payload(m, c))]
        }
    }

    /// The Alertmanager version 4 body.
    static func payload(_ m: OutgoingMessage, _ c: ResolvedChannel) -> JSONValue {
        // `max_alerts`: 0 or absent sends every alert, as in Alertmanager.
        let max = c[.maxAlerts].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? m.alerts.count
        let sent = m.alerts.prefix(max)
        // Alertmanager knows firing and resolved only: an acknowledged alert is still firing
        // there; the `rulelang` member says what the message is.
        let status = m.kind == .resolved ? "resolved" : "firing"
        let alerts: [JSONValue] = sent.map { a in
            .object([
                ("status", .string(status)),
                ("labels", .strings(a.labels)),
                ("annotations", .strings(a.annotations)),
                ("startsAt", .string(Timestamps.rfc3339(a.startsAt))),
                ("endsAt", .string(m.kind == .resolved ? Timestamps.rfc3339(m.at) : Timestamps.zero)),
                ("generatorURL", .string(MessageText.link(m, a))),
                ("fingerprint", .string(a.fingerprint)),
            ])
        }
        var rulelang: [(String, JSONValue)] = [("kind", .string(m.kind.rawValue)), ("notificationID", .string(m.id.rawValue)), ("tenant", .string(m.tenant))]
        if let level = m.level { rulelang.append(("level", .int(Int64(level)))) }
        return .object([
            ("version", .string("4")),
            ("groupKey", .string(m.group)),
            ("truncatedAlerts", .int(Int64(m.alerts.count - sent.count))),
            ("status", .string(status)),
            ("receiver", .string(c.name)),
            ("groupLabels", .strings(m.groupLabels)),
            ("commonLabels", .strings(m.commonLabels)),
            ("commonAnnotations", .strings(m.commonAnnotations)),
            ("externalURL", .string(m.externalURL)),
            ("alerts", .array(alerts)),
            ("rulelang", .object(rulelang)),
        ])
    }
}
