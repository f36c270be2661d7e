/// An alert's labels (or annotations) as the engine keeps them: one array of pairs sorted by
/// the bytes of their names. It reads like the `[String: String]` it is built from — the same
/// look-ups (`==` on names, as a dictionary's), the same `(key, value)` elements, the same
/// JSON in snapshots — in under half the memory of a small dictionary (no hash table: an
/// alert has at most 64 labels, and a look-up scans them).
public struct LabelSet: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    struct Pair: Sendable, Equatable {
        let key: String
        var value: String
    }

    private var pairs: [Pair]

    /// `reserving`: room for that many more names (the enrich sets an alert is expected to add,
    /// so they go into this array instead of a copy).
    public init(_ dictionary: [String: String], reserving extra: Int = 0) {
        var pairs: [Pair] = []
        pairs.reserveCapacity(dictionary.count + extra)
        for (key, value) in dictionary { pairs.append(Pair(key: key, value: value)) }
        // Insertion sort in place: an alert has a handful of labels (64 at most).
        pairs.withUnsafeMutableBufferPointer { p in
            for i in p.indices.dropFirst() {
                var j = i
                while j > 0 && Self.precedes(p[j].key, p[j - 1].key) {
                    p.swapAt(j, j - 1)
                    j -= 1
                }
            }
        }
        self.pairs = pairs
    }

    /// These pairs with `sets` applied in order (`apply`).
    public func applying(_ sets: [(label: String, value: String)], name: (String) -> String?) -> LabelSet {
        var result = self
        result.apply(sets, name: name)
        return result
    }

    /// Applies `sets` in order, as `self[name] = value` each (`name` maps a set's label to the
    /// name it sets here, nil: not here): in this array when it has room for the new names
    /// (and is not shared), else in a new one of the final size (an alert keeps its labels for
    /// its lifetime).
    public mutating func apply(_ sets: [(label: String, value: String)], name: (String) -> String?) {
        // One look-up per set: where its name already is (-1: a new name; -2: not set here;
        // -3: a new name an earlier set sets too).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: sets.count) { at in
            var applies = false, added = 0
            for (k, set) in sets.enumerated() {
                guard let n = name(set.label) else {
                    at[k] = -2
                    continue
                }
                applies = true
                at[k] = index(of: n) ?? -1
                guard at[k] == -1 else { continue }
                if (0..<k).contains(where: { at[$0] == -1 && name(sets[$0].label) == n }) { at[k] = -3 } else { added += 1 }
            }
            guard applies else { return }
            // In place when this array is not shared and has room; else one copy of the final size.
            pairs.reserveCapacity(pairs.count + added)
            // Names already here keep their places (and indexes, until something is inserted);
            // new ones go where their bytes sort (a later set of the same new name replaces it).
            for k in sets.indices where at[k] >= 0 { pairs[at[k]].value = sets[k].value }
            for k in sets.indices where at[k] <= -1 && at[k] != -2 {
                let n = name(sets[k].label)!
                if at[k] == -3, let j = index(of: n) {
                    pairs[j].value = sets[k].value
                    continue
                }
                var low = 0, high = pairs.count
                while low < high {
                    let mid = (low + high) / 2
                    if Self.precedes(pairs[mid].key, n) { low = mid + 1 } else { high = mid }
                }
                pairs.insert(Pair(key: n, value: sets[k].value), at: low)
            }
        }
    }

    private init(pairs: [Pair]) { self.pairs = pairs }

    /// Drops the room `init(_:reserving:)` left that the sets did not use, when it is more than
    /// one pair (an alert keeps its labels for its lifetime; a stream of alerts alike wastes
    /// none, and this copy is made only when the guess was off).
    public mutating func dropSpareRoom() {
        guard pairs.capacity > pairs.count + 1 else { return }
        var exact: [Pair] = []
        exact.reserveCapacity(pairs.count)
        exact.append(contentsOf: pairs)
        pairs = exact
    }

    /// The index of the pair named `name` (`==`), read in place (a closure over the elements
    /// retained and released every name it looked at).
    @inline(__always)
    private func index(of name: String) -> Int? {
        pairs.withUnsafeBufferPointer { p in
            for i in 0..<p.count where p[i].key == name { return i }
            return nil
        }
    }

    /// Runs `body` on each name and value in order, read in place (the iterator copies each
    /// pair out: two retains and two releases a pair).
    @inline(__always)
    func forEachPair(_ body: (String, String) -> Void) {
        pairs.withUnsafeBufferPointer { p in
            for i in 0..<p.count { body(p[i].key, p[i].value) }
        }
    }

    /// Whether `a`'s UTF-8 bytes sort before `b`'s (a shorter prefix first).
    public static func precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                let n = Swift.min(x.count, y.count)
                var i = 0
                while i < n {
                    if x[i] != y[i] { return x[i] < y[i] }
                    i += 1
                }
                return x.count < y.count
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    public var dictionary: [String: String] {
        // Built in place (no array of tuples first); a name equal to an earlier one (`==`:
        // different bytes, canonically equivalent) keeps the first value.
        var map: [String: String] = Dictionary(minimumCapacity: pairs.count)
        for p in pairs where map.updateValue(p.value, forKey: p.key) != nil {
            map[p.key] = pairs.first { $0.key == p.key }!.value
        }
        return map
    }

    public var count: Int { pairs.count }
    public var isEmpty: Bool { pairs.isEmpty }
    public var keys: [String] { pairs.map(\.key) }

    /// The value of `name` (names compare with `==`, as dictionary keys do); setting nil removes
    /// it, setting an existing name keeps its spelling, as a dictionary does.
    public subscript(name: String) -> String? {
        get { index(of: name).map { pairs[$0].value } }
        set {
            let i = index(of: name)
            switch (i, newValue) {
            case (let i?, let v?): pairs[i].value = v
            case (let i?, nil): pairs.remove(at: i)
            case (nil, let v?):
                let at = pairs.firstIndex { !Self.precedes($0.key, name) } ?? pairs.count
                pairs.insert(Pair(key: name, value: v), at: at)
            case (nil, nil): break
            }
        }
    }

    /// Sets every pair of `other`, keeping the values of `other` (`merge(_:uniquingKeysWith: { _, new in new })`).
    public mutating func merge(_ other: [String: String]) {
        for (k, v) in other { self[k] = v }
    }

    public struct Iterator: IteratorProtocol {
        var inner: IndexingIterator<[Pair]>
        public mutating func next() -> (key: String, value: String)? { inner.next().map { (key: $0.key, value: $0.value) } }
    }

    public func makeIterator() -> Iterator { Iterator(inner: pairs.makeIterator()) }

    public static func == (a: LabelSet, b: LabelSet) -> Bool { a.pairs == b.pairs || (a.count == b.count && a.dictionary == b.dictionary) }
}

extension LabelSet: Codable {
    public init(from decoder: Decoder) throws { self.init(try [String: String](from: decoder)) }
    public func encode(to encoder: Encoder) throws { try dictionary.encode(to: encoder) }
}
