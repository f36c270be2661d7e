/// The route groups of the state, by their `GroupKey`. Looked up by the key's rendered bytes
/// (a `ByteKeyedMap`): an alert joining a group that exists finds it from its labels without a
/// key, a string or an array being made (`RoutePolicy.withGroupKey`). The rendering is only
/// that index: the groups hold their structured keys, and a snapshot holds the groups alone
/// (the index is built again when it is read).
public struct GroupTable: Sendable, Equatable, Codable {
    /// A bucket of the index.
    public typealias Index = ByteKeyedMap<AlertGroup>.Index

    private var index = ByteKeyedMap<AlertGroup>()

    public init() {}

    public var count: Int { index.count }
    public var isEmpty: Bool { index.isEmpty }

    public subscript(key: GroupKey) -> AlertGroup? {
        get { index[key.description] }
        set {
            precondition(newValue.map { $0.key == key } ?? true, "a group stored under another key")
            index[key.description] = newValue
        }
    }

    /// The bucket of the group keyed `key`, if there is one.
    public func index(forKey key: GroupKey) -> Index? { index.index(forKey: key.description) }

    /// The bucket of the group whose key renders as `bytes`, if there is one.
    public func index(forBytes bytes: UnsafeBufferPointer<UInt8>) -> Index? { index.index(forBytes: bytes) }

    /// The group in bucket `i`, read or changed in place (its key stays).
    public subscript(at i: Index) -> AlertGroup {
        get { index[at: i] }
        _modify { yield &index[at: i] }
    }

    @discardableResult
    public mutating func remove(at i: Index) -> AlertGroup { index.remove(at: i).value }

    /// The keys and the groups, in no order to rely on.
    public var keys: [GroupKey] { index.values.map(\.key) }
    public var values: [AlertGroup] { index.values }

    /// Gives every group's key a new owner (`owner` nil: the group leaves), as a pack swap
    /// renumbers routes; the rendered keys do not change.
    mutating func renumber(_ owner: (GroupKey) -> GroupKey.Owner?) {
        var next = ByteKeyedMap<AlertGroup>()
        for var group in index.values {
            guard let o = owner(group.key) else { continue }
            group.key.owner = o
            next[group.key.description] = group
        }
        index = next
    }

    /// Encoded as the list of groups (each with its key).
    public init(from decoder: Decoder) throws {
        for group in try [AlertGroup](from: decoder) { self[group.key] = group }
    }

    public func encode(to encoder: Encoder) throws {
        try values.sorted { $0.key.description < $1.key.description }.encode(to: encoder)
    }
}
