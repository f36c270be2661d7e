/// Names to small integers by their UTF-8 bytes (no Unicode equivalence: two spellings of one
/// name are two names): open addressing over an FNV-1a hash of the bytes, so binding an alert
/// hashes each label name once, cheaply, and compares its bytes once — no `Hasher`, no `String`
/// comparison.
struct NameTable {
    /// Every name's bytes, one after the other.
    private let bytes: [UInt8]
    /// Per name: where its bytes start, how many, and its value.
    private let entries: [(start: Int, count: Int, value: Int)]
    /// Entry index per bucket, -1 when empty; a power of two at least twice the entries.
    private let buckets: [Int32]

    /// `names[i]` maps to `i`; a name repeated (byte for byte) keeps its first index.
    init(_ names: [String]) {
        var bytes: [UInt8] = []
        var entries: [(start: Int, count: Int, value: Int)] = []
        var size = 4
        while size < names.count * 2 { size *= 2 }
        var buckets = [Int32](repeating: -1, count: size)
        for (i, name) in names.enumerated() {
            let utf8 = Array(name.utf8)
            var b = Int(truncatingIfNeeded: Self.hash(utf8[...])) & (size - 1)
            var duplicate = false
            while buckets[b] >= 0 {
                let e = entries[Int(buckets[b])]
                if bytes[e.start..<e.start + e.count].elementsEqual(utf8) { duplicate = true; break }
                b = (b + 1) & (size - 1)
            }
            if duplicate { continue }
            buckets[b] = Int32(entries.count)
            entries.append((bytes.count, utf8.count, i))
            bytes.append(contentsOf: utf8)
        }
        self.bytes = bytes
        self.entries = entries
        self.buckets = buckets
    }

    static func hash<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }

    /// Whether `a` and `b` have the same UTF-8 bytes (not just canonically equivalent).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let fast = a.utf8.withContiguousStorageIfAvailable { x in b.utf8.withContiguousStorageIfAvailable { y in x.elementsEqual(y) } }
        if let fast, let same = fast { return same }
        return a.utf8.elementsEqual(b.utf8)
    }

    /// The value of the name whose bytes are `name`'s, if any.
    func value(_ name: String) -> Int? {
        if let found = name.utf8.withContiguousStorageIfAvailable({ lookup($0) }) { return found }
        return lookup(Array(name.utf8)[...])
    }

    private func lookup<C: Collection<UInt8>>(_ name: C) -> Int? {
        let mask = buckets.count - 1
        var b = Int(truncatingIfNeeded: Self.hash(name)) & mask
        while true {
            let e = Int(buckets[b])
            if e < 0 { return nil }
            let entry = entries[e]
            if entry.count == name.count && bytes[entry.start..<entry.start + entry.count].elementsEqual(name) { return entry.value }
            b = (b + 1) & mask
        }
    }
}
