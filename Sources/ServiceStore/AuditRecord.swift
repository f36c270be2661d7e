import Crypto
import Foundation

/// One entry of a tenant's audit trail, hash-chained: `hash` is the SHA-256 of its canonical
/// encoding, which includes `previousHash` (the hash of the entry before it, or 64 zeros for
/// the first), so an edited, inserted or deleted entry breaks the chain after it.
public struct AuditRecord: Sendable, Equatable {
    /// Its place in the tenant's trail, from 1, without gaps.
    public let number: Int64
    public let at: Int64
    public let alertID: Int?
    /// The audit event's name (`received`, `pack_swapped`, …) and details.
    public let event: String
    public let detail: String
    /// Who caused it: `key:<hash prefix>` for an API key, `scheduler`, `reload`, `startup`.
    public let actor: String
    /// The hash of the pack in force.
    public let packHash: String
    public let previousHash: String
    public let hash: String

    /// The hash before the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// A new entry after the one whose hash is `previousHash`; its hash computed here.
    public init(tenant: TenantID, number: Int64, at: Int64, alertID: Int?, event: String, detail: String, actor: String,
                packHash: String, previousHash: String) {
        self.number = number
        self.at = at
        self.alertID = alertID
        self.event = event
        self.detail = detail
        self.actor = actor
        self.packHash = packHash
        self.previousHash = previousHash
        self.hash = Self.hash(tenant: tenant, number: number, at: at, alertID: alertID, event: event, detail: detail,
                              actor: actor, packHash: packHash, previousHash: previousHash)
    }

    /// An entry as read back, its stored hash kept as it is (`verify` recomputes it).
    public init(stored number: Int64, at: Int64, alertID: Int?, event: String, detail: String, actor: String, packHash: String,
                previousHash: String, hash: String) {
        self.number = number
        self.at = at
        self.alertID = alertID
        self.event = event
        self.detail = detail
        self.actor = actor
        self.packHash = packHash
        self.previousHash = previousHash
        self.hash = hash
    }

    /// SHA-256 (hex) of the canonical encoding: each field as its UTF-8 byte count, a colon and
    /// its bytes, in a fixed order (no separator can be forged by a field's content).
    public static func hash(tenant: TenantID, number: Int64, at: Int64, alertID: Int?, event: String, detail: String, actor: String,
                            packHash: String, previousHash: String) -> String {
        var bytes: [UInt8] = []
        for field in [tenant.name, String(number), String(at), alertID.map(String.init) ?? "-", event, detail, actor, packHash, previousHash] {
            bytes += Array("\(field.utf8.count):".utf8)
            bytes += Array(field.utf8)
        }
        return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}

/// Checks a tenant's audit trail.
public enum AuditChain {
    /// A break in the chain: the first entry that does not verify, and why.
    public struct Break: Sendable, Equatable, CustomStringConvertible {
        public let tenant: TenantID
        public let number: Int64
        public let reason: String

        public var description: String { "tenant `\(tenant)`: audit entry \(number): \(reason)" }
    }

    /// The first break in `entries` (in number order), or nil when the chain is intact.
    public static func verify(tenant: TenantID, _ entries: [AuditRecord]) -> Break? {
        var previous = AuditRecord.genesis
        var expected: Int64 = 1
        for e in entries {
            if e.number != expected {
                return Break(tenant: tenant, number: e.number, reason: e.number > expected ? "entries \(expected)…\(e.number - 1) are missing" : "out of order (expected \(expected))")
            }
            if e.previousHash != previous {
                return Break(tenant: tenant, number: e.number, reason: "its previous hash does not match the entry before it (an entry was inserted, deleted or edited)")
            }
            let recomputed = AuditRecord.hash(tenant: tenant, number: e.number, at: e.at, alertID: e.alertID, event: e.event, detail: e.detail,
                                              actor: e.actor, packHash: e.packHash, previousHash: e.previousHash)
            if recomputed != e.hash { return Break(tenant: tenant, number: e.number, reason: "its content does not match its hash (the entry was edited)") }
            previous = e.hash
            expected += 1
        }
        return nil
    }
}
