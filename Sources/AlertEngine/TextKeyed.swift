import RuleVM

/// A dictionary keyed by strings, each hashed once, by its bytes, into a 64-bit value kept
/// beside it: growing the table rehashes those values, never the strings. Fingerprints and
/// group keys are longer than a small string, so they live on the heap, and rehashing one was a
/// cache miss (the open alerts' table growing was a fifth of admitting an alert).
///
/// Keys are equal when their bytes are, as fingerprints and group keys are built (two
/// canonically equivalent label values are two alerts, so two groups). Encodes as a flat list
/// `[key, value, key, value, …]`, as `Dictionary` does for keys other than `String`.
public struct TextKeyed<Value> {
    public struct Key: Hashable, Sendable {
        let bits: UInt64
        public let text: String

        public init(_ text: String) {
            var text = text
            self.bits = text.withUTF8 { NameTable.hash(UnsafeRawBufferPointer($0)) }
            self.text = text
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(bits) }
        public static func == (a: Key, b: Key) -> Bool { a.bits == b.bits && NameTable.sameBytes(a.text, b.text) }
    }

    public typealias Storage = [Key: Value]
    private(set) var storage: Storage = [:]

    public init() {}

    public subscript(key: String) -> Value? {
        get { storage[Key(key)] }
        set { storage[Key(key)] = newValue }
        _modify { yield &storage[Key(key)] }
    }

    public func index(forKey key: String) -> Storage.Index? { storage.index(forKey: Key(key)) }

    public var values: Storage.Values {
        get { storage.values }
        _modify { yield &storage.values }
    }

    public var keys: [String] { storage.keys.map(\.text) }
    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    @discardableResult
    public mutating func remove(at i: Storage.Index) -> (key: String, value: Value) {
        let (key, value) = storage.remove(at: i)
        return (key.text, value)
    }
}

extension TextKeyed: Sendable where Value: Sendable {}

extension TextKeyed: Equatable where Value: Equatable {
    public static func == (a: TextKeyed, b: TextKeyed) -> Bool { a.storage == b.storage }
}

extension TextKeyed: Codable where Value: Codable {
    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        while !c.isAtEnd {
            let key = try c.decode(String.self)
            storage[Key(key)] = try c.decode(Value.self)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        for (key, value) in storage {
            try c.encode(key.text)
            try c.encode(value)
        }
    }
}
