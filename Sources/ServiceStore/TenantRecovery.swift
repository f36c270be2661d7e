import AlertEngine
import Foundation
import RuleRuntime

/// A tenant's engine as the store rebuilds it: the latest snapshot, then every logged event
/// after it replayed with the pack version in force (the engine is deterministic, so this is the
/// engine that handled them), and where its log and audit trail stand.
public struct RecoveredTenant {
    /// Nil when the tenant has no pack logged yet.
    public var engine: Engine?
    /// The pack version in force (0 when none) and its hash.
    public var packVersion: Int
    public var packHash: String
    /// The last event's sequence number (0 when none).
    public var lastSequence: Int64
    /// How many events were replayed after the snapshot.
    public var replayed: Int
    /// The audit trail's last number and hash.
    public var auditNumber: Int64
    public var auditHash: String
}

/// Rebuilds tenants from the store.
public enum TenantRecovery {
    /// Tenant `tenant` rebuilt from `backend`; `configure` applies the service's engine settings
    /// to each engine it creates (the same settings the live engine ran with).
    public static func recover(_ tenant: TenantID, from backend: any StoreBackend, configure: (inout Engine) -> Void) async throws -> RecoveredTenant {
        var packs: [Int: (RuntimePack, String)] = [:]
        func pack(_ version: Int) async throws -> (RuntimePack, String) {
            if let p = packs[version] { return p }
            guard let row = try await backend.pack(tenant, version: version) else { throw StoreError.missingPack(tenant: tenant, version: version) }
            switch Artifact.decode([UInt8](row.artifact)) {
            case .success(let p):
                packs[version] = (p, row.hash)
                return (p, row.hash)
            case .failure(let e): throw StoreError.corrupt("tenant `\(tenant)`: stored pack version \(version) does not load: \(e)")
            }
        }
        var engine: Engine?
        var version = 0, hash = ""
        var last: Int64 = 0
        if let snapshot = try await backend.latestSnapshot(tenant) {
            let (p, h) = try await pack(snapshot.packVersion)
            var e = Engine(pack: p)
            configure(&e)
            do { try e.restore(snapshot.body) } catch {
                throw StoreError.corrupt("tenant `\(tenant)`: the snapshot at event \(snapshot.seq) does not restore: \(error)")
            }
            engine = e
            (version, hash, last) = (snapshot.packVersion, h, snapshot.seq)
        }
        let events = try await backend.events(tenant, after: last)
        for row in events {
            let logged = try LoggedEvent.decode(row.body)
            if case .pack(let v) = logged {
                let (p, h) = try await pack(v)
                (version, hash) = (v, h)
                if engine == nil {
                    var e = Engine(pack: p)
                    configure(&e)
                    engine = e
                    last = row.seq
                    continue
                }
            }
            guard engine != nil else { throw StoreError.corrupt("tenant `\(tenant)`: event \(row.seq) comes before any pack") }
            // (The packs were loaded above; the closure only looks them up.)
            let event = try logged.engineEvent { v in
                guard let p = packs[v] else { throw StoreError.missingPack(tenant: tenant, version: v) }
                return p.0
            }
            _ = engine!.handle(event, at: row.at)
            last = row.seq
        }
        let audit = try await backend.lastAudit(tenant)
        return RecoveredTenant(engine: engine, packVersion: version, packHash: hash, lastSequence: max(last, try await backend.lastSequence(tenant)),
                               replayed: events.count, auditNumber: audit?.number ?? 0, auditHash: audit?.hash ?? AuditRecord.genesis)
    }
}
