/// The service's durable store, one backend behind it (SQLite now; PostgreSQL beside it later).
/// Every method is scoped by tenant: no query reads or writes across tenants, and tables are
/// keyed by tenant first. Writes come only through `commit`, one transaction per call.
public protocol StoreBackend: Sendable {
    /// Writes every event of `writes` in one transaction, in order: all of them or none.
    func commit(_ writes: [EventWrite]) async throws

    /// The tenants that have anything stored.
    func tenants() async throws -> [TenantID]
    /// The last logged event's sequence number (0 when none), snapshots included: the next
    /// event is one more.
    func lastSequence(_ tenant: TenantID) async throws -> Int64
    /// The latest snapshot, or nil.
    func latestSnapshot(_ tenant: TenantID) async throws -> SnapshotRow?
    /// The logged events after `seq`, in order.
    func events(_ tenant: TenantID, after seq: Int64) async throws -> [EventRow]

    /// A stored pack version, or nil.
    func pack(_ tenant: TenantID, version: Int) async throws -> PackRow?
    /// The highest stored pack version, or nil.
    func latestPack(_ tenant: TenantID) async throws -> PackRow?

    /// An alert's read-model row, or nil (another tenant's id is nil too).
    func alert(_ tenant: TenantID, id: Int) async throws -> AlertRow?
    /// A page of alerts, newest first.
    func alerts(_ tenant: TenantID, _ query: AlertQuery) async throws -> AlertPage
    /// An alert's timeline, in order.
    func timeline(_ tenant: TenantID, alertID: Int) async throws -> [TimelineRow]
    /// The tenant's outbox, in order.
    func outbox(_ tenant: TenantID) async throws -> [OutboxRow]

    /// The tenant's audit trail, in number order.
    func audit(_ tenant: TenantID) async throws -> [AuditRecord]
    /// The last audit record, or nil.
    func lastAudit(_ tenant: TenantID) async throws -> AuditRecord?
}
