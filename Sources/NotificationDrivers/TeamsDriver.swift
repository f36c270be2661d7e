import RuleRuntime

/// Microsoft Teams through a Workflows webhook: an Adaptive Card in a `message` envelope, kept
/// under Teams' 28 KB by listing fewer alerts (the rest counted) until it fits.
enum TeamsDriver {
    /// Teams refuses a message over about 28 KB.
    static let sizeLimit = 28_000
    /// Cuts that keep a card readable and bounded whatever the alerts hold.
    static let titleLimit = 150
    static let textLimit = 3000
    static let factLimit = 500
    static let maxFacts = 10
    static let maxAlertRows = 20

    /// The request(s) delivering `m` through `c`; an error when the channel lacks its endpoint.
    static func requests(_ m: OutgoingMessage, _ c: ResolvedChannel) -> Result<[DeliveryRequest], DriverError> {
        Drivers.endpoint(c).map { url in
            // The most alerts that fit: fewer rows until the body is within the limit (every
            // text is cut, so no rows at all always fits).
            var rows = min(m.alerts.count, maxAlertRows)
            var json = payload(m, rows: rows)
            while json.bytes.count > sizeLimit && rows > 0 {
                rows /= 2
                json = payload(m, rows: rows)
            }
            return [DeliveryRequest(url: url, headers: [.json], json: json)]
        }
    }

    /// The `message` envelope and its card, listing at most `rows` alerts.
    static func payload(_ m: OutgoingMessage, rows: Int) -> JSONValue {
        var body: [JSONValue] = [
            .object([("type", .string("TextBlock")), ("text", .string(TextLimit.truncate(MessageText.title(m), to: titleLimit))),
                     ("weight", .string("Bolder")), ("size", .string("Large")), ("color", .string(color(m))), ("wrap", .bool(true)),
                     ("style", .string("heading"))]),
        ]
        let text = MessageText.body(m)
        if !text.isEmpty { body.append(textBlock(TextLimit.truncate(text, to: textLimit))) }
        var facts: [(String, String)] = [("status", m.kind.rawValue)]
        if let a = m.alerts.first, m.alerts.allSatisfy({ $0.severity == a.severity }) { facts.append(("severity", a.severityName)) }
        facts += m.groupLabels.filter { $0.0 != "severity" }
        body.append(.object([("type", .string("FactSet")), ("facts", .array(facts.prefix(maxFacts).map { name, value in
            .object([("title", .string(TextLimit.truncate(name, to: factLimit))), ("value", .string(TextLimit.truncate(value, to: factLimit)))])
        }))]))
        for a in m.alerts.prefix(rows) {
            body.append(.object([("type", .string("TextBlock")), ("text", .string(TextLimit.truncate("[\(a.alertname)](\(MessageText.link(m, a))) · " + MessageText.alertDetails(a), to: textLimit))),
                                 ("wrap", .bool(true)), ("separator", .bool(true))]))
        }
        if m.alerts.count > rows {
            body.append(.object([("type", .string("TextBlock")), ("text", .string(MessageText.more(m.alerts.count - rows))), ("isSubtle", .bool(true)), ("wrap", .bool(true))]))
        }
        body.append(.object([("type", .string("TextBlock")), ("text", .string(MessageText.context(m))), ("size", .string("Small")),
                             ("isSubtle", .bool(true)), ("wrap", .bool(true))]))
        var card: [(String, JSONValue)] = [
            ("$schema", .string("http://adaptivecards.io/schemas/adaptive-card.json")), ("type", .string("AdaptiveCard")),
            ("version", .string("1.4")), ("msteams", .object([("width", .string("Full"))])), ("body", .array(body)),
        ]
        if let first = m.alerts.first {
            card.append(("actions", .array([.object([("type", .string("Action.OpenUrl")), ("title", .string(m.alerts.count == 1 ? "Open alert" : "Open first alert")),
                                                     ("url", .string(MessageText.link(m, first)))])])))
        }
        return .object([("type", .string("message")), ("attachments", .array([.object([
            ("contentType", .string("application/vnd.microsoft.card.adaptive")), ("contentUrl", .null), ("content", .object(card)),
        ])]))])
    }

    /// A wrapping text block.
    static func textBlock(_ s: String) -> JSONValue {
        .object([("type", .string("TextBlock")), ("text", .string(s)), ("wrap", .bool(true))])
    }

    /// Red for a page of an error or a critical alert, amber for a warning, green once resolved.
    static func color(_ m: OutgoingMessage) -> String {
        switch m.kind {
        case .resolved: return "Good"
        case .acknowledged: return "Accent"
        case .firing: return (m.alerts.map(\.severity).max() ?? 0) >= 2 ? "Attention" : "Warning"
        }
    }
}
