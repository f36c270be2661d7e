import Foundation
import ServiceStore
import Testing

/// The audit trail's hash chain: intact verifies; an edited, inserted or deleted entry is found,
/// and the first bad entry named.
@Suite struct AuditChainTests {
    static let tenant = TenantID("t")

    static func chain(_ n: Int) -> [AuditRecord] {
        var out: [AuditRecord] = []
        var previous = AuditRecord.genesis
        for i in 1...n {
            let r = AuditRecord(tenant: tenant, number: Int64(i), at: t0 + Int64(i), alertID: i, event: "received", detail: "f\(i)",
                                actor: "key:abc", packHash: "h", previousHash: previous)
            previous = r.hash
            out.append(r)
        }
        return out
    }

    @Test func anIntactChainVerifies() {
        #expect(AuditChain.verify(tenant: Self.tenant, Self.chain(5)) == nil)
        #expect(Self.chain(1)[0].previousHash == AuditRecord.genesis)
    }

    @Test func anEditedEntryIsNamed() {
        var c = Self.chain(5)
        let e = c[2]
        c[2] = AuditRecord(stored: e.number, at: e.at, alertID: e.alertID, event: "resolved", detail: e.detail, actor: e.actor,
                           packHash: e.packHash, previousHash: e.previousHash, hash: e.hash)
        #expect(AuditChain.verify(tenant: Self.tenant, c)?.number == 3)
        #expect(AuditChain.verify(tenant: Self.tenant, c)?.reason == "its content does not match its hash (the entry was edited)")
    }

    @Test func aDeletedEntryIsNamed() {
        var c = Self.chain(5)
        c.remove(at: 1)
        let found = AuditChain.verify(tenant: Self.tenant, c)
        #expect(found?.number == 3)
        #expect(found?.description == "tenant `t`: audit entry 3: entries 2…2 are missing")
    }

    @Test func anInsertedEntryIsNamed() {
        var c = Self.chain(5)
        // A forged entry 3 chained to entry 2, with the later entries renumbered: entry 4 (the
        // old 3) no longer chains to what precedes it.
        let forged = AuditRecord(tenant: Self.tenant, number: 3, at: t0, alertID: nil, event: "acknowledged", detail: "", actor: "key:evil",
                                 packHash: "h", previousHash: c[1].hash)
        var renumbered = [c[0], c[1], forged]
        for e in c[2...] {
            renumbered.append(AuditRecord(stored: e.number + 1, at: e.at, alertID: e.alertID, event: e.event, detail: e.detail, actor: e.actor,
                                          packHash: e.packHash, previousHash: e.previousHash, hash: e.hash))
        }
        c = renumbered
        #expect(AuditChain.verify(tenant: Self.tenant, c)?.number == 4)
    }

    @Test func theTenantIsPartOfTheHash() {
        let a = AuditRecord(tenant: TenantID("a"), number: 1, at: t0, alertID: nil, event: "x", detail: "", actor: "", packHash: "", previousHash: AuditRecord.genesis)
        let b = AuditRecord(tenant: TenantID("b"), number: 1, at: t0, alertID: nil, event: "x", detail: "", actor: "", packHash: "", previousHash: AuditRecord.genesis)
        #expect(a.hash != b.hash)
        #expect(AuditChain.verify(tenant: TenantID("b"), [a])?.number == 1)
    }
}
