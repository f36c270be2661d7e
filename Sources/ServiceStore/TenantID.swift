/// A tenant of the service: one pack folder under the rules directory, one engine, one slice of the store.
/// Every store method takes one, so no query can forget to scope by tenant.
public struct TenantID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The tenant's name, as its pack folder is named.
    public let name: String

    /// A tenant named `name`.
    public init(_ name: String) { self.name = name }

    public var description: String { name }

    public static func < (a: TenantID, b: TenantID) -> Bool { a.name < b.name }
}
