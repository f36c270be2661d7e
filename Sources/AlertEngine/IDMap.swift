/// A map from alert ids to values, for the engine's per-alert tables (escalation plans, steps,
/// timer tokens): open addressing with linear probing, an id's home bucket its low bits. Ids are
/// handed out in order and forgotten in about that order, so the ids held are a sliding range
/// that lands in distinct buckets, and the alerts of one moment in neighbouring ones (one cache
/// line, where `Dictionary<Int, _>` runs SipHash on every id and scatters them). Reads, compares
/// and encodes as the `[Int: Value]` it replaces, so snapshots keep their form.
public struct IDMap<Value> {
    /// `empty` marks a free bucket; `values[i]` is set exactly where `keys[i]` is not `empty`.
    private var keys: [Int] = []
    private var values: [Value?] = []
    public private(set) var count = 0

    private static var empty: Int { .min }

    public init() {}

    public var isEmpty: Bool { count == 0 }

    /// The home bucket of `key` in a table of `mask + 1` buckets (a power of two).
    @inline(__always)
    private static func home(_ key: Int, _ mask: Int) -> Int { key & mask }

    private func bucket(of key: Int) -> Int? {
        guard count > 0 else { return nil }
        let mask = keys.count - 1
        var b = Self.home(key, mask)
        while true {
            let k = keys[b]
            if k == key { return b }
            if k == Self.empty { return nil }
            b = (b + 1) & mask
        }
    }

    public subscript(key: Int) -> Value? {
        get { bucket(of: key).flatMap { values[$0] } }
        set {
            precondition(key != Self.empty, "IDMap cannot hold the key Int.min")
            if let b = bucket(of: key) {
                if let newValue { values[b] = newValue } else { remove(at: b) }
            } else if let newValue {
                insert(key, newValue)
            }
        }
    }

    /// Stores a key the map lacks.
    private mutating func insert(_ key: Int, _ value: Value) {
        // At most 70% full: probes stay short, even for keys the map lacks.
        if (count + 1) * 10 > keys.count * 7 { grow() }
        let mask = keys.count - 1
        var b = Self.home(key, mask)
        while keys[b] != Self.empty { b = (b + 1) & mask }
        keys[b] = key
        values[b] = value
        count += 1
    }

    private mutating func grow() {
        let (oldKeys, oldValues) = (keys, values)
        keys = Array(repeating: Self.empty, count: max(8, keys.count * 2))
        values = Array(repeating: nil, count: keys.count)
        count = 0
        for i in oldKeys.indices where oldKeys[i] != Self.empty { insert(oldKeys[i], oldValues[i]!) }
    }

    /// Empties bucket `i`, shifting back the entries after it that probed past it (no
    /// tombstones: a look-up still stops at the first empty bucket).
    private mutating func remove(at i: Int) {
        keys[i] = Self.empty
        values[i] = nil
        count -= 1
        let mask = keys.count - 1
        var hole = i, j = (i + 1) & mask
        while keys[j] != Self.empty {
            let home = Self.home(keys[j], mask)
            // The entry at `j` may move to the hole when its home is not in (hole, j].
            let stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
            if !stays {
                keys[hole] = keys[j]
                values[hole] = values[j]
                keys[j] = Self.empty
                values[j] = nil
                hole = j
            }
            j = (j + 1) & mask
        }
    }

    /// Every entry, as a dictionary.
    public var dictionary: [Int: Value] {
        var out: [Int: Value] = Dictionary(minimumCapacity: count)
        for i in keys.indices where keys[i] != Self.empty { out[keys[i]] = values[i] }
        return out
    }
}

extension IDMap: Sendable where Value: Sendable {}

extension IDMap: Equatable where Value: Equatable {
    public static func == (a: IDMap, b: IDMap) -> Bool { a.count == b.count && a.dictionary == b.dictionary }
}

extension IDMap: Codable where Value: Codable {
    public init(from decoder: Decoder) throws {
        self.init()
        for (key, value) in try [Int: Value](from: decoder) { self[key] = value }
    }

    public func encode(to encoder: Encoder) throws { try dictionary.encode(to: encoder) }
}

extension IDMap: CustomStringConvertible {
    public var description: String { dictionary.description }
}
