import AlertEngine
import Foundation

/// Everything one event writes, in one transaction with the others of its commit: the logged
/// event and what the engine's actions made of it (read models, outbox, audit), and optionally
/// a pack version, a snapshot (with the compaction of the log before it), a read-model removal.
public struct EventWrite: Sendable {
    public let tenant: TenantID
    public var event: EventRow?
    public var pack: PackRow?
    public var alerts: [AlertRow] = []
    public var timeline: [TimelineRow] = []
    public var outbox: [OutboxRow] = []
    public var audit: [AuditRecord] = []
    public var snapshot: SnapshotRow?

    public init(tenant: TenantID, event: EventRow? = nil) {
        self.tenant = tenant
        self.event = event
    }
}

/// Turns the engine's actions for one event into the rows the store writes: each `store` into
/// the alert's read-model row, each `notify` into an outbox row (and a `notified` timeline
/// entry), each `audit` into a hash-chained audit record (and a timeline entry for its alert).
public struct ActionRecorder: Sendable {
    public let tenant: TenantID
    /// The audit trail's last number and hash: the next record chains to them.
    public private(set) var auditNumber: Int64
    public private(set) var auditHash: String

    public init(tenant: TenantID, auditNumber: Int64 = 0, auditHash: String = AuditRecord.genesis) {
        self.tenant = tenant
        self.auditNumber = auditNumber
        self.auditHash = auditHash
    }

    /// The rows of `actions`, which event `seq` at `at` produced, added to `write`. An alert's
    /// timeline lists the event's audit entries (received, routed, …) before the notifications
    /// they led to.
    public mutating func record(_ actions: [EngineAction], seq: Int64, at: Int64, actor: String, packHash: String, into write: inout EventWrite) {
        var timelineIndex = 0
        func timeline(_ alertID: Int, _ at: Int64, _ kind: String, _ detail: String) {
            write.timeline.append(TimelineRow(alertID: alertID, seq: seq, index: timelineIndex, at: at, kind: kind, detail: detail))
            timelineIndex += 1
        }
        for action in actions {
            switch action {
            case .store(let alert):
                write.alerts.append(Self.row(alert, at: at))
            case .audit(let entry):
                auditNumber += 1
                let record = AuditRecord(tenant: tenant, number: auditNumber, at: entry.at, alertID: entry.alertID, event: entry.event.name,
                                         detail: entry.detail, actor: actor, packHash: packHash, previousHash: auditHash)
                auditHash = record.hash
                write.audit.append(record)
                if let alertID = entry.alertID { timeline(alertID, entry.at, entry.event.name, entry.detail) }
            case .notify, .forget, .schedule:
                // Notifications below; a forgotten alert keeps its history in the read model;
                // the shell's scheduler reads the engine's deadline itself.
                break
            }
        }
        for (index, n) in actions.notifications.enumerated() {
            let id = OutboxID(tenant: tenant, seq: seq, index: index)
            write.outbox.append(OutboxRow(id: id, at: n.at, channel: n.channel, alertID: n.alertID, kind: n.kind.rawValue, level: n.level, group: n.group.description))
            let level = n.level.map { " level \($0)" } ?? ""
            timeline(n.alertID, n.at, "notified", "\(n.channel)\(level) \(n.kind.rawValue) (\(id))")
        }
    }

    /// An audit record with no engine entry behind it (a refused pack, a key's action).
    public mutating func record(event: String, detail: String, at: Int64, actor: String, packHash: String, into write: inout EventWrite) {
        auditNumber += 1
        let record = AuditRecord(tenant: tenant, number: auditNumber, at: at, alertID: nil, event: event, detail: detail, actor: actor,
                                 packHash: packHash, previousHash: auditHash)
        auditHash = record.hash
        write.audit.append(record)
    }

    /// The read-model row of an alert as the engine now holds it.
    public static func row(_ alert: EngineAlert, at: Int64) -> AlertRow {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let labels = (try? encoder.encode(alert.labels.dictionary)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        let record = (try? encoder.encode(alert)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        return AlertRow(id: alert.id, fingerprint: alert.fingerprint, alertname: alert.labels["alertname"] ?? "", status: alert.status.rawValue,
                        severity: Int(alert.severity), labels: labels, record: record, updatedAt: at)
    }
}
