/// The texts every driver shows the same way: a message's default title, an alert's line,
/// links and the context line.
enum MessageText {
    /// `[FIRING:3] HighLatency`, `[RESOLVED] HighLatency`, `[ACKNOWLEDGED] …`; an escalation's
    /// level after it (`(level 2)`).
    static func defaultTitle(_ m: OutgoingMessage) -> String {
        let status: String
        switch m.kind {
        case .firing: status = "FIRING:\(m.alerts.count)"
        case .acknowledged: status = "ACKNOWLEDGED"
        case .resolved: status = "RESOLVED"
        }
        return "[\(status)] \(name(m))" + (m.level.map { " (level \($0))" } ?? "")
    }

    /// The alert name the message is about: the one every alert shares, else the first's and a count.
    static func name(_ m: OutgoingMessage) -> String {
        guard let first = m.alerts.first else { return "" }
        let names = Set(m.alerts.map(\.alertname))
        return names.count == 1 ? first.alertname : "\(first.alertname) and \(names.count - 1) other alert names"
    }

    /// The channel's rendered `title`, else the default.
    static func title(_ m: OutgoingMessage) -> String {
        if let t = m.title, !t.isEmpty { return t }
        return defaultTitle(m)
    }

    /// The channel's rendered `text`, else the first alert's `summary` or `description`
    /// annotation (empty without one).
    static func body(_ m: OutgoingMessage) -> String {
        if let t = m.text, !t.isEmpty { return t }
        guard let a = m.alerts.first else { return "" }
        return a.annotations["summary"] ?? a.annotations["description"] ?? ""
    }

    /// One alert in one line: `name · severity · a=1, b=2`.
    static func alertLine(_ a: MessageAlert) -> String {
        "\(a.alertname) · \(alertDetails(a))"
    }

    /// An alert's severity and its labels other than `alertname` and `severity`, in name order:
    /// `severity · a=1, b=2`.
    static func alertDetails(_ a: MessageAlert) -> String {
        let labels = OutgoingMessage.sorted(a.labels).filter { $0.0 != "alertname" && $0.0 != "severity" }
        return a.severityName + (labels.isEmpty ? "" : " · " + labels.map { "\($0.0)=\($0.1)" }.joined(separator: ", "))
    }

    /// The alert's page in the service.
    static func link(_ m: OutgoingMessage, _ a: MessageAlert) -> String {
        "\(m.externalURL)/api/v1/critical-alerts/\(a.id)"
    }

    /// `RuleLang · tenant acme · group … · 2026-01-01T00:00:00.000Z`.
    static func context(_ m: OutgoingMessage) -> String {
        "RuleLang · tenant \(m.tenant) · \(m.groupLabels.isEmpty ? "group \(m.group)" : m.groupLabels.map { "\($0.0)=\($0.1)" }.joined(separator: ", "))"
            + " · \(Timestamps.rfc3339(m.at))"
    }

    /// "and 37 more".
    static func more(_ n: Int) -> String { "and \(n) more" }
}
