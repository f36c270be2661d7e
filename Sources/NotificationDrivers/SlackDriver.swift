import RuleRuntime

/// Slack incoming webhooks, Block Kit: a header, the text, the group's fields, one section per
/// alert (the rest summarised "and N more"), a context line and a link, within Slack's limits.
enum SlackDriver {
    /// Slack's published limits.
    static let headerLimit = 150
    static let sectionTextLimit = 3000
    static let fieldLimit = 2000
    static let maxFields = 10
    static let maxBlocks = 50
    static let buttonURLLimit = 3000
    /// Alerts listed one section each; the rest are counted in one line. With the header,
    /// text, fields, "more", context and link blocks this stays under `maxBlocks`.
    static let maxAlertSections = 20

    /// The request(s) delivering `m` through `c`; an error when the channel lacks its endpoint.
    static func requests(_ m: OutgoingMessage, _ c: ResolvedChannel) -> Result<[DeliveryRequest], DriverError> {
        Drivers.endpoint(c).map { url in
            [DeliveryRequest(url: url, headers: [.json], json: payload(m, c))]
        }
    }

    /// The Block Kit message.
    static func payload(_ m: OutgoingMessage, _ c: ResolvedChannel) -> JSONValue {
        let title = MessageText.title(m)
        var blocks: [JSONValue] = [
            .object([("type", .string("header")),
                     ("text", .object([("type", .string("plain_text")), ("text", .string(TextLimit.truncate(title, to: headerLimit)))]))]),
        ]
        // The channel's template is the pack author's mrkdwn; an annotation is the alert
        // sender's text, escaped.
        let body = m.text.map { !$0.isEmpty } == true ? MessageText.body(m) : escape(MessageText.body(m))
        if !body.isEmpty { blocks.append(section(body)) }
        let fields = Self.fields(m)
        if !fields.isEmpty {
            blocks.append(.object([("type", .string("section")), ("fields", .array(fields))]))
        }
        for a in m.alerts.prefix(maxAlertSections) { blocks.append(section(alertText(m, a))) }
        if m.alerts.count > maxAlertSections { blocks.append(section("_\(MessageText.more(m.alerts.count - maxAlertSections))_")) }
        blocks.append(.object([("type", .string("context")),
                               ("elements", .array([.object([("type", .string("mrkdwn")), ("text", .string(TextLimit.truncate(MessageText.context(m), to: sectionTextLimit)))])]))]))
        if let first = m.alerts.first, case let link = MessageText.link(m, first), link.utf16.count <= buttonURLLimit {
            blocks.append(.object([("type", .string("actions")), ("elements", .array([.object([
                ("type", .string("button")),
                ("text", .object([("type", .string("plain_text")), ("text", .string(m.alerts.count == 1 ? "Open alert" : "Open first alert"))])),
                ("url", .string(link)),
            ])]))]))
        }
        var out: [(String, JSONValue)] = [("text", .string(TextLimit.truncate(title, to: sectionTextLimit)))]
        if let channel = c[.channel] { out.append(("channel", .string(channel))) }
        if let username = c[.username] { out.append(("username", .string(username))) }
        out.append(("blocks", .array(Array(blocks.prefix(maxBlocks)))))
        return .object(out)
    }

    /// A mrkdwn section, its text cut to Slack's limit.
    static func section(_ text: String) -> JSONValue {
        .object([("type", .string("section")), ("text", .object([("type", .string("mrkdwn")), ("text", .string(TextLimit.truncate(text, to: sectionTextLimit)))]))])
    }

    /// Status, severity and the group's labels as fields, at most `maxFields`.
    static func fields(_ m: OutgoingMessage) -> [JSONValue] {
        var pairs: [(String, String)] = [("status", m.kind.rawValue)]
        if let a = m.alerts.first, m.alerts.allSatisfy({ $0.severity == a.severity }) { pairs.append(("severity", a.severityName)) }
        pairs += m.groupLabels.filter { $0.0 != "severity" }
        return pairs.prefix(maxFields).map { name, value in
            .object([("type", .string("mrkdwn")), ("text", .string(TextLimit.truncate("*\(name)*\n\(value)", to: fieldLimit)))])
        }
    }

    /// `*<link|name>* · severity · labels`, and its summary on the next line.
    static func alertText(_ m: OutgoingMessage, _ a: MessageAlert) -> String {
        let summary = a.annotations["summary"].map { "\n\($0)" } ?? ""
        return "*<\(MessageText.link(m, a))|\(escape(a.alertname))>* · " + escape(MessageText.alertDetails(a) + summary)
    }

    /// Slack's mrkdwn control characters (`&`, `<`, `>`) escaped, as its docs require.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
