import RuleRuntime
import RuleVM

/// A hash table keyed by the bytes of strings for the engine's big tables (open alerts by fingerprint,
/// groups by group key): open addressing with linear probing over a hash of the key's bytes
/// taken eight at a time, kept beside the key. Growing moves entries by their kept hash, never
/// reading, hashing or retaining a key (a fingerprint or a group key is longer than a small
/// string, so it lives on the heap, and touching it was a cache miss per entry); a look-up
/// hashes its key once, without `Hasher`. A value with copy-on-write storage, as `Dictionary`.
///
/// Keys are equal when their bytes are, as fingerprints and group keys are built (two
/// canonically equivalent label values are two alerts, so two groups). Encodes as a flat list
/// `[key, value, key, value, …]` (a JSON object goes through `[String: Value]`, which would
/// merge two spellings of one key).
public struct ByteKeyedMap<Value> {
    /// A bucket of the table.
    public typealias Index = Int

    private var storage: ByteKeyedStorage<Value>

    public init() { storage = ByteKeyedStorage(capacity: 0) }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.count == 0 }

    public subscript(key: String) -> Value? {
        get { index(forKey: key).map { storage.entries[$0].value } }
        set {
            if let newValue {
                makeUnique()
                storage.insert(key, newValue)
            } else if let i = index(forKey: key) {
                remove(at: i)
            }
        }
    }

    /// The bucket of `key`, if the table holds it.
    public func index(forKey key: String) -> Index? {
        var key = key
        return key.withUTF8 { storage.find(UnsafeRawBufferPointer($0)) }
    }

    /// The bucket of the key whose bytes are `key`, if the table holds it.
    public func index(forBytes key: UnsafeBufferPointer<UInt8>) -> Index? {
        storage.find(UnsafeRawBufferPointer(key))
    }

    /// The value in bucket `i` (from `index(forKey:)`), read or changed in place.
    public subscript(at i: Index) -> Value {
        get {
            precondition(storage.holds(i), "no entry in bucket \(i)")
            return storage.entries[i].value
        }
        _modify {
            precondition(storage.holds(i), "no entry in bucket \(i)")
            makeUnique()
            yield &storage.entries[i].value
        }
    }

    @discardableResult
    public mutating func remove(at i: Index) -> (key: String, value: Value) {
        precondition(storage.holds(i), "no entry in bucket \(i)")
        makeUnique()
        return storage.remove(at: i)
    }

    /// The keys and the values, in bucket order (no order to rely on).
    public var keys: [String] { Array(storage.occupied.map { storage.entries[$0].key }) }
    public var values: [Value] { Array(storage.occupied.map { storage.entries[$0].value }) }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }
}

/// The buckets: hashes (0: empty; a key's hash has its top bit set), eight to a cache line for
/// probing, and entries (key and value side by side: one line per look-up or insert), each
/// initialized only where the hash is not 0.
final class ByteKeyedStorage<Value> {
    private(set) var capacity: Int
    private(set) var count = 0
    private var hashes: UnsafeMutablePointer<UInt64>
    private(set) var entries: UnsafeMutablePointer<(key: String, value: Value)>

    init(capacity: Int) {
        self.capacity = capacity
        hashes = .allocate(capacity: max(1, capacity))
        hashes.initialize(repeating: 0, count: max(1, capacity))
        entries = .allocate(capacity: max(1, capacity))
    }

    deinit {
        for i in occupied { (entries + i).deinitialize(count: 1) }
        hashes.deallocate()
        entries.deallocate()
    }

    /// Whether bucket `i` holds an entry.
    func holds(_ i: Int) -> Bool { i >= 0 && i < capacity && hashes[i] != 0 }

    /// The occupied buckets, in order (walked, not collected).
    var occupied: LazyFilterSequence<Range<Int>> { (0..<capacity).lazy.filter { self.hashes[$0] != 0 } }

    func copy() -> ByteKeyedStorage {
        let c = ByteKeyedStorage(capacity: capacity)
        for i in occupied {
            c.hashes[i] = hashes[i]
            (c.entries + i).initialize(to: entries[i])
        }
        c.count = count
        return c
    }

    /// Seeded per process, as Swift's `Hasher` is: the bucket of a key (a fingerprint, a group
    /// key built from senders' label values) is not known in advance, so keys cannot be chosen
    /// to pile into one run of buckets. (Not a keyed cryptographic hash: it raises the bar.)
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 { NameTable.hash(key, seed: ByteKeySeed.value) | 1 << 63 }

    func find(_ key: UnsafeRawBufferPointer) -> Int? { find(key, hash: Self.hash(key)) }

    private func find(_ key: UnsafeRawBufferPointer, hash h: UInt64) -> Int? {
        guard count > 0 else { return nil }
        let mask = capacity - 1
        var b = Int(truncatingIfNeeded: h) & mask
        while true {
            let x = hashes[b]
            if x == 0 { return nil }
            if x == h && Self.same(entries[b].key, key) { return b }
            b = (b + 1) & mask
        }
    }

    static func same(_ s: String, _ key: UnsafeRawBufferPointer) -> Bool {
        var s = s
        return s.withUTF8 { NameTable.same(UnsafeRawBufferPointer($0), key) }
    }

    /// Sets `key`'s value (its bucket kept, or a new one).
    func insert(_ key: String, _ value: Value) {
        var key = key
        let (h, found) = key.withUTF8 { b in
            let h = Self.hash(UnsafeRawBufferPointer(b))
            return (h, find(UnsafeRawBufferPointer(b), hash: h))
        }
        if let found {
            entries[found].value = value
            return
        }
        // At most 70% full: linear probing stays short, even for keys the table lacks.
        if (count + 1) * 10 > capacity * 7 { grow() }
        let mask = capacity - 1
        var b = Int(truncatingIfNeeded: h) & mask
        while hashes[b] != 0 { b = (b + 1) & mask }
        hashes[b] = h
        (entries + b).initialize(to: (key, value))
        count += 1
    }

    /// Twice the buckets; entries move by their kept hash (no key read).
    private func grow() {
        let old = (capacity, hashes, entries)
        capacity = max(8, capacity * 2)
        hashes = .allocate(capacity: capacity)
        hashes.initialize(repeating: 0, count: capacity)
        entries = .allocate(capacity: capacity)
        let mask = capacity - 1
        for i in 0..<old.0 where old.1[i] != 0 {
            var b = Int(truncatingIfNeeded: old.1[i]) & mask
            while hashes[b] != 0 { b = (b + 1) & mask }
            hashes[b] = old.1[i]
            (entries + b).moveInitialize(from: old.2 + i, count: 1)
        }
        old.1.deallocate()
        old.2.deallocate()
    }

    /// Empties bucket `i`, shifting back the entries after it that probed past it (no
    /// tombstones: a look-up still stops at the first empty bucket).
    func remove(at i: Int) -> (key: String, value: Value) {
        let removed = (entries + i).move()
        hashes[i] = 0
        count -= 1
        let mask = capacity - 1
        var hole = i, j = (i + 1) & mask
        while hashes[j] != 0 {
            let home = Int(truncatingIfNeeded: hashes[j]) & mask
            // The entry at `j` may move to the hole when its home is not in (hole, j].
            let stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
            if !stays {
                hashes[hole] = hashes[j]
                (entries + hole).moveInitialize(from: entries + j, count: 1)
                hashes[j] = 0
                hole = j
            }
            j = (j + 1) & mask
        }
        return removed
    }
}

/// The process's seed for `ByteKeyedMap` hashes.
enum ByteKeySeed {
    static let value = UInt64.random(in: .min ... .max)
}

extension ByteKeyedMap: @unchecked Sendable where Value: Sendable {}

extension ByteKeyedMap: Equatable where Value: Equatable {
    public static func == (a: ByteKeyedMap, b: ByteKeyedMap) -> Bool {
        a.count == b.count && a.storage.occupied.allSatisfy { b[a.storage.entries[$0].key] == a.storage.entries[$0].value }
    }
}

extension ByteKeyedMap: Codable where Value: Codable {
    public init(from decoder: Decoder) throws {
        self.init()
        var c = try decoder.unkeyedContainer()
        while !c.isAtEnd {
            let key = try c.decode(String.self)
            self[key] = try c.decode(Value.self)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        for i in storage.occupied {
            try c.encode(storage.entries[i].key)
            try c.encode(storage.entries[i].value)
        }
    }
}
