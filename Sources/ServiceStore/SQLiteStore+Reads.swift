import Foundation
import GRDB

/// The reads, each scoped by tenant.
extension SQLiteStore {
    func read<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw StoreError.database("reading \(what): \(error.message ?? error.description)")
        }
    }

    public func tenants() async throws -> [TenantID] {
        try await read("tenants") { db in
            try String.fetchAll(db, sql: "SELECT tenant FROM packs UNION SELECT tenant FROM audit ORDER BY 1").map(TenantID.init)
        }
    }

    public func lastSequence(_ tenant: TenantID) async throws -> Int64 {
        try await read("the last sequence number") { db in
            let event = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events WHERE tenant = ?", arguments: [tenant.name]) ?? 0
            let snapshot = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM snapshots WHERE tenant = ?", arguments: [tenant.name]) ?? 0
            return max(event, snapshot)
        }
    }

    public func latestSnapshot(_ tenant: TenantID) async throws -> SnapshotRow? {
        try await read("the latest snapshot") { db in
            try Row.fetchOne(db, sql: "SELECT seq, pack_version, body FROM snapshots WHERE tenant = ? ORDER BY seq DESC LIMIT 1",
                             arguments: [tenant.name]).map { SnapshotRow(seq: $0[0], packVersion: $0[1], body: $0[2]) }
        }
    }

    public func events(_ tenant: TenantID, after seq: Int64) async throws -> [EventRow] {
        try await read("the event log") { db in
            try Row.fetchAll(db, sql: "SELECT seq, at, body FROM events WHERE tenant = ? AND seq > ? ORDER BY seq",
                             arguments: [tenant.name, seq]).map { EventRow(seq: $0[0], at: $0[1], body: $0[2]) }
        }
    }

    static func packRow(_ r: Row) -> PackRow {
        PackRow(version: r["version"], hash: r["hash"], source: r["source"], artifact: r["artifact"], loadedAt: r["loaded_at"])
    }

    public func pack(_ tenant: TenantID, version: Int) async throws -> PackRow? {
        try await read("pack version \(version)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM packs WHERE tenant = ? AND version = ?", arguments: [tenant.name, version]).map(Self.packRow)
        }
    }

    public func latestPack(_ tenant: TenantID) async throws -> PackRow? {
        try await read("the latest pack") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM packs WHERE tenant = ? ORDER BY version DESC LIMIT 1", arguments: [tenant.name]).map(Self.packRow)
        }
    }

    static func alertRow(_ r: Row) -> AlertRow {
        AlertRow(id: r["id"], fingerprint: r["fingerprint"], alertname: r["alertname"], status: r["status"], severity: r["severity"],
                 labels: r["labels"], record: r["record"], updatedAt: r["updated_at"])
    }

    public func alert(_ tenant: TenantID, id: Int) async throws -> AlertRow? {
        try await read("alert \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE tenant = ? AND id = ?", arguments: [tenant.name, id]).map(Self.alertRow)
        }
    }

    public func alerts(_ tenant: TenantID, _ query: AlertQuery) async throws -> AlertPage {
        try await read("the alert list") { db in
            var sql = "SELECT * FROM alerts WHERE tenant = ?"
            var arguments: StatementArguments = [tenant.name]
            if let s = query.status {
                sql += " AND status = ?"
                _ = arguments.append(contentsOf: [s])
            }
            if let s = query.severity {
                sql += " AND severity = ?"
                _ = arguments.append(contentsOf: [s])
            }
            for (name, value) in query.labels {
                // The labels are a JSON object; a name is `[A-Za-z_][A-Za-z0-9_]*` (checked by
                // the caller), and is bound as a parameter all the same.
                sql += " AND json_extract(labels, '$.' || ?) = ?"
                _ = arguments.append(contentsOf: [name, value])
            }
            if let before = query.before {
                sql += " AND id < ?"
                _ = arguments.append(contentsOf: [before])
            }
            sql += " ORDER BY id DESC LIMIT ?"
            _ = arguments.append(contentsOf: [query.limit + 1])
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.alertRow)
            let page = Array(rows.prefix(query.limit))
            return AlertPage(alerts: page, next: rows.count > query.limit ? page.last?.id : nil)
        }
    }

    public func timeline(_ tenant: TenantID, alertID: Int) async throws -> [TimelineRow] {
        try await read("the timeline of alert \(alertID)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM timeline WHERE tenant = ? AND alert_id = ? ORDER BY seq, idx",
                             arguments: [tenant.name, alertID]).map {
                TimelineRow(alertID: $0["alert_id"], seq: $0["seq"], index: $0["idx"], at: $0["at"], kind: $0["kind"], detail: $0["detail"])
            }
        }
    }

    public func outbox(_ tenant: TenantID) async throws -> [OutboxRow] {
        try await read("the outbox") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE tenant = ? ORDER BY seq, idx", arguments: [tenant.name]).map {
                OutboxRow(id: OutboxID(tenant: tenant, seq: $0["seq"], index: $0["idx"]), at: $0["at"], channel: $0["channel"],
                          alertID: $0["alert_id"], kind: $0["kind"], level: $0["level"], group: $0["grp"], status: $0["status"])
            }
        }
    }

    static func auditRow(_ r: Row) -> AuditRecord {
        AuditRecord(stored: r["n"], at: r["at"], alertID: r["alert_id"], event: r["event"], detail: r["detail"], actor: r["actor"],
                    packHash: r["pack_hash"], previousHash: r["prev_hash"], hash: r["hash"])
    }

    public func audit(_ tenant: TenantID) async throws -> [AuditRecord] {
        try await read("the audit trail") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE tenant = ? ORDER BY n", arguments: [tenant.name]).map(Self.auditRow)
        }
    }

    public func lastAudit(_ tenant: TenantID) async throws -> AuditRecord? {
        try await read("the audit trail") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM audit WHERE tenant = ? ORDER BY n DESC LIMIT 1", arguments: [tenant.name]).map(Self.auditRow)
        }
    }
}
