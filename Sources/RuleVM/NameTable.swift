/// Names to small integers by their UTF-8 bytes (no Unicode equivalence: two spellings of one
/// name are two names): open addressing over a hash of the bytes taken eight at a time, so
/// binding an alert hashes each label name once, cheaply, and compares its bytes once — no
/// `Hasher`, no `String` comparison.
package struct NameTable: Sendable {
    /// Every name's bytes, one after the other.
    private let bytes: [UInt8]
    /// Per name: where its bytes start, how many, and its value.
    private let entries: [(start: Int, count: Int, value: Int)]
    /// Entry index per bucket, -1 when empty; a power of two at least twice the entries.
    private let buckets: [Int32]

    /// `names[i]` maps to `i`; a name repeated (byte for byte) keeps its first index.
    package init(_ names: [String]) {
        var bytes: [UInt8] = []
        var entries: [(start: Int, count: Int, value: Int)] = []
        var size = 4
        while size < names.count * 2 { size *= 2 }
        var buckets = [Int32](repeating: -1, count: size)
        for (i, name) in names.enumerated() {
            let utf8 = Array(name.utf8)
            let found: Int? = utf8.withUnsafeBytes { name in
                var b = Int(truncatingIfNeeded: Self.hash(name)) & (size - 1)
                while buckets[b] >= 0 {
                    let e = entries[Int(buckets[b])]
                    if bytes.withUnsafeBytes({ Self.same(UnsafeRawBufferPointer(rebasing: $0[e.start..<e.start + e.count]), name) }) { return nil }
                    b = (b + 1) & (size - 1)
                }
                return b
            }
            guard let b = found else { continue }
            buckets[b] = Int32(entries.count)
            entries.append((bytes.count, utf8.count, i))
            bytes.append(contentsOf: utf8)
        }
        self.bytes = bytes
        self.entries = entries
        self.buckets = buckets
    }

    /// A hash of `p`'s bytes, eight at a time (multiply and xor-shift), from `seed`.
    @inline(__always)
    package static func hash(_ p: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let n = p.count
        var h = (UInt64(n) ^ seed) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 32)
    }

    /// Whether `a` and `b` hold the same bytes: eight at a time, inline (a label name is a few
    /// bytes, where calling `memcmp` costs more than comparing; a group key a few hundred).
    package static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        let n = a.count
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// Whether `a` and `b` have the same UTF-8 bytes (not just canonically equivalent).
    package static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in same(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) }
        }
        if let fast, let same = fast { return same }
        return a.utf8.elementsEqual(b.utf8)
    }

    /// The value of the name whose bytes are `name`'s, if any.
    package func value(_ name: String) -> Int? {
        if let found = name.utf8.withContiguousStorageIfAvailable({ lookup(UnsafeRawBufferPointer($0)) }) { return found }
        return Array(name.utf8).withUnsafeBytes { lookup($0) }
    }

    /// The value of the name whose bytes are `name`, if any.
    package func lookup(_ name: UnsafeRawBufferPointer) -> Int? {
        let mask = buckets.count - 1
        var b = Int(truncatingIfNeeded: Self.hash(name)) & mask
        return bytes.withUnsafeBytes { all in
            while true {
                let e = Int(buckets[b])
                if e < 0 { return nil }
                let entry = entries[e]
                if entry.count == name.count && Self.same(UnsafeRawBufferPointer(rebasing: all[entry.start..<entry.start + entry.count]), name) {
                    return entry.value
                }
                b = (b + 1) & mask
            }
        }
    }
}
