/// What can go wrong in the store, with what and where.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database could not be opened, migrated or written.
    case database(String)
    /// Stored bytes that do not read back (an event, snapshot, pack or record).
    case corrupt(String)
    /// An event names a pack version the store does not hold.
    case missingPack(tenant: TenantID, version: Int)

    public var description: String {
        switch self {
        case .database(let m): "store: \(m)"
        case .corrupt(let m): "store: \(m)"
        case .missingPack(let t, let v): "store: tenant `\(t)` has no stored pack version \(v)"
        }
    }
}
